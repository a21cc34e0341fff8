"""The full-text machinery: folding, queries, snippets and the DDL kept for migrations."""

import pytest

from engage.consultations import search as consultation_search
from engage.core import search


@pytest.mark.parametrize(("source", "expected"), [
    ("Accès aux ESSAIS thérapeutiques", "acces aux essais therapeutiques"),
    ("L’œuvre d’un proche-aidant", "l oeuvre d un proche aidant"),
    ("Straße, Æther, Łódź", "strasse aether lodz"),
    ("e-mail: jo@example.org (2024)", "e mail jo example org 2024"),
    ("snake_case **gras**", "snake case gras"),
    ("", ""),
    (None, ""),
])
def test_normalize(source, expected):
    assert search.normalize(source) == expected


def test_query_terms():
    assert search.query_terms("L’accès  aux essais, aux ESSAIS !") == ["acces", "aux", "essais"]
    assert search.query_terms("a 1 b") == ["1"]
    assert search.query_terms("") == []
    assert len(search.query_terms(" ".join(f"mot{i}" for i in range(20)))) == \
        search.MAX_QUERY_TERMS


def test_query_syntax_holds_only_words():
    terms = search.query_terms('"fatigue" OR NEAR(x) -y* :*')
    assert search.fts5_query(terms) == '"fatigue"* AND "or"* AND "near"*'
    assert search.tsquery(terms) == "fatigue:* & or:* & near:*"


def test_python_matching_is_prefix_and():
    text = search.normalize("La fatigue après le travail")
    assert search.matches(text, ["fati", "trav"])
    assert not search.matches(text, ["atigue"])
    assert not search.matches(text, ["fatigue", "sommeil"])


def test_snippet_marks_matches_and_escapes():
    html = str(search.snippet("<b>Un</b> texte sur la Fatigue & le travail", ["fatigue"]))
    assert "&lt;b&gt;Un&lt;/b&gt;" in html
    assert "<mark>Fatigue</mark>" in html and "&amp;" in html


def test_snippet_cuts_around_the_first_match():
    words = [f"mot{i}" for i in range(100)]
    words[60] = "Épuisement"
    html = str(search.snippet(" ".join(words), ["epuis"], width=10))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>Épuisement</mark>" in html and "mot10 " not in html
    assert str(search.snippet("", ["x"])) == ""


def test_only_plain_table_names_make_ddl():
    with pytest.raises(ValueError):
        search.sqlite_ddl("x; DROP TABLE users")
    with pytest.raises(ValueError):
        search.fulltext_match("bad name", None, "sqlite", ["x"])


def test_search_objects_are_left_out_of_autogenerate():
    for name in ("consultation_translations_fts", "consultation_translations_fts_data",
                 "consultation_contributions_fts_idx", "ix_consultation_contributions_fulltext"):
        assert search.is_search_object(name)
        assert not search.include_name(name, "table", {})
    assert search.include_name("consultations", "table", {})
    assert not search.is_search_object(None)


@pytest.mark.parametrize("table", consultation_search.INDEXED_TABLES)
def test_the_migration_constants_are_the_generated_ddl(table):
    """The literal statements the migration copies are exactly what the helpers build."""
    upgrade_sqlite = consultation_search.MIGRATION_UPGRADE["sqlite"]
    upgrade_postgresql = consultation_search.MIGRATION_UPGRADE["postgresql"]
    for statement in search.sqlite_ddl(table):
        assert statement in upgrade_sqlite
    for statement in search.postgresql_ddl(table):
        assert statement in upgrade_postgresql
    assert search.sqlite_drop_ddl(table)[0] in consultation_search.MIGRATION_DOWNGRADE["sqlite"]
    assert search.postgresql_drop_ddl(table)[0] in \
        consultation_search.MIGRATION_DOWNGRADE["postgresql"]
