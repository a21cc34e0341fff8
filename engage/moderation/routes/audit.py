"""The audit log (administrators)."""

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from engage.accounts.models import Role, User
from engage.core.auth import admin_required
from engage.core.bounds import within_range
from engage.core.i18n import page_language
from engage.core.moderated import MODERATED_TARGETS
from engage.core.pagination import paginate
from engage.extensions import db
from engage.moderation.forms import AuditFilterForm
from engage.moderation.models import AuditAction, AuditEntry
from engage.moderation.routes import bp


@bp.get("/audit")
@admin_required
def audit():
    form = AuditFilterForm(request.args)
    language = page_language()
    form.action.choices = [("", _("All actions")), *AuditAction.choices()]
    form.target_type.choices = [("", _("All kinds"))] + [
        (name, str(target.label)) for name, target in MODERATED_TARGETS.items()
    ] + [("user", _("Account")), ("theme", _("Theme")), ("summary", _("Summary")),
         ("consultation", _("Consultation"))]
    moderators = db.session.scalars(
        select(User).where(User.role.in_(Role.at_least(Role.MODERATOR))).order_by(User.display_name)
    ).all()
    form.actor.choices = [("", _("Everyone"))] + [("system", _("The platform (automatic)"))] + [
        (str(u.id), u.display_name) for u in moderators]
    statement = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if form.validate():
        if form.action.data:
            statement = statement.where(AuditEntry.action == form.action.data)
        if form.target_type.data:
            statement = statement.where(AuditEntry.target_type == form.target_type.data)
        if form.actor.data == "system":
            statement = statement.where(AuditEntry.actor_id.is_(None))
        elif form.actor.data:
            statement = statement.where(AuditEntry.actor_id == int(form.actor.data))
    target_id = within_range(request.args.get("target_id", type=int))
    if target_id:
        statement = statement.where(AuditEntry.target_id == target_id)
    page = paginate(statement.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()))
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("moderation/audit.html", page=page, form=form, args=args,
                           language=language, targets=MODERATED_TARGETS)
