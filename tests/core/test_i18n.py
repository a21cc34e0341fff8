"""Languages: URL prefixes, negotiation, the switch, localized formats."""

import re
import shutil
from datetime import UTC, datetime

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from engage.config import PROJECT_ROOT
from tests.conftest import build_app, reset_database
from tests.helpers import Auth, hidden_value, post, sign_in_new


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("en-GB,en;q=0.9", "/en/"), ("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"), ("de-DE", "/fr/"),
     (None, "/fr/")],
)
def test_root_redirects_by_accept_language(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_lang_matches_the_prefix(client, lang):
    response = client.get(f"/{lang}/about")
    assert f'<html lang="{lang}">' in response.text


def test_pages_are_translated(client):
    assert "Give your opinion" not in client.get("/fr/").text
    assert "Have your say in cancer research" in client.get("/en/").text
    assert "Donnez votre avis sur la recherche contre le cancer" in client.get("/fr/").text


def test_language_switch_leads_to_the_same_page(client):
    response = client.get("/fr/account/sign-in?next=/fr/about")
    links = re.findall(r'<a href="([^"]+)" lang="en"', response.text)
    assert links == ["/en/account/sign-in?next=/fr/about"]


def test_unknown_language_prefix_is_a_translated_404(client):
    response = client.get("/xx/about", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "The language “xx” is not available" in response.text
    response = client.get("/xx/about", headers={"Accept-Language": "fr"})
    assert "La langue «\u00a0xx\u00a0» n’est pas disponible" in response.text


def test_dates_and_numbers_are_localized(app):
    moment = datetime(2026, 3, 14, 15, 30, tzinfo=UTC)
    with app.test_request_context():
        date_filter = app.jinja_env.filters["date"]
        number_filter = app.jinja_env.filters["number"]
        with force_locale("fr"):
            assert date_filter(moment) == "14 mars 2026"
            assert number_filter(12345.5) == "12\u202f345,5"
        with force_locale("en"):
            assert date_filter(moment) == "March 14, 2026"
            assert number_filter(12345.5) == "12,345.5"


def test_a_moment_reads_the_same_way_everywhere_in_each_language(app):
    moment = datetime(2026, 12, 5, 1, 20, tzinfo=UTC)  # 2:20 in Paris
    with app.test_request_context():
        moment_filter = app.jinja_env.filters["datetime"]
        with force_locale("fr"):
            assert moment_filter(moment) == "5 décembre 2026, 02:20"
        with force_locale("en"):
            assert moment_filter(moment).replace("\u202f", " ") == "December 5, 2026, 2:20 AM"
    # No template asks for another style (such as the numeric "12/5/26").
    styled = [path.name for path in (PROJECT_ROOT / "templates").rglob("*.*")
              if re.search(r"\|\s*date(time)?\(", path.read_text())]
    assert styled == []


@pytest.mark.parametrize(("lang", "name", "expected"), [
    ("fr", "Alice", "Contribution d’Alice"),
    ("fr", "AIDANTS", "Contribution d’AIDANTS"),
    ("fr", "Hélène", "Contribution d’Hélène"),
    ("fr", "« Ensemble »", "Contribution d’« Ensemble »"),
    ("fr", "Bruno", "Contribution de Bruno"),
    ("fr", "8 associations", "Contribution de 8 associations"),
    ("en", "Alice", "Contribution of Alice"),
])
def test_french_elision_before_an_inserted_name(app, lang, name, expected):
    with app.test_request_context(), force_locale(lang):
        rendered = app.jinja_env.from_string(
            '{{ _("Contribution of %(name)s", name=name) }}').render(name=name)
    assert rendered == expected


def test_elision_keeps_escaping_and_plurals(app):
    with app.test_request_context(), force_locale("fr"):
        page = app.jinja_env.from_string(
            '{% autoescape true %}{{ _("Position of %(name)s", name=name) }}{% endautoescape %}')
        assert page.render(name="<b>Élise</b>") == "Position de &lt;b&gt;Élise&lt;/b&gt;"
        assert page.render(name="Élise & co") == "Position d’Élise &amp; co"
        plural = app.jinja_env.from_string(
            '{{ ngettext("%(num)d contribution", "%(num)d contributions", 3) }}')
        assert plural.render() == "3 contributions"


def _app_with_german(tmp_path):
    """An app with LANGUAGES=fr,en,de and a German catalog (English, but for one message)."""
    translations = tmp_path / "translations"
    shutil.copytree(PROJECT_ROOT / "translations", translations)
    with open(PROJECT_ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        english = read_po(handle)
    german = Catalog(locale="de")
    german.add("Have your say in cancer research", "Reden Sie mit in der Krebsforschung")
    for message in english:
        if message.id and message.id not in german:
            german.add(message.id, message.string)
    (translations / "de/LC_MESSAGES").mkdir(parents=True)
    with open(translations / "de/LC_MESSAGES/messages.mo", "wb") as handle:
        write_mo(handle, german)

    app = build_app(f"sqlite:///{tmp_path / 'de.sqlite3'}", LANGUAGES=["fr", "en", "de"],
                    BABEL_TRANSLATION_DIRECTORIES=str(translations))
    reset_database(app)
    return app


def test_a_third_language_is_a_catalog_and_a_setting(tmp_path):
    """German, added without touching the code."""
    app = _app_with_german(tmp_path)
    client = app.test_client()
    response = client.get("/de/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert "Reden Sie mit in der Krebsforschung" in response.text
    assert 'href="/de/about"' in response.text
    assert ">Deutsch</a>" in client.get("/fr/").text
    assert client.get("/", headers={"Accept-Language": "de"}).headers["Location"] == "/de/"


@pytest.mark.parametrize(("path", "accept", "expected"), [
    ("/fr/consultations/", "en-GB,en;q=0.9", "fr"),
    ("/en/consultations/", "fr-FR,fr;q=0.9", "en"),
    ("/en/reviews/assignments", None, "en"),
])
def test_the_page_language_is_the_urls(app, path, accept, expected):
    from engage.core.i18n import page_language

    headers = {"Accept-Language": accept} if accept else {}
    with app.test_request_context(path, headers=headers):
        app.preprocess_request()
        assert page_language() == expected


TEXTS = {
    "fr": ("Vivre après un cancer", "Un texte **en français**."),
    "en": ("Living after cancer", "A text **in English**."),
    "de": ("Leben nach Krebs", "Ein Text **auf Deutsch**."),
}


def _created_id(response, pattern: str) -> int:
    assert response.status_code == 302, response.text
    return int(re.fullmatch(pattern, response.headers["Location"]).group(1))


def _shows_only_german(page) -> None:
    assert page.status_code == 200
    assert "Leben nach Krebs" in page.text and "<strong>auf Deutsch</strong>" in page.text
    assert "Vivre après un cancer" not in page.text and "Living after cancer" not in page.text


def test_staff_write_in_a_third_language_through_the_forms(tmp_path):
    """In every area, the forms have fields for each configured language, and a text
    written in German is what the German pages show."""
    app = _app_with_german(tmp_path)
    client = app.test_client()
    sign_in_new(app, Auth(app, client), "admin")

    form = client.get("/de/reviews/calls/new")
    assert 'name="title_de"' in form.text and 'name="description_de"' in form.text
    call_id = _created_id(post(client, "/de/reviews/calls/new", {
        **{f"{field}_{code}": text for code, pair in TEXTS.items()
           for field, text in zip(("title", "description"), pair, strict=True)},
        "review_opens_on": "2030-03-01", "review_deadline": "2030-03-31",
        "reviews_per_application": "3"}), r"/de/reviews/calls/(\d+)")
    _shows_only_german(client.get(f"/de/reviews/calls/{call_id}"))

    form = client.get("/de/priorities/new")
    assert 'name="title_de"' in form.text and 'name="scope_de"' in form.text
    exercise_id = _created_id(post(client, "/de/priorities/new", {
        **{f"{field}_{code}": text for code, pair in TEXTS.items()
           for field, text in zip(("title", "description"), pair, strict=True)},
        "scope_de": "Nur Fragen zur Nachsorge.", "workshop_size": "25"}),
        r"/de/priorities/(\d+)/manage")
    exercise_page = client.get(f"/de/priorities/{exercise_id}")
    _shows_only_german(exercise_page)
    assert "Nur Fragen zur Nachsorge." in exercise_page.text

    form = client.get("/de/consultations/new")
    assert 'name="title_de"' in form.text and 'name="body_de"' in form.text
    consultation_id = _created_id(post(client, "/de/consultations/new", {
        **{f"{field}_{code}": text for code, (title, body) in TEXTS.items()
           for field, text in (("title", title), ("summary", title), ("body", body))},
        "opens_on": "2030-01-01", "closes_on": "2030-02-01", "audience": "everyone",
        "moderation_policy": "pre", "submission_key": hidden_value(form, "submission_key")}),
        r"/de/consultations/(\d+)/manage")
    _shows_only_german(client.get(f"/de/consultations/{consultation_id}"))
    assert "Vivre après un cancer" in client.get(f"/fr/consultations/{consultation_id}").text
