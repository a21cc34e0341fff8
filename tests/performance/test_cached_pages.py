"""The aggregate and page caches change the time a page takes, never what it shows.

Each main page is rendered with the caches off, then twice with them on (the second view
is served from the caches): the three must be the same, CSRF tokens aside. After a write
the page shows the new figures at once.
"""

import re

from engage.core import page_cache
from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD
from engage.synth.pages import main_pages
from tests.helpers import Auth

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")'
                   r'|(value=")[^"]+("[^>]*name="csrf_token")')


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return TOKEN.sub(r"\1\2\3\4", response.get_data(as_text=True))


def test_pages_are_the_same_with_the_cache(app, runner):
    result = runner.invoke(args=["engage", "synth", "--scale", "0.005"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        pages = main_pages("en")
    clients = {None: app.test_client(), "participant": app.test_client(),
               "moderator": app.test_client()}
    Auth(app, clients["participant"]).sign_in(PARTICIPANT_EMAIL, SYNTH_PASSWORD)
    Auth(app, clients["moderator"]).sign_in(MODERATOR_EMAIL, SYNTH_PASSWORD)
    for client in clients.values():
        client.get("/en/about")  # shows (and so clears) the welcome message
    for page in pages:
        client = clients[page.who]
        app.config["AGGREGATE_CACHE_SECONDS"] = app.config["PAGE_CACHE_SECONDS"] = 0
        try:
            uncached = _page(client, page.path)
            app.config["AGGREGATE_CACHE_SECONDS"] = app.config["PAGE_CACHE_SECONDS"] = 30
            hits = page_cache.statistics["hits"]
            first, second = _page(client, page.path), _page(client, page.path)
            if page.name != "trivial endpoint":  # /healthz is not a page
                assert page_cache.statistics["hits"] == hits + 1, page.name
        finally:
            app.config.pop("AGGREGATE_CACHE_SECONDS")
            app.config.pop("PAGE_CACHE_SECONDS")
        assert first == uncached, page.name
        assert second == uncached, page.name


def test_a_new_contribution_counts_at_once(app, client, auth, monkeypatch):
    from tests.factories import consultations as builders
    from tests.factories import stored

    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    with stored(app):
        consultation = builders.consultation(status="open")
        consultation_id = consultation.id
    url = f"/en/consultations/{consultation_id}"
    assert "0 contributions" in client.get("/en/consultations/").text
    assert "0 contributions" in client.get("/en/consultations/").text  # from the cache
    auth.sign_in_as(language="en")
    page = client.get(url)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]*)"', page.text)
    response = client.post(f"{url}/contributions", data={
        "body": "A contribution about fatigue.", "csrf_token": token,
        "submission_key": key.group(1) if key else ""})
    assert response.status_code == 302, response.text
    assert "1 contribution" in client.get("/en/consultations/").text
