"""Themes: tagging contributions, the suggested themes, merging themes."""

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from engage.consultations.models import Consultation, Contribution, Theme
from engage.core.auth import moderator_required
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.pagination import paginate
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.moderation import permissions, services, suggestions
from engage.moderation.forms import MergeThemesForm, SuggestionForm, ThemesForm, accept_form_class
from engage.moderation.models import ContributionTheme
from engage.moderation.routes import bp, excerpt

CONTRIBUTIONS_PER_PAGE = 20


def _theme_choices(language: str):
    return [(theme.id, theme.label(language)) for theme in
            db.session.scalars(select(Theme).order_by(Theme.id))]


def _themes_page(consultation: Consultation, status: int = 200, accept_forms=None):
    language = page_language()
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
    form.themes.choices = _theme_choices(page_language())
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
        flash_refusal(error)
        return redirect(target)
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
    form.theme.choices = [("", _("A new theme"))] + [
        (str(i), label) for i, label in _theme_choices(page_language())]
    if form.validate_on_submit():
        try:
            theme = services.accept_suggestion(
                current_user, consultation, form.key.data, form.contribution_id_list(),
                theme_id=int(form.theme.data) if form.theme.data else None, labels=form.labels(),
            )
        except services.StaleItem as error:
            flash_refusal(error)
            return redirect(url_for("moderation.themes", consultation_id=consultation_id))
        except DomainError as error:
            form[f"label_{languages[0]}"].errors.append(error.message)
        else:
            try:
                db.session.flush()  # where a race's unique-key clash shows
            except IntegrityError:  # accepted twice at once: the first one counts
                db.session.rollback()
                flash(_("Another moderator has already handled this suggestion."), "error")
            else:
                flash(_("The theme “%(name)s” is given to the suggested contributions.",
                        name=theme.label(page_language())), "success")
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
        db.session.flush()  # where a race's unique-key clash shows
    except DomainError as error:
        flash_refusal(error)
    except IntegrityError:  # ignored twice at once: the first one counts
        db.session.rollback()
        flash(_("Another moderator has already handled this suggestion."), "error")
    else:
        flash(_("The suggestion is ignored: it will not be proposed again."), "success")
    return redirect(url_for("moderation.themes", consultation_id=consultation_id))


@bp.route("/themes/merge", methods=["GET", "POST"])
@moderator_required
def merge_themes():
    form = MergeThemesForm()
    choices = _theme_choices(page_language())
    form.source.choices = [(0, _("Choose a theme")), *choices]
    form.target.choices = [(0, _("Choose a theme")), *choices]
    if form.validate_on_submit():
        source = db.session.get(Theme, form.source.data)
        target = db.session.get(Theme, form.target.data)
        if source is None or target is None:
            form.source.errors.append(_("Please choose a theme."))
        else:
            source_label = source.label(page_language())
            try:
                services.merge_themes(current_user, source, target)
            except DomainError as error:
                form.target.errors.append(error.message)
            else:
                flash(_("“%(source)s” is merged into “%(target)s”.", source=source_label,
                        target=target.label(page_language())), "success")
                return redirect(url_for("moderation.merge_themes"))
    status = 422 if form.errors else 200
    return render_template("moderation/merge_themes.html", form=form), status
