"""A form posted after the session ended is kept: after signing in, the person finds their text
ready to send again, never a 405 page with the text gone."""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from engage.consultations.models import Contribution
from engage.core.drafts import KeptDraft
from engage.core.sessions import LAST_ACTIVE
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.users import PASSWORD, email_of
from tests.helpers import (
    Auth,
    count_in,
    csrf_token,
    hidden_value,
    post,
    sign_in,
    sign_in_new,
)

TEXT = ("Après la chimiothérapie, la fatigue a duré deux ans ; personne ne m’avait prévenue.\n"
        "Il faudrait en parler avant le traitement. " * 3).strip()


@pytest.fixture
def consultation_id(app):
    with stored(app):
        return builders.consultation("open").id


def _kept_page_form(page) -> tuple[str, dict]:
    """The action and the fields of the form of the kept page, as the browser would send them."""
    start = re.search(r'<form method="post" action="([^"]+)" class="kept-draft">', page.text)
    html = page.text[start.start():page.text.index("</form>", start.start())]
    action = unescape(start.group(1))
    fields = {unescape(name): unescape(value) for name, value in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}
    shown = r'<textarea id="kept-\d+" name="([^"]+)" rows="10">\n(.*?)</textarea>'
    fields.update({unescape(name): unescape(value)
                   for name, value in re.findall(shown, html, flags=re.S)})
    # A browser drops the one line break that follows <textarea>.
    return action, fields


def _signed_out_elsewhere(app, email):
    other = Auth(app, app.test_client())
    assert other.sign_in(email).status_code == 302
    page = other.client.get("/en/account/")
    response = other.client.post("/en/account/sign-out-everywhere",
                                 data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302


def _email(app, user_id):
    return email_of(app, user_id)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_contribution_posted_after_sign_out_elsewhere_is_kept_and_sent(
        app, client, auth, consultation_id, lang):
    user_id = sign_in_new(app, auth)
    form_page = client.get(f"/{lang}/consultations/{consultation_id}")
    data = {"csrf_token": csrf_token(form_page), "body": TEXT,
            "submission_key": hidden_value(form_page.text, "submission_key")}
    _signed_out_elsewhere(app, _email(app, user_id))

    sent = client.post(f"/{lang}/consultations/{consultation_id}/contributions", data=data,
                       headers={"Referer": f"http://localhost/{lang}/consultations/"
                                           f"{consultation_id}"})
    assert sent.status_code == 302
    sign_in_url = urlsplit(sent.headers["Location"])
    assert sign_in_url.path == f"/{lang}/account/sign-in"
    kept_url = parse_qs(sign_in_url.query)["next"][0]
    assert kept_url.startswith(f"/{lang}/kept/")
    assert count_in(app, Contribution) == 0

    signed_in = auth.client.post(
        f"/{lang}/account/sign-in?next={kept_url}",
        data={"email": _email(app, user_id), "password": PASSWORD,
              "csrf_token": csrf_token(client.get(f"/{lang}/account/sign-in"))})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == kept_url
    kept = client.get(kept_url)
    assert kept.status_code == 200
    heading = {"en": "Your text was kept", "fr": "Votre texte a été gardé"}[lang]
    assert f"<h1>{heading}</h1>" in kept.text
    action, fields = _kept_page_form(kept)
    assert action == f"/{lang}/consultations/{consultation_id}/contributions"
    assert fields["body"] == TEXT
    assert fields["submission_key"] == data["submission_key"]
    assert f'href="/{lang}/consultations/{consultation_id}"' in kept.text

    again = client.post(action, data=fields)
    assert again.status_code == 302 and "#contribution-" in again.headers["Location"]
    with app.app_context():
        from engage.extensions import db

        assert db.session.scalars(db.select(Contribution.body)).all() == [TEXT]
    assert count_in(app, KeptDraft) == 0
    assert client.get(kept_url).status_code == 404


def test_a_kept_text_is_shown_to_its_writer_only(app, client, auth, consultation_id):
    user_id = sign_in_new(app, auth)
    form_page = client.get(f"/en/consultations/{consultation_id}")
    _signed_out_elsewhere(app, _email(app, user_id))
    sent = client.post(f"/en/consultations/{consultation_id}/contributions",
                       data={"csrf_token": csrf_token(form_page), "body": TEXT})
    kept_url = parse_qs(urlsplit(sent.headers["Location"]).query)["next"][0]
    sign_in(auth, user_id)
    assert client.get(kept_url).status_code == 200

    stranger = Auth(app, app.test_client())
    sign_in_new(app, stranger)
    refused = stranger.client.get(kept_url)
    assert refused.status_code == 404
    assert "fatigue" not in refused.text


def test_an_empty_form_is_not_kept_and_a_page_asked_for_comes_back(app, client, consultation_id):
    refused = post(client, f"/en/consultations/{consultation_id}/contributions", {"body": " "})
    assert refused.status_code == 302
    assert "kept" not in refused.headers["Location"]
    assert count_in(app, KeptDraft) == 0
    asked = client.get("/en/account/")
    assert parse_qs(urlsplit(asked.headers["Location"]).query)["next"] == ["/en/account/"]


def test_moderator_signed_out_for_inactivity_keeps_the_text(app, client, auth, consultation_id):
    user_id = sign_in_new(app, auth, "moderator")
    form_page = client.get(f"/en/consultations/{consultation_id}")
    data = {"csrf_token": csrf_token(form_page), "body": TEXT}
    with client.session_transaction() as session:
        session[LAST_ACTIVE] = int(time.time()) - 24 * 3600
    sent = client.post(f"/en/consultations/{consultation_id}/contributions", data=data)
    assert sent.status_code == 302
    kept_url = parse_qs(urlsplit(sent.headers["Location"]).query)["next"][0]
    assert kept_url.startswith("/en/kept/")
    with app.app_context():
        from engage.extensions import db

        assert db.session.scalar(db.select(KeptDraft.user_id)) == user_id
    sign_in(auth, user_id)
    action, fields = _kept_page_form(client.get(kept_url))
    assert action == f"/en/consultations/{consultation_id}/contributions"
    assert fields["body"] == TEXT
