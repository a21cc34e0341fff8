"""Rows of the authorization matrix for routes/manage.py: network officers and administrators
only (a visitor is sent to sign in), and the objects they need in the matrix's world
(`build_manage_world`, added to tests/security/world.py's WORLD_BUILDERS).

An action that cannot be undone (publish, discard, remove) answers its confirmation page to
the matrix's POST without `confirmed`: allowed, nothing done."""

from tests.security.matrix import Route, officers, routes
from tests.security.world import WORLD_BUILDERS

SUMMARY = {"summary_id": "manage_summary_id"}
EXERCISE = {"exercise_id": "manage_exercise_id"}
DRAFT = {"response_id": "manage_draft_response_id"}
DRAFT_COMMITMENT = {"commitment_id": "manage_draft_commitment_id"}
PUBLISHED_COMMITMENT = {"commitment_id": "manage_published_commitment_id"}
CALL = {"call_id": "manage_open_call_id"}
DECIDED_CALL = {"call_id": "manage_decided_call_id"}
DRAFT_PROJECT = {"project_id": "manage_draft_project_id"}
PUBLISHED_PROJECT = {"project_id": "manage_published_project_id"}

COMMITMENT = {"title_en": "Matrix commitment", "text_en": "What the network will do.",
              "status": "planned"}
UPDATE = {"text_en": "What happened.", "happened_on": "2026-03-01", "status": ""}


def _officers(*methods: str) -> dict:
    return {method: officers() for method in methods}


MANAGE_ROUTES = [
    Route("accountability_manage.index", _officers("GET")),
    Route("accountability_manage.respond_to_summary", _officers("GET", "POST"),
          url_args=SUMMARY),
    Route("accountability_manage.respond_to_exercise", _officers("GET", "POST"),
          url_args=EXERCISE),
    Route("accountability_manage.response", _officers("GET"), url_args=DRAFT),
    Route("accountability_manage.publish", _officers("POST"), url_args=DRAFT),
    Route("accountability_manage.discard", _officers("POST"), url_args=DRAFT),
    Route("accountability_manage.new_commitment", _officers("GET", "POST"), url_args=DRAFT,
          data=COMMITMENT),
    Route("accountability_manage.edit_commitment", _officers("GET", "POST"),
          url_args=DRAFT_COMMITMENT, data=COMMITMENT),
    Route("accountability_manage.remove_commitment", _officers("POST"),
          url_args=DRAFT_COMMITMENT),
    Route("accountability_manage.add_update", _officers("GET", "POST"),
          url_args=PUBLISHED_COMMITMENT, data=UPDATE),
    Route("accountability_manage.correct", _officers("GET", "POST"),
          url_args=PUBLISHED_COMMITMENT, data=UPDATE),
    Route("accountability_manage.call", _officers("GET"), url_args=CALL),
    Route("accountability_manage.link_call", _officers("POST"), url_args=CALL,
          data={"question_id": ""}),
    Route("accountability_manage.unlink_call", _officers("POST"),
          url_args={**CALL, "link_id": "manage_call_link_id"}),
    Route("accountability_manage.create_projects", _officers("POST"), url_args=DECIDED_CALL),
    Route("accountability_manage.project", _officers("GET", "POST"), url_args=DRAFT_PROJECT,
          data={"title_en": "Matrix project", "lay_summary_en": "A lay summary."}),
    Route("accountability_manage.publish_project", _officers("POST"),
          url_args=DRAFT_PROJECT),
    Route("accountability_manage.project_update", _officers("GET", "POST"),
          url_args=PUBLISHED_PROJECT, data={**UPDATE, "kind": "progress"}),
]


def build_manage_world(app, world) -> None:
    """A published summary and published priority results without a response, a draft
    response with a commitment, a published commitment, an open call that answers a
    priority, a decided call with a draft and a published funded project."""
    from sqlalchemy import select

    from engage.accountability import services
    from engage.accounts.models import User
    from engage.extensions import db
    from engage.priorities.models import IndicativeQuestion
    from engage.reviews.models import CallStatus, Decision
    from tests.factories import accountability as build

    with app.test_request_context("/en/"):  # publishing a summary queues emails
        officer = db.session.get(User, world["user_ids"]["officer"])
        summary, _cited = build.published_summary()
        answered, _cited = build.published_summary()
        exercise = build.exercise()
        draft = build.response(officer, summary=answered, publish=False)
        published = build.response(officer, exercise=build.exercise())
        open_call = build.decided_call(0, status=CallStatus.OPEN, title="Matrix open call")
        decided = build.decided_call(0, decisions=(Decision.FUNDED, Decision.FUNDED),
                                     title="Matrix decided call")
        projects = services.create_funded_projects(officer, decided)
        services.publish_project(officer, projects[0])
        question = db.session.scalars(select(IndicativeQuestion).where(
            IndicativeQuestion.exercise_id == exercise.id)).first()
        link, _created = services.link_call(officer, open_call, question=question)
        db.session.commit()
        world.update(
            manage_summary_id=summary.id, manage_exercise_id=exercise.id,
            manage_draft_response_id=draft.id,
            manage_draft_commitment_id=draft.commitments[0].id,
            manage_published_commitment_id=published.commitments[0].id,
            manage_open_call_id=open_call.id, manage_decided_call_id=decided.id,
            manage_call_link_id=link.id, manage_draft_project_id=projects[1].id,
            manage_published_project_id=projects[0].id,
        )


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*MANAGE_ROUTES)
    WORLD_BUILDERS.append(build_manage_world)
