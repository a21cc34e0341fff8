"""Write operations of lay review: reminders before the deadline.

Each takes an explicit actor, flushes, never commits."""

from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.core.clock import local_today
from engage.core.notifications import NotificationKind, notify, wants_email_now
from engage.core.outbox import queue_email
from engage.extensions import db
from engage.reviews.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CallStatus,
    FundingCall,
    ReminderKind,
    ReviewReminder,
)


def send_reminders(today: date | None = None) -> int:
    """Remind reviewers who have not submitted, 7 and 2 days before the deadline.

    Each reminder is recorded, so running this every day (or twice) sends each
    one once. The reviewer gets a notification, and the email when they want it at once
    (the default). Returns the number of reminders (one per reviewer and call).
    """
    today = today or local_today()
    assignments = db.session.scalars(
        select(Assignment)
        .join(Application, Assignment.application_id == Application.id)
        .join(FundingCall, Application.call_id == FundingCall.id)
        .where(
            FundingCall.status == CallStatus.OPEN,
            Assignment.status == AssignmentStatus.ACTIVE,
            FundingCall.review_deadline >= today,
            FundingCall.review_deadline <= date.fromordinal(today.toordinal() + 7),
        )
        .options(
            selectinload(Assignment.reminders), selectinload(Assignment.review),
            selectinload(Assignment.reviewer),
            selectinload(Assignment.application).selectinload(Application.call)
            .selectinload(FundingCall.translations),
        )
        .order_by(Assignment.reviewer_id, Assignment.id)
    ).all()
    batches: dict[tuple[int, int, ReminderKind], list[Assignment]] = {}
    for assignment in assignments:
        if assignment.is_submitted or not assignment.reviewer.is_confirmed:
            continue
        call = assignment.application.call
        days_left = (call.review_deadline - today).days
        kind = ReminderKind.TWO_DAYS if days_left <= 2 else ReminderKind.SEVEN_DAYS
        if kind in {r.kind for r in assignment.reminders}:
            continue
        batches.setdefault((assignment.reviewer_id, call.id, kind), []).append(assignment)
    for (_reviewer_id, _call_id, kind), batch in batches.items():
        reviewer = batch[0].reviewer
        call = batch[0].application.call
        for assignment in batch:
            db.session.add(ReviewReminder(assignment=assignment, kind=kind))
        notify(reviewer, NotificationKind.REVIEW_DUE, call_id=call.id,
               deadline=call.review_deadline.isoformat())
        if not wants_email_now(reviewer, NotificationKind.REVIEW_DUE):
            continue
        queue_email(
            reviewer.email, reviewer.language, "reviews/reminder",
            reviewer=reviewer, call_title=call.title(reviewer.language),
            deadline=call.review_deadline, days_left=(call.review_deadline - today).days,
            applications=[a.application for a in batch],
            url=url_for("reviews.my_assignments", lang_code=reviewer.language, _external=True),
        )
    db.session.flush()
    return len(batches)

