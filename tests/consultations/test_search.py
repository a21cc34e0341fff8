"""Full-text search over consultations (every translation) and visible contributions.

Each test runs on SQLite (FTS5) and on PostgreSQL (tsvector + GIN) and expects the
very same results: that is how "same results on both databases" is checked.
"""

import pytest
from sqlalchemy import text

from engage.consultations import queries, services
from engage.core.db import utcnow
from engage.core.moderated import ModerationStatus
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored


def texts(fr: str, en: str | None = None, body_fr: str = "", body_en: str = ""):
    result = {"fr": services.ConsultationText(fr, "", body_fr)}
    if en:
        result["en"] = services.ConsultationText(en, "", body_en)
    return result


@pytest.fixture
def corpus(app):
    with stored(app):
        trials = builders.consultation("open", texts=texts(
            "Accès aux essais cliniques", "Access to clinical trials",
            body_fr="Les **essais** thérapeutiques en Île-de-France.",
            body_en="Therapeutic trials in the Paris region."))
        living = builders.consultation("closed", texts=texts(
            "Vivre après un cancer", "Living after cancer",
            body_fr="La fatigue, le retour au travail.", body_en="Fatigue, returning to work."))
        builders.consultation("draft", texts=texts("Brouillon secret sur la fatigue"))
        builders.consultation("upcoming", texts=texts("Œuvres et soins de support"))
        author = builders.user()
        builders.contribution(living, author, "La fatigue m’a empêchée de reprendre le travail.")
        builders.contribution(living, author, "Fatigue is the hardest part.", language="en")
        builders.contribution(trials, author, "Trop de trajets pour un essai à Villejuif.")
        builders.contribution(trials, author, "Pending zébrure", moderation_status="pending")
        builders.contribution(trials, author, "Hidden zébrure",
                              moderation_status=ModerationStatus.HIDDEN)
        builders.contribution(trials, author, "Deleted zébrure", deleted_at=utcnow())
        return {"trials": trials.id, "living": living.id}


def found(app, query: str, user=None, language="en", per_page=20):
    from flask_login import AnonymousUserMixin

    with app.test_request_context("/en/consultations/search"):
        terms, page = queries.search_everything(query, user or AnonymousUserMixin(),
                                                language, per_page)
        return terms, page, [
            (hit.kind, hit.consultation.title("en") if hit.kind == "consultation"
             else hit.contribution.body) for hit in page.items
        ]


@pytest.mark.parametrize(("query", "expected"), [
    ("essais", [("consultation", "Access to clinical trials")]),
    ("ESSAIS", [("consultation", "Access to clinical trials")]),
    ("acces", [("consultation", "Access to clinical trials")]),
    ("l’accès", [("consultation", "Access to clinical trials")]),
    ("clinical trials", [("consultation", "Access to clinical trials")]),
    ("therap", [("consultation", "Access to clinical trials")]),
    ("essai", [("consultation", "Access to clinical trials"),
               ("contribution", "Trop de trajets pour un essai à Villejuif.")]),
    ("fatigue", [("consultation", "Living after cancer"),
                 ("contribution", "Fatigue is the hardest part."),
                 ("contribution", "La fatigue m’a empêchée de reprendre le travail.")]),
    ("fatigue travail", [("consultation", "Living after cancer"),
                         ("contribution", "La fatigue m’a empêchée de reprendre le travail.")]),
    ("EMPECHEE", [("contribution", "La fatigue m’a empêchée de reprendre le travail.")]),
    ("oeuvres", [("consultation", "Œuvres et soins de support")]),
    ("zébrure", []),  # pending, hidden and deleted contributions are not searched
    ("brouillon", []),  # nor unannounced drafts
    ("fatigue nonexistentword", []),
])
def test_same_results_on_every_database(app, corpus, query, expected):
    _terms, page, hits = found(app, query)
    assert sorted(hits) == sorted(expected)
    assert page.total == len(expected)
    # Consultations come first.
    kinds = [kind for kind, _ in hits]
    assert kinds == sorted(kinds)


def test_moderators_find_drafts(app, corpus):
    with app.app_context():
        moderator = builders.moderator()
        _terms, _page, hits = found(app, "brouillon", user=moderator)
    assert hits == [("consultation", "Brouillon secret sur la fatigue")]  # only in French


def test_the_readers_language_is_preferred_with_a_snippet(app, corpus):
    _terms, page, _hits = found(app, "therapeutiques", language="fr")
    [hit] = page.items
    assert hit.title == "Accès aux essais cliniques" and hit.title_language == "fr"
    assert "<mark>thérapeutiques</mark>" in str(hit.snippet)
    _terms, page, _hits = found(app, "therapeutic", language="fr")
    [hit] = page.items
    # Only the English text matches: it is shown, marked as English.
    assert hit.title == "Access to clinical trials" and hit.title_language == "en"


def test_queries_too_short_or_empty(app, corpus):
    for query in ("", "  ", "a", "l’", "!!!"):
        terms, page, hits = found(app, query)
        assert terms == [] and hits == [] and page.total == 0


def test_search_is_paginated(app):
    with stored(app):
        item = builders.consultation("open")
        author = builders.user()
        for index in range(25):
            builders.contribution(item, author, f"Douleur numéro {index}")
    _terms, first, hits = found(app, "douleur")
    assert first.total == 25 and len(hits) == 20 and first.has_next
    with app.test_request_context("/en/consultations/search?page=2"):
        from flask_login import AnonymousUserMixin

        _terms, second = queries.search_everything("douleur", AnonymousUserMixin(), "en", 20)
        assert len(second.items) == 5 and not second.has_next


def test_the_index_follows_edits_and_deletions(app, corpus):
    from engage.consultations import participation
    from engage.consultations.models import Contribution

    with stored(app):
        author = builders.user()
        contribution, _ = participation.post_contribution(
            author, db.session.get(type(builders.consultation("open")), corpus["trials"]),
            "Premier mot: ornithorynque")
        contribution_id = contribution.id
    assert found(app, "ornithorynque")[2]
    with stored(app):
        contribution = db.session.get(Contribution, contribution_id)
        participation.edit_contribution(contribution.author, contribution, "Second: hippocampe")
    assert not found(app, "ornithorynque")[2] and found(app, "hippocampe")[2]
    with stored(app):
        contribution = db.session.get(Contribution, contribution_id)
        participation.delete_contribution(contribution.author, contribution)
    assert not found(app, "hippocampe")[2]


def test_the_search_page(app, client, corpus):
    page = client.get("/en/consultations/search?q=fatigue")
    assert page.status_code == 200
    assert "3 results for “fatigue”" in page.text
    assert "<mark>Fatigue</mark>" in page.text
    assert 'lang="fr"' in page.text  # the French contribution is marked as French
    empty = client.get("/en/consultations/search?q=a")
    assert "Please type at least one word" in empty.text
    assert client.get("/en/consultations/search").status_code == 200
    # A long query is searched (cut), one beyond an address's length is refused (414).
    assert client.get("/en/consultations/search?q=" + "x" * 3000).status_code == 200
    assert client.get("/en/consultations/search?q=" + "x" * 5000).status_code == 414


def test_the_database_index_is_used(app, corpus):
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            plan = connection.execute(text(
                "EXPLAIN QUERY PLAN SELECT rowid FROM consultation_contributions_fts "
                "WHERE consultation_contributions_fts MATCH '\"fatigue\"*'")).all()
            assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan), plan
        else:
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            plan = connection.execute(text(
                "EXPLAIN SELECT id FROM consultation_contributions WHERE "
                "to_tsvector('simple', search_text) @@ to_tsquery('simple', 'fatigue:*')")).all()
            assert any("ix_consultation_contributions_fulltext" in str(row) for row in plan), plan
        db.session.rollback()
