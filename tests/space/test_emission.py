"""Each place where something happens notifies the right person, never the one who acted,
never a blocked, deleted or deactivated account; and the areas' own emails follow each
person's choice."""

from datetime import timedelta

from sqlalchemy import select

from engage.consultations import notifications as follows
from engage.consultations import participation
from engage.consultations import services as consultations
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.core.notifications import (
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    notify,
)
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.moderation import services as moderation
from engage.priorities import services as priorities
from engage.priorities.models import Comment, Ranking, RankingEntry, Stage, text_fingerprint
from engage.reviews import services as reviews
from engage.reviews.models import Application, CallStatus
from engage.summaries import services as summaries
from tests.factories import consultations as builders
from tests.factories import summaries as summary_builders
from tests.factories.users import user
from tests.priorities.matrix import _exercise, _question

Kind = NotificationKind


def received(person, kind=None) -> list[Notification]:
    statement = select(Notification).where(Notification.user_id == person.id)
    if kind is not None:
        statement = statement.where(Notification.kind == kind)
    return list(db.session.scalars(statement.order_by(Notification.id)))


def emails_to(person) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == person.email).order_by(OutboxMessage.id)))


def choose(person, kind, delivery) -> None:
    db.session.add(NotificationPreference(user_id=person.id, kind=kind, delivery=delivery))
    db.session.flush()


def test_a_reply_tells_the_author_of_the_contribution_not_the_one_who_replied(app_context):
    consultation = builders.consultation("open")
    author, replier = user(), user()
    contribution = builders.contribution(consultation, author)
    reply, _ = participation.post_reply(replier, contribution, "I agree with you.")
    [notification] = received(author)
    assert notification.kind == Kind.REPLY
    assert notification.params == {"reply_id": reply.id, "contribution_id": contribution.id}
    assert received(replier) == []
    participation.post_reply(author, contribution, "Thank you.")  # the author answers
    assert len(received(author)) == 1


def test_a_reply_held_for_moderation_is_told_once_approved(app_context):
    consultation = builders.consultation("open", policy="pre")
    author, replier = user(), user()
    contribution = builders.contribution(consultation, author)
    reply, _ = participation.post_reply(replier, contribution, "Held until checked.")
    assert reply.moderation_status == "pending" and received(author) == []
    moderation.approve(user("moderator"), reply)
    assert [(n.kind, n.params) for n in received(author)] == [
        (Kind.REPLY, {"reply_id": reply.id, "contribution_id": contribution.id})]
    assert [(n.kind, n.params["decision"]) for n in received(replier)] == [
        (Kind.MODERATION, "approved")]


def test_moderation_decisions_reach_the_author_with_their_reason(app_context):
    consultation = builders.consultation("open")
    author, moderator = user(), user("moderator")
    hidden = builders.contribution(consultation, author, "My neighbour Paul has cancer.")
    redacted = builders.contribution(consultation, author, "Call me on 06 12 34 56 78 please.")
    moderation.hide(moderator, hidden, "health_data", "Names a neighbour.")
    moderation.redact(moderator, redacted, "06 12 34 56 78", "other")
    assert [(n.params["target_id"], n.params["decision"], n.params["reason"])
            for n in received(author, Kind.MODERATION)] == [
        (hidden.id, "hidden", "health_data"), (redacted.id, "redacted", "other")]
    assert all(n.params["target_type"] == "contribution" for n in received(author))
    # The moderator's note stays on the item: the notification holds ids and codes only.
    assert "neighbour" not in str([n.params for n in received(author)])
    assert received(moderator) == []
    assert len(emails_to(author)) == 2  # the area's emails, at once by default


def test_an_author_who_chose_the_app_only_gets_no_moderation_email(app_context):
    consultation = builders.consultation("open")
    author = user()
    choose(author, Kind.MODERATION, Delivery.APP)
    moderation.hide(user("moderator"), builders.contribution(consultation, author), "spam")
    assert len(received(author, Kind.MODERATION)) == 1
    assert emails_to(author) == []


def test_blocked_deleted_and_deactivated_accounts_get_nothing(app_context):
    consultation = builders.consultation("open")
    blocked, deleted, deactivated, active = user("blocked"), user(), user(), user()
    deleted.deleted_at = utcnow()
    deactivated.deactivated_at = utcnow()
    for person in (blocked, deleted, deactivated):
        contribution = builders.contribution(consultation, person)
        participation.post_reply(active, contribution, "A reply.")
        moderation.hide(user("moderator"), contribution, "spam")
    assert received(blocked) == [] and received(deleted) == []
    assert received(deactivated) == []
    assert notify(active, Kind.REPLY, actor=active, reply_id=1, contribution_id=2) is None


def test_followers_hear_of_the_opening_the_closing_and_the_summary(app_context):
    moderator = user("moderator")
    consultation = builders.consultation("upcoming", author=moderator)
    follower, by_digest = user(), user()
    for person in (follower, by_digest):
        follows.follow(person, consultation)
    choose(by_digest, Kind.CONSULTATION_OPENED, Delivery.DAILY)
    consultations.change_status(moderator, consultation, "open")
    assert [n.params for n in received(follower, Kind.CONSULTATION_OPENED)] == [
        {"consultation_id": consultation.id}]
    assert len(received(by_digest, Kind.CONSULTATION_OPENED)) == 1
    assert len(emails_to(follower)) == 1 and emails_to(by_digest) == []
    consultation.closes_on = local_today() + timedelta(days=2)
    assert follows.send_closing_reminders() == 1
    assert [n.params for n in received(follower, Kind.CONSULTATION_CLOSING)] == [
        {"consultation_id": consultation.id, "closes_on": consultation.closes_on.isoformat()}]
    consultation.close()
    follows.notify_summary_published(consultation)
    assert len(received(follower, Kind.SUMMARY_PUBLISHED)) == 1
    assert received(moderator) == []


def test_a_published_summary_tells_the_authors_it_cites(app_context):
    moderator, consultation, items = summary_builders.closed_consultation(contributions=3)
    author = items[0].author
    choose(author, Kind.CITED, Delivery.EMAIL)
    uncited = user()
    builders.contribution(consultation, uncited, "Not cited.")
    summary = summary_builders.published(moderator, consultation, items)
    [cited] = received(author, Kind.CITED)
    assert cited.params == {"summary_id": summary.id, "consultation_id": consultation.id,
                            "contribution_ids": [items[0].id, items[1].id]}
    assert [n.params for n in received(author, Kind.SUMMARY_PUBLISHED)] == [
        {"consultation_id": consultation.id, "summary_id": summary.id}]
    assert received(uncited, Kind.CITED) == []
    assert len(received(uncited, Kind.SUMMARY_PUBLISHED)) == 1
    subjects = [message.subject for message in emails_to(author)]
    assert "Your words were used in a summary" in subjects
    assert received(db.session.get(type(author), summary.approved_by_id)) == []


def test_a_summary_does_not_tell_its_approver_that_their_words_were_used(app_context):
    moderator, consultation, items = summary_builders.closed_consultation()
    approver = user("moderator")
    items[0].author_id = approver.id
    summary = summary_builders.written(moderator, consultation, items)
    summaries.submit(moderator, summary)
    summaries.approve(approver, summary)
    assert received(approver) == []
    assert [n.params["contribution_ids"] for n in received(items[1].author, Kind.CITED)] == [
        [items[1].id]]


def test_published_priorities_tell_everyone_who_took_part(app_context):
    moderator = user("moderator")
    exercise = _exercise(moderator, Stage.FINAL_WORKSHOP)
    sender, commenter, ranker, bystander = user(), user(), user(), user()
    question, _submission = _question(exercise, 1, sender, interim_rank=1, final_rank=1)
    db.session.add(Comment(question_id=question.id, author_id=commenter.id, body="Yes.",
                           body_hash=text_fingerprint("Yes.")))
    db.session.add(Ranking(exercise_id=exercise.id, user_id=ranker.id,
                           group_id=exercise.groups[0].id,
                           entries=[RankingEntry(question_id=question.id, position=1)]))
    db.session.flush()
    priorities.move_stage(moderator, exercise, Stage.PUBLISHED)
    for person in (sender, commenter, ranker):
        assert [n.params for n in received(person, Kind.PRIORITY_RESULTS)] == [
            {"exercise_id": exercise.id}], person
    assert received(bystander) == [] and received(moderator) == []


def test_lay_reviewers_hear_of_assignments_and_deadlines(app_context):
    moderator = user("moderator")
    call = reviews.create_call(moderator, texts={"en": ("Living after cancer", "")},
                               review_opens_on=local_today() - timedelta(days=1),
                               review_deadline=local_today() + timedelta(days=5))
    call.status = CallStatus.OPEN
    application = Application(call=call, acronym="SLEEP", title="Sleep", lay_summary="S.",
                              summary_language="en")
    db.session.add(application)
    reviewer, quiet = user(lay_reviewer=True), user(lay_reviewer=True)
    choose(quiet, Kind.REVIEW_ASSIGNED, Delivery.WEEKLY)
    choose(quiet, Kind.REVIEW_DUE, Delivery.APP)
    db.session.flush()
    for person in (reviewer, quiet):
        reviews.assign(moderator, application, person)
    assert [n.params for n in received(reviewer, Kind.REVIEW_ASSIGNED)] == [
        {"call_id": call.id}]
    assert len(received(quiet, Kind.REVIEW_ASSIGNED)) == 1
    assert reviews.send_reminders() == 2
    assert [n.params for n in received(reviewer, Kind.REVIEW_DUE)] == [
        {"call_id": call.id, "deadline": call.review_deadline.isoformat()}]
    assert len(received(quiet, Kind.REVIEW_DUE)) == 1
    assert len(emails_to(reviewer)) == 2 and emails_to(quiet) == []
    assert received(moderator) == []
