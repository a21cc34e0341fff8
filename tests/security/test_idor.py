"""IDOR: one person's objects are never reachable by another through a changed id or an
added form field (contributions, questionnaire drafts and answers, rankings, reviews and
declarations, data exports). Built on the authorization matrix's world; the lay review
area tests unassigned reviewers itself (tests/reviews/test_views_reviewer.py)."""

import json
import re

import pytest
from sqlalchemy import select

from engage.consultations.models import ConsultationResponse, Contribution
from engage.extensions import db
from engage.priorities.models import Exercise, Ranking
from engage.reviews.models import Assignment, Review
from tests.conftest import Auth, csrf_token


def browser(app, world, role):
    client = app.test_client()
    assert Auth(app, client).sign_in(world["emails"][role]).status_code == 302
    return client


def token(client) -> str:
    return csrf_token(client.get("/en/account/"), "profile")


def test_another_persons_contribution_cannot_be_edited_deleted_or_traced(app, world):
    """The matrix's "participant" wrote `consultation_own_contribution_id`."""
    consultation, own = world["consultation_open_id"], world["consultation_own_contribution_id"]
    item = f"/en/consultations/{consultation}/contributions/{own}"
    for role in ("representative", "reviewer", "blocked"):
        client = browser(app, world, role)
        csrf = token(client)
        for suffix in ("/edit", "/delete", "/history"):
            assert client.get(item + suffix).status_code == 403, (role, suffix)
        assert client.post(item + "/edit", data={"body": "Taken over",
                                                 "csrf_token": csrf}).status_code == 403
        assert client.post(item + "/delete", data={"csrf_token": csrf}).status_code == 403
    # The author's own id under another consultation's URL: not found.
    author = browser(app, world, "participant")
    elsewhere = f"/en/consultations/{world['consultation_draft_id']}/contributions/{own}/edit"
    assert author.get(elsewhere).status_code == 404
    with app.app_context():
        contribution = db.session.get(Contribution, own)
        assert contribution.body == "The participant’s words" and contribution.deleted_at is None


def _questionnaire(client, consultation_id):
    page = client.get(f"/en/consultations/{consultation_id}/questionnaire")
    assert page.status_code == 200
    return page


def test_questionnaire_drafts_and_answers_stay_with_their_author(app, world):
    consultation = world["consultation_open_id"]
    url = f"/en/consultations/{consultation}/questionnaire"
    author = browser(app, world, "participant")
    page = _questionnaire(author, consultation)
    with app.app_context():
        from engage.consultations.models import Consultation

        free_text = next(q for q in db.session.get(Consultation, consultation).questions
                         if q.kind == "free_text")
        author_id = world["user_ids"]["participant"]
        other_id = world["user_ids"]["representative"]
    field = f"q{free_text.id}"
    assert f'name="{field}"' in page.text
    secret = "My own answer about my chemotherapy"
    assert author.post(url, data={field: secret, "action": "draft",
                                  "csrf_token": token(author)}).status_code == 302
    with app.app_context():
        draft_id = db.session.scalar(select(ConsultationResponse.id).where(
            ConsultationResponse.user_id == author_id))
    other = browser(app, world, "representative")
    assert secret not in _questionnaire(other, consultation).text
    # Naming the other person's response or account in the form changes nothing for them.
    response = other.post(url, data={field: "Overwritten", "action": "draft",
                                     "response_id": str(draft_id), "user_id": str(author_id),
                                     "csrf_token": token(other)})
    assert response.status_code == 302
    assert secret in _questionnaire(author, consultation).text
    assert "Overwritten" not in _questionnaire(author, consultation).text
    with app.app_context():
        mine = db.session.get(ConsultationResponse, draft_id)
        assert mine.user_id == author_id
        assert [a.text for a in mine.answers if a.text] == [secret]
        theirs = db.session.scalar(select(ConsultationResponse).where(
            ConsultationResponse.user_id == other_id))
        assert theirs is not None and theirs.id != draft_id


def test_rankings_stay_with_their_author(app, world):
    exercise_id, question_id = world["priorities_ranking_id"], world["priorities_question_id"]
    url = f"/en/priorities/{exercise_id}/ranking"
    with app.app_context():
        group_id = db.session.get(Exercise, exercise_id).groups[0].id
    author = browser(app, world, "participant")
    assert author.post(url, data={"group": str(group_id), "action": f"add-{question_id}",
                                  "csrf_token": token(author)}).status_code == 302
    ranked = f'name="ranked" value="{question_id}"'
    assert ranked in author.get(url).text
    other = browser(app, world, "representative")
    page = other.get(url)
    assert page.status_code == 200 and ranked not in page.text
    # Another person's "clear", with the author's id added, clears only their own.
    author_id = world["user_ids"]["participant"]
    cleared = other.post(url, data={"group": str(group_id), "action": "clear",
                                    "user_id": str(author_id), "ranking_id": "1",
                                    "csrf_token": token(other)})
    assert cleared.status_code == 302, "the other person's own clearing was not carried out"
    with app.app_context():
        ranking = db.session.scalar(select(Ranking).where(Ranking.user_id == author_id))
        assert ranking is not None and [e.question_id for e in ranking.entries] == [question_id]


def test_a_reviewer_never_sees_or_changes_another_reviewers_review(app, world):
    """Two reviewers of the same application: each sees and saves only their own review."""
    application_id = world["review_application_id"]
    url = f"/en/reviews/applications/{application_id}/review"
    first = browser(app, world, "reviewer")
    page = first.get(url)
    criteria = sorted({int(v) for v in re.findall(r'name="score_(\d+)"', page.text)})
    comment = "Only the first reviewer wrote this."
    data = {"overall_score": "4", "overall_applicant": comment, "overall_committee": comment,
            "action": "save", "csrf_token": token(first)}
    for criterion in criteria:
        data.update({f"score_{criterion}": "4", f"applicant_{criterion}": comment,
                     f"committee_{criterion}": comment})
    assert first.post(url, data=data).status_code == 302
    with app.app_context():
        from engage.accounts.models import User
        from engage.core.db import utcnow

        second_user = db.session.scalar(select(User).where(
            User.email == "fresh-reviewer@matrix.example"))
        second_user.set_password("correct horse battery")
        assignment = db.session.scalar(select(Assignment).where(
            Assignment.reviewer_id == second_user.id))
        assignment.no_conflict_declared_at = utcnow()
        assignment.confidentiality_accepted_at = utcnow()
        db.session.commit()
        second_id = second_user.id
        first_review = db.session.scalar(select(Review.id).join(Assignment).where(
            Assignment.reviewer_id == world["user_ids"]["reviewer"]))
    second = app.test_client()
    assert Auth(app, second).sign_in("fresh-reviewer@matrix.example").status_code == 302
    for suffix in ("", "/review", "/declaration"):
        response = second.get(f"/en/reviews/applications/{application_id}{suffix}")
        assert response.status_code == 200 and comment not in response.text, suffix
    saved = second.post(url, data={**data, "overall_applicant": "Second",
                                   "review_id": str(first_review), "assignment_id": "1",
                                   "csrf_token": token(second)})
    assert saved.status_code == 302, "the second reviewer's own review was not saved"
    with app.app_context():
        review = db.session.get(Review, first_review)
        assert review.overall_applicant_comment == comment
        own = db.session.scalar(select(Review).join(Assignment).where(
            Assignment.reviewer_id == second_id))
        assert own is not None and own.overall_applicant_comment == "Second"


def _my_data(client) -> dict:
    response = client.get("/en/account/my-data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.data)


@pytest.mark.parametrize("role", ["participant", "moderator", "admin"])
def test_my_data_only_ever_returns_the_signed_in_persons_data(app, world, role):
    client = browser(app, world, role)
    emails = set(world["emails"].values())
    mine = world["emails"][role]
    for query in ("", "?user_id={}", "?user={}", "?id={}", "?email=participant@matrix.example"):
        for other_id in world["user_ids"].values():
            data = _my_data_query(client, query.format(other_id))
            text = json.dumps(data, ensure_ascii=False)
            assert data["profile"][0]["email"] == mine
            assert not [e for e in emails - {mine} if e in text], query
            if not query:
                break
    # The others' contributions are never in it.
    text = json.dumps(_my_data(client), ensure_ascii=False)
    if role != "participant":
        assert "The participant’s words" not in text
    else:
        assert "The participant’s words" in text and "Someone else’s words" not in text


def _my_data_query(client, query):
    response = client.get("/en/account/my-data.json" + query)
    assert response.status_code == 200
    return json.loads(response.data)


def test_my_data_page_is_private(app, world, client):
    assert client.get("/en/account/my-data.json").status_code == 302
    page = browser(app, world, "participant").get("/en/account/my-data")
    assert "participant@matrix.example" in page.text
    assert "representative@matrix.example" not in page.text
