"""Issues of the newsletter: `flask engage send-newsletter` lists what was published since
the previous issue, once (run again, or twice at once: nothing more), in each subscriber's
language then the other, with one-click unsubscription headers (RFC 8058) and links from the
configured BASE_URL; the archive and its Atom feed show the issue in both languages; the
unsubscription link's POST needs no CSRF token, its GET changes nothing."""

import re
import socket
import time
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engage.core.clock import local_today
from engage.core.outbox import OutboxMessage, OutboxStatus, deliver_pending
from engage.extensions import db
from engage.newsletter import queries, services
from engage.newsletter.models import Issue, Subscriber
from tests.conftest import outbox
from tests.factories.newsletter import (
    PROJECT_NEWS,
    TITLES,
    UPDATE_TEXT,
    published_content,
    subscriber,
)

SITE = "https://engage.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


def build_world(app) -> dict:
    with app.test_request_context("/en/"):
        ids = published_content()
        ids["fr_reader"] = subscriber("lecteur@example.org", "fr").email
        ids["en_reader"] = subscriber("reader@example.org", "en").email
        ids["waiting"] = subscriber("waiting@example.org", "en", confirmed=False).email
        db.session.commit()
    return ids


@pytest.fixture
def site(app, monkeypatch):
    """The site's configured address differs from the test client's host."""
    monkeypatch.setitem(app.config, "BASE_URL", SITE)


def send(app, *args):
    result = app.test_cli_runner().invoke(args=["engage", "send-newsletter", *args])
    assert result.exit_code == 0, result.output
    return result.output


def issue_emails(app, recipient=None):
    return [m for m in outbox(app, recipient) if "newsletter, issue no." in m.subject
            or "lettre d’information" in m.subject.lower()]


def issues(app) -> list[Issue]:
    with app.app_context():
        rows = db.session.scalars(select(Issue).order_by(Issue.number)).all()
        db.session.expunge_all()
        return rows


def test_an_issue_is_sent_once_to_each_confirmed_subscriber(app, world, site):
    output = send(app)
    assert "Issue 1 sent to 2 subscriber(s)" in output
    assert send(app).startswith("No issue sent")  # the same day: nothing more
    [issue] = issues(app)
    assert issue.recipients == 2
    assert issue.ids("summaries") == [world["summary_id"]]
    assert issue.ids("priorities") == [world["exercise_id"]]
    assert issue.ids("commitments") == [world["commitment_id"]]
    assert issue.ids("commitment_updates") == [world["update_id"]]
    assert issue.ids("projects") == [world["project_id"]]
    assert issue.ids("project_updates") == [world["project_update_id"]]
    assert [m.recipient for m in issue_emails(app)] == sorted(
        [world["fr_reader"], world["en_reader"]], key=lambda email: email != "lecteur@example.org")
    assert not issue_emails(app, world["waiting"])  # never confirmed


def test_the_issue_email_is_bilingual_with_one_click_unsubscription(app, world, site):
    send(app)
    [french] = issue_emails(app, world["fr_reader"])
    [english] = issue_emails(app, world["en_reader"])
    assert french.subject == "Lettre d’information d’Engage, numéro 1"
    assert english.subject == "Engage newsletter, issue no. 1"
    # The reader's language first, then the other (headed in its own language).
    body = french.body
    assert body.index(TITLES["commitment"]["fr"]) < body.index("In English") \
        < body.index(TITLES["commitment"]["en"])
    assert english.body.index(UPDATE_TEXT["en"]) < english.body.index("En français") \
        < english.body.index(UPDATE_TEXT["fr"])
    for text in (TITLES["summary"]["fr"], TITLES["priorities"]["fr"], TITLES["project"]["fr"],
                 PROJECT_NEWS["fr"], "Institut Curie"):
        assert text in body, text
    # Every link starts with the configured address, never the request's host.
    links = re.findall(r"https?://\S+", body)
    assert links and all(link.startswith(f"{SITE}/") for link in links), links
    for path in (f"/fr/summaries/{world['summary_id']}",
                 f"/fr/priorities/{world['exercise_id']}/results",
                 f"/fr/impact/commitments/{world['commitment_id']}",
                 f"/fr/impact/projects/{world['project_id']}",
                 "/fr/newsletter/1", f"/en/impact/projects/{world['project_id']}"):
        assert f"{SITE}{path}" in links, path
    unsubscribe = re.search(rf"{SITE}(/fr/newsletter/unsubscribe/\S+)", body).group(1)
    assert french.headers == {"List-Unsubscribe": f"<{SITE}{unsubscribe}>",
                              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    assert english.headers["List-Unsubscribe"].startswith(f"<{SITE}/en/newsletter/unsubscribe/")
    assert english.headers["List-Unsubscribe"] != french.headers["List-Unsubscribe"]


def test_one_click_post_unsubscribes_without_csrf_and_a_get_does_not(app, world, site):
    send(app)
    [message] = issue_emails(app, world["en_reader"])
    url = message.headers["List-Unsubscribe"][1:-1].removeprefix(SITE)
    client = app.test_client()
    page = client.get(url)
    assert page.status_code == 200
    assert "reader@example.org" in page.text and 'method="post"' in page.text
    assert page.headers["Cache-Control"] == "private, no-store"  # it names the address
    assert client.get(url).status_code == 200  # opened again: still subscribed
    with app.app_context():
        assert queries.subscription_of(world["en_reader"]) is not None
    # What a mail program sends (RFC 8058): no cookie, no CSRF token.
    done = app.test_client().post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    with app.app_context():
        assert queries.subscription_of(world["en_reader"]) is None  # deleted, not kept
        assert queries.subscription_of(world["fr_reader"]) is not None
    assert app.test_client().post(url).status_code == 404  # the link names no one now
    # The next issue goes to the remaining reader only.
    with app.test_request_context("/en/"):
        later = services.send_issue(today=local_today() + timedelta(days=1),
                                    now=_after_new_update(world))
        db.session.commit()
        assert later.number == 2 and later.recipients == 1


def _after_new_update(world):
    from engage.accountability import services as accountability
    from engage.accountability.models import Commitment
    from engage.accounts.models import Role, User
    from engage.core.db import utcnow

    officer = db.session.scalar(select(User).where(User.role == Role.OFFICER))
    commitment = db.session.get(Commitment, world["commitment_id"])
    accountability.add_update(officer, commitment, texts={"en": "More news."},
                              happened_on=local_today())
    db.session.flush()
    return utcnow()


def test_a_period_with_nothing_new_is_skipped(app, world):
    send(app)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    assert send(app, "--date", tomorrow).startswith("No issue sent")
    assert len(issues(app)) == 1 and len(issue_emails(app)) == 2


def test_two_runs_at_once_send_one_issue(app, world, monkeypatch):
    send(app)
    # A second run that read "no issue yet" before the first one committed.
    monkeypatch.setattr(queries, "latest_issue", lambda: None)
    with app.test_request_context("/en/"):
        assert services.send_issue(today=local_today() + timedelta(days=1)) is None
        db.session.commit()
    assert len(issues(app)) == 1 and len(issue_emails(app)) == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_archive_and_the_feed_list_the_issue(app, world, lang):
    client = app.test_client()
    empty = client.get(f"/{lang}/newsletter/")
    assert empty.status_code == 200 and "/newsletter/1" not in empty.text
    send(app)
    words = {"fr": ("Numéro 1", "Envoyée le", "Nouvelles synthèses de consultation"),
             "en": ("Issue no. 1", "Sent on", "New consultation summaries")}[lang]
    archive = client.get(f"/{lang}/newsletter/")
    assert archive.status_code == 200
    assert f'href="/{lang}/newsletter/1"' in archive.text and words[0] in archive.text
    page = client.get(f"/{lang}/newsletter/1")
    assert page.status_code == 200 and words[2] in page.text
    for item in ("summary", "priorities", "commitment", "project"):
        assert TITLES[item][lang] in page.text, item
    assert f'href="/{lang}/impact/commitments/{world["commitment_id"]}"' in page.text
    assert client.get(f"/{lang}/newsletter/2").status_code == 404
    feed = client.get(f"/{lang}/newsletter/feed.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)  # noqa: S314 - our own feed
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"http://localhost/{lang}/newsletter/1"
    content = entry.find(f"{ATOM}content").text  # escaped HTML, read back as text
    assert TITLES["commitment"][lang] in content and words[2] in content
    assert f"http://localhost/{lang}/impact/projects/{world['project_id']}" in content


def test_the_smtp_message_carries_the_headers(app, world, site, monkeypatch):
    from aiosmtpd.controller import Controller

    received = []

    class Collector:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Collector(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        with app.test_request_context("/en/"):
            services.send_issue()
            db.session.commit()
            db.session.execute(OutboxMessage.__table__.update()
                               .where(OutboxMessage.recipient != world["fr_reader"])
                               .values(status=OutboxStatus.SENT))
            assert deliver_pending() == 1
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    [envelope] = received
    content = envelope.content.decode()
    assert f"List-Unsubscribe: <{SITE}/fr/newsletter/unsubscribe/" in content
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content


def test_subscriptions_never_confirmed_are_forgotten(app, world):
    with app.app_context():
        row = db.session.scalar(select(Subscriber).where(Subscriber.email == world["waiting"]))
        row.created_at = row.created_at - timedelta(days=11)
        db.session.commit()
    assert "1 unconfirmed subscription(s) forgotten." in send(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 2
