"""Write operations: calls, rubric, assignment, declarations, reviews, reminders, decisions."""

from datetime import date, timedelta

import pytest

from engage.accounts.models import Role, User
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.errors import DomainError
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.reviews import services
from engage.reviews.dashboard import build_dashboard
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    ConflictDeclaration,
    Criterion,
    FundingCall,
    ReviewReminder,
)
from engage.reviews.stats import krippendorff_alpha_ordinal
from tests.conftest import outbox


@pytest.fixture
def ctx(app):
    with app.test_request_context("/en/"):
        yield
        db.session.rollback()


def test_a_new_call_has_the_default_bilingual_rubric(app, ctx, factory):
    moderator = db.session.get(User, factory.user(role=Role.MODERATOR))
    call = services.create_call(
        moderator, texts={"fr": ("Appel 2026", ""), "en": ("", "")},
        review_opens_on=date(2026, 3, 1), review_deadline=date(2026, 3, 31))
    assert call.status == CallStatus.DRAFT and call.reviews_per_application == 3
    assert [t.language for t in call.translations] == ["fr"]  # no empty English row
    assert call.translated("en").is_fallback
    labels = [c.label("en") for c in call.criteria]
    assert labels == [
        "Relevance to patients and carers", "Expected benefit for patients",
        "Clarity of the lay summary", "Quality of patient involvement in the project",
        "Acceptability and burden for participants",
        "Barriers to taking part (who could be left out)"]
    assert call.criteria[0].label("fr") == "Pertinence pour les patients et les proches"
    with pytest.raises(DomainError, match="after the opening"):
        services.update_call(moderator, call, texts={"fr": ("x", "")},
                             review_opens_on=date(2026, 3, 2), review_deadline=date(2026, 3, 1),
                             reviews_per_application=3)
    with pytest.raises(DomainError, match="in at least one language"):
        services.update_call(moderator, call, texts={"fr": ("", ""), "en": ("", "")},
                             review_opens_on=date(2026, 3, 1), review_deadline=date(2026, 3, 2),
                             reviews_per_application=3)


def test_rubric_changes_only_in_draft(app, world, ctx):
    call_id = world.call(status=CallStatus.DRAFT)
    call = db.session.get(FundingCall, call_id)
    actor = User(id=None)
    added = services.add_criterion(actor, call, {"fr": ("Coût", ""), "en": ("Cost", "Money")})
    assert added.position == 6 and added.label("en") == "Cost"
    services.update_criterion(actor, added, {"fr": ("Coût", ""), "en": ("", "")})
    assert [t.language for t in added.translations] == ["fr"]
    services.delete_criterion(actor, call.criteria[0])
    assert [c.position for c in call.criteria] == list(range(6))
    call.status = CallStatus.OPEN
    with pytest.raises(DomainError, match="draft"):
        services.add_criterion(actor, call, {"en": ("Late", "")})
    with pytest.raises(DomainError, match="draft"):
        services.delete_criterion(actor, call.criteria[0])


def test_the_last_criterion_cannot_be_removed(app, world, ctx):
    call = db.session.get(FundingCall, world.call(status=CallStatus.DRAFT))
    while len(call.criteria) > 1:
        services.delete_criterion(None, call.criteria[0])
    with pytest.raises(DomainError, match="at least one"):
        services.delete_criterion(None, call.criteria[0])


def test_opening_a_call_emails_assigned_reviewers(app, world, factory):
    call_id = world.call(status=CallStatus.DRAFT)
    reviewer_id = world.reviewer(email="lay@example.org")
    world.assign(world.application(call_id), reviewer_id, cleared=False)
    world.assign(world.application(call_id), reviewer_id, cleared=False)
    with app.test_request_context("/en/"):
        call = db.session.get(FundingCall, call_id)
        services.change_call_status(None, call, "open")
        db.session.commit()
    [message] = outbox(app, "lay@example.org")  # one email, not one per application
    assert "Lay review is open" in message.subject
    assert "/en/reviews/assignments" in message.body


def _pool(world, count, **fields):
    return [world.reviewer(**fields) for _ in range(count)]


def test_proposal_balances_the_load_and_fills_every_application(app, world, ctx):
    call_id = world.call(reviews_per_application=2)
    applications = [world.application(call_id) for _ in range(4)]
    reviewers = _pool(world, 4)
    result = services.propose_assignments(db.session.get(FundingCall, call_id))
    assert result.shortfalls == []
    per_application = {a: 0 for a in applications}
    per_reviewer = {r: 0 for r in reviewers}
    for proposal in result.proposals:
        per_application[proposal.application.id] += 1
        per_reviewer[proposal.reviewer.id] += 1
    assert set(per_application.values()) == {2}
    assert set(per_reviewer.values()) == {2}  # 8 assignments over 4 reviewers


def test_a_deactivated_reviewer_is_not_proposed(app, world, ctx):
    call_id = world.call(reviews_per_application=1)
    application = world.application(call_id)
    gone, active = world.reviewer(), world.reviewer()
    db.session.get(User, gone).deactivated_at = utcnow()
    db.session.commit()
    result = services.propose_assignments(db.session.get(FundingCall, call_id))
    assert [(p.application.id, p.reviewer.id) for p in result.proposals] == [
        (application, active)]


def test_proposal_prefers_themes_and_excludes_institutions_and_conflicts(app, world, ctx):
    call_id = world.call(reviews_per_application=1)
    breast = world.application(call_id, keywords="breast cancer; exercise",
                               institutions="Institut Curie")
    children = world.application(call_id, keywords="children, school")
    curie = world.reviewer(themes="Breast cancer", institutions="institut curie")
    fan = world.reviewer(themes="breast cancer")
    school = world.reviewer(themes="school, teenagers")
    withdrawn = world.reviewer(themes="children")
    assignment_id = world.assign(children, withdrawn, cleared=False)
    db.session.get(Assignment, assignment_id).withdraw_for_conflict()
    db.session.commit()
    result = services.propose_assignments(db.session.get(FundingCall, call_id))
    chosen = {p.application.id: p for p in result.proposals}
    assert chosen[breast].reviewer.id == fan  # the Curie reviewer is excluded
    assert chosen[breast].themes == ("breast cancer",)
    assert chosen[children].reviewer.id == school  # the withdrawn reviewer is excluded
    assert curie not in {p.reviewer.id for p in result.proposals if p.application.id == breast}
    assert withdrawn not in {p.reviewer.id for p in result.proposals
                             if p.application.id == children}


def test_proposal_reports_missing_reviewers(app, world, ctx):
    call_id = world.call(reviews_per_application=3)
    application_id = world.application(call_id)
    _pool(world, 2)
    world.factory.user(role=Role.MODERATOR, lay_reviewer=True)  # moderators are not in the pool
    world.factory.user(lay_reviewer=True, confirmed=False)  # nor unconfirmed accounts
    result = services.propose_assignments(db.session.get(FundingCall, call_id))
    assert len(result.proposals) == 2
    assert [(a.id, missing) for a, missing in result.shortfalls] == [(application_id, 1)]


def test_applying_a_proposal_keeps_only_the_ticked_pairs(app, world, ctx):
    call_id = world.call(reviews_per_application=2)
    world.application(call_id)
    _pool(world, 2)
    call = db.session.get(FundingCall, call_id)
    proposals = services.propose_assignments(call).proposals
    moderator = db.session.get(User, world.moderator())
    with pytest.raises(DomainError, match="at least one"):
        services.apply_proposal(moderator, call, {"999:999"})
    assert services.apply_proposal(moderator, call, {proposals[0].key}) == 1
    assert len(services.propose_assignments(call).proposals) == 1


def test_assign_refuses_conflicts_duplicates_and_outsiders(app, world, ctx):
    call_id = world.call()
    application_id = world.application(call_id, institutions="Gustave Roussy\nAP-HP")
    moderator = db.session.get(User, world.moderator())
    application = db.session.get(Application, application_id)
    colleague = db.session.get(User, world.reviewer(institutions="Gustave-Roussy"))
    with pytest.raises(DomainError, match="same institution"):
        services.assign(moderator, application, colleague)
    outsider = db.session.get(User, world.factory.user())
    with pytest.raises(DomainError, match="not in the pool"):
        services.assign(moderator, application, outsider)
    reviewer = db.session.get(User, world.reviewer())
    services.assign(moderator, application, reviewer)
    with pytest.raises(DomainError, match="already assigned"):
        services.assign(moderator, application, reviewer)


def test_a_conflict_withdraws_flags_and_keeps_the_declaration(app, world, ctx):
    call_id = world.call(reviews_per_application=1)
    application_id = world.application(call_id)
    reviewer_id = world.reviewer()
    assignment = db.session.get(Assignment, world.assign(application_id, reviewer_id,
                                                         cleared=False))
    reviewer = db.session.get(User, reviewer_id)
    with pytest.raises(DomainError, match="describe"):
        services.declare(reviewer, assignment, links=["other"], details=" ", no_conflict=False,
                         confidentiality=False)
    with pytest.raises(DomainError, match="Either"):
        services.declare(reviewer, assignment, links=["family"], details="", no_conflict=True,
                         confidentiality=True)
    services.declare(reviewer, assignment, links=["family", "bogus"], details="",
                     no_conflict=False, confidentiality=False)
    db.session.commit()
    assert not assignment.is_active
    application = db.session.get(Application, application_id)
    assert application.needs_reassignment
    [declaration] = db.session.scalars(db.select(ConflictDeclaration)).all()
    assert declaration.has_conflict and declaration.links == ["family"]
    moderator = db.session.get(User, world.moderator())
    with pytest.raises(DomainError, match="declared a conflict"):
        services.assign(moderator, application, reviewer)
    services.assign(moderator, application, db.session.get(User, world.reviewer()))
    assert not application.needs_reassignment  # back to the call's number of reviewers


def test_no_conflict_needs_the_confidentiality_agreement(app, world, ctx):
    call_id = world.call()
    reviewer = db.session.get(User, world.reviewer())
    assignment = db.session.get(Assignment, world.assign(world.application(call_id),
                                                         reviewer.id, cleared=False))
    with pytest.raises(DomainError, match="confidentiality"):
        services.declare(reviewer, assignment, links=[], details="", no_conflict=True,
                         confidentiality=False)
    with pytest.raises(DomainError, match="tick"):
        services.declare(reviewer, assignment, links=[], details="", no_conflict=False,
                         confidentiality=True)
    services.declare(reviewer, assignment, links=[], details="", no_conflict=True,
                     confidentiality=True)
    assert assignment.is_cleared
    with pytest.raises(DomainError, match="already declared"):
        services.declare(reviewer, assignment, links=[], details="", no_conflict=True,
                         confidentiality=True)
    # A link that appears later still withdraws the assignment.
    services.declare(reviewer, assignment, links=["financial"], details="", no_conflict=False,
                     confidentiality=False)
    assert not assignment.is_active and len(assignment.declarations) == 2


def test_unassign_only_before_anything_was_declared(app, world, ctx):
    call_id = world.call()
    application_id = world.application(call_id)
    fresh = db.session.get(Assignment, world.assign(application_id, world.reviewer(),
                                                    cleared=False))
    started = db.session.get(Assignment, world.assign(application_id, world.reviewer()))
    with pytest.raises(DomainError, match="kept for the record"):
        services.unassign(None, started)
    services.unassign(None, fresh)
    db.session.commit()
    assert len(db.session.get(Application, application_id).assignments) == 1


def _inputs(call, score=4, comment="Clear."):
    return {c.id: services.CriterionInput(score, comment, "") for c in call.criteria}


def test_saving_and_submitting_a_review(app, world, ctx):
    call_id = world.call()
    reviewer = db.session.get(User, world.reviewer())
    assignment = db.session.get(Assignment, world.assign(world.application(call_id),
                                                         reviewer.id))
    call = db.session.get(FundingCall, call_id)
    partial = _inputs(call)
    first = call.criteria[0].id
    partial[first] = services.CriterionInput(None, "", "Note")
    review = services.save_review(reviewer, assignment, criteria=partial, overall_score=None,
                                  overall_applicant_comment="", overall_committee_comment="",
                                  submit=False)
    assert not review.is_submitted and review.score_for(first).committee_comment == "Note"
    with pytest.raises(services.IncompleteReview) as error:
        services.save_review(reviewer, assignment, criteria=partial, overall_score=3,
                             overall_applicant_comment="", overall_committee_comment="",
                             submit=True)
    assert set(error.value.problems) == {f"score_{first}", f"applicant_{first}",
                                         "overall_applicant"}
    assert review.overall_score == 3 and not review.is_submitted  # the draft was saved
    with pytest.raises(DomainError, match="1 to 5"):
        services.save_review(reviewer, assignment, criteria=_inputs(call, score=6),
                             overall_score=3, overall_applicant_comment="ok",
                             overall_committee_comment="", submit=False)
    services.save_review(reviewer, assignment, criteria=_inputs(call), overall_score=4,
                         overall_applicant_comment="Good.", overall_committee_comment="",
                         submit=True)
    assert review.is_submitted
    with pytest.raises(DomainError, match="already submitted"):
        services.save_review(reviewer, assignment, criteria=_inputs(call), overall_score=1,
                             overall_applicant_comment="x", overall_committee_comment="",
                             submit=False)


def test_no_review_after_the_deadline(app, world, ctx):
    call_id = world.call(deadline_in=0)
    reviewer = db.session.get(User, world.reviewer())
    assignment = db.session.get(Assignment, world.assign(world.application(call_id),
                                                         reviewer.id))
    call = db.session.get(FundingCall, call_id)
    with pytest.raises(DomainError, match="deadline has passed"):
        services.save_review(reviewer, assignment, criteria=_inputs(call), overall_score=4,
                             overall_applicant_comment="x", overall_committee_comment="",
                             submit=True, now=call.deadline_at)


def test_reminders_seven_then_two_days_before_once_each(app, world):
    call_id = world.call(deadline_in=7)
    first, second = world.application(call_id), world.application(call_id)
    late = world.reviewer(email="late@example.org")
    done = world.reviewer(email="done@example.org")
    world.assign(first, late, cleared=False)
    world.assign(second, late)
    world.review(world.assign(first, done), 4, 4)
    other_call = world.call(deadline_in=30)
    world.assign(world.application(other_call), world.reviewer(email="early@example.org"))
    today = local_today()
    with app.test_request_context("/en/"):
        assert services.send_reminders(today) == 1
        db.session.commit()
        assert services.send_reminders(today) == 0  # idempotent
        assert services.send_reminders(today + timedelta(days=1)) == 0
        assert services.send_reminders(today + timedelta(days=5)) == 1  # 2 days before
        db.session.commit()
        assert services.send_reminders(today + timedelta(days=6)) == 0
        assert services.send_reminders(today + timedelta(days=8)) == 0  # past the deadline
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(ReviewReminder.id))) == 4
    messages = outbox(app, "late@example.org")
    assert [m.subject for m in messages] == [
        "Reminder: 7 days left for your lay review", "Reminder: 2 days left for your lay review"]
    assert "APP1" in messages[0].body and "APP2" in messages[0].body
    assert outbox(app, "done@example.org") == [] and outbox(app, "early@example.org") == []


def test_reminders_skip_closed_calls(app, world):
    call_id = world.call(deadline_in=2, status=CallStatus.CLOSED)
    world.assign(world.application(call_id), world.reviewer())
    with app.test_request_context("/en/"):
        assert services.send_reminders() == 0
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_decisions_only_once_the_call_is_decided(app, world, ctx):
    call_id = world.call(status=CallStatus.CLOSED)
    application = db.session.get(Application, world.application(call_id))
    moderator = db.session.get(User, world.moderator())
    with pytest.raises(DomainError, match="decided"):
        services.record_decision(moderator, application, "funded", "")
    application.call.status = CallStatus.DECIDED
    services.record_decision(moderator, application, "funded", " Well done. ")
    assert (application.decision, application.decision_note) == ("funded", "Well done.")
    assert application.decision_label == "Funded"


def test_dashboard_figures_by_hand(app, world, ctx):
    call_id = world.call(reviews_per_application=3)
    a = world.application(call_id, acronym="ALPHA")
    b = world.application(call_id, acronym="BETA")
    world.application(call_id, acronym="GAMMA")  # no review yet
    reviewers = _pool(world, 4)
    # ALPHA: three submitted reviews; the first criterion gets 1, 4, 5 (a disagreement).
    world.review(world.assign(a, reviewers[0]), [1, 3, 3, 3, 3, 3], 3)
    world.review(world.assign(a, reviewers[1]), [4, 3, 3, 3, 3, 3], 4)
    world.review(world.assign(a, reviewers[2]), [5, 3, 3, 3, 3, 3], 5)
    # BETA: two submitted, one draft (left out), one withdrawn (left out).
    world.review(world.assign(b, reviewers[0]), 5, 5)
    world.review(world.assign(b, reviewers[1]), 4, 5)
    world.review(world.assign(b, reviewers[2]), 1, 1, submit=False)
    withdrawn = world.assign(b, reviewers[3])
    world.review(withdrawn, 1, 1)
    db.session.get(Assignment, withdrawn).withdraw_for_conflict()
    db.session.commit()

    board = build_dashboard(db.session.get(FundingCall, call_id))
    rows = {row.application.acronym: row for row in board.rows}
    alpha, beta, gamma = rows["ALPHA"], rows["BETA"], rows["GAMMA"]
    assert [r.application.acronym for r in board.rows] == ["BETA", "ALPHA", "GAMMA"]
    assert (beta.rank, alpha.rank, gamma.rank) == (1, 2, None)
    first = alpha.criteria[0]
    assert (first.mean, first.median, first.spread, first.disagreement) == (
        pytest.approx(10 / 3), 4, 4, True)
    assert alpha.disagreement and not beta.disagreement
    assert (alpha.overall.mean, alpha.overall.median, alpha.overall.spread) == (4, 4, 2)
    assert (beta.submitted, beta.active, beta.expected) == (2, 3, 3)
    assert beta.overall.scores == (5, 5) and beta.completion == pytest.approx(2 / 3)
    assert (gamma.submitted, gamma.overall.mean, gamma.complete) == (0, None, False)
    assert (board.submitted, board.expected, board.disagreements) == (5, 9, 1)
    # Alpha over the 7 units of each application (6 criteria + overall), raters in order.
    units = [[1, 4, 5]] + [[3, 3, 3]] * 5 + [[3, 4, 5]] + [[5, 4]] * 6 + [[5, 5]]
    assert board.alpha == pytest.approx(krippendorff_alpha_ordinal(units))
    assert board.alpha == pytest.approx(0.5293, abs=1e-4)


def test_criteria_survive_in_order(app, world, ctx):
    call_id = world.call()
    ids = world.criteria(call_id)
    assert len(ids) == 6
    assert [db.session.get(Criterion, i).position for i in ids] == list(range(6))
