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
]
# The same routes on what is not public: not found for everyone, moderators included.
HIDDEN_ROUTES = [
    Route("api.consultation", {"GET": nobody()},
          url_args={"consultation_id": "api_draft_consultation_id"}),
    Route("api.contribution", {"GET": nobody()},
          url_args={"contribution_id": "api_hidden_contribution_id"}),
    Route("api.exercise", {"GET": nobody()},
          url_args={"exercise_id": "api_draft_exercise_id"}),
]


def build_api_world(app, world) -> None:
    """A closed consultation with a contribution and a published summary, a published
    exercise; a draft consultation, a hidden contribution and an unpublished exercise."""
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
        db.session.commit()
        world.update(
            api_consultation_id=consultation.id, api_draft_consultation_id=draft.id,
            api_contribution_id=contribution.id, api_hidden_contribution_id=hidden.id,
            api_summary_id=summary.id, api_exercise_id=exercise.id,
            api_draft_exercise_id=unpublished.id, api_unknown_path="no/such/thing",
        )


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*API_ROUTES, *HIDDEN_ROUTES)
    WORLD_BUILDERS.append(build_api_world)
