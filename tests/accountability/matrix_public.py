"""Rows of the authorization matrix for routes/public.py (tests/security/matrix.py), and the
objects they need in the matrix's world: a published commitment with an update and its
document, a draft response's commitment, a published and an unpublished funded project.

`register()` adds them once (tests/accountability/matrix.py calls it)."""

import io

from werkzeug.datastructures import FileStorage

from engage.accountability import services
from engage.accounts.models import User
from engage.extensions import db
from engage.reviews.models import Decision
from tests.factories import accountability as build
from tests.security.matrix import NOT_FOUND, OK, ROLES, SIGN_IN, Route, everyone, routes, signed_in
from tests.security.world import WORLD_BUILDERS


def officers_only_see_it():
    """A draft: not found for anyone but network officers and administrators."""
    return {**dict.fromkeys(ROLES, NOT_FOUND), "officer": OK, "admin": OK}


def nobody_follows_it():
    """A draft cannot be followed: sign in first, then not found."""
    return {**dict.fromkeys(ROLES, NOT_FOUND), "visitor": SIGN_IN}


COMMITMENT = {"commitment_id": "accountability_commitment_id"}
PROJECT = {"project_id": "accountability_project_id"}
FOLLOWED_COMMITMENT = {"kind": "accountability_commitments",
                       "item_id": "accountability_commitment_id"}
FOLLOWED_PROJECT = {"kind": "accountability_projects", "item_id": "accountability_project_id"}
DRAFT_COMMITMENT = {"kind": "accountability_commitments",
                    "item_id": "accountability_draft_commitment_id"}

PUBLIC_ROUTES = [
    Route("accountability.impact", {"GET": everyone()}),
    Route("accountability.commitment", {"GET": everyone()}, url_args=COMMITMENT),
    Route("accountability.commitment", {"GET": officers_only_see_it()},
          url_args={"commitment_id": "accountability_draft_commitment_id"}),
    Route("accountability.project", {"GET": everyone()}, url_args=PROJECT),
    Route("accountability.project", {"GET": officers_only_see_it()},
          url_args={"project_id": "accountability_unpublished_project_id"}),
    Route("accountability.document", {"GET": everyone()},
          url_args={"document_id": "accountability_document_id"}),
    Route("accountability.follow", {"POST": signed_in()}, url_args=FOLLOWED_COMMITMENT),
    Route("accountability.unfollow", {"POST": signed_in()}, url_args=FOLLOWED_COMMITMENT),
    Route("accountability.follow", {"POST": signed_in()}, url_args=FOLLOWED_PROJECT),
    Route("accountability.unfollow", {"POST": signed_in()}, url_args=FOLLOWED_PROJECT),
    Route("accountability.follow", {"POST": nobody_follows_it()}, url_args=DRAFT_COMMITMENT),
]


def build_public_world(app, world) -> None:
    with app.test_request_context("/en/"):
        officer = db.session.get(User, world["user_ids"]["officer"])
        published = build.response(officer, exercise=build.exercise(questions=1))
        commitment = published.commitments[0]
        update = services.add_update(
            officer, commitment, texts={"en": "Started."}, happened_on=build.some_day(),
            documents=[("Report", FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
                                              filename="report.pdf"))])
        draft = build.response(officer, exercise=build.exercise(questions=1), publish=False)
        call = build.decided_call(0, decisions=(Decision.FUNDED, Decision.FUNDED),
                                  title="Matrix call")
        project, unpublished = services.create_funded_projects(officer, call)
        services.publish_project(officer, project)
        db.session.commit()
        world.update(
            accountability_commitment_id=commitment.id,
            accountability_draft_commitment_id=draft.commitments[0].id,
            accountability_project_id=project.id,
            accountability_unpublished_project_id=unpublished.id,
            accountability_document_id=update.documents[0].id,
            accountability_commitments="commitments", accountability_projects="projects",
        )


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*PUBLIC_ROUTES)
    WORLD_BUILDERS.append(build_public_world)
