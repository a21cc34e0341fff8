"""Newsletter test data, built with the areas' factories (tests/factories): what an issue
lists (something of each section, published) and subscribers. Plain builders: inside a
request context (publishing a summary sends emails), they flush and return objects or ids.
"""

import secrets

from engage.accountability import services as accountability
from engage.core.db import utcnow
from engage.extensions import db
from engage.newsletter.models import Subscriber
from engage.priorities.models import Stage
from tests.factories import accountability as build

TITLES = {
    "summary": {"fr": "Vivre après un cancer", "en": "Living after cancer"},
    "priorities": {"fr": "Cancers de l’enfant", "en": "Childhood cancers"},
    "commitment": {"fr": "Rembourser les transports", "en": "Commitment 1"},
    "project": {"fr": "Marcher après la chimiothérapie", "en": "Walking after chemotherapy"},
}
UPDATE_TEXT = {"fr": "Le premier remboursement a eu lieu.",
               "en": "The first travel costs were paid back."}
PROJECT_NEWS = {"fr": "Les premiers patients ont été inclus.",
                "en": "The first patients joined the study."}


def published_content() -> dict:
    """One published item of each section: a summary, priority results, a response with a
    commitment and its update (now in progress), a funded project and its news. Returns
    their ids."""
    officer = build.officer()
    summary, _contributions = build.published_summary()
    exercise = build.exercise(Stage.PUBLISHED, questions=2)
    exercise.published_at = utcnow()
    response = build.response(officer, summary=summary)
    commitment = response.commitments[0]
    update = accountability.add_update(officer, commitment, texts=UPDATE_TEXT,
                                       happened_on=build.some_day(), status="in_progress")
    call = build.decided_call(5)
    [project] = accountability.create_funded_projects(officer, call)
    accountability.edit_project(officer, project, texts={
        "fr": (TITLES["project"]["fr"], "Nous verrons si la marche aide."),
        "en": (TITLES["project"]["en"], "We will see whether walking helps.")},
        institution="Institut Curie")
    accountability.publish_project(officer, project)
    news = accountability.add_project_update(officer, project, kind="started",
                                             texts=PROJECT_NEWS, happened_on=build.some_day())
    db.session.flush()
    return {"summary_id": summary.id, "exercise_id": exercise.id,
            "commitment_id": commitment.id, "update_id": update.id, "project_id": project.id,
            "project_update_id": news.id, "call_id": call.id}


def subscriber(email: str, language: str = "en", confirmed: bool = True) -> Subscriber:
    row = Subscriber(email=email, language=language, secret=secrets.token_hex(16),
                     confirmed_at=utcnow() if confirmed else None)
    db.session.add(row)
    db.session.flush()
    return row
