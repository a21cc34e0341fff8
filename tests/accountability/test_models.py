"""The state rules of the network's record, on the models and in the database: a reason
for "not retained", a date for "done", nothing published deleted, status changes after
publication through updates only, and no small count of lay reviewers."""

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from engage.accountability.models import (
    AccountabilityAuditEntry,
    Commitment,
    CommitmentTranslation,
    CommitmentUpdate,
    CommitmentUpdateTranslation,
    FundedProject,
    Response,
)
from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities.models import Exercise, Stage
from engage.summaries.models import Summary
from tests.factories import accountability as build
from tests.factories import stored

START, DUE, DONE = date(2026, 1, 10), date(2026, 6, 30), date(2026, 3, 2)


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer = build.officer()
        summary, _items = build.published_summary()
        exercise = build.exercise()
        unpublished = build.exercise(Stage.INTERIM_RANKING, questions=1)
        draft = build.response(officer, summary=summary, commitments=2, publish=False)
        published = build.response(officer, exercise=exercise)
        call = build.decided_call(reviewers=0)
        return {"officer": officer.id, "summary": summary.id, "exercise": exercise.id,
                "unpublished": unpublished.id, "draft": draft.id,
                "draft_commitment": draft.commitments[0].id,
                "published": published.id, "published_commitment": published.commitments[0].id,
                "call": call.id, "application": call.applications[0].id}


def _refused_by_database(statement) -> None:
    with pytest.raises(IntegrityError):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()


def _commitment_row(commitment_id, **values):
    return update(Commitment.__table__).where(Commitment.__table__.c.id == commitment_id) \
        .values(**values)


def _update(status=None, happened_on=DONE):
    return CommitmentUpdate(status=status, happened_on=happened_on,
                            translations=[CommitmentUpdateTranslation(language="en",
                                                                      text="News.")])


# Not retained: a reason


def test_not_retained_needs_a_reason_in_one_language_at_least(ctx):
    commitment = db.session.get(Commitment, ctx["draft_commitment"])
    for reasons in (None, {}, {"fr": "   ", "en": "\n"}):
        with pytest.raises(DomainError, match="why this commitment is not retained"):
            commitment.set_status("not_retained", reasons=reasons)
        assert commitment.status == "planned"
    commitment.set_status("not_retained", reasons={"en": " The budget was cut. "})
    assert (commitment.status, commitment.reason_en, commitment.reason_fr) == \
        ("not_retained", "The budget was cut.", "")
    assert commitment.reason("fr") == "The budget was cut."  # the other language, shown
    commitment.set_status("planned")
    assert (commitment.reason_en, commitment.reason("en")) == ("", "")  # a reason for nothing


def test_the_database_refuses_not_retained_without_a_reason(ctx):
    commitment_id = ctx["draft_commitment"]
    _refused_by_database(_commitment_row(commitment_id, status="not_retained"))
    _refused_by_database(_commitment_row(commitment_id, status="not_retained",
                                         reason_fr="   ", reason_en=""))
    db.session.execute(_commitment_row(commitment_id, status="not_retained",
                                       reason_fr="Le budget a été réduit."))
    db.session.flush()
    assert db.session.get(Commitment, commitment_id).status == "not_retained"


# Done: a date


def test_done_needs_the_day_it_was_done_and_not_before_it_started(ctx):
    commitment = db.session.get(Commitment, ctx["draft_commitment"])
    with pytest.raises(DomainError, match="date on which it was done"):
        commitment.set_status("done")
    commitment.set_dates(START, DUE)
    with pytest.raises(DomainError, match="before it started"):
        commitment.set_status("done", done_on=date(2026, 1, 9))
    commitment.set_status("done", done_on=DONE)
    assert (commitment.status, commitment.done_on) == ("done", DONE)
    commitment.set_status("in_progress")
    assert commitment.done_on is None


def test_the_database_refuses_done_without_a_date_and_dates_out_of_order(ctx):
    commitment_id = ctx["draft_commitment"]
    _refused_by_database(_commitment_row(commitment_id, status="done"))
    _refused_by_database(_commitment_row(commitment_id, starts_on=DUE, due_on=START))
    _refused_by_database(_commitment_row(commitment_id, status="cancelled"))


def test_dates_and_status_are_checked_by_the_model(ctx):
    commitment = db.session.get(Commitment, ctx["draft_commitment"])
    with pytest.raises(DomainError, match="due date cannot come before the start date"):
        commitment.set_dates(DUE, START)
    with pytest.raises(DomainError, match="choose a status"):
        commitment.set_status("cancelled")
    assert (commitment.starts_on, commitment.due_on, commitment.status) == \
        (None, None, "planned")


# Published: fixed, changed through updates, never deleted


def test_after_publication_the_status_changes_through_an_update_only(ctx):
    commitment = db.session.get(Commitment, ctx["published_commitment"])
    with pytest.raises(DomainError, match="changes through an update"):
        commitment.set_status("in_progress")
    with pytest.raises(DomainError, match="published"):
        commitment.set_texts({"en": ("Another title", "")})
    with pytest.raises(DomainError, match="published"):
        commitment.set_dates(START, DUE)
    with pytest.raises(DomainError, match="why this commitment is not retained"):
        commitment.record(_update(status="not_retained"))
    assert commitment.updates == []
    commitment.record(_update(status="done"))
    assert (commitment.status, commitment.done_on, len(commitment.updates)) == \
        ("done", DONE, 1)  # done on the update's day


def test_a_draft_takes_no_update(ctx):
    commitment = db.session.get(Commitment, ctx["draft_commitment"])
    with pytest.raises(DomainError, match="once the response is published"):
        commitment.record(_update(status="in_progress"))
    assert commitment.status == "planned"


@pytest.mark.parametrize("part", ["response", "commitment", "translation", "update"])
def test_nothing_of_a_published_response_can_be_deleted(ctx, part):
    response = db.session.get(Response, ctx["published"])
    commitment = response.commitments[0]
    if part == "update":
        commitment.record(_update())
        db.session.flush()
    target = {"response": response, "commitment": commitment,
              "translation": commitment.translations[0],
              "update": commitment.updates[0] if commitment.updates else None}[part]
    with pytest.raises(DomainError, match="a correction is an update"):
        response.ensure_deletable()
    db.session.delete(target)
    with pytest.raises(DomainError, match="a correction is an update"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Commitment, ctx["published_commitment"]).translations


def test_a_draft_response_can_be_discarded_with_its_commitments(ctx):
    db.session.delete(db.session.get(Response, ctx["draft"]))
    db.session.flush()
    assert db.session.get(Commitment, ctx["draft_commitment"]) is None
    assert db.session.scalars(db.select(CommitmentTranslation).where(
        CommitmentTranslation.commitment_id == ctx["draft_commitment"])).all() == []


# What a response answers


def test_a_response_answers_one_published_summary_or_results(ctx):
    summary = db.session.get(Summary, ctx["summary"])
    exercise = db.session.get(Exercise, ctx["exercise"])
    with pytest.raises(DomainError, match="one summary or one priority exercise"):
        Response.to()
    with pytest.raises(DomainError, match="one summary or one priority exercise"):
        Response.to(summary=summary, exercise=exercise)
    with pytest.raises(DomainError, match="results are published"):
        Response.to(exercise=db.session.get(Exercise, ctx["unpublished"]))
    summary.status = "in_review"
    with pytest.raises(DomainError, match="once it is published"):
        Response.to(summary=summary)
    db.session.add(Response())
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_response_is_published_once_with_a_commitment_at_least(ctx):
    response = db.session.get(Response, ctx["draft"])
    commitments = list(response.commitments)
    response.commitments.clear()
    with pytest.raises(DomainError, match="at least one commitment"):
        response.publish()
    response.commitments.extend(commitments)
    response.publish()
    with pytest.raises(DomainError, match="already published"):
        response.publish()


# Funded projects: no small count


@pytest.mark.parametrize(("reviewers", "stored_count"), [(0, 0), (1, None), (4, None),
                                                          (5, 5), (12, 12)])
def test_the_number_of_lay_reviewers_is_kept_from_five_people_on(ctx, reviewers, stored_count):
    project = FundedProject(call_id=ctx["call"], application_id=ctx["application"])
    project.set_lay_review(reviewers, 1)
    assert project.lay_reviewer_count == stored_count
    assert project.fewer_lay_reviewers_than_shown is (stored_count is None)


def test_the_database_refuses_a_count_of_fewer_than_five_lay_reviewers(ctx):
    project = FundedProject(call_id=ctx["call"], application_id=ctx["application"],
                            lay_reviewer_count=4)
    db.session.add(project)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_audit_log_is_only_ever_added_to(ctx):
    entry = db.session.scalars(db.select(AccountabilityAuditEntry)).first()
    assert entry is not None
    entry.after = "{}"
    with pytest.raises(DomainError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AccountabilityAuditEntry, entry.id))
    with pytest.raises(DomainError, match="cannot be deleted"):
        db.session.flush()
    db.session.rollback()
