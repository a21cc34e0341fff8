"""Summaries pages through the test client (English pages)."""

import re

import pytest
from flask import render_template_string
from sqlalchemy import select

from engage.consultations.models import Contribution
from engage.extensions import db
from engage.summaries.models import Summary, SummaryStatus
from tests.conftest import missing
from tests.factories import stored
from tests.factories.summaries import closed_consultation, published, written
from tests.helpers import csrf_token, hidden_value, main_part, sign_in_new


def make(app, state="published", contributions=3):
    with stored(app):
        moderator, consultation, items = closed_consultation(contributions)
        summary = published(moderator, consultation, items) if state == "published" \
            else written(moderator, consultation, items)
        return {"summary_id": summary.id, "consultation_id": consultation.id,
                "items": [i.id for i in items], "moderator_email": moderator.email}


# Public pages


def test_list_shows_published_summaries_with_their_feed(app, client):
    data = make(app)
    make(app, state="draft")
    page = client.get("/en/summaries/")
    assert page.status_code == 200
    html = main_part(page.text)
    assert html.count('class="card"') == 1
    assert f'/en/summaries/{data["summary_id"]}' in html
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*'
                     r'href="http://localhost/en/summaries/feed.atom"', page.text)
    assert "Patients want trials close to home. Travel costs a lot." in html  # no citations
    french = client.get("/fr/summaries/")
    assert french.status_code == 200 and '<html lang="fr">' in french.text


def test_list_query_count_does_not_grow(app, client, count_queries):
    make(app)
    client.get("/en/summaries/")
    with count_queries() as small:
        client.get("/en/summaries/")
    for _ in range(3):
        make(app)
    with count_queries() as large:
        page = client.get("/en/summaries/")
    assert main_part(page.text).count('class="card"') == 4
    assert large.count == small.count


def test_atom_feed_per_language(app, client):
    data = make(app)
    feed = client.get("/en/summaries/feed.atom")
    assert feed.status_code == 200
    assert feed.mimetype == "application/atom+xml"
    assert 'xml:lang="en"' in feed.text
    assert f"<id>http://localhost/en/summaries/{data['summary_id']}</id>" in feed.text
    assert "&lt;p&gt;Patients want trials" in feed.text  # HTML content, escaped once
    assert "<p>" not in feed.text
    french = client.get("/fr/summaries/feed.atom")
    assert 'xml:lang="fr"' in french.text and "essais proches" in french.text


def test_report_links_citations_and_awaits_the_response(app, client):
    data = make(app)
    page = client.get(f"/en/summaries/{data['summary_id']}")
    assert page.status_code == 200
    html = main_part(page.text)
    first = data["items"][0]
    link = f'href="/en/consultations/{data["consultation_id"]}/contributions/{first}"'
    assert f'<a {link} rel="nofollow noopener noreferrer">[#{first}]</a>' in html
    assert "Response awaited" in html
    for section in ("How the consultation went", "Who took part", "Arguments by theme"):
        assert section in html
    assert "report.pdf" in html and "contributions.csv" in html and "contributions.json" in html


def test_hidden_contributions_are_not_linked_from_the_report(app, client):
    data = make(app)
    with stored(app):
        db.session.get(Contribution, data["items"][0]).moderation_status = "hidden"
    html = main_part(client.get(f"/en/summaries/{data['summary_id']}").text)
    assert f"[#{data['items'][0]}]" in html
    assert f"contributions/{data['items'][0]}\"" not in html
    assert f"contributions/{data['items'][1]}\"" in html


def test_unpublished_summaries_do_not_exist_for_the_public(app, client, auth):
    data = make(app, state="draft")
    for suffix in ("", "/report.pdf", "/contributions.csv", "/contributions.json"):
        assert client.get(f"/en/summaries/{data['summary_id']}{suffix}").status_code == 404
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/summaries/{data['summary_id']}")
    assert page.status_code == 200 and "Preview for moderators" in page.text


def test_downloads(app, client):
    data = make(app)
    pdf = client.get(f"/en/summaries/{data['summary_id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = client.get(f"/en/summaries/{data['summary_id']}/contributions.csv")
    assert text.mimetype == "text/csv" and "Participant 1" in text.text
    assert "Participant" not in text.text.split("\n")[0]
    json_file = client.get(f"/en/summaries/{data['summary_id']}/contributions.json")
    assert json_file.json["contributions"][0]["author"] == "Participant 1"


def test_the_pdf_embeds_its_fonts(app, client, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdffonts"):
        missing("pdffonts (poppler-utils) is not installed")
    data = make(app)
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get(f"/fr/summaries/{data['summary_id']}/report.pdf").data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded
    assert any("DejaVu" in line for line in fonts)


def test_home_page_shows_the_latest_summaries(app, client):
    make(app)
    html = main_part(client.get("/en/").text)
    assert "Latest consultation summaries" in html


def test_cited_in_snippet_for_the_contribution_page(app):
    data = make(app)
    with app.test_request_context("/en/"):
        contribution = db.session.get(Contribution, data["items"][0])
        html = render_template_string('{% include "summaries/_cited_in.html" %}',
                                      contribution=contribution)
        assert "Cited in" in html and f"/en/summaries/{data['summary_id']}" in html
        uncited = db.session.get(Contribution, data["items"][2])
        assert "Cited in" not in render_template_string(
            '{% include "summaries/_cited_in.html" %}', contribution=uncited)
        consultation = contribution.consultation
        link = render_template_string('{% include "summaries/_consultation_link.html" %}',
                                      consultation=consultation)
        assert f"/en/summaries/{data['summary_id']}" in link


# The editor and the workflow


def test_editor_shows_readability_and_flags_bad_citations(app, client, auth):
    data = make(app, state="draft")
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/summaries/{data['summary_id']}/edit")
    assert page.status_code == 200
    assert "Flesch reading ease: 91.8" in page.text
    form = {"csrf_token": csrf_token(page), "version": hidden_value(page, "version"),
            "body_fr": "Le chat dort [#999999].", "body_en": "The cat sat on the mat.",
            "action": "check"}
    checked = client.post(f"/en/summaries/{data['summary_id']}/edit", data=form)
    assert checked.status_code == 200
    assert "Unknown in this consultation, not linked:" in checked.text
    assert "[#999999]" in checked.text
    assert "Reading ease (Kandel–Moles): 130.4" in checked.text
    with app.app_context():  # nothing saved
        assert "chat" not in db.session.get(Summary, data["summary_id"]).body("fr")
    form["action"] = "save"
    saved = client.post(f"/en/summaries/{data['summary_id']}/edit", data=form,
                        follow_redirects=True)
    assert "The summary is saved." in saved.text
    # The form of before is out of date now.
    stale = client.post(f"/en/summaries/{data['summary_id']}/edit",
                        data={**form, "body_en": "Mine"})
    assert stale.status_code == 409 and "changed this summary since you opened it" in stale.text
    assert "Mine" in stale.text  # the text is kept


def test_readability_endpoint(app, client, auth):
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/summaries/manage")
    token = csrf_token(page)
    response = client.post("/en/summaries/readability", json={
        "language": "en", "text": "The cat sat on the mat."}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json["score"] == pytest.approx(116.1)
    assert "Target reached" in response.json["html"]
    bad = client.post("/en/summaries/readability", json={"language": "xx", "text": "x"},
                      headers={"X-CSRFToken": token})
    assert bad.status_code == 400
    assert client.post("/en/summaries/readability", json={}).status_code == 400  # no token


def test_write_submit_and_approve_through_the_pages(app, client, auth):
    with stored(app):
        _moderator, consultation, items = closed_consultation(2)
        consultation_id, first = consultation.id, items[0].id
    sign_in_new(app, auth, "moderator")
    manage = client.get("/en/summaries/manage")
    started = client.post(f"/en/summaries/consultations/{consultation_id}/start",
                          data={"csrf_token": csrf_token(manage)})
    assert started.status_code == 302
    editor = client.get(started.headers["Location"])
    summary_id = int(re.search(r"/summaries/(\d+)/edit", started.headers["Location"]).group(1))
    assert "Write the summary in every language before sending it for review." in editor.text
    client.post(f"/en/summaries/{summary_id}/edit", data={
        "csrf_token": csrf_token(editor), "version": hidden_value(editor, "version"),
        "body_fr": f"Texte [#{first}].", "body_en": f"Text [#{first}].", "action": "save"})
    editor = client.get(f"/en/summaries/{summary_id}/edit")
    sent = client.post(f"/en/summaries/{summary_id}/submit", data={
        "csrf_token": csrf_token(editor), "version": hidden_value(editor, "version")},
        follow_redirects=True)
    assert "another moderator must approve it" in sent.text
    assert "You wrote this summary: another moderator must approve it." in sent.text
    approve = client.post(f"/en/summaries/{summary_id}/approve", data={
        "csrf_token": csrf_token(sent), "version": hidden_value(sent, "version")},
        follow_redirects=True)
    assert "A summary must be approved by a moderator who did not write it." in approve.text
    auth.sign_out()
    sign_in_new(app, auth, "moderator")
    review = client.get(f"/en/summaries/{summary_id}/edit")
    # The page's button opens a dialog that says what publishing does (with JavaScript).
    assert 'data-confirm="confirm-publish-summary"' in review.text
    assert "A published summary cannot be withdrawn" in review.text
    form = {"csrf_token": csrf_token(review), "version": hidden_value(review, "version")}
    asked = client.post(f"/en/summaries/{summary_id}/approve", data=form)
    assert asked.status_code == 200  # without JavaScript, a second page asks first
    assert "Approve and publish this summary?" in asked.text
    assert "A published summary cannot be withdrawn" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    with app.app_context():
        assert db.session.get(Summary, summary_id).status == SummaryStatus.IN_REVIEW
    published_page = client.post(f"/en/summaries/{summary_id}/approve",
                                 data={**form, "confirmed": "1"}, follow_redirects=True)
    assert "The summary is published." in published_page.text
    with app.app_context():
        summary = db.session.get(Summary, summary_id)
        assert summary.status == SummaryStatus.PUBLISHED
        assert summary.consultation.status == "summarized"


def test_network_response_page(app, client, auth):
    data = make(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/summaries/{data['summary_id']}/response")
    form = {"csrf_token": csrf_token(page), "version": hidden_value(page, "version"),
            "response_fr": "Nous allons agir.", "response_en": "", "response_on": "2026-03-01"}
    refused = client.post(f"/en/summaries/{data['summary_id']}/response", data=form)
    assert refused.status_code == 422 and "Nous allons agir." in refused.text
    form["response_en"] = "We will act."
    done = client.post(f"/en/summaries/{data['summary_id']}/response", data=form,
                       follow_redirects=True)
    assert "We will act." in done.text and "Response of March 1, 2026" in done.text
    assert "Response awaited" not in main_part(done.text)


def test_demo_data_loads_twice_without_duplicates(app):
    from engage import demo
    from engage.core import registry

    with app.app_context():
        demo.load_accounts("demo-password-123")
        for loader in registry.of().demo_loaders:
            loader()
        db.session.commit()
        for loader in registry.of().demo_loaders:
            loader()
        db.session.commit()
        [summary] = db.session.scalars(select(Summary)).all()
        assert summary.is_published and summary.has_response
        assert summary.missing_languages(["fr", "en"]) == []
        from engage.core.moderated import ModerationStatus

        pending = db.session.scalars(select(Contribution).where(
            Contribution.moderation_status == ModerationStatus.PENDING)).all()
        assert len(pending) == 1
