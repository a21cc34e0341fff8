"""`flask engage demo` shows the whole chain, in French and English: the demo consultation's
published summary, the network's response with one commitment per status citing real demo
contributions, published priority results, a call decided after lay review that takes up a
priority and a commitment, two funded projects published, one with an update; a network
officer's account. A second run adds nothing.

One test per database: the demo is loaded once (on empty tables), checked, loaded again.
"""

from sqlalchemy import func, select

from engage.accountability import demo
from engage.accountability.models import (
    AccountabilityAuditEntry,
    CallLink,
    Commitment,
    CommitmentCitation,
    CommitmentUpdate,
    FundedProject,
    ProjectUpdate,
    Response,
)
from engage.accounts.models import Role, User
from engage.consultations.models import Contribution
from engage.core.commands import DEMO_PASSWORD
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.reviews.models import CallStatus, FundingCall, FundingCallTranslation, Review
from engage.summaries.models import Summary
from tests.helpers import Auth

COUNTED = (User, Response, Commitment, CommitmentCitation, CommitmentUpdate, CallLink,
           FundedProject, ProjectUpdate, FundingCall, Review, Exercise, IndicativeQuestion,
           AccountabilityAuditEntry)


def _counts() -> dict:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in COUNTED}


def _check_the_chain() -> dict:
    """The chain the demo built, checked link by link; returns the ids the pages need."""
    officer = db.session.scalar(select(User).where(User.email == demo.OFFICER_EMAIL))
    assert officer is not None and officer.role == Role.OFFICER
    response = db.session.scalar(select(Response).where(Response.summary_id.is_not(None)))
    summary = db.session.get(Summary, response.summary_id)
    assert summary.is_published and response.is_published
    assert summary.consultation.title("fr") == demo.CONSULTATION_TITLE_FR
    commitments = {c.status: c for c in response.commitments}
    assert list(commitments) == ["planned", "in_progress", "done", "not_retained"]
    for commitment in response.commitments:
        assert {t.language for t in commitment.translations} == {"en", "fr"}
        cited = [db.session.get(Contribution, c.contribution_id) for c in commitment.citations]
        assert cited and all(c.consultation_id == summary.consultation_id for c in cited)
    (update,) = commitments["in_progress"].updates
    assert update.status == "in_progress" and update.links
    assert {t.language for t in update.translations} == {"en", "fr"}
    assert commitments["done"].done_on is not None
    refused = commitments["not_retained"]
    assert refused.reason_fr and refused.reason_en

    call = db.session.scalar(select(FundingCall).where(FundingCall.translations.any(
        FundingCallTranslation.title == demo.CALL_TITLE_FR)))
    assert call.status == CallStatus.DECIDED
    links = db.session.scalars(select(CallLink).where(CallLink.call_id == call.id)).all()
    assert {link.commitment_id for link in links} == {None, commitments["in_progress"].id}
    (question,) = [link.question for link in links if link.question is not None]
    assert question.final_rank == 1 and question.exercise.at(Stage.PUBLISHED)

    projects = db.session.scalars(select(FundedProject).where(FundedProject.call_id == call.id)
                                  .order_by(FundedProject.id)).all()
    assert len(projects) == 2 and all(p.is_published for p in projects)
    assert all({t.language for t in p.translations} == {"en", "fr"} for p in projects)
    assert sorted(len(p.updates) for p in projects) == [0, 1]
    assert all((p.lay_reviewer_count, p.lay_review_rounds) == (5, 1) for p in projects)
    return {"commitment": commitments["in_progress"].id, "project": projects[0].id,
            "question": question.id}


def test_the_demo_shows_the_whole_chain_once(app, runner, client):
    first = runner.invoke(args=["engage", "demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        ids = _check_the_chain()
        counts = _counts()
    again = runner.invoke(args=["engage", "demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert _counts() == counts  # nothing added

    # Told on the site, in both languages, and by the API and the feed.
    assert Auth(app, app.test_client()).sign_in(demo.OFFICER_EMAIL,
                                                DEMO_PASSWORD).status_code == 302
    commitment = client.get(f"/fr/impact/commitments/{ids['commitment']}")
    assert commitment.status_code == 200
    assert "Étudier le remboursement des transports" in commitment.text
    project = client.get(f"/en/impact/projects/{ids['project']}")
    assert project.status_code == 200 and "Trial visits at home" in project.text
    figures = client.get("/api/v1/accountability/figures").get_json()["overall"]
    assert figures["commitments"]["by_status"] == {"planned": 1, "in_progress": 1, "done": 1,
                                                   "not_retained": 1}
    assert figures["top_priorities"]["taken_up"]["count"] == 1
    body = client.get(f"/api/v1/commitments/{ids['commitment']}").get_json()
    assert body["call_ids"] and body["answers"]["contribution_ids"]
    feed = client.get("/en/impact/feed.atom").text
    assert "Funded project: Trial visits at home" in feed
    assert "A plain-language guide to clinical trials" in feed
