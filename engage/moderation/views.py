"""Moderation pages: the queue, one item and its actions, authors, themes, the audit log.

Every route needs a moderator (participants and representatives get 403), the audit log
an administrator.
"""

import json
import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from engage.accounts.models import Role, User
from engage.consultations.models import Consultation, Contribution, Theme
from engage.core.auth import admin_required, moderator_required
from engage.core.bounds import within_range
from engage.core.errors import DomainError
from engage.core.markdown import plain_text
from engage.core.moderated import (
    AUTO_HIDE_REASON,
    MODERATED_TARGETS,
    ModerationStatus,
    ReportReason,
    ReportStatus,
    report_threshold,
)
from engage.core.page_cache import cached_page
from engage.core.pagination import paginate
from engage.extensions import db
from engage.moderation import (
    permissions,
    personal_data,  # noqa: F401 - registers "my data" and the eraser
    queue,
    services,
    suggestions,
)
from engage.moderation.forms import (
    AuditFilterForm,
    BlockForm,
    BulkForm,
    HideForm,
    MergeThemesForm,
    RedactForm,
    StateForm,
    SuggestionForm,
    ThemesForm,
    accept_form_class,
)
from engage.moderation.models import AuditAction, AuditEntry, ContributionTheme
from engage.moderation.targets import register_all

bp = Blueprint("moderation", __name__, url_prefix="/<lang_code>/moderation")

ITEM_ACTIONS = ("approve", "hide", "restore", "dismiss")
CONTRIBUTIONS_PER_PAGE = 20
_REF = re.compile(r"^[a-z_]{1,30}:\d{1,12}$")


def _language() -> str:
    return str(get_locale())


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def hidden_reason_label(reason: str | None) -> str:
    if not reason:
        return ""
    if reason == AUTO_HIDE_REASON:
        return _("Reported by several people: hidden until a moderator reviews it")
    if reason in {r.value for r in ReportReason}:
        return ReportReason(reason).label
    return reason


def excerpt(text: str | None, limit: int = 240) -> str:
    plain = " ".join(plain_text(text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


@bp.app_context_processor
def _moderation_globals():
    return {
        "moderation_queue_count": queue.cached_queue_count,
        "can_moderate": permissions.can_moderate,
    }


@bp.app_template_global("hidden_reason_label")
def _hidden_reason_label(reason):
    return hidden_reason_label(reason)


@bp.app_template_filter("moderation_status_label")
def _moderation_status_label(status):
    return ModerationStatus(status).label


@bp.app_template_filter("report_status_label")
def _report_status_label(status):
    return ReportStatus(status).label


@bp.app_template_filter("pretty_json")
def _pretty_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


# The queue


@bp.get("/")
@moderator_required
@cached_page
def index():
    filters = queue.Filters.from_args(request.args)
    page = queue.queue_page(filters, _per_page(), _language())
    form = BulkForm(formdata=None)
    return render_template(
        "moderation/queue.html", page=page, filters=filters, form=form,
        sources=queue.sources(_language()), reasons=ReportReason.choices(),
        state_of=services.item_state, excerpt=excerpt, threshold=report_threshold(),
    )


@bp.post("/bulk")
@moderator_required
def bulk():
    form = BulkForm()
    refs = [ref for ref in request.form.getlist("items") if _REF.match(ref)]
    form.items.choices = [(ref, ref) for ref in refs]
    back = url_for("moderation.index", **queue.Filters.from_args(request.form).as_args())
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back)
    states = {ref: request.form.get(f"state:{ref}", "") for ref in refs}
    try:
        result = services.bulk(current_user, refs, form.action.data, reason=form.reason.data or "",
                               note=form.note.data or "", states=states)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if result.done:
        flash(_("Done for %(count)d item(s).", count=result.done), "success")
    for message in result.refused:
        flash(message, "error")
    return redirect(back)


# One item


def _load(target_type: str, target_id: int):
    item = services.load_item(target_type, target_id)
    if item is None:
        abort(404)
    return item


def _item_url(item) -> str:
    return url_for("moderation.item", target_type=item.MODERATION_TARGET, target_id=item.id)


def _history(target_type: str, target_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == target_type,
                                 AuditEntry.target_id == target_id)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(50)
    ))


def _item_forms(item, **given):
    state = services.item_state(item)
    forms = {
        "approve": StateForm(prefix="approve", formdata=None),
        "hide": HideForm(prefix="hide", formdata=None),
        "restore": StateForm(prefix="restore", formdata=None),
        "dismiss": StateForm(prefix="dismiss", formdata=None),
    }
    for form in forms.values():
        form.expected_state.data = state
    forms.update(given)
    return forms


def _item_page(item, status: int = 200, **forms):
    target = services.target_of(item)
    themes = []
    if isinstance(item, Contribution):
        ids = services.themes_of(item)
        themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(ids)))) if ids else []
    return render_template(
        "moderation/item.html", item=item, target=target,
        place=target.place(item, _language()), text=getattr(item, target.text_attribute) or "",
        reports=queue.reports_of(target.name, item.id),
        history=_history(target.name, item.id), forms=_item_forms(item, **forms),
        themes=themes, language=_language(), permissions=permissions,
        is_contribution=isinstance(item, Contribution),
    ), status


@bp.get("/items/<target_type>/<int:target_id>")
@moderator_required
def item(target_type, target_id):
    return _item_page(_load(target_type, target_id))


DONE_MESSAGES = {
    "approve": _l("The item is approved and published."),
    "hide": _l("The item is hidden. Its author has been told why."),
    "restore": _l("The item is visible again."),
    "dismiss": _l("The reports are dismissed."),
}


@bp.post("/items/<target_type>/<int:target_id>/<action>")
@moderator_required
def act(target_type, target_id, action):
    if action not in ITEM_ACTIONS:
        abort(404)
    item = _load(target_type, target_id)
    form = HideForm(prefix="hide") if action == "hide" else StateForm(prefix=action)
    if not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            abort(400)
        return _item_page(item, 422, **{action: form})
    expected = form.expected_state.data or None
    try:
        if action == "approve":
            services.approve(current_user, item, expected)
        elif action == "hide":
            services.hide(current_user, item, form.reason.data, form.note.data or "", expected)
        elif action == "restore":
            services.restore(current_user, item, expected)
        else:
            services.dismiss_reports(current_user, item, expected)
    except services.StaleItem as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_item_url(item))
    except DomainError as error:
        db.session.rollback()
        if action == "hide":
            form.reason.errors.append(error.message)
            return _item_page(_load(target_type, target_id), 422, hide=form)
        flash(error.message, "error")
        return redirect(_item_url(item))
    db.session.commit()
    flash(str(DONE_MESSAGES[action]), "success")
    if request.form.get("back") == "queue":
        return redirect(url_for("moderation.index"))
    return redirect(_item_url(item))


@bp.route("/items/<target_type>/<int:target_id>/redact", methods=["GET", "POST"])
@moderator_required
def redact(target_type, target_id):
    item = _load(target_type, target_id)
    target = services.target_of(item)
    if not permissions.can_redact(current_user, item, target.text_attribute):
        abort(403)
    form = RedactForm(prefix="redact")
    if request.method == "GET":
        form.expected_state.data = services.item_state(item)
        form.reason.data = ReportReason.HEALTH_DATA.value
    elif form.validate_on_submit():
        try:
            services.redact(current_user, item, form.passages.data, form.reason.data,
                            form.note.data or "", form.expected_state.data or None)
        except services.StaleItem as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(_item_url(item))
        except DomainError as error:
            db.session.rollback()
            item = _load(target_type, target_id)
            form.passages.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The passage is removed. Its author has been told why."), "success")
            return redirect(_item_url(item))
    status = 422 if form.errors else 200
    return render_template(
        "moderation/redact.html", item=item, target=target, form=form,
        text=getattr(item, target.text_attribute) or "", place=target.place(item, _language()),
    ), status


# Authors


def _user_page(author, form=None, status=200):
    form = form or BlockForm(prefix="block", formdata=None)
    return render_template("moderation/user.html", author=author, form=form,
                           unblock_form=StateForm(prefix="unblock", formdata=None),
                           permissions=permissions), status


@bp.get("/users/<int:user_id>")
@moderator_required
def user(user_id):
    return _user_page(db.get_or_404(User, user_id))


@bp.post("/users/<int:user_id>/block")
@moderator_required
def block_user(user_id):
    author = db.get_or_404(User, user_id)
    form = BlockForm(prefix="block")
    if not form.validate_on_submit():
        return _user_page(author, form, 422)
    try:
        services.block(current_user, author, form.reason.data)
    except services.StaleItem as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("moderation.user", user_id=user_id))
    except DomainError as error:
        db.session.rollback()
        form.reason.errors.append(error.message)
        return _user_page(db.get_or_404(User, user_id), form, 422)
    db.session.commit()
    flash(_("%(name)s is blocked: they can read, not write.", name=author.public_name),
          "success")
    return redirect(url_for("moderation.user", user_id=user_id))


@bp.post("/users/<int:user_id>/unblock")
@moderator_required
def unblock_user(user_id):
    author = db.get_or_404(User, user_id)
    if not StateForm(prefix="unblock").validate_on_submit():
        abort(400)
    try:
        services.unblock(current_user, author)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s can write again.", name=author.public_name), "success")
    return redirect(url_for("moderation.user", user_id=user_id))


# Themes


def _theme_choices(language: str):
    return [(theme.id, theme.label(language)) for theme in
            db.session.scalars(select(Theme).order_by(Theme.id))]


def _themes_page(consultation: Consultation, status: int = 200, accept_forms=None):
    language = _language()
    page = paginate(
        select(Contribution)
        .where(Contribution.consultation_id == consultation.id, Contribution.visible_clause())
        .options(joinedload(Contribution.author), joinedload(Contribution.association))
        .order_by(Contribution.created_at, Contribution.id),
        per_page=CONTRIBUTIONS_PER_PAGE,
    )
    ids = [c.id for c in page.items]
    tags: dict[int, set[int]] = {i: set() for i in ids}
    if ids:
        for contribution_id, theme_id in db.session.execute(
            select(ContributionTheme.contribution_id, ContributionTheme.theme_id)
            .where(ContributionTheme.contribution_id.in_(ids))
        ):
            tags[contribution_id].add(theme_id)
    for contribution in page.items:
        if contribution.theme_id:
            tags[contribution.id].add(contribution.theme_id)
    choices = _theme_choices(language)
    found = suggestions.suggest(consultation.id)
    languages = tuple(current_app.config["LANGUAGES"])
    accept_forms = accept_forms or {}
    for suggestion in (*found.keywords, *found.groups):
        if suggestion.key not in accept_forms:
            form = accept_form_class(languages)(prefix=f"s{len(accept_forms)}", formdata=None)
            form.key.data = suggestion.key
            form.contribution_ids.data = suggestion.ids_value
            form.theme.choices = [("", _("A new theme"))] + [(str(i), label)
                                                             for i, label in choices]
            form[f"label_{languages[0]}"].data = suggestion.label if \
                suggestion.kind == "keyword" else ""
            accept_forms[suggestion.key] = form
    return render_template(
        "moderation/themes.html", consultation=consultation,
        title=consultation.title(language), page=page, tags=tags, choices=choices,
        suggestions=found, accept_forms=accept_forms, codes=languages,
        ignore_form=SuggestionForm(formdata=None), excerpt=excerpt, language=language,
    ), status


@bp.get("/consultations/<int:consultation_id>/themes")
@moderator_required
def themes(consultation_id):
    return _themes_page(db.get_or_404(Consultation, consultation_id))


@bp.post("/contributions/<int:contribution_id>/themes")
@moderator_required
def tag(contribution_id):
    contribution = db.get_or_404(Contribution, contribution_id)
    if not permissions.can_tag(current_user, contribution):
        abort(403)
    form = ThemesForm()
    form.themes.choices = _theme_choices(_language())
    back = request.form.get("page", type=int)
    target = url_for("moderation.themes", consultation_id=contribution.consultation_id,
                     page=back if back and back > 1 else None,
                     _anchor=f"contribution-{contribution.id}")
    if not form.validate_on_submit():
        flash(_("Please choose themes from the list."), "error")
        return redirect(target)
    try:
        changed = services.set_themes(current_user, contribution, form.themes.data or [])
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(target)
    db.session.commit()
    flash(_("The themes of contribution #%(id)d are saved.", id=contribution.id) if changed
          else _("Nothing changed."), "success" if changed else "info")
    return redirect(target)


@bp.post("/consultations/<int:consultation_id>/suggestions/accept")
@moderator_required
def accept_suggestion(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    languages = tuple(current_app.config["LANGUAGES"])
    prefix = request.form.get("prefix", "")
    if not re.match(r"^s\d{1,3}$", prefix):
        abort(400)
    form = accept_form_class(languages)(prefix=prefix)
    form.theme.choices = [("", _("A new theme"))] + [(str(i), label)
                                                     for i, label in _theme_choices(_language())]
    if form.validate_on_submit():
        try:
            theme = services.accept_suggestion(
                current_user, consultation, form.key.data, form.contribution_id_list(),
                theme_id=int(form.theme.data) if form.theme.data else None, labels=form.labels(),
            )
        except services.StaleItem as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("moderation.themes", consultation_id=consultation_id))
        except DomainError as error:
            db.session.rollback()
            form[f"label_{languages[0]}"].errors.append(error.message)
        else:
            try:
                db.session.commit()
            except IntegrityError:  # accepted twice at once: the first one counts
                db.session.rollback()
                flash(_("Another moderator has already handled this suggestion."), "error")
            else:
                flash(_("The theme “%(name)s” is given to the suggested contributions.",
                        name=theme.label(_language())), "success")
            return redirect(url_for("moderation.themes", consultation_id=consultation_id))
    return _themes_page(db.get_or_404(Consultation, consultation_id), 422,
                        accept_forms={form.key.data: form})


@bp.post("/consultations/<int:consultation_id>/suggestions/ignore")
@moderator_required
def ignore_suggestion(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = SuggestionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.ignore_suggestion(current_user, consultation, form.key.data)
        db.session.commit()
    except (DomainError, IntegrityError) as error:
        db.session.rollback()
        flash(getattr(error, "message", None)
              or _("Another moderator has already handled this suggestion."), "error")
    else:
        flash(_("The suggestion is ignored: it will not be proposed again."), "success")
    return redirect(url_for("moderation.themes", consultation_id=consultation_id))


@bp.route("/themes/merge", methods=["GET", "POST"])
@moderator_required
def merge_themes():
    form = MergeThemesForm()
    choices = _theme_choices(_language())
    form.source.choices = [(0, _("Choose a theme"))] + choices
    form.target.choices = [(0, _("Choose a theme"))] + choices
    if form.validate_on_submit():
        source = db.session.get(Theme, form.source.data)
        target = db.session.get(Theme, form.target.data)
        if source is None or target is None:
            form.source.errors.append(_("Please choose a theme."))
        else:
            source_label = source.label(_language())
            try:
                services.merge_themes(current_user, source, target)
            except DomainError as error:
                db.session.rollback()
                form.target.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("“%(source)s” is merged into “%(target)s”.", source=source_label,
                        target=target.label(_language())), "success")
                return redirect(url_for("moderation.merge_themes"))
    status = 422 if form.errors else 200
    return render_template("moderation/merge_themes.html", form=form), status


# The audit log


@bp.get("/audit")
@admin_required
def audit():
    form = AuditFilterForm(request.args)
    language = _language()
    form.action.choices = [("", _("All actions"))] + AuditAction.choices()
    form.target_type.choices = [("", _("All kinds"))] + [
        (name, str(target.label)) for name, target in MODERATED_TARGETS.items()
    ] + [("user", _("Account")), ("theme", _("Theme")), ("summary", _("Summary")),
         ("consultation", _("Consultation"))]
    moderators = db.session.scalars(
        select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN])).order_by(User.display_name)
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


# The area plugs into the shared machinery.

register_all()


def _on_auto_hide(item) -> None:
    from engage.moderation.notifications import tell_moderators_auto_hidden

    services._record_item(None, AuditAction.AUTO_HIDE, item, reason=AUTO_HIDE_REASON,
                          before={"status": "published"},
                          after={"status": item.moderation_status,
                                 "open_reports": item.open_report_count})
    tell_moderators_auto_hidden(item)


