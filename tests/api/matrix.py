"""The API's rows of the authorization matrix (tests/security/matrix.py) and its world.

Every API route is public and read-only: everyone gets the same answer, signed in or not.
`register()` adds the rows once; tests/api/conftest.py calls it, and tests/security lists
"api" among the areas it registers.
"""

from tests.security.matrix import NOT_FOUND, ROLES, Route, everyone, routes
from tests.security.world import WORLD_BUILDERS


def nobody():
    return dict.fromkeys(ROLES, NOT_FOUND)


API_ROUTES = [
    Route("api.index", {"GET": everyone()}),
    Route("api.openapi_document", {"GET": everyone()}),
    Route("api.unknown", {"GET": nobody()}, url_args={"anything": "api_unknown_path"}),
    Route("api.themes", {"GET": everyone()}),
    Route("api.consultations", {"GET": everyone()}),
    Route("api.consultation", {"GET": everyone()},
          url_args={"consultation_id": "api_consultation_id"}),
    Route("api.consultation_results", {"GET": everyone()},
          url_args={"consultation_id": "api_consultation_id"}),
    Route("api.consultation_participation", {"GET": everyone()},
          url_args={"consultation_id": "api_consultation_id"}),
    Route("api.participation", {"GET": everyone()}),
    Route("api.contributions", {"GET": everyone()}),
    Route("api.contribution", {"GET": everyone()},
          url_args={"contribution_id": "api_contribution_id"}),
    Route("api.summaries", {"GET": everyone()}),
    Route("api.summary", {"GET": everyone()}, url_args={"summary_id": "api_summary_id"}),
    Route("api.exercises", {"GET": everyone()}),
    Route("api.exercise", {"GET": everyone()}, url_args={"exercise_id": "api_exercise_id"}),
    Route("api.exercise_questions", {"GET": everyone()},
          url_args={"exercise_id": "api_exercise_id"}),
    Route("api.commitments", {"GET": everyone()}),
    Route("api.commitment", {"GET": everyone()},
          url_args={"commitment_id": "api_commitment_id"}),
    Route("api.projects", {"GET": everyone()}),
    Route("api.project", {"GET": everyone()}, url_args={"project_id": "api_project_id"}),
    Route("api.accountability_figures", {"GET": everyone()}),
]
# The same routes on what is not public: not found for everyone, moderators included.
HIDDEN_ROUTES = [
    Route("api.consultation", {"GET": nobody()},
          url_args={"consultation_id": "api_draft_consultation_id"}),
    Route("api.contribution", {"GET": nobody()},
          url_args={"contribution_id": "api_hidden_contribution_id"}),
    Route("api.exercise", {"GET": nobody()},
          url_args={"exercise_id": "api_draft_exercise_id"}),
    Route("api.commitment", {"GET": nobody()},
          url_args={"commitment_id": "api_draft_commitment_id"}),
    Route("api.project", {"GET": nobody()},
          url_args={"project_id": "api_draft_project_id"}),
]


def build_api_world(app, world) -> None:
    """A closed consultation with a contribution and a published summary, a published
    exercise; a draft consultation, a hidden contribution and an unpublished exercise; a
    published commitment and funded project, and a draft one of each."""
    from flask_babel import force_locale

    from engage.accounts.models import User
    from engage.extensions import db
    from engage.priorities import services as priorities
    from engage.priorities.models import Stage
    from engage.summaries import services as summaries
    from tests.factories import consultations as builders

    with app.test_request_context("/en/"), force_locale("en"):
        moderator = db.session.get(User, world["user_ids"]["moderator"])
        admin = db.session.get(User, world["user_ids"]["admin"])
        author = db.session.get(User, world["user_ids"]["participant"])
        consultation = builders.consultation("closed", author=moderator)
        draft = builders.consultation("draft", author=moderator)
        contribution = builders.contribution(consultation, author, "Matrix contribution")
        hidden = builders.contribution(consultation, author, "Hidden matrix contribution")
        hidden.hide(moderator, "spam")
        summary, _created = summaries.start(moderator, consultation)
        summaries.save(moderator, summary, {"fr": "Synthèse.", "en": "Summary."})
        summaries.submit(moderator, summary)
        summaries.approve(admin, summary)
        texts = {"fr": {"title": "Priorités", "description": "", "scope": ""}}
        exercise = priorities.create_exercise(moderator, texts=texts)
        exercise.stage = Stage.PUBLISHED
        unpublished = priorities.create_exercise(moderator, texts=texts)
        unpublished.stage = Stage.INTERIM_RANKING
        officer = db.session.get(User, world["user_ids"]["officer"])
        commitment, draft_commitment, project, draft_project = _record(officer)
        db.session.commit()
        world.update(
            api_commitment_id=commitment, api_draft_commitment_id=draft_commitment,
            api_project_id=project, api_draft_project_id=draft_project,
            api_consultation_id=consultation.id, api_draft_consultation_id=draft.id,
            api_contribution_id=contribution.id, api_hidden_contribution_id=hidden.id,
            api_summary_id=summary.id, api_exercise_id=exercise.id,
            api_draft_exercise_id=unpublished.id, api_unknown_path="no/such/thing",
        )


def _record(officer) -> tuple[int, int, int, int]:
    """The network's record: a published commitment (answering a published summary) and one
    of a draft response; a published funded project and a draft one."""
    from engage.accountability import services
    from engage.reviews.models import Decision
    from tests.factories import accountability as build

    published_summary, _items = build.published_summary()
    other_summary, _items = build.published_summary()
    published = build.response(officer, summary=published_summary)
    draft = build.response(officer, summary=other_summary, publish=False)
    call = build.decided_call(0, decisions=(Decision.FUNDED, Decision.FUNDED),
                              title="Matrix call")
    project, draft_project = sorted(services.create_funded_projects(officer, call),
                                    key=lambda item: item.id)
    services.publish_project(officer, project)
    return (published.commitments[0].id, draft.commitments[0].id, project.id,
            draft_project.id)


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*API_ROUTES, *HIDDEN_ROUTES)
    WORLD_BUILDERS.append(build_api_world)
