"""The lay reviewer's pages, through the test client, bad input and IDOR included."""

import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from engage.accounts.models import Role
from engage.extensions import db
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    ConflictDeclaration,
    Review,
    ReviewerProfile,
)
from tests.factories.reviews import review_payload
from tests.helpers import csrf_token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setup(app, world, auth):
    """A call open for review, two applications, the signed-in reviewer assigned to the first."""
    call_id = world.call()
    mine = world.application(call_id, acronym="MINE", title="My project",
                             institutions="Institut Curie", team="Dr Who")
    other = world.application(call_id, acronym="OTHER")
    reviewer_id = auth.sign_in_as(lay_reviewer=True, language="en", display_name="Rita")
    return {"call": call_id, "mine": mine, "other": other, "reviewer": reviewer_id,
            "criteria": world.criteria(call_id)}


def declare_none(client, application_id):
    page = client.get(f"/en/reviews/applications/{application_id}/declaration")
    return client.post(f"/en/reviews/applications/{application_id}/declaration", data={
        "no_conflict": "y", "confidentiality": "y", "csrf_token": csrf_token(page)})


def post_review(client, application_id, data):
    page = client.get(f"/en/reviews/applications/{application_id}/review")
    return client.post(f"/en/reviews/applications/{application_id}/review",
                       data={**data, "csrf_token": csrf_token(page)})


def test_menu_entry_for_reviewers_and_moderators_only(client, auth, factory):
    assert "Lay review" not in client.get("/en/").text
    auth.sign_in_as(language="en")
    assert "Lay review" not in client.get("/en/").text
    auth.sign_out()
    auth.sign_in_as(lay_reviewer=True)
    assert "Lay review" in client.get("/en/").text
    auth.sign_out()
    auth.sign_in_as(role=Role.MODERATOR)
    assert "Lay review" in client.get("/en/").text


def test_index_sends_each_user_to_their_page(client, auth):
    response = client.get("/en/reviews/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    auth.sign_in_as()
    refused = client.get("/en/reviews/")
    assert refused.status_code == 403
    assert "I volunteer to review funding applications" in refused.text
    assert client.get("/en/reviews/assignments").status_code == 403
    assert client.get("/en/reviews/profile").status_code == 403
    auth.sign_out()
    auth.sign_in_as(lay_reviewer=True)
    assert client.get("/en/reviews/").headers["Location"].endswith("/en/reviews/assignments")
    auth.sign_out()
    auth.sign_in_as(role=Role.MODERATOR)
    assert client.get("/en/reviews/").headers["Location"].endswith("/en/reviews/calls")


def test_assignments_show_deadlines_of_visible_calls_only(client, world, setup):
    world.assign(setup["mine"], setup["reviewer"], cleared=False)
    draft = world.call(status=CallStatus.DRAFT)
    world.assign(world.application(draft, acronym="SECRET"), setup["reviewer"])
    withdrawn = world.assign(world.application(setup["call"], acronym="GONE"),
                             setup["reviewer"])
    with world.app.app_context():
        db.session.get(Assignment, withdrawn).withdraw_for_conflict()
        db.session.commit()
    page = client.get("/en/reviews/assignments")
    assert page.status_code == 200
    assert "MINE" in page.text and "Deadline:" in page.text
    assert "Declare my links of interest for MINE" in page.text
    assert "SECRET" not in page.text and "GONE" not in page.text
    home = client.get("/en/")
    assert "1 application is waiting for your review." in home.text


def test_reviewer_profile(app, client, setup):
    page = client.get("/en/reviews/profile")
    assert page.status_code == 200
    response = client.post("/en/reviews/profile", data={
        "themes": "breast cancer, children", "institutions": "Institut Curie",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.scalar(db.select(ReviewerProfile))
        assert profile.theme_list == ["breast cancer", "children"]
    too_long = client.post("/en/reviews/profile", data={
        "themes": "x" * 2001, "institutions": "", "csrf_token": csrf_token(page)})
    assert too_long.status_code == 422


def test_opening_without_the_declaration_is_refused_with_an_explanation(client, world, setup):
    world.assign(setup["mine"], setup["reviewer"], cleared=False)
    for url in (f"/en/reviews/applications/{setup['mine']}",
                f"/en/reviews/applications/{setup['mine']}/review",
                f"/en/reviews/applications/{setup['mine']}/project.pdf"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "declare your links of interest and accept the confidentiality agreement" \
            in response.text
        assert f"/en/reviews/applications/{setup['mine']}/declaration" in response.text
    declaration = client.get(f"/en/reviews/applications/{setup['mine']}/declaration")
    assert declaration.status_code == 200
    assert "Institut Curie" in declaration.text and "Dr Who" in declaration.text
    assert "We will test a new care pathway" not in declaration.text  # not before clearance


def test_declaration_mistakes_are_explained(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"], cleared=False)
    url = f"/en/reviews/applications/{setup['mine']}/declaration"
    token = csrf_token(client.get(url))
    cases = [
        ({}, "Please tick the links you have, or declare that you have none."),
        ({"no_conflict": "y"}, "Please accept the confidentiality agreement"),
        ({"links": "family", "no_conflict": "y"}, "Either tick the links you have"),
        ({"links": "other", "details": "  "}, "Please describe the other link."),
    ]
    for data, message in cases:
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 422, data
        assert message in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ConflictDeclaration.id))) == 0


def test_declaring_no_conflict_opens_the_application(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"], cleared=False)
    response = declare_none(client, setup["mine"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/en/reviews/applications/{setup['mine']}")
    page = client.get(f"/en/reviews/applications/{setup['mine']}")
    assert page.status_code == 200
    assert "We will test a new care pathway" in page.text
    assert "Readability of the lay summary" in page.text
    assert "Flesch reading ease score" in page.text
    assert 'lang="en"' in page.text


def test_declaring_a_conflict_withdraws_the_assignment(app, client, world, auth, setup):
    world.assign(setup["mine"], setup["reviewer"], cleared=False)
    url = f"/en/reviews/applications/{setup['mine']}/declaration"
    response = client.post(url, data={"links": ["collaboration", "other"],
                                      "details": "We co-wrote a paper.",
                                      "csrf_token": csrf_token(client.get(url))})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/reviews/assignments")
    refused = client.get(f"/en/reviews/applications/{setup['mine']}")
    assert refused.status_code == 403 and "declared a conflict of interest" in refused.text
    assert "MINE" not in client.get("/en/reviews/assignments").text
    with app.app_context():
        assert db.session.get(Application, setup["mine"]).needs_reassignment
    auth.sign_out()
    auth.sign_in_as(role=Role.MODERATOR, language="en")
    page = client.get(f"/en/reviews/applications/{setup['mine']}")
    assert "please assign another reviewer" in page.text
    assert "We co-wrote a paper." in page.text
    assert "I have worked with an applicant in the last 3 years." in page.text
    declarations = client.get(f"/en/reviews/calls/{setup['call']}/declarations")
    assert "Rita" in declarations.text and "We co-wrote a paper." in declarations.text


def test_an_unassigned_reviewer_cannot_open_anything_by_changing_ids(
        app, client, world, setup):
    """IDOR: the ids of applications of the same call, of another call, of other reviewers."""
    someone = world.reviewer()
    world.assign(setup["other"], someone)
    world.assign(setup["mine"], setup["reviewer"])
    other_call = world.call()
    elsewhere = world.application(other_call, acronym="ELSEWHERE")
    for application_id in (setup["other"], elsewhere):
        for suffix in ("", "/review", "/declaration", "/project.pdf"):
            response = client.get(f"/en/reviews/applications/{application_id}{suffix}")
            assert response.status_code == 403, suffix
            assert "not assigned to you" in response.text
    token = csrf_token(client.get(f"/en/reviews/applications/{setup['mine']}/review"))
    data = {**review_payload(setup["criteria"]), "csrf_token": token}
    assert client.post(f"/en/reviews/applications/{setup['other']}/review",
                       data=data).status_code == 403
    assert client.post(f"/en/reviews/applications/{setup['other']}/declaration",
                       data={"no_conflict": "y", "confidentiality": "y",
                             "csrf_token": token}).status_code == 403
    assert client.get("/en/reviews/applications/999999").status_code == 404
    # Moderators' pages stay closed too.
    for url in (f"/en/reviews/calls/{setup['call']}", f"/en/reviews/calls/{setup['call']}/"
                "dashboard", f"/en/reviews/calls/{setup['call']}/committee.csv",
                f"/en/reviews/calls/{setup['call']}/declarations", "/en/reviews/pool"):
        assert client.get(url).status_code == 403, url
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Review.id))) == 0


def test_draft_then_submit(app, client, world, setup):
    assignment_id = world.assign(setup["mine"], setup["reviewer"])
    criteria = setup["criteria"]
    form = client.get(f"/en/reviews/applications/{setup['mine']}/review")
    assert form.status_code == 200
    assert "Relevance to patients and carers" in form.text
    assert "Does the project answer a question that matters" in form.text
    scores = [5, None, None, None, None, None]
    draft = post_review(client, setup["mine"], review_payload(
        criteria, scores=scores, overall=None, action="save", comment="Half done."))
    assert draft.status_code == 302
    page = client.get(draft.headers["Location"])
    assert "Your draft has been saved." in page.text and "Half done." in page.text
    assert f'<input checked id="score_{criteria[0]}-4"' in page.text  # the 5 is kept
    done = post_review(client, setup["mine"], {
        **review_payload(criteria, scores=[5, 4, 3, 4, 2, 1]), "confirmed": "1"})
    assert done.status_code == 302
    assert "your review has been submitted" in client.get(done.headers["Location"]).text
    with app.app_context():
        review = db.session.scalar(db.select(Review).where(Review.assignment_id ==
                                                           assignment_id))
        assert review.is_submitted and review.overall_score == 4
        assert sorted(s.score for s in review.scores) == [1, 2, 3, 4, 4, 5]
    assert "Review submitted" in client.get("/en/reviews/assignments").text
    locked = client.get(f"/en/reviews/applications/{setup['mine']}/review")
    assert "it can no longer be changed" in locked.text and "For the committee." in locked.text


def _stored(app, application_id):
    with app.app_context():
        review = db.session.scalar(db.select(Review).join(Assignment).where(
            Assignment.application_id == application_id))
        if review is None:
            return None
        return (review.status, review.overall_score, review.overall_applicant_comment,
                sorted((s.criterion_id, s.score) for s in review.scores))


def test_scores_outside_one_to_five_are_refused_and_the_draft_kept(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    post_review(client, setup["mine"], review_payload(setup["criteria"], action="save",
                                                      comment="First draft."))
    before = _stored(app, setup["mine"])
    for bad in ("7", "0", "abc", "-1"):
        data = review_payload(setup["criteria"], comment="New text I typed.", action="submit")
        data[f"score_{setup['criteria'][0]}"] = bad
        response = post_review(client, setup["mine"], data)
        assert response.status_code == 422, bad
        assert "Please choose a score from 1 to 5." in response.text
        assert "New text I typed." in response.text  # what was typed is kept on the page
    assert _stored(app, setup["mine"]) == before  # the saved draft is untouched


def test_missing_comments_are_refused_and_the_draft_saved(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    data = review_payload(setup["criteria"], comment="")
    data[f"applicant_{setup['criteria'][1]}"] = "Only this one."
    response = post_review(client, setup["mine"], data)
    assert response.status_code == 422
    assert "Please write a comment for the applicants." in response.text
    assert "it cannot be submitted yet" in response.text
    status, overall, _comment, scores = _stored(app, setup["mine"])
    assert status == "draft" and overall == 4 and {s for _c, s in scores} == {4}


def test_editing_after_submission_is_refused(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    post_review(client, setup["mine"], {**review_payload(setup["criteria"], comment="Final."),
                                        "confirmed": "1"})
    before = _stored(app, setup["mine"])
    response = post_review(client, setup["mine"], review_payload(
        setup["criteria"], scores=1, overall=1, action="save", comment="Changed my mind."))
    assert response.status_code == 409
    assert "You have already submitted this review: it can no longer be changed." in response.text
    assert _stored(app, setup["mine"]) == before


def test_submitting_after_the_deadline_is_refused_and_the_draft_kept(
        app, client, world, auth, setup):
    late_call = world.call(deadline_in=-1)
    application_id = world.application(late_call, acronym="LATE")
    assignment_id = world.assign(application_id, setup["reviewer"])
    world.review(assignment_id, [3, None, None, None, None, None], None, submit=False,
                 applicant="My draft.")
    page = client.get(f"/en/reviews/applications/{application_id}/review")
    assert "The deadline has passed" in page.text and "My draft." in page.text
    token = csrf_token(client.get(f"/en/reviews/applications/{setup['mine']}/declaration"))
    response = client.post(f"/en/reviews/applications/{application_id}/review", data={
        **review_payload(world.criteria(late_call)), "csrf_token": token})
    assert response.status_code == 409
    assert "The deadline has passed: your draft is kept" in response.text
    status, overall, comment, _scores = _stored(app, application_id)
    assert (status, overall, comment) == ("draft", None, "My draft.")


def test_post_without_csrf_token_is_refused(client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    response = client.post(f"/en/reviews/applications/{setup['mine']}/review",
                           data=review_payload(setup["criteria"]))
    assert response.status_code in (400, 422)
    assert _stored(client.application, setup["mine"]) is None


def test_after_the_decision_reviewers_see_anonymized_applicant_comments(
        app, client, world, setup):
    mine = world.assign(setup["mine"], setup["reviewer"])
    world.review(mine, 4, 4, applicant="My own view.", committee="My private note.")
    peer = world.reviewer(display_name="Peter Peer")
    world.review(world.assign(setup["mine"], peer), 2, 2, applicant="Peer view for applicants.",
                 committee="Peer secret for the committee.")
    page = client.get(f"/en/reviews/applications/{setup['mine']}")
    assert "Peer view for applicants." not in page.text  # not before the decision
    world.set_status(setup["call"], CallStatus.DECIDED)
    with app.app_context():
        application = db.session.get(Application, setup["mine"])
        application.decision, application.decision_note = "funded", "Congratulations."
        db.session.commit()
    page = client.get(f"/en/reviews/applications/{setup['mine']}")
    assert "Decision: Funded" in page.text and "Congratulations." in page.text
    assert "Your review" in page.text and "Reviewer B" in page.text
    assert "Peer view for applicants." in page.text
    assert "Peter Peer" not in page.text
    assert "Peer secret for the committee." not in page.text
    assert "Decision: Funded" in client.get("/en/reviews/assignments").text


def test_pdf_is_served_as_an_attachment_to_cleared_reviewers(app, client, world, setup,
                                                             tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEWS_UPLOAD_DIR", str(tmp_path))
    stored_name = "abc123" + "0" * 26 + ".pdf"  # shaped like the names the store makes
    (tmp_path / stored_name).write_bytes(PDF)
    with app.app_context():
        application = db.session.get(Application, setup["mine"])
        application.pdf_filename, application.pdf_size = stored_name, len(PDF)
        db.session.commit()
    world.assign(setup["mine"], setup["reviewer"])
    assert "Download the full project" in client.get(
        f"/en/reviews/applications/{setup['mine']}").text
    response = client.get(f"/en/reviews/applications/{setup['mine']}/project.pdf")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "MINE.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    response.close()


def test_french_pages_answer(client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    for url in ("/fr/reviews/assignments", f"/fr/reviews/applications/{setup['mine']}",
                f"/fr/reviews/applications/{setup['mine']}/review", "/fr/reviews/profile"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="fr">' in response.text


def test_assignment_page_queries_do_not_grow(client, world, setup, count_queries):
    world.assign(setup["mine"], setup["reviewer"])
    with count_queries() as small:
        assert client.get("/en/reviews/assignments").status_code == 200
    for index in range(6):
        call_id = world.call(title_en=f"Call {index}")
        world.assign(world.application(call_id), setup["reviewer"], cleared=index % 2 == 0)
    with count_queries() as large:
        assert client.get("/en/reviews/assignments").status_code == 200
    assert large.count == small.count


# Submitting is confirmed first; saving a draft is not (engage/core/confirm.py)


def _resent_fields(page) -> list[tuple[str, str]]:
    """The fields the confirmation page sends again, as the browser would send them."""
    return [(name, html.unescape(value)) for name, value in re.findall(
        r'<input type="hidden" name="([^"]*)" value="([^"]*)">',
        page.text[page.text.index('class="confirm-form"'):])]


def test_submitting_asks_first_and_loses_nothing_typed(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    url = f"/en/reviews/applications/{setup['mine']}/review"
    form = client.get(url)
    # Only "Submit my review" opens the dialog; "Save my draft" posts at once.
    assert ('<button type="submit" class="button" name="action" value="submit" '
            'data-confirm="confirm-submit-review">Submit my review</button>') in form.text
    assert ('<button type="submit" name="action" value="save" class="button secondary">'
            'Save my draft</button>') in form.text
    sent = review_payload(setup["criteria"], scores=[5, 4, 3, 4, 2, 1],
                          comment='Clear "enough" <for> patients,\nI think.')
    asked = client.post(url, data={**sent, "csrf_token": csrf_token(form)})
    assert asked.status_code == 200
    assert "<h1>Submit your review?</h1>" in asked.text
    statement = ("Your review of MINE will be sent: the scientific committee will read your "
                 "scores and comments, and the applicants your comments for them.")
    assert statement in asked.text and statement in form.text  # the dialog says the same
    assert "Once submitted, your review can no longer be changed." in asked.text
    assert ("Your draft has been saved: if you cancel, you will find it as you left it."
            in asked.text)
    assert f'<a class="button secondary" href="{url}">Cancel</a>' in asked.text
    # Nothing is submitted, and what was typed is kept: saved as a draft, and sent again.
    status, overall, comment, scores = _stored(app, setup["mine"])
    assert (status, overall, comment) == ("draft", 4, 'Clear "enough" <for> patients,\nI think.')
    assert sorted(score for _criterion, score in scores) == [1, 2, 3, 4, 4, 5]
    fields = _resent_fields(asked)
    resent = dict(fields)
    assert {name for name, _value in fields} == {*sent, "csrf_token", "confirmed"}
    assert all(resent[name] == value for name, value in sent.items())
    assert resent["action"] == "submit" and resent["confirmed"] == "1"
    # Cancel: the form shows the draft as it was left.
    again = client.get(url)
    assert f'<input checked id="score_{setup["criteria"][0]}-4"' in again.text  # the 5
    assert "Clear &#34;enough&#34; &lt;for&gt; patients," in again.text
    done = client.post(url, data=MultiDict(fields))
    assert done.status_code == 302
    status, *_rest = _stored(app, setup["mine"])
    assert status == "submitted"


def test_saving_a_draft_is_never_asked(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    saved = post_review(client, setup["mine"], review_payload(setup["criteria"], action="save"))
    assert saved.status_code == 302
    status, *_rest = _stored(app, setup["mine"])
    assert status == "draft"


def test_an_incomplete_review_is_not_asked_but_refused(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    response = post_review(client, setup["mine"], review_payload(
        setup["criteria"], scores=[5, None, None, None, None, None]))
    assert response.status_code == 422
    assert "<h1>Submit your review?</h1>" not in response.text
    assert "Please choose a score from 1 to 5." in response.text
    status, *_rest = _stored(app, setup["mine"])
    assert status == "draft"


def test_a_get_never_submits(app, client, world, setup):
    world.assign(setup["mine"], setup["reviewer"])
    post_review(client, setup["mine"], review_payload(setup["criteria"], action="save"))
    response = client.get(f"/en/reviews/applications/{setup['mine']}/review",
                          query_string={"action": "submit", "confirmed": "1"})
    assert response.status_code == 200
    status, *_rest = _stored(app, setup["mine"])
    assert status == "draft"
