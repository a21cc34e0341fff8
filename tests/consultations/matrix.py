"""Consultations' rows of the authorization matrix (tests/security/matrix.py) and its world.

`register()` adds them once; tests/consultations/conftest.py calls it, so that a run of
the whole suite walks these routes too.

The world: an open consultation with a questionnaire, a theme and a PDF; a contribution
by someone outside the matrix's roles (to reply to, support, report); a contribution by
the matrix's "participant" (its author: edit, delete, history); and a draft with a
question and a document, for the management routes.
"""

import atexit
import shutil
import tempfile

from tests.security.matrix import (
    FORBIDDEN,
    OK,
    ROLES,
    SIGN_IN,
    Route,
    everyone,
    moderators,
    routes,
    signed_in,
)
from tests.security.world import WORLD_BUILDERS


def writers():
    """Signed in and allowed to write: the blocked account is refused."""
    return {**signed_in(), "blocked": FORBIDDEN}


def author_only():
    return {**dict.fromkeys(ROLES, FORBIDDEN), "visitor": SIGN_IN, "participant": OK}


def author_and_moderators():
    return {**author_only(), "moderator": OK, "officer": OK, "admin": OK}


OPEN = {"consultation_id": "consultation_open_id"}
DRAFT = {"consultation_id": "consultation_draft_id"}
OTHERS = {**OPEN, "contribution_id": "consultation_others_contribution_id"}
OWN = {**OPEN, "contribution_id": "consultation_own_contribution_id"}
BOTH = {"GET": moderators(), "POST": moderators()}

CONSULTATION_ROUTES = [
    # Reading
    Route("consultations.index", {"GET": everyone()}),
    Route("consultations.search", {"GET": everyone()}),
    Route("consultations.detail", {"GET": everyone()}, url_args=OPEN),
    Route("consultations.document", {"GET": everyone()},
          url_args={**OPEN, "document_id": "consultation_open_document_id"}),
    Route("consultations.contribution", {"GET": everyone()}, url_args=OTHERS),
    # Taking part
    Route("consultations.follow", {"POST": signed_in()}, url_args=OPEN),
    Route("consultations.unfollow", {"POST": signed_in()}, url_args=OPEN),
    Route("consultations.answer", {"GET": writers()}, url_args=OPEN),
    Route("consultations.save_answers", {"POST": writers()}, url_args=OPEN,
          data={"action": "draft"}),
    Route("consultations.contribute", {"POST": writers()}, url_args=OPEN,
          data={"body": "A matrix contribution"}),
    Route("consultations.reply", {"POST": writers()}, url_args=OTHERS,
          data={"body": "A matrix reply"}),
    Route("consultations.support", {"POST": signed_in()}, url_args=OTHERS),
    Route("consultations.withdraw_support", {"POST": signed_in()}, url_args=OTHERS),
    Route("consultations.report", {"GET": writers(), "POST": writers()}, url_args=OTHERS,
          data={"reason": "spam"}),
    Route("consultations.edit_contribution", {"GET": author_only(), "POST": author_only()},
          url_args=OWN, data={"body": "Edited in the matrix"}),
    Route("consultations.delete_contribution", {"GET": author_only(), "POST": author_only()},
          url_args=OWN),
    Route("consultations.history", {"GET": author_and_moderators()}, url_args=OWN),
    # Managing
    Route("consultations.new", BOTH, data={"title_en": "Matrix", "audience": "everyone",
                                           "moderation_policy": "post"}),
    Route("consultations.themes", BOTH, data={"label_en": "Matrix theme"}),
    Route("consultations.edit_theme", BOTH, url_args={"theme_id": "consultation_theme_id"},
          data={"label_en": "Renamed theme"}),
    Route("consultations.manage", {"GET": moderators()}, url_args=DRAFT),
    Route("consultations.edit", BOTH, url_args=DRAFT,
          data={"title_en": "Renamed", "audience": "everyone", "moderation_policy": "post"}),
    Route("consultations.change_status", {"POST": moderators()}, url_args=OPEN,
          data={"target": "closed"}),
    Route("consultations.new_question", BOTH, url_args=DRAFT,
          data={"kind": "free_text", "text_en": "A matrix question"}),
    Route("consultations.edit_question", BOTH,
          url_args={**DRAFT, "question_id": "consultation_draft_question_id"},
          data={"kind": "free_text", "text_en": "Changed"}),
    Route("consultations.move_question", {"POST": moderators()},
          url_args={**DRAFT, "question_id": "consultation_draft_question_id"},
          data={"direction": "down"}),
    Route("consultations.delete_question", {"POST": moderators()},
          url_args={**DRAFT, "question_id": "consultation_draft_question_id"}),
    Route("consultations.upload_document", {"POST": moderators()}, url_args=DRAFT,
          data={"title": "No file"}),
    Route("consultations.delete_document", {"POST": moderators()},
          url_args={**DRAFT, "document_id": "consultation_draft_document_id"}),
    # Closing before the closing date, confirmed (the row without `confirmed` is asked first:
    # engage/core/confirm.py); opening the draft, asked first.
    Route("consultations.change_status", {"POST": moderators()}, url_args=OPEN,
          data={"target": "closed", "confirmed": "1"}),
    Route("consultations.change_status", {"POST": moderators()}, url_args=DRAFT,
          data={"target": "open"}),
]


def build_consultations_world(app, world) -> None:
    import io

    from werkzeug.datastructures import FileStorage

    from engage.accounts.models import User
    from engage.extensions import db
    from tests.factories import consultations as builders

    if not app.config.get("UPLOAD_FOLDER"):
        folder = tempfile.mkdtemp(prefix="engage-consultations-")
        atexit.register(shutil.rmtree, folder, True)
        app.config["UPLOAD_FOLDER"] = folder

    def pdf():
        return FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="matrix.pdf")

    with app.app_context():
        from engage.consultations import services

        moderator = builders.moderator()
        theme = builders.theme("Matrice", "Matrix")
        open_one = builders.consultation("open", with_questions=True, themes=[theme],
                                         author=moderator)
        open_document, _ = services.add_document(moderator, open_one, title="Note",
                                                 language="en", file_storage=pdf())
        draft = builders.consultation("draft", with_questions=True, author=moderator)
        draft_document, _ = services.add_document(moderator, draft, title="Draft note",
                                                  language="en", file_storage=pdf())
        others = builders.contribution(open_one, builders.user(), "Someone else’s words")
        participant = db.session.get(User, world["user_ids"]["participant"])
        own = builders.contribution(open_one, participant, "The participant’s words")
        db.session.commit()
        world.update(
            consultation_open_id=open_one.id,
            consultation_draft_id=draft.id,
            consultation_theme_id=theme.id,
            consultation_open_document_id=open_document.id,
            consultation_draft_document_id=draft_document.id,
            consultation_draft_question_id=draft.questions[0].id,
            consultation_others_contribution_id=others.id,
            consultation_own_contribution_id=own.id,
        )


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    routes(*CONSULTATION_ROUTES)
    WORLD_BUILDERS.append(build_consultations_world)
