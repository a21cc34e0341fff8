"""Lay review's rows of the authorization matrix (tests/security/matrix.py) and its world.

`register()` adds them once; tests/reviews/conftest.py calls it, so that a run of the
whole suite (which collects tests/reviews before tests/security) walks these routes.
"""

import atexit
import shutil
import tempfile
from datetime import timedelta
from types import SimpleNamespace

from tests.security.matrix import (
    FORBIDDEN,
    OK,
    SIGN_IN,
    Route,
    moderators,
    routes,
)
from tests.security.world import WORLD_BUILDERS

PDF = b"%PDF-1.4\n%%EOF\n"


def lay_reviewers():
    """Only volunteers of the pool (the matrix's "reviewer", assigned and cleared)."""
    return {**dict.fromkeys(
        ("participant", "representative", "reviewer", "moderator", "officer", "admin",
         "blocked"),
        FORBIDDEN), "visitor": SIGN_IN, "reviewer": OK}


def lay_review_home():
    return {**lay_reviewers(), "moderator": OK, "officer": OK, "admin": OK}


def readers():
    """The application: its assigned, cleared reviewer and the moderators."""
    return {**moderators(), "reviewer": OK}


REVIEW_ROUTES = [
    Route("reviews.index", {"GET": lay_review_home()}),
    Route("reviews.my_assignments", {"GET": lay_reviewers()}),
    Route("reviews.reviewer_profile", {"GET": lay_reviewers(), "POST": lay_reviewers()},
          data={"themes": "children", "institutions": ""}),
    Route("reviews.declaration", {"GET": lay_reviewers(), "POST": lay_reviewers()},
          url_args={"application_id": "review_application_id"}),
    Route("reviews.application", {"GET": readers()},
          url_args={"application_id": "review_application_id"}),
    Route("reviews.application_pdf", {"GET": readers()},
          url_args={"application_id": "review_application_id"}),
    Route("reviews.review", {"GET": lay_reviewers(), "POST": lay_reviewers()},
          url_args={"application_id": "review_application_id"}, data={"action": "save"}),
    Route("reviews.calls", {"GET": moderators()}),
    Route("reviews.new_call", {"GET": moderators(), "POST": moderators()}),
    Route("reviews.call", {"GET": moderators()}, url_args={"call_id": "review_call_id"}),
    Route("reviews.edit_call", {"GET": moderators(), "POST": moderators()},
          url_args={"call_id": "review_call_id"}),
    Route("reviews.change_status", {"POST": moderators()},
          url_args={"call_id": "review_call_id"}, data={"action": "close"}),
    Route("reviews.criteria", {"GET": moderators(), "POST": moderators()},
          url_args={"call_id": "review_draft_call_id"}),
    Route("reviews.edit_criterion", {"GET": moderators(), "POST": moderators()},
          url_args={"criterion_id": "review_draft_criterion_id"}),
    Route("reviews.delete_criterion", {"POST": moderators()},
          url_args={"criterion_id": "review_draft_criterion_id"}),
    Route("reviews.new_application", {"GET": moderators(), "POST": moderators()},
          url_args={"call_id": "review_call_id"}),
    Route("reviews.edit_application", {"GET": moderators(), "POST": moderators()},
          url_args={"application_id": "review_application_id"}),
    Route("reviews.import_applications", {"GET": moderators(), "POST": moderators()},
          url_args={"call_id": "review_call_id"}),
    Route("reviews.record_decision", {"POST": moderators()},
          url_args={"application_id": "review_decided_application_id"},
          data={"decision": "funded"}),
    Route("reviews.pool", {"GET": moderators()}),
    Route("reviews.assign", {"POST": moderators()},
          url_args={"application_id": "review_application_id"}, data={"reviewer_id": "0"}),
    Route("reviews.unassign", {"POST": moderators()},
          url_args={"assignment_id": "review_fresh_assignment_id"}),
    Route("reviews.proposal", {"GET": moderators(), "POST": moderators()},
          url_args={"call_id": "review_call_id"}),
    Route("reviews.declarations", {"GET": moderators()},
          url_args={"call_id": "review_call_id"}),
    Route("reviews.dashboard", {"GET": moderators()}, url_args={"call_id": "review_call_id"}),
    Route("reviews.export_csv", {"GET": moderators()}, url_args={"call_id": "review_call_id"}),
    Route("reviews.export_pack", {"GET": moderators()},
          url_args={"call_id": "review_call_id"}),
    Route("reviews.export_feedback", {"GET": moderators()},
          url_args={"call_id": "review_decided_call_id"}),
    # Submitting: asked first (engage/core/confirm.py), then confirmed.
    Route("reviews.review", {"POST": lay_reviewers()},
          url_args={"application_id": "review_application_id"}, data={"action": "submit"}),
    Route("reviews.review", {"POST": lay_reviewers()},
          url_args={"application_id": "review_application_id"},
          data={"action": "submit", "confirmed": "1"}),
]


def build_reviews_world(app, world) -> None:
    from engage.accounts.models import User
    from engage.core.clock import local_today
    from engage.core.db import utcnow
    from engage.extensions import db
    from engage.reviews import services, storage
    from engage.reviews.models import Application, Assignment, CallStatus

    if not app.config.get("REVIEWS_UPLOAD_DIR"):
        folder = tempfile.mkdtemp(prefix="engage-reviews-")
        atexit.register(shutil.rmtree, folder, True)
        app.config["REVIEWS_UPLOAD_DIR"] = folder
    with app.app_context():
        nobody = SimpleNamespace(id=None)

        def call(status):
            created = services.create_call(
                nobody, texts={"en": ("Matrix call", "")},
                review_opens_on=local_today() - timedelta(days=1),
                review_deadline=local_today() + timedelta(days=10))
            created.status = status
            return created

        open_call, draft_call, decided_call = (
            call(CallStatus.OPEN), call(CallStatus.DRAFT), call(CallStatus.DECIDED))
        application = Application(call=open_call, acronym="MATRIX", title="Matrix",
                                  lay_summary="A summary.", summary_language="en",
                                  pdf_filename=storage.PROJECT_PDFS.save(PDF), pdf_size=len(PDF))
        decided = Application(call=decided_call, acronym="DONE", title="Done",
                              lay_summary="A summary.", summary_language="en")
        db.session.add_all([application, decided])
        db.session.flush()
        reviewer = db.session.get(User, world["user_ids"]["reviewer"])
        cleared = Assignment(application=application, reviewer=reviewer,
                             no_conflict_declared_at=utcnow(),
                             confidentiality_accepted_at=utcnow())
        fresh_reviewer = User(email="fresh-reviewer@matrix.example", display_name="Fresh",
                              language="en", lay_reviewer=True, email_confirmed_at=utcnow(),
                              privacy_consent_at=utcnow(), password_hash="!")
        fresh = Assignment(application=application, reviewer=fresh_reviewer)
        db.session.add_all([cleared, fresh_reviewer, fresh])
        db.session.commit()
        world.update(
            review_call_id=open_call.id, review_application_id=application.id,
            review_draft_call_id=draft_call.id,
            review_draft_criterion_id=draft_call.criteria[0].id,
            review_decided_call_id=decided_call.id, review_decided_application_id=decided.id,
            review_fresh_assignment_id=fresh.id,
        )


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*REVIEW_ROUTES)
    WORLD_BUILDERS.append(build_reviews_world)
