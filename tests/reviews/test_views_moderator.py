"""The moderators' pages: calls, rubric, applications, assignment, dashboard, exports."""

import csv
import io
import os
import re

import pytest

from engage.accounts.models import Role
from engage.extensions import db
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    Criterion,
    FundingCall,
    Review,
    ReviewStatus,
)
from tests.helpers import count_in, csrf_token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def moderator(auth):
    return auth.sign_in_as(role=Role.MODERATOR, language="en")


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEWS_UPLOAD_DIR", str(tmp_path))
    return tmp_path


def moderator_urls(call_id, application_id, criterion_id):
    return [
        "/en/reviews/calls", "/en/reviews/calls/new", f"/en/reviews/calls/{call_id}",
        f"/en/reviews/calls/{call_id}/edit", f"/en/reviews/calls/{call_id}/criteria",
        f"/en/reviews/criteria/{criterion_id}", f"/en/reviews/calls/{call_id}/applications/new",
        f"/en/reviews/applications/{application_id}/edit", f"/en/reviews/calls/{call_id}/import",
        f"/en/reviews/calls/{call_id}/proposal", f"/en/reviews/calls/{call_id}/declarations",
        f"/en/reviews/calls/{call_id}/dashboard", f"/en/reviews/calls/{call_id}/committee.csv",
        f"/en/reviews/calls/{call_id}/committee-pack.pdf",
        f"/en/reviews/calls/{call_id}/feedback.csv", "/en/reviews/pool",
    ]


def test_moderator_pages_are_for_moderators(app, client, auth, world):
    call_id = world.call(status=CallStatus.DRAFT)
    application_id = world.application(call_id)
    urls = moderator_urls(call_id, application_id, world.criteria(call_id)[0])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response.headers["Location"], url
    auth.sign_in_as(lay_reviewer=True)
    for url in urls:
        assert client.get(url).status_code == 403, url
    auth.sign_out()
    auth.sign_in_as(role=Role.MODERATOR)
    answers = {url: client.get(url).status_code for url in urls}
    # A draft has no dashboard nor exports yet; every other page opens.
    closed = {u for u in urls if u.endswith(("dashboard", ".csv", ".pdf"))}
    assert {u for u, code in answers.items() if code == 403} == closed
    assert {code for u, code in answers.items() if u not in closed} == {200}


def test_create_and_edit_a_call(app, client, moderator):
    page = client.get("/en/reviews/calls/new")
    token = csrf_token(page)
    bad = client.post("/en/reviews/calls/new", data={
        "title_fr": "", "title_en": "", "description_en": "Kept description",
        "review_opens_on": "2026-03-10", "review_deadline": "2026-03-01",
        "reviews_per_application": "0", "csrf_token": token})
    assert bad.status_code == 422
    assert "Please give a title in at least one language." in bad.text
    # The error summary follows the page: the texts come before the dates.
    assert bad.text.index("Please give a title in at least one language.") < bad.text.index(
        "The deadline must come after the opening date.")
    assert "The deadline must come after the opening date." in bad.text
    assert "Please enter a number from 1 to 10." in bad.text
    assert "Kept description" in bad.text
    not_a_date = client.post("/en/reviews/calls/new", data={
        "title_en": "T", "review_opens_on": "soon", "review_deadline": "",
        "reviews_per_application": "3", "csrf_token": token})
    assert not_a_date.status_code == 422 and "Please enter a date" in not_a_date.text
    good = client.post("/en/reviews/calls/new", data={
        "title_fr": "Appel 2026", "description_fr": "Un **appel**.", "title_en": "",
        "review_opens_on": "2026-03-01", "review_deadline": "2026-03-31",
        "reviews_per_application": "3", "csrf_token": token})
    assert good.status_code == 302
    with app.app_context():
        call = db.session.scalar(db.select(FundingCall))
        assert call.status == CallStatus.DRAFT and len(call.criteria) == 6
        call_id = call.id
    page = client.get(f"/en/reviews/calls/{call_id}")
    assert "Only available in French." in page.text and "<strong>appel</strong>" in page.text
    edit = client.post(f"/en/reviews/calls/{call_id}/edit", data={
        "title_fr": "Appel 2026", "title_en": "Call 2026", "review_opens_on": "2026-03-01",
        "review_deadline": "2026-04-15", "reviews_per_application": "2",
        "csrf_token": csrf_token(client.get(f"/en/reviews/calls/{call_id}/edit"))})
    assert edit.status_code == 302
    assert "Call 2026" in client.get("/en/reviews/calls").text
    with app.app_context():
        db.session.get(FundingCall, call_id).status = CallStatus.CLOSED
        db.session.commit()
    refused = client.get(f"/en/reviews/calls/{call_id}/edit")
    assert refused.status_code == 403 and "can no longer be changed" in refused.text


def test_rubric_is_edited_in_draft_only(app, client, world, moderator):
    call_id = world.call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}/criteria"
    page = client.get(url)
    assert "Barriers to taking part (who could be left out)" in page.text
    token = csrf_token(page)
    empty = client.post(url, data={"label_fr": "", "label_en": "", "guidance_en": "Kept",
                                   "csrf_token": token})
    assert empty.status_code == 422 and "Please name the criterion" in empty.text
    assert client.post(url, data={"label_en": "Cost for families", "label_fr": "Coût",
                                  "csrf_token": token}).status_code == 302
    assert count_in(app, Criterion, Criterion.call_id == call_id) == 7
    first = world.criteria(call_id)[0]
    assert client.post(f"/en/reviews/criteria/{first}", data={
        "label_en": "Relevance", "label_fr": "Pertinence", "csrf_token": token,
    }).status_code == 302
    assert client.post(f"/en/reviews/criteria/{first}/delete",
                       data={"csrf_token": token}).status_code == 302
    assert count_in(app, Criterion, Criterion.call_id == call_id) == 6
    world.set_status(call_id, CallStatus.OPEN)
    assert client.post(url, data={"label_en": "Late", "csrf_token": token}).status_code == 403
    second = world.criteria(call_id)[0]
    assert client.post(f"/en/reviews/criteria/{second}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert client.get(f"/en/reviews/criteria/{second}").status_code == 403


def test_status_moves(app, client, world, moderator):
    call_id = world.call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}"
    token = csrf_token(client.get(url))
    refused = client.post(f"{url}/status", data={"action": "open", "csrf_token": token},
                          follow_redirects=True)
    assert "Add at least one application first." in refused.text
    world.application(call_id)
    assert client.post(f"{url}/status", data={"action": "decide", "csrf_token": token},
                       follow_redirects=True).status_code == 200
    assert world.get(FundingCall, call_id).status == CallStatus.DRAFT
    for action, status in (("open", "open"), ("close", "closed"), ("decide", "decided")):
        response = client.post(f"{url}/status", data={"action": action, "csrf_token": token},
                               follow_redirects=True)
        assert world.get(FundingCall, call_id).status == status, response.text
    assert client.post(f"{url}/status", data={"action": "reopen",
                                              "csrf_token": token}).status_code == 400
    assert client.post(f"{url}/status", data={"action": "close",
                                              "csrf_token": token}).status_code == 403


def _application_data(token, **overrides):
    data = {"acronym": "CARE", "title": "Better care", "lay_summary": "We help patients.",
            "summary_language": "en", "team": "Dr A", "institutions": "Institut Curie",
            "keywords": "care, nurses", "csrf_token": token}
    data.update(overrides)
    return data


def test_add_an_application_with_its_pdf(app, client, world, moderator, uploads):
    call_id = world.call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}/applications/new"
    token = csrf_token(client.get(url))
    response = client.post(url, data=_application_data(
        token, pdf=(io.BytesIO(PDF), "../../etc/passwd.pdf")), content_type="multipart/form-data")
    assert response.status_code == 302
    [stored] = os.listdir(uploads)
    assert stored.endswith(".pdf") and len(stored) == 36  # a random name, not the user's
    with app.app_context():
        application = db.session.scalar(db.select(Application))
        assert (application.pdf_filename, application.pdf_size) == (stored, len(PDF))
        application_id = application.id
    download = client.get(f"/en/reviews/applications/{application_id}/project.pdf")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith(
        "attachment")
    download.close()
    page = client.get(f"/en/reviews/applications/{application_id}")
    assert "Readability of the lay summary" in page.text
    duplicate = client.post(url, data=_application_data(token, acronym="care"))
    assert duplicate.status_code == 422 and "already has this acronym" in duplicate.text
    # Replacing the PDF removes the old file.
    edit_url = f"/en/reviews/applications/{application_id}/edit"
    assert client.post(edit_url, data=_application_data(
        token, pdf=(io.BytesIO(PDF + b" "), "v2.pdf")),
        content_type="multipart/form-data").status_code == 302
    [replaced] = os.listdir(uploads)
    assert replaced != stored
    assert client.post(edit_url, data=_application_data(token, remove_pdf="y")).status_code == 302
    assert os.listdir(uploads) == []


def test_pdf_is_checked_by_content_and_size(app, client, world, moderator, uploads,
                                            monkeypatch):
    call_id = world.call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}/applications/new"
    token = csrf_token(client.get(url))
    fake = client.post(url, data=_application_data(
        token, pdf=(io.BytesIO(b"<html>not a pdf</html>"), "project.pdf")),
        content_type="multipart/form-data")
    assert fake.status_code == 422 and "This file is not a PDF." in fake.text
    assert "We help patients." in fake.text
    monkeypatch.setitem(app.config, "REVIEWS_MAX_PDF_BYTES", 2048)
    big = client.post(url, data=_application_data(
        token, pdf=(io.BytesIO(PDF + b"0" * 3000), "big.pdf")),
        content_type="multipart/form-data")
    assert big.status_code == 422 and "The PDF is too large: at most 2 kB." in big.text
    missing = client.post(url, data=_application_data(token, acronym="", lay_summary=""))
    assert missing.status_code == 422 and "Please enter the project’s acronym." in missing.text
    assert count_in(app, Application) == 0 and os.listdir(uploads) == []


CSV_GOOD = (
    "acronym;title;lay_summary;summary_language;team;institutions;keywords\n"
    "ONE;Projet un;Nous aidons les patients.;fr;Dr A;Institut Curie;\"soins; nutrition\"\n"
    'TWO;Project two;"We help carers.\nOn two lines.";en;Dr B;AP-HP;carers\n'
)


def test_import_applications_from_csv(app, client, world, moderator):
    call_id = world.call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}/import"
    token = csrf_token(client.get(url))
    response = client.post(url, data={"file": (io.BytesIO(("\ufeff" + CSV_GOOD).encode()),
                                               "apps.csv"), "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        imported = {a.acronym: a for a in db.session.scalars(db.select(Application))}
        assert set(imported) == {"ONE", "TWO"}
        assert imported["TWO"].lay_summary == "We help carers.\nOn two lines."
        assert imported["ONE"].summary_language == "fr"


def test_a_bad_csv_row_imports_nothing_and_names_each_line(app, client, world, moderator):
    call_id = world.call(status=CallStatus.DRAFT)
    world.application(call_id, acronym="TAKEN")
    url = f"/en/reviews/calls/{call_id}/import"
    token = csrf_token(client.get(url))
    text = (
        "acronym,title,lay_summary,summary_language\n"
        "OK,Fine,A summary.,en\n"
        ",No acronym,A summary.,en\n"
        "TAKEN,Again,A summary.,fr\n"
        "OK,Twice,A summary.,en\n"
        "DE,German,Eine Zusammenfassung.,de\n"
        "SHORT,Too few columns\n"
    )
    response = client.post(url, data={"file": (io.BytesIO(text.encode()), "apps.csv"),
                                      "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Nothing was imported" in response.text
    for line, reason in [
        (3, "The column acronym is empty."),
        (4, "The acronym TAKEN is already used in this call."),
        (5, "The acronym OK is already on line 2."),
        (6, "Unknown language de: use fr or en."),
        (7, "Expected 4 columns, found 2."),
    ]:
        assert f'<th scope="row">{line}</th><td>{reason}' in response.text, reason
    assert count_in(app, Application) == 1
    latin = client.post(url, data={"file": (io.BytesIO("acronym,title,lay_summary\nÉ,é,é"
                                                       .encode("latin-1")), "apps.csv"),
                                   "csrf_token": token}, content_type="multipart/form-data")
    assert latin.status_code == 422 and "CSV UTF-8" in latin.text
    columns = client.post(url, data={"file": (io.BytesIO(b"name,summary\nA,B"), "a.csv"),
                                     "csrf_token": token}, content_type="multipart/form-data")
    assert columns.status_code == 422
    assert "Missing columns: acronym, title, lay_summary." in columns.text
    nothing = client.post(url, data={"csrf_token": token}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and "Please choose a CSV file." in nothing.text


def test_assign_by_hand_and_remove(app, client, world, moderator):
    call_id = world.call()
    application_id = world.application(call_id, institutions="Hôpital Avicenne")
    reviewer = world.reviewer(display_name="Rosa Reviewer", email="rosa@example.org")
    colleague = world.reviewer(display_name="Colin Colleague",
                               institutions="hopital avicenne")
    url = f"/en/reviews/applications/{application_id}"
    page = client.get(url)
    assert "Rosa Reviewer" in page.text
    token = csrf_token(page)
    refused = client.post(f"{url}/assignments", data={"reviewer_id": colleague,
                                                      "csrf_token": token})
    assert refused.status_code == 422 and "same institution" in refused.text
    nobody = client.post(f"{url}/assignments", data={"reviewer_id": "0", "csrf_token": token})
    assert nobody.status_code == 422 and "Please choose a reviewer." in nobody.text
    assert client.post(f"{url}/assignments", data={"reviewer_id": reviewer,
                                                   "csrf_token": token}).status_code == 302
    with app.app_context():
        assignment = db.session.scalar(db.select(Assignment))
        assignment_id = assignment.id
    from tests.conftest import outbox

    [email] = outbox(app, "rosa@example.org")
    assert "APP" in email.subject and "/en/reviews/assignments" in email.body
    assert client.post(f"/en/reviews/assignments/{assignment_id}/remove",
                       data={"csrf_token": token}).status_code == 302
    assert count_in(app, Assignment) == 0


def test_proposal_page_and_confirmation(app, client, world, moderator):
    call_id = world.call(reviews_per_application=2)
    first = world.application(call_id, keywords="children")
    world.application(call_id)
    world.reviewer(display_name="Kid Expert", themes="children")
    world.reviewer(display_name="Second")
    world.reviewer(display_name="Third")
    url = f"/en/reviews/calls/{call_id}/proposal"
    page = client.get(url)
    assert page.status_code == 200 and "matching themes: children" in page.text
    pairs = re.findall(r'name="pair" value="([^"]+)"', page.text)
    assert len(pairs) == 4
    response = client.post(url, data={"pair": pairs[:3], "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert count_in(app, Assignment) == 3
    assert count_in(app, Assignment, Assignment.application_id == first) == 2
    empty = client.post(url, data={"csrf_token": csrf_token(page)})
    assert empty.status_code == 422


def _reviewed_call(world, status=CallStatus.OPEN):
    """Two applications; the first with a disagreement (1 and 5 on the first criterion)."""
    call_id = world.call(status=CallStatus.OPEN)
    first = world.application(call_id, acronym="FIRST")
    second = world.application(call_id, acronym="SECOND")
    ann = world.reviewer(display_name="Ann Onymous")
    bob = world.reviewer(display_name="Bob Named")
    world.review(world.assign(first, ann), [1, 3, 3, 3, 3, 3], 2,
                 applicant="Ann for applicants", committee="Ann for the committee")
    world.review(world.assign(first, bob), [5, 3, 3, 3, 3, 3], 4,
                 applicant="=HYPERLINK(1)", committee="Bob for the committee")
    world.review(world.assign(second, ann), 4, 5)
    world.set_status(call_id, status)
    return call_id, first, second


def test_dashboard_shows_figures_and_the_disagreement(app, client, world, moderator):
    call_id, _first, _second = _reviewed_call(world)
    page = client.get(f"/en/reviews/calls/{call_id}/dashboard")
    assert page.status_code == 200
    assert "Disagreement" in page.text and "Krippendorff’s alpha (ordinal)" in page.text
    assert "3 of 6" in page.text  # reviews submitted of expected
    ranking = page.text.split("<caption class=\"visually-hidden\">Ranking by overall opinion")[1]
    ranking = ranking.split("</table>")[0]
    assert ranking.index("SECOND") < ranking.index("FIRST")
    assert "Ann Onymous" not in page.text


def test_dashboard_queries_do_not_grow_with_the_reviews(app, client, world, moderator,
                                                        count_queries):
    call_id = world.call()  # three reviews expected for each application
    applications = [world.application(call_id) for _ in range(2)]
    reviewers = [world.reviewer() for _ in range(3)]
    world.review(world.assign(applications[0], reviewers[0]), 3, 3)
    url = f"/en/reviews/calls/{call_id}/dashboard"
    client.get(url)
    with count_queries() as small:
        page = client.get(url)
    assert page.status_code == 200 and "1 of 6" in page.text  # reviews submitted of expected
    applications += [world.application(call_id) for _ in range(3)]
    for application in applications:
        for reviewer in reviewers:
            if (application, reviewer) != (applications[0], reviewers[0]):  # reviewed above
                world.review(world.assign(application, reviewer), 4, 2)
    assert count_in(app, Review, Review.status == ReviewStatus.SUBMITTED) == 15
    with count_queries() as large:
        page = client.get(url)
    assert page.status_code == 200 and "15 of 15" in page.text
    assert large.count == small.count


@pytest.mark.parametrize("path", ["", "/declarations", "/proposal"])
def test_call_pages_queries_do_not_grow(app, client, world, moderator, count_queries, path):
    call_id = world.call()
    url = f"/en/reviews/calls/{call_id}{path}"
    world.assign(world.application(call_id), world.reviewer(themes="a"))
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for _ in range(4):
        application = world.application(call_id)
        world.assign(application, world.reviewer(themes="b"))
        world.review(world.assign(application, world.reviewer()), 3, 3)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count


def test_pool_lists_volunteers_with_their_themes(client, world, moderator, count_queries):
    world.reviewer(display_name="Theo", themes="children, school")
    world.factory.user(display_name="Not a volunteer")
    page = client.get("/en/reviews/pool")
    assert "Theo" in page.text and "children, school" in page.text
    assert "Not a volunteer" not in page.text
    with count_queries() as small:
        client.get("/en/reviews/pool")
    for index in range(5):
        world.reviewer(themes=f"theme {index}")
    with count_queries() as large:
        client.get("/en/reviews/pool")
    assert large.count == small.count


def _csv_rows(response):
    text = response.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_committee_csv_and_pdf_pack(app, client, world, moderator):
    call_id, _first, _second = _reviewed_call(world)
    response = client.get(f"/en/reviews/calls/{call_id}/committee.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = _csv_rows(response)
    assert rows[0][:6] == ["Rank", "Acronym", "Title", "Submitted reviews", "Expected reviews",
                           "Overall opinion: mean"]
    assert "Relevance to patients and carers: spread" in rows[0]
    by_acronym = {row[1]: row for row in rows[1:]}
    assert by_acronym["SECOND"][0] == "1" and by_acronym["FIRST"][0] == "2"
    spread = rows[0].index("Relevance to patients and carers: spread")
    assert by_acronym["FIRST"][spread] == "4" and by_acronym["FIRST"][-2] == "yes"
    pack = client.get(f"/en/reviews/calls/{call_id}/committee-pack.pdf")
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF-")
    assert pack.headers["Content-Type"] == "application/pdf"
    assert "attachment" in pack.headers["Content-Disposition"]


def test_pack_html_is_anonymized(app, world):
    call_id, _first, _second = _reviewed_call(world)
    from engage.reviews.dashboard import build_dashboard, load_submitted_reviews
    from engage.reviews.exports import reviewer_name

    with app.test_request_context("/en/"):
        from flask import render_template

        from engage.core.markdown import plain_text

        call = db.session.get(FundingCall, call_id)
        board = build_dashboard(call)
        html = render_template("reviews/pack.html", dashboard=board, call=call, language="en",
                               reviews=load_submitted_reviews(call), plain_text=plain_text,
                               reviewer_name=reviewer_name,
                               format_decimal=lambda v: str(v))
    assert "Reviewer A" in html and "Reviewer B" in html
    assert "Ann for the committee" in html  # the pack is for the committee
    assert "Ann Onymous" not in html and "Bob Named" not in html


def test_decisions_and_the_applicants_feedback(app, client, world, moderator):
    call_id, first, _second = _reviewed_call(world, status=CallStatus.CLOSED)
    url = f"/en/reviews/applications/{first}"
    token = csrf_token(client.get(url))
    early = client.post(f"{url}/decision", data={"decision": "funded", "csrf_token": token})
    assert early.status_code == 403
    assert client.get(f"/en/reviews/calls/{call_id}/feedback.csv").status_code == 403
    world.set_status(call_id, CallStatus.DECIDED)
    page = client.get(url)
    assert "Record the committee’s decision" in page.text
    bad = client.post(f"{url}/decision", data={"decision": "maybe", "decision_note": "Kept note",
                                               "csrf_token": token})
    assert bad.status_code == 422 and "Kept note" in bad.text
    good = client.post(f"{url}/decision", data={"decision": "funded",
                                                "decision_note": "Well done",
                                                "csrf_token": token})
    assert good.status_code == 302
    assert world.get(Application, first).decision == "funded"
    feedback = client.get(f"/en/reviews/calls/{call_id}/feedback.csv")
    assert feedback.status_code == 200
    rows = _csv_rows(feedback)
    assert rows[0] == ["Acronym", "Title", "Decision", "Reviewer", "Criterion", "Score",
                       "Comment for the applicants"]
    text = feedback.data.decode("utf-8-sig")
    assert "Reviewer A" in text and "Reviewer B" in text and "Funded" in text
    assert "Ann for applicants" in text
    assert "'=HYPERLINK(1)" in text  # a formula is neutralized for spreadsheets
    assert "committee" not in text.lower()  # no committee-only comment
    assert "Ann Onymous" not in text and "Bob Named" not in text
    first_rows = [r for r in rows if r[0] == "FIRST"]
    assert len(first_rows) == 2 * 7  # two reviewers, six criteria and the overall opinion


def test_french_moderator_pages_answer(client, world, moderator):
    call_id, first, _second = _reviewed_call(world)
    for url in ("/fr/reviews/calls", f"/fr/reviews/calls/{call_id}",
                f"/fr/reviews/calls/{call_id}/dashboard", f"/fr/reviews/applications/{first}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="fr">' in response.text
