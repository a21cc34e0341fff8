"""Funding calls in the chain: what a call answers, and the projects its decisions fund,
which carry nothing confidential of lay review (its texts, scores, notes, reviewers) and
only the figures of the small-cell rule."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from engage.accountability import queries, services
from engage.accountability.models import (
    AccountabilityAuditEntry,
    CallLink,
    Commitment,
    FundedProject,
    FundedProjectTranslation,
)
from engage.accountability.page_versions import COMMITMENTS
from engage.accounts.models import User
from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion, Stage
from engage.reviews.models import Decision, FundingCall, Review, ReviewScore
from tests.factories import accountability as build
from tests.factories import stored
from tests.helpers import bumped_scopes

DAY = date(2026, 4, 1)


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer, moderator = build.officer(), build.user("moderator")
        exercise = build.exercise(questions=2)
        other = build.exercise(questions=0)
        unpublished = build.exercise(Stage.INTERIM_RANKING, questions=1)
        published = build.response(officer, exercise=exercise)
        draft = build.response(officer, exercise=other, publish=False)
        five = build.decided_call(5, decisions=(Decision.FUNDED, Decision.WAITING_LIST,
                                                Decision.NOT_FUNDED, Decision.FUNDED))
        four = build.decided_call(4)
        open_call = build.decided_call(0, status="open")
        questions = db.session.scalars(select(IndicativeQuestion.id).order_by(
            IndicativeQuestion.exercise_id, IndicativeQuestion.number)).all()
        return {
            "officer": officer.id, "moderator": moderator.id, "exercise": exercise.id,
            "question": questions[0], "unpublished_question": questions[-1],
            "commitment": published.commitments[0].id,
            "draft_commitment": draft.commitments[0].id, "five": five.id, "four": four.id,
            "open": open_call.id, "unpublished_exercise": unpublished.id,
        }


def _get(model, object_id):
    return db.session.get(model, object_id)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AccountabilityAuditEntry.action)
                                   .order_by(AccountabilityAuditEntry.id)))


# What a call answers


def test_a_call_declares_the_priorities_and_commitments_it_answers(ctx):
    officer = _get(User, ctx["officer"])
    call = _get(FundingCall, ctx["open"])
    question = _get(IndicativeQuestion, ctx["question"])
    commitment = _get(Commitment, ctx["commitment"])
    before = len(_actions())
    link, created = services.link_call(officer, call, question=question)
    assert created and (link.call_id, link.question_id, link.commitment_id) == \
        (call.id, question.id, None)
    assert services.link_call(officer, call, question=question) == (link, False)
    services.link_call(officer, call, commitment=commitment)
    assert queries.calls_answering(question_ids=[question.id], commitment_ids=[commitment.id]) \
        == {("question", question.id): [call.id], ("commitment", commitment.id): [call.id]}
    services.unlink_call(officer, link)
    assert queries.calls_answering(question_ids=[question.id]) == {}
    assert _actions()[before:] == ["call_link", "call_link", "call_unlink"]
    unlinked = db.session.scalars(select(AccountabilityAuditEntry).where(
        AccountabilityAuditEntry.action == "call_unlink")).one()
    assert unlinked.before_data == {"call": call.id, "question": question.id,
                                    "commitment": None}


def test_a_call_answers_published_priorities_and_commitments_only(ctx):
    officer = _get(User, ctx["officer"])
    call = _get(FundingCall, ctx["open"])
    refused = [
        {"question": _get(IndicativeQuestion, ctx["unpublished_question"])},
        {"commitment": _get(Commitment, ctx["draft_commitment"])},
    ]
    for target in refused:
        with pytest.raises(DomainError, match="published"):
            services.link_call(officer, call, **target)
    with pytest.raises(DomainError, match="one research priority or one commitment"):
        services.link_call(officer, call)
    with pytest.raises(DomainError, match="Only network officers"):
        services.link_call(_get(User, ctx["moderator"]), call,
                           question=_get(IndicativeQuestion, ctx["question"]))
    assert db.session.scalars(select(CallLink)).all() == []


def test_what_a_decided_call_answers_stays_on_record(ctx):
    officer = _get(User, ctx["officer"])
    decided = _get(FundingCall, ctx["four"])
    link, _ = services.link_call(officer, decided,
                                 question=_get(IndicativeQuestion, ctx["question"]))
    with pytest.raises(DomainError, match="stays on record"):
        services.unlink_call(officer, link)
    assert _get(CallLink, link.id) is not None


# Funded projects


PUBLIC_COLUMNS = {
    "accountability_funded_projects": {
        "id", "call_id", "application_id", "institution", "lay_reviewer_count",
        "lay_review_rounds", "created_by_id", "published_at", "created_at", "updated_at"},
    "accountability_funded_project_translations": {"id", "project_id", "language", "title",
                                                   "lay_summary"},
}


def _everything_stored(project: FundedProject) -> str:
    """Every value of the project's rows and of its audit entries, as text."""
    rows = [project, *project.translations]
    values = [str(getattr(row, column.key)) for row in rows
              for column in type(row).__table__.columns]
    values += [f"{e.before} {e.after}" for e in db.session.scalars(
        select(AccountabilityAuditEntry).where(
            AccountabilityAuditEntry.target_type == "funded_project",
            AccountabilityAuditEntry.target_id == project.id))]
    return " ".join(values)


def test_funded_projects_come_from_funded_decisions_only_and_carry_nothing_confidential(ctx):
    officer = _get(User, ctx["officer"])
    call = _get(FundingCall, ctx["five"])
    projects = services.create_funded_projects(officer, call)
    funded = {a.id: a.acronym for a in call.applications if a.decision == Decision.FUNDED}
    assert sorted(funded[p.application_id] for p in projects) == ["APP1", "APP4"]
    assert services.create_funded_projects(officer, call) == []  # nothing twice
    project = next(p for p in projects if funded[p.application_id] == "APP1")
    assert [(t.language, t.title, t.lay_summary) for t in project.translations] == [
        ("en", "Walking after chemotherapy 1", "We will see whether walking helps, project 1.")]
    assert project.institution == "Institut Curie; Hôpital Saint-Louis"
    assert (project.lay_reviewer_count, project.lay_review_rounds) == (5, 1)
    # No column can hold review content; none of its texts reached any column or entry.
    for model in (FundedProject, FundedProjectTranslation):
        assert {c.name for c in model.__table__.columns} == PUBLIC_COLUMNS[model.__tablename__]
    stored_text = _everything_stored(project)
    for secret in build.CONFIDENTIAL.values():
        assert secret not in stored_text, secret
    reviews = [r for r in db.session.scalars(select(Review))
               if r.assignment.application.call_id == call.id]
    assert {r.overall_applicant_comment for r in reviews} == \
        {build.CONFIDENTIAL["applicant comment"]}  # the secrets do exist in lay review
    reviewers = {(r.assignment.reviewer.display_name, r.assignment.reviewer.email)
                 for r in reviews}
    assert len(reviewers) == 5
    public = queries.project_public(project, "fr")
    assert set(public) == {"id", "call_id", "title", "lay_summary", "language", "is_fallback",
                           "institution", "published_at", "lay_review", "updates"}
    assert public["lay_review"] == {"took_part": True, "reviewers": 5, "fewer_than": None,
                                    "rounds": 1}
    shown = json.dumps(public, ensure_ascii=False)
    for secret in build.CONFIDENTIAL.values():
        assert secret not in shown, secret
    assert "score" not in shown and "application" not in shown
    for name, email in reviewers:  # who reviewed: neither in the record nor in what is shown
        for text in (shown, stored_text):
            assert name not in text and email not in text
    assert (public["title"], public["language"], public["is_fallback"]) == \
        ("Walking after chemotherapy 1", "en", True)
    assert db.session.scalar(select(ReviewScore.score)) == 2


@pytest.mark.parametrize(("call", "expected"), [
    ("four", {"took_part": True, "reviewers": None, "fewer_than": 5, "rounds": 1}),
    ("five", {"took_part": True, "reviewers": 5, "fewer_than": None, "rounds": 1}),
])
def test_the_lay_review_figure_follows_the_small_cell_rule(ctx, call, expected):
    officer = _get(User, ctx["officer"])
    project = services.create_funded_projects(officer, _get(FundingCall, ctx[call]))[0]
    assert services.lay_review_facts(ctx[call]) == (4 if call == "four" else 5, 1)
    assert queries.lay_review_public(project) == expected
    entry = db.session.scalars(select(AccountabilityAuditEntry).where(
        AccountabilityAuditEntry.action == "project_create")).first()
    assert entry.after_data["lay_reviewer_count"] == expected["reviewers"]


def test_projects_wait_for_the_call_s_decision(ctx):
    officer = _get(User, ctx["officer"])
    with pytest.raises(DomainError, match="decisions are recorded"):
        services.create_funded_projects(officer, _get(FundingCall, ctx["open"]))
    with pytest.raises(DomainError, match="Only network officers"):
        services.create_funded_projects(_get(User, ctx["moderator"]),
                                        _get(FundingCall, ctx["five"]))
    assert db.session.scalars(select(FundedProject)).all() == []


def test_a_project_is_completed_published_then_told_through_updates(ctx):
    officer = _get(User, ctx["officer"])
    [project] = services.create_funded_projects(officer, _get(FundingCall, ctx["four"]))
    assert not services.edit_project(officer, project, texts={
        "en": ("Walking after chemotherapy 1", "We will see whether walking helps, project 1.")},
        institution="Institut Curie; Hôpital Saint-Louis")
    with pytest.raises(DomainError, match="once the project is published"):
        services.add_project_update(officer, project, kind="started", texts={"en": "Begun."},
                                    happened_on=DAY)
    assert services.edit_project(officer, project, texts={
        "en": ("Walking after chemotherapy", "Does walking help?"),
        "fr": ("Marcher après une chimiothérapie", "La marche aide-t-elle ?")},
        institution="Institut Curie")
    services.publish_project(officer, project)
    with pytest.raises(DomainError, match="Add an update instead"):
        services.edit_project(officer, project, texts={"en": ("Another", "")}, institution="")
    with pytest.raises(DomainError, match="what the update is about"):
        services.add_project_update(officer, project, kind="rumour", texts={"en": "?"},
                                    happened_on=DAY)
    services.add_project_update(officer, project, kind="results", happened_on=DAY,
                                texts={"en": "Walking helps.", "fr": "La marche aide."},
                                links=[("https://doi.org/10.1000/1", "The article")])
    public = queries.project_public(project, "fr")
    assert (public["title"], public["is_fallback"], public["institution"]) == \
        ("Marcher après une chimiothérapie", False, "Institut Curie")
    assert public["updates"] == [{"kind": "results", "happened_on": "2026-04-01",
                                  "text": "La marche aide.", "documents": [],
                                  "links": [{"url": "https://doi.org/10.1000/1",
                                             "label": "The article"}]}]
    assert [p.id for p in queries.funded_projects_of(ctx["four"])] == [project.id]
    assert _actions()[-4:] == ["project_create", "project_edit", "project_publish",
                               "project_update"]
    db.session.delete(project)
    with pytest.raises(DomainError, match="a correction is an update"):
        db.session.flush()
    db.session.rollback()


def test_project_writes_bump_the_call_and_the_list(ctx):
    officer = _get(User, ctx["officer"])
    assert bumped_scopes(lambda: services.create_funded_projects(
        officer, _get(FundingCall, ctx["four"]))) == {f"call:{ctx['four']}", COMMITMENTS}
    assert bumped_scopes(lambda: services.link_call(
        officer, _get(FundingCall, ctx["open"]),
        question=_get(IndicativeQuestion, ctx["question"]))) == \
        {f"call:{ctx['open']}", f"exercise:{ctx['exercise']}", COMMITMENTS}
