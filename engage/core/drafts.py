"""Text kept when a session ends while someone writes.

A form posted after the session ended (idle limit of privileged roles, signed out on another
device) cannot be taken back by the sign-in page, and the POST address opened afterwards answers
405. So the form's fields are kept on the server under a one-time key, the person signs in and
lands on a page that shows what they wrote, ready to be sent again to the same address with a
fresh CSRF token. Sending it deletes the kept copy (in the same unit of work: a refused send keeps
it); otherwise it is deleted after KEEP_FOR, and with the account.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import JSON, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from engage.core import registry
from engage.core.db import TimestampMixin, utcnow
from engage.core.navigation import is_local_path
from engage.extensions import Model, db, login_manager

KEEP_FOR = timedelta(hours=24)
# The hidden field that names the kept copy in the form sent again.
KEY_FIELD = "_kept_draft"
# Fields never kept: the token belongs to the ended session.
NOT_KEPT = {"csrf_token", KEY_FIELD}
# A value this long, or on several lines, is shown to be read and edited; shorter ones (choices,
# ids) travel in hidden fields.
SHOWN_FROM = 80

bp = Blueprint("drafts", __name__, url_prefix="/<lang_code>/kept")


class KeptDraft(TimestampMixin, Model):
    __tablename__ = "kept_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    # Known when the session ended by the idle limit; otherwise claimed by whoever signs in
    # with the key (it is unguessable and travels only through that person's redirect).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(2000))
    back: Mapped[str | None] = mapped_column(String(2000))
    fields: Mapped[list] = mapped_column(JSON, default=list)


def _same_site_path(url: str | None) -> str | None:
    """The path of `url` when it is a page of this site (the form's page, from the Referer)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local_path(path) else None


def _posted_fields() -> list[list[str]]:
    return [[name, value] for name, values in request.form.lists() if name not in NOT_KEPT
            for value in values]


def keep_posted_form(user_id: int | None = None) -> KeptDraft | None:
    """Keep the fields of the current POST, if anything was written in them."""
    if request.method != "POST":
        return None
    fields = _posted_fields()
    if not any(value.strip() for _, value in fields):
        return None
    db.session.execute(delete(KeptDraft).where(KeptDraft.created_at < utcnow() - KEEP_FOR))
    draft = KeptDraft(
        key=secrets.token_urlsafe(32),
        user_id=user_id,
        target=request.full_path.rstrip("?"),
        back=_same_site_path(request.referrer),
        fields=fields,
    )
    db.session.add(draft)
    return draft


def redirect_to_sign_in(user_id: int | None = None):
    """To the sign-in page, then back: to the kept form of a POST, else to the page asked for.

    The kept copy must survive the answer, which is a redirect (the unit of work commits it).
    """
    draft = keep_posted_form(user_id)
    destination: str | None
    if draft is not None:
        destination = url_for("drafts.restore", key=draft.key)
    elif request.method == "GET":
        destination = request.full_path.rstrip("?")
    else:  # a button with nothing written (support, follow): back to its page
        destination = _same_site_path(request.referrer)
    return redirect(url_for(login_manager.login_view or "pages.home", next=destination))


def _owned_draft(key: str) -> KeptDraft:
    draft = db.session.scalar(select(KeptDraft).where(KeptDraft.key == key))
    if draft is None or draft.created_at < utcnow() - KEEP_FOR:
        abort(404)
    if draft.user_id is None:
        draft.user_id = current_user.id
    elif draft.user_id != current_user.id:
        abort(404)
    return draft


@bp.get("/<key>")
@login_required
def restore(key: str):
    draft = _owned_draft(key)
    shown = [(name, value) for name, value in draft.fields
             if len(value) >= SHOWN_FROM or "\n" in value]
    hidden = [(name, value) for name, value in draft.fields if (name, value) not in shown]
    return render_template("drafts/kept.html", draft=draft, shown=shown, hidden=hidden,
                           key_field=KEY_FIELD)


def _forget_sent_draft() -> None:
    """A form sent again from the kept page: its kept copy goes with the request's commit."""
    key = request.form.get(KEY_FIELD) if request.method == "POST" else None
    if key and current_user.is_authenticated:
        db.session.execute(delete(KeptDraft).where(
            KeptDraft.key == key, KeptDraft.user_id == current_user.id))


def erase_account_drafts(user, delete_content: bool) -> None:
    """Kept text is the person's own writing: it goes whatever they chose for the rest."""
    db.session.execute(delete(KeptDraft).where(KeptDraft.user_id == user.id))


def _kept_for(user) -> list[dict]:
    """For "download my data": the texts kept for them now."""
    drafts = db.session.scalars(select(KeptDraft).where(KeptDraft.user_id == user.id)
                                .order_by(KeptDraft.id))
    return [{"kept_at": draft.created_at.isoformat(), "sent_to": draft.target,
             "fields": {name: value for name, value in draft.fields}} for draft in drafts]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_forget_sent_draft)
    entries = registry.of(app)
    entries.account_erasers.append(erase_account_drafts)
    entries.personal_data.append(registry.PersonalDataSection(
        "kept_drafts", _l("Texts kept when your session ended while you wrote"), _kept_for))

    @login_manager.unauthorized_handler
    def sign_in_first():
        flash(login_manager.login_message or "", login_manager.login_message_category)
        return redirect_to_sign_in()
