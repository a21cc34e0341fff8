"""What the priorities area holds about a person ("download my data"), and what happens
to it when the account is deleted. Registered by engage.priorities.init_app."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from engage.core.moderated import Report
from engage.core.registry import PersonalDataSection, Registry
from engage.extensions import db
from engage.priorities.models import (
    Comment,
    Exercise,
    IndicativeQuestion,
    Ranking,
    Stage,
    Submission,
)
from engage.priorities.permissions import DISCUSSION_STAGES


def _iso(value):
    return value.isoformat() if value else None


def _title(exercise: Exercise, language: str) -> str:
    shown = exercise.translated(language)
    return shown.title if shown else ""


def _submissions(user) -> list[dict]:
    rows = db.session.scalars(
        select(Submission).where(Submission.author_id == user.id).order_by(Submission.id)
    ).all()
    return [{
        "exercise": _title(s.exercise, user.language),
        "group": s.group.label(user.language),
        "question": s.text,
        "sent_at": _iso(s.created_at),
        "moderation": s.moderation_status,
    } for s in rows]


def _comments(user) -> list[dict]:
    rows = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)
    ).all()
    return [{
        "exercise": _title(c.question.exercise, user.language),
        "indicative_question": c.question.number,
        "comment": c.body,
        "posted_at": _iso(c.created_at),
        "moderation": c.moderation_status,
    } for c in rows]


def _rankings(user) -> list[dict]:
    rows = db.session.scalars(
        select(Ranking).where(Ranking.user_id == user.id).order_by(Ranking.id)
    ).all()
    return [{
        "exercise": _title(r.exercise, user.language),
        "group": r.group.label(user.language),
        "questions_in_order": ", ".join(str(e.question.number) for e in r.entries),
        "saved_at": _iso(r.updated_at),
    } for r in rows]


def erase(user, delete_content: bool) -> None:
    """Account deletion. The account row stays (pseudonymized), so what the person wrote
    shows as "Former participant". With `delete_content`, what can still be withdrawn goes:
    submissions while questions are gathered, comments while the discussion is open, the
    ranking while the ranking is open. Later, they are part of the published method."""
    if not delete_content:
        return
    withdrawn = [
        *db.session.scalars(
            select(Submission).join(Exercise, Exercise.id == Submission.exercise_id)
            .where(Submission.author_id == user.id, Exercise.stage == Stage.GATHERING)),
        *db.session.scalars(
            select(Comment)
            .join(IndicativeQuestion, IndicativeQuestion.id == Comment.question_id)
            .join(Exercise, Exercise.id == IndicativeQuestion.exercise_id)
            .where(Comment.author_id == user.id, Exercise.stage.in_(DISCUSSION_STAGES))),
    ]
    for item in withdrawn:
        # Reports on what no longer exists would only clutter the moderation queue.
        db.session.execute(delete(Report).where(Report.target_type == item.MODERATION_TARGET,
                                                Report.target_id == item.id))
        db.session.delete(item)
    for ranking in db.session.scalars(
        select(Ranking).join(Exercise, Exercise.id == Ranking.exercise_id)
        .where(Ranking.user_id == user.id, Exercise.stage == Stage.INTERIM_RANKING)
    ):
        db.session.delete(ranking)
    db.session.flush()


def register(registry: Registry) -> None:
    """What this area adds to "download my data" and to account deletion."""
    registry.personal_data.extend([
        PersonalDataSection("priority_submissions", _l("Questions sent for research priorities"),
                            _submissions),
        PersonalDataSection("priority_comments", _l("Comments on indicative questions"), _comments),
        PersonalDataSection("priority_rankings", _l("Your interim rankings"), _rankings),
    ])
    registry.account_erasers.append(erase)
