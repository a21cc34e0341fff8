"""The suggested themes of a consultation through the routes: one click gives the theme named
after a phrase to exactly the contributions that hold it (found again by the server)."""

import re

import pytest
from sqlalchemy import func, select

from engage.consultations.models import Contribution, Theme, ThemeTranslation
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry, ContributionTheme
from engage.moderation.suggestions import digest
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.moderation import themes_world
from tests.helpers import csrf_token, hidden_value, main_part, sign_in

SUGGESTIONS = "/{lang}/moderation/consultations/{consultation_id}/themes/suggestions"
ACCEPT = "/{lang}/moderation/consultations/{consultation_id}/suggestions/accept"
IGNORE = "/{lang}/moderation/consultations/{consultation_id}/suggestions/ignore"


@pytest.fixture
def data(app, client, auth):
    world = themes_world(app)
    sign_in(auth, world["moderator_id"])
    return world


def url(template: str, data: dict, lang: str = "en") -> str:
    return template.format(lang=lang, consultation_id=data["consultation_id"])


def apply_form(page, prefix: str = "s0", **changes) -> dict:
    """The one-click form of a suggestion, as the page sent it."""
    fields = {"prefix": prefix, f"{prefix}-csrf_token": csrf_token(page, prefix),
              f"{prefix}-key": hidden_value(page, f"{prefix}-key"),
              f"{prefix}-expected": hidden_value(page, f"{prefix}-expected")}
    fields.update({f"{prefix}-{name}": value for name, value in changes.items()})
    return fields


def themes_of(app, contribution_id: int) -> list[int]:
    with app.app_context():
        item = db.session.get(Contribution, contribution_id)
        tagged = set(db.session.scalars(select(ContributionTheme.theme_id).where(
            ContributionTheme.contribution_id == contribution_id)))
        return sorted(tagged | ({item.theme_id} if item.theme_id else set()))


def audit(app) -> list[tuple[str, int, str]]:
    with app.app_context():
        return [(e.action, e.target_id, e.note) for e in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.action, AuditEntry.target_id))]


def theme_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Theme.id)))


UNTOUCHED = ("back_to_work", "fatigue", "pending", "hidden", "deleted", "elsewhere_id")


def test_each_phrase_says_how_many_contributions_it_covers(client, data):
    page = client.get(url(SUGGESTIONS, data))
    assert page.status_code == 200
    main = main_part(page.text)
    # Only phrase shared by two visible contributions or more (the hidden and the deleted
    # ones, and the other consultation's, are not counted).
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", main) == ["retour au travail"]
    assert '<h2 lang="fr">retour au travail</h2>' in main
    assert "Covers 3 contributions" in main
    assert ("Create the theme “Retour au travail” and give it to these 3 contributions"
            in main)
    for name in ("work", "work_again", "position"):
        assert f'href="/en/moderation/items/contribution/{data[name]}"' in main
    assert hidden_value(page, "s0-key") == "phrase:retour au travail"
    assert hidden_value(page, "s0-expected") == digest(
        [data["work"], data["work_again"], data["position"]])


def test_one_click_gives_the_theme_to_exactly_those_contributions(app, client, data):
    page = client.get(url(SUGGESTIONS, data))
    response = client.post(url(ACCEPT, data), data=apply_form(page))
    assert response.status_code == 302
    assert response.headers["Location"] == url(SUGGESTIONS, data)
    page = client.get(response.headers["Location"])
    assert "The theme “Retour au travail” is given to 3 contributions." in page.text
    assert "No suggestion for now" in page.text  # nothing left to do
    with app.app_context():
        theme_id, language = db.session.execute(
            select(ThemeTranslation.theme_id, ThemeTranslation.language)
            .where(ThemeTranslation.label == "Retour au travail")).one()
    assert language == "fr"  # the language the contributions were written in
    for name in ("work", "work_again", "position"):
        assert themes_of(app, data[name]) == [theme_id]
    assert themes_of(app, data["back_to_work"]) == [data["work_theme"]]
    assert themes_of(app, data["hidden"]) == themes_of(app, data["elsewhere_id"]) == []
    assert audit(app) == [
        (AuditAction.ACCEPT_SUGGESTION, theme_id, "phrase:retour au travail"),
        *sorted((AuditAction.TAG, data[name], "") for name in ("work", "work_again",
                                                              "position")),
    ]


def test_the_contributions_are_never_taken_from_the_form(app, client, data):
    page = client.get(url(SUGGESTIONS, data))
    before = theme_count(app)
    # Another set of contributions than the page showed: refused.
    response = client.post(url(ACCEPT, data), data={
        **apply_form(page, expected=digest([data["work"], data["elsewhere_id"]])),
        "s0-contribution_ids": f"{data['work']},{data['elsewhere_id']}"},
        follow_redirects=True)
    assert ("The contributions holding this phrase have changed since you opened the page. "
            "Nothing was changed: please check the suggestion again.") in response.text
    # A phrase of another consultation: not one of this one.
    response = client.post(url(ACCEPT, data), data=apply_form(
        page, key="phrase:travail ailleurs"), follow_redirects=True)
    assert "This suggestion does not exist any more" in response.text
    assert theme_count(app) == before
    assert all(themes_of(app, data[name]) == [] for name in ("work", "elsewhere_id"))
    assert audit(app) == []


def test_a_contribution_written_since_the_page_was_opened_stops_it(app, client, data):
    page = client.get(url(SUGGESTIONS, data))
    with stored(app):
        consultation = db.session.get(builders.Consultation, data["consultation_id"])
        builders.contribution(consultation, builders.user("participant"),
                              "Mon retour au travail.")
    response = client.post(url(ACCEPT, data), data=apply_form(page), follow_redirects=True)
    assert "have changed since you opened the page" in response.text
    assert "Covers 4 contributions" in response.text
    assert audit(app) == []


def test_a_theme_of_that_name_is_given_rather_than_a_new_one(app, client, data):
    with stored(app):
        theme_id = builders.theme("Retours au travail", "Back to work").id
    before = theme_count(app)
    page = client.get(url(SUGGESTIONS, data))
    assert "Give the theme “Back to work” to these 3 contributions" in page.text
    response = client.post(url(ACCEPT, data), data=apply_form(page), follow_redirects=True)
    assert "The theme “Back to work” is given to 3 contributions." in response.text
    assert theme_count(app) == before
    assert themes_of(app, data["work_again"]) == [theme_id]


def test_another_theme_may_be_chosen(app, client, data):
    page = client.get(url(SUGGESTIONS, data))
    assert '<label for="s0-theme">Theme to give them</label>' in page.text
    response = client.post(url(ACCEPT, data), data=apply_form(page, theme=data["work_theme"]),
                           follow_redirects=True)
    assert "The theme “Work” is given to 3 contributions." in response.text
    assert themes_of(app, data["position"]) == [data["work_theme"]]


def test_a_theme_not_in_the_list_is_refused_on_the_form(app, client, data):
    page = client.get(url(SUGGESTIONS, data))
    response = client.post(url(ACCEPT, data), data=apply_form(page, theme="999999"))
    assert response.status_code == 422
    main = main_part(response.text)
    assert 'id="error-summary"' in main
    assert '<a href="#s0-theme">Theme to give them: Please choose a theme from the list.</a>' \
        in main
    assert "<details open>" in main
    assert '/suggestions/accept#error-summary"' in main
    assert audit(app) == []


def test_a_form_without_its_prefix_is_refused(client, data):
    page = client.get(url(SUGGESTIONS, data))
    assert client.post(url(ACCEPT, data), data={**apply_form(page),
                                                "prefix": "x"}).status_code == 400


def test_ignore_a_suggestion_once(app, client, data):
    page = client.get(url(SUGGESTIONS, data))
    form = {"csrf_token": csrf_token(page), "key": "phrase:retour au travail"}
    response = client.post(url(IGNORE, data), data=form, follow_redirects=True)
    assert "The suggestion is ignored: it will not be proposed again." in response.text
    assert "No suggestion for now" in response.text
    response = client.post(url(IGNORE, data), data=form, follow_redirects=True)
    assert "Another moderator has already handled this suggestion." in response.text
    assert [action for action, _target, _note in audit(app)] == [AuditAction.IGNORE_SUGGESTION]


def test_the_suggestions_speak_french(client, data):
    page = client.get(url(SUGGESTIONS, data, lang="fr"))
    assert "<h2>retour au travail</h2>" in page.text
    assert "Couvre 3 contributions" in page.text
    assert ("Créer le thème «\u00a0Retour au travail\u00a0» et le donner à ces "
            "3 contributions") in page.text
