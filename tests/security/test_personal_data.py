"""GDPR self-service across the areas: "download my data" shows every section each area
registers (the registry's `personal_data`), account deletion does what the privacy notice
promises (`account_erasers`), and the privacy notice names everything stored."""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from engage.accounts import services as account_services
from engage.accounts.models import Association, Membership, Role, User
from engage.consultations import notifications, participation
from engage.consultations.models import (
    ConsultationFollow,
    ConsultationResponse,
    Contribution,
    ContributionSupport,
)
from engage.core import registry
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.drafts import KeptDraft
from engage.core.moderated import Report
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.moderation import services as moderation
from engage.moderation.models import AuditEntry
from engage.priorities import services as priorities
from engage.priorities.models import Comment, Ranking, Stage, Submission
from engage.reviews import services as reviews
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    ConflictDeclaration,
    ReviewerProfile,
)
from tests.conftest import PASSWORD, Auth, csrf_token
from tests.factories import accountability as accountability_builders
from tests.factories import consultations as builders
from tests.factories import newsletter as newsletter_builders
from tests.priorities.matrix import _exercise, _question

NAME = "Sasha Martineau"
TEXTS = {
    "contribution": "Fatigue after radiotherapy made work impossible for months.",
    "closed contribution": "In the closed consultation, I said the same.",
    "reply": "I replied to someone about my own treatment.",
    "answer": "My answer to the questionnaire about nausea.",
    "draft": "A draft answer I never sent.",
    "report": "This text names my neighbour.",
    "membership": "I chair the local patients' group.",
    "submission": "Does exercise help children sleep after chemotherapy?",
    "published submission": "A question now part of the published results.",
    "comment": "My comment on an indicative question.",
    "themes": "children, sleep",
    "institutions": "Hôpital Saint-Louis",
    "declaration": "My cousin works in a partner laboratory.",
    "review": "The lay summary is clear for families.",
    "block": "Repeated advertising.",
    "kept draft": "Written as my session ended: the waiting room was cold.",
    "account decision": "Elected to the patients' committee of the network.",
}


def _review_criteria(application):
    return {c.id: reviews.CriterionInput(score=4, applicant_comment=TEXTS["review"],
                                         committee_comment=TEXTS["review"])
            for c in application.call.criteria}


def _call(moderator, status=CallStatus.OPEN):
    call = reviews.create_call(SimpleNamespace(id=moderator.id),
                               texts={"en": ("Living after cancer", "")},
                               review_opens_on=local_today() - timedelta(days=1),
                               review_deadline=local_today() + timedelta(days=10))
    call.status = status
    return call


def build_everything(app) -> dict:
    """A participant (also a lay reviewer) who has done everything the platform allows."""
    with app.test_request_context("/en/"), force_locale("en"):
        person = builders.user("participant", display_name=NAME, email="sasha@example.org",
                               lay_reviewer=True, pseudonym="Sasha")
        moderator = builders.user("moderator", email="mod@example.org")
        other = builders.user("participant")
        association = Association(name="Patients of the east")
        db.session.add(association)
        db.session.add(Membership(user=person, association=association,
                                  message=TEXTS["membership"]))
        db.session.flush()
        db.session.add(KeptDraft(key="k" * 43, user_id=person.id, target="/en/x",
                                 fields=[["body", TEXTS["kept draft"]]]))
        # Consultations: contribution (edited), reply, support, follow, answers, report.
        open_one = builders.consultation("open", with_questions=True, author=moderator)
        closed_one = builders.consultation("open", author=moderator)
        someone_else = builders.contribution(open_one, other, "Someone else’s contribution")
        contribution, _ = participation.post_contribution(person, open_one, "First words")
        participation.edit_contribution(person, contribution, TEXTS["contribution"])
        closed_contribution, _ = participation.post_contribution(
            person, closed_one, TEXTS["closed contribution"])
        closed_one.close()
        reply, _ = participation.post_reply(person, someone_else, TEXTS["reply"])
        participation.support(person, someone_else)
        notifications.follow(person, open_one)
        free_text = next(q for q in open_one.questions if q.kind == "free_text")
        single = next(q for q in open_one.questions if q.kind == "single_choice")
        scale = next(q for q in open_one.questions if q.kind == "scale")
        participation.save_response(person, open_one, MultiDict({
            f"q{free_text.id}": TEXTS["answer"], f"q{single.id}": str(single.options[0].id),
            f"q{scale.id}": "3"}), submit=True)
        draft_one = builders.consultation("open", with_questions=True, author=moderator)
        draft_text = next(q for q in draft_one.questions if q.kind == "free_text")
        participation.save_response(person, draft_one, MultiDict({
            f"q{draft_text.id}": TEXTS["draft"]}), submit=False)
        participation.report_contribution(person, someone_else, "other", TEXTS["report"])
        # Research priorities: a question sent, a comment, a ranking, a published question.
        gathering = _exercise(moderator, Stage.GATHERING)
        submission = priorities.submit_question(person, gathering,
                                                group_id=gathering.groups[0].id,
                                                text=TEXTS["submission"], language="en")
        ranking_exercise = _exercise(moderator, Stage.INTERIM_RANKING)
        question, _ = _question(ranking_exercise, 1, other)
        comment = priorities.add_comment(person, question, TEXTS["comment"])
        priorities.save_ranking(person, ranking_exercise,
                                group_id=ranking_exercise.groups[0].id,
                                question_ids=[question.id])
        published = _exercise(moderator, Stage.PUBLISHED)
        _question(published, 1, person)
        kept_submission = db.session.scalar(select(Submission).where(
            Submission.exercise_id == published.id))
        kept_submission.text = TEXTS["published submission"]
        # Lay review: profile, a declaration and a submitted review, an unfinished one.
        reviews.save_reviewer_profile(person, themes=TEXTS["themes"],
                                      institutions=TEXTS["institutions"])
        call = _call(moderator)
        reviewed = Application(call=call, acronym="DONE", title="Reviewed",
                               lay_summary="Summary.", summary_language="en")
        unfinished = Application(call=call, acronym="TODO", title="Not yet reviewed",
                                 lay_summary="Summary.", summary_language="en")
        db.session.add_all([reviewed, unfinished])
        db.session.flush()
        done = reviews.assign(moderator, reviewed, person, notify=False)
        reviews.declare(person, done, links=[], details=TEXTS["declaration"], no_conflict=True,
                        confidentiality=True)
        reviews.save_review(person, done, criteria=_review_criteria(reviewed), overall_score=4,
                            overall_applicant_comment=TEXTS["review"],
                            overall_committee_comment=TEXTS["review"], submit=True)
        todo = reviews.assign(moderator, unfinished, person, notify=False)
        reviews.declare(person, todo, links=[], details="", no_conflict=True,
                        confidentiality=True)
        reviews.save_review(person, todo, criteria=_review_criteria(unfinished),
                            overall_score=None, overall_applicant_comment="Half written",
                            overall_committee_comment="", submit=False)
        # Moderation: blocked once, then unblocked.
        moderation.block(moderator, person, TEXTS["block"])
        moderation.unblock(moderator, person)
        # An administrator's decision about the account, with its reason.
        account_services.change_role(builders.user("admin"), person, Role.REPRESENTATIVE,
                                     TEXTS["account decision"])
        # Accountability: the person follows a commitment answering the published results.
        accountability_builders.followed_commitment(person, published)
        newsletter_builders.subscriber(person.email, "en")
        db.session.commit()
        return SimpleNamespace(
            person=person.id, moderator=moderator.id, contribution=contribution.id,
            closed_contribution=closed_contribution.id, reply=reply.id,
            consultation=open_one.id, someone_else=someone_else.id,
            submission=submission.id, comment=comment.id, kept_submission=kept_submission.id,
            ranking_exercise=ranking_exercise.id, done=done.id, todo=todo.id,
            unfinished=unfinished.id)


def sign_in(app, email):
    client = app.test_client()
    assert Auth(app, client).sign_in(email).status_code == 302
    return client


def test_download_shows_every_section(app):
    ids = build_everything(app)
    client = sign_in(app, "sasha@example.org")
    data = json.loads(client.get("/en/account/my-data.json").data)
    assert list(data) == [section.key for section in registry.of(app).personal_data]
    empty = [key for key, rows in data.items() if not rows]
    assert empty == ["moderation_actions"], empty  # a participant takes no moderation action
    text = json.dumps(data, ensure_ascii=False)
    for name, value in TEXTS.items():
        if name != "draft":  # a draft answer is not an answer yet
            assert value in text, name
    page = client.get("/en/account/my-data")
    assert page.status_code == 200
    with app.test_request_context("/en/"), force_locale("en"):
        titles = [str(section.title) for section in registry.of(app).personal_data]
    for title in titles:
        assert title.replace("’", "&#39;").replace("'", "&#39;") in page.text or \
            title in page.text, title
    assert TEXTS["declaration"] in page.text and TEXTS["block"] in page.text
    french = client.get("/fr/account/my-data")
    assert french.status_code == 200 and '<html lang="fr"' in french.text
    moderator = json.loads(sign_in(app, "mod@example.org").get("/en/account/my-data.json").data)
    actions = [row["action"] for row in moderator["moderation_actions"]]
    assert actions == ["Author blocked", "Author unblocked"]
    assert TEXTS["block"] in json.dumps(moderator["moderation_actions"], ensure_ascii=False)
    assert not moderator["consultation_contributions"] and not moderator["reviews"]
    assert ids.person != ids.moderator


def delete_account(app, client, delete_content: bool):
    form = client.get("/en/account/delete")
    data = {"password": PASSWORD, "confirm": "y", "csrf_token": csrf_token(form)}
    if delete_content:
        data["delete_content"] = "y"
    response = client.post("/en/account/delete", data=data)
    assert response.status_code == 302, response.text[:500]


def test_deletion_keeps_what_was_written_as_a_former_participant(app, client):
    ids = build_everything(app)
    delete_account(app, sign_in(app, "sasha@example.org"), delete_content=False)
    page = client.get(f"/en/consultations/{ids.consultation}")
    assert TEXTS["contribution"] in page.text
    assert "Former participant" in page.text
    assert NAME not in page.text and "Sasha" not in page.text
    with app.app_context():
        person = db.session.get(User, ids.person)
        assert person.deleted_at is not None and person.email.endswith("@invalid")
        assert db.session.get(Contribution, ids.contribution).body == TEXTS["contribution"]
        assert db.session.get(Contribution, ids.reply).deleted_at is None
        # What only served the person goes; sent answers stay, without their name.
        assert not db.session.scalars(select(ConsultationFollow).where(
            ConsultationFollow.user_id == ids.person)).all()
        assert not db.session.scalars(select(ContributionSupport).where(
            ContributionSupport.user_id == ids.person)).all()
        assert db.session.get(Contribution, ids.someone_else).support_count == 0
        responses = db.session.scalars(select(ConsultationResponse)).all()
        assert [r.user_id for r in responses] == [None]  # the draft is gone
        # Priorities: kept (nothing asked to be deleted).
        assert db.session.get(Submission, ids.submission) is not None
        assert db.session.get(Comment, ids.comment) is not None
        # Lay review: profile gone; review and declaration kept for the committee, the
        # declaration's free text removed; the unfinished assignment handed back.
        assert not db.session.scalars(select(ReviewerProfile)).all()
        done = db.session.get(Assignment, ids.done)
        assert done.review.is_submitted and done.review.overall_applicant_comment == \
            TEXTS["review"]
        assert [d.details for d in done.declarations] == [""]
        assert db.session.scalar(select(ConflictDeclaration.id).where(
            ConflictDeclaration.assignment_id == ids.done)) is not None
        todo = db.session.get(Assignment, ids.todo)
        assert todo.status == "withdrawn" and todo.review is None
        assert db.session.get(Application, ids.unfinished).needs_reassignment
        # Moderation: reports stay for the moderators; the audit log keeps the actions on the
        # account, by whom and when, not the reason given (even when what was written stays).
        report = db.session.scalar(select(Report).where(Report.reporter_id == ids.person))
        assert report.details == TEXTS["report"]
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.target_type == "user", AuditEntry.target_id == ids.person)
            .order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor_id, e.note, e.is_erased) for e in entries] == [
            ("block", ids.moderator, "", True), ("unblock", ids.moderator, "", True)]
        # The emails sent to the person (blocked, unblocked) leave the outbox.
        assert not db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == "sasha@example.org")).all()
    # The committee's pages name a former participant, never the person.
    moderator = sign_in(app, "mod@example.org")
    with app.app_context():
        call_id = db.session.get(Application, ids.unfinished).call_id
    declarations = moderator.get(f"/en/reviews/calls/{call_id}/declarations")
    assert declarations.status_code == 200
    assert NAME not in declarations.text and TEXTS["declaration"] not in declarations.text


def test_deletion_with_the_box_removes_what_can_still_be_withdrawn(app):
    ids = build_everything(app)
    delete_account(app, sign_in(app, "sasha@example.org"), delete_content=True)
    with app.app_context():
        contribution = db.session.get(Contribution, ids.contribution)
        assert contribution.deleted_at is not None and contribution.body == ""
        assert not contribution.revisions
        assert db.session.get(Contribution, ids.reply).deleted_at is not None
        closed = db.session.get(Contribution, ids.closed_contribution)
        assert closed.deleted_at is None and closed.body == TEXTS["closed contribution"]
        assert db.session.get(Submission, ids.submission) is None  # still gathering
        assert db.session.get(Comment, ids.comment) is None  # discussion still open
        assert not db.session.scalars(select(Ranking).where(
            Ranking.exercise_id == ids.ranking_exercise)).all()
        assert db.session.get(Submission, ids.kept_submission) is not None  # published
        report = db.session.scalar(select(Report).where(Report.reporter_id == ids.person))
        assert report is not None and report.details == ""
        assert db.session.get(Assignment, ids.done).review.is_submitted


# The privacy notice names everything stored: each section of "my data" with a phrase of the
# notice, and each column pointing to an account with the section that shows it (or why
# it is not about the person).

NOTICE_PHRASES = {
    "profile": "display name",
    "consents": "the date you gave your consent",
    "associations": "requests to represent an association",
    "consultation_contributions": "contributions and replies",
    "consultation_answers": "answers to questionnaires",
    "consultation_follows_and_supports": "the consultations you follow",
    "priority_submissions": "the questions you send for research priorities",
    "priority_comments": "comments",
    "priority_rankings": "rankings",
    "reviewer_profile": "your lay reviewer profile",
    "review_declarations": "declarations of interest",
    "reviews": "your reviews",
    "reports_made": "reports to the moderators",
    "moderation_decisions": "moderation decisions about you",
    "moderation_actions": "audit log",
    "sign_in_sessions": "a session cookie that keeps you signed in",
    "kept_drafts": "the text of your form, kept for 24 hours",
    "notifications": "notifications in My space",
    "account_decisions": "decisions of the administrators about your account",
    "accountability_follows": "commitments of the network and the funded projects you follow",
    "newsletter": "the address you subscribed to the newsletter with",
}
STAFF = "a moderator's or administrator's work, in the audit log"
STORED = {
    ("memberships", "user_id"): "associations",
    ("sign_in_sessions", "user_id"): "sign_in_sessions",
    ("kept_drafts", "user_id"): "kept_drafts",
    ("notifications", "user_id"): "notifications",
    ("notification_preferences", "user_id"): "notifications",
    ("notification_digests", "user_id"): "notifications",
    ("space_visits", "user_id"): "notifications",
    ("memberships", "decided_by_id"): STAFF,
    ("account_audit_log", "user_id"): "account_decisions",
    ("account_audit_log", "actor_id"): STAFF,
    ("associations", "accreditation_set_by_id"): STAFF,
    ("reports", "reporter_id"): "reports_made",
    ("reports", "handled_by_id"): STAFF,
    ("reviewer_profiles", "user_id"): "reviewer_profile",
    ("consultation_contributions", "author_id"): "consultation_contributions",
    ("consultation_contributions", "moderated_by_id"): STAFF,
    ("consultation_contribution_revisions", "edited_by_id"): "consultation_contributions",
    ("consultation_follows", "user_id"): "consultation_follows_and_supports",
    ("consultation_supports", "user_id"): "consultation_follows_and_supports",
    ("consultation_responses", "user_id"): "consultation_answers",
    ("priority_submissions", "author_id"): "priority_submissions",
    ("priority_submissions", "moderated_by_id"): STAFF,
    ("priority_comments", "author_id"): "priority_comments",
    ("priority_comments", "moderated_by_id"): STAFF,
    ("priority_rankings", "user_id"): "priority_rankings",
    ("review_assignments", "reviewer_id"): "review_declarations",
    ("review_assignments", "assigned_by_id"): STAFF,
    ("moderation_audit_log", "actor_id"): "moderation_actions",
    ("moderation_contribution_themes", "tagged_by_id"): STAFF,
    ("moderation_theme_suggestions", "decided_by_id"): STAFF,
    ("consultations", "created_by_id"): STAFF,
    ("consultation_documents", "uploaded_by_id"): STAFF,
    ("funding_calls", "created_by_id"): STAFF,
    ("review_applications", "decided_by_id"): STAFF,
    ("priority_exercises", "created_by_id"): STAFF,
    ("priority_questions", "created_by_id"): STAFF,
    ("priority_stage_changes", "changed_by_id"): STAFF,
    ("summaries", "created_by_id"): STAFF,
    ("summaries", "submitted_by_id"): STAFF,
    ("summaries", "approved_by_id"): STAFF,
    ("summary_revisions", "edited_by_id"): STAFF,
    ("accountability_follows", "user_id"): "accountability_follows",
    ("accountability_responses", "created_by_id"): STAFF,
    ("accountability_commitment_updates", "created_by_id"): STAFF,
    ("accountability_project_updates", "created_by_id"): STAFF,
    ("accountability_call_links", "created_by_id"): STAFF,
    ("accountability_funded_projects", "created_by_id"): STAFF,
    ("accountability_audit_log", "actor_id"): STAFF,
}


def _notice(client) -> str:
    import html
    import re

    page = client.get("/en/privacy")
    assert page.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def test_the_privacy_notice_names_every_section_of_my_data(app, client):
    notice = _notice(client)
    sections = registry.of(app).personal_data
    assert sorted(NOTICE_PHRASES) == sorted(section.key for section in sections), (
        "a new section of “my data”: say in templates/pages/privacy.html what it holds, "
        "and add the phrase here")
    missing = [key for key, phrase in NOTICE_PHRASES.items() if phrase not in notice]
    assert not missing, missing


def test_every_link_to_an_account_is_in_my_data_or_explained(app):
    with app.app_context():
        columns = {(table.name, column.name)
                   for table in db.metadata.sorted_tables for column in table.columns
                   for key in column.foreign_keys if key.column.table.name == "users"}
    assert columns == set(STORED), (
        f"new: {sorted(columns - set(STORED))}, gone: {sorted(set(STORED) - columns)}")
    sections = {section.key for section in registry.of(app).personal_data}
    assert {v for v in STORED.values() if v != STAFF} <= sections


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_see_their_moderation_actions(app, factory, role):
    with app.test_request_context("/en/"):
        staff = db.session.get(User, factory.user(role=role, language="en",
                                                  email="staff@example.org"))
        author = builders.user("participant")
        moderation.block(staff, author, "Spam")
        db.session.commit()
    data = json.loads(sign_in(app, "staff@example.org").get("/en/account/my-data.json").data)
    assert [row["action"] for row in data["moderation_actions"]] == ["Author blocked"]
    assert data["moderation_actions"][0]["on"][:4] == str(utcnow().year)
