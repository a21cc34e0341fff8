"""Themes of a consultation's contributions: the filtered list and one action on many of them
at once, the suggested themes (phrases the contributions share), merging themes."""

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from engage.consultations.models import Consultation, Theme
from engage.core import aggregate_cache, versions
from engage.core.auth import moderator_required
from engage.core.bounds import within_range
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.moderated import ModerationStatus
from engage.core.pagination import page_number
from engage.core.unit_of_work import flash_refusal
from engage.extensions import db
from engage.moderation import queries, services, suggestions
from engage.moderation.forms import (
    ApplySuggestionForm,
    BulkThemesForm,
    ContributionFilterForm,
    MergeThemesForm,
    SuggestionForm,
)
from engage.moderation.queries import ContributionFilters
from engage.moderation.routes import bp, excerpt

_PREFIX = re.compile(r"^s\d{1,3}$")


def _theme_choices() -> list[tuple[int, str]]:
    """Every theme as (id, name), in alphabetical order: read once per request."""
    if "moderation_theme_choices" not in g:
        g.moderation_theme_choices = queries.theme_choices(page_language())
    return g.moderation_theme_choices


# The contributions, their filters and the action on many at once


def _filters(consultation_id: int,
             formdata) -> tuple[ContributionFilterForm, ContributionFilters]:
    """The filter form read from `formdata`, and the filters it holds that are valid (an
    invalid one is shown with its error and left out of the list)."""
    form = ContributionFilterForm(formdata=formdata)
    form.theme.choices = [("", _("All themes")), (queries.NO_THEME, _("No theme"))] + [
        (str(theme_id), label) for theme_id, label in _theme_choices()]
    form.status.choices = [("", _("All statuses"))] + [
        (status, ModerationStatus(status).label) for status in queries.CONTRIBUTION_STATUSES]
    form.association.choices = [("", _("All, and without association"))] + [
        (str(association_id), name) for association_id, name
        in queries.contributing_associations(consultation_id)]
    form.validate()

    def valid(name: str, empty=""):
        field = form[name]
        return empty if field.errors or field.data in (None, "") else field.data

    filters = ContributionFilters(
        text=(valid("q") or "").strip(), theme=valid("theme"), status=valid("status"),
        date_from=valid("date_from", None), date_to=valid("date_to", None),
        association=valid("association"))
    return form, filters


def _bulk_choices(form: BulkThemesForm, choices: list[tuple[int, str]], total: int,
                  filtered: bool) -> None:
    form.scope.choices = [
        ("selected", _("The contributions ticked on this page")),
        ("filter", ngettext("The only contribution matching the filters",
                            "All %(num)d contributions matching the filters", total)
         if filtered else ngettext("The only contribution of the consultation",
                                   "All %(num)d contributions of the consultation", total)),
    ]
    form.action.choices = [("add", _("Give the theme")),
                           ("replace", _("Replace the theme by another")),
                           ("remove", _("Remove the theme"))]
    form.theme.choices = [("", _("Choose a theme")), *choices]
    form.replacement.choices = [("", _("Choose a theme")), *choices]


def _themes_page(consultation: Consultation, filter_form: ContributionFilterForm,
                 filters: ContributionFilters, form: BulkThemesForm, number: int,
                 checked: set[int] | None = None, select_page: bool = False, status: int = 200):
    language = page_language()
    page = queries.contributions_to_theme(consultation.id, filters, number)
    choices = _theme_choices()
    _bulk_choices(form, choices, page.total, bool(filters.as_args()))
    form.expected_total.data = str(page.total)
    if select_page:
        checked = {contribution.id for contribution in page.items}
    return render_template(
        "moderation/themes.html", view="contributions", consultation=consultation,
        title=consultation.title(language), page=page, filters=filters,
        filter_form=filter_form, form=form, labels=dict(choices),
        themes=queries.themes_of_contributions(page.items), checked=checked or set(),
        excerpt=excerpt, language=language,
    ), status


@bp.get("/consultations/<int:consultation_id>/themes")
@moderator_required
def themes(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    filter_form, filters = _filters(consultation_id, request.args)
    return _themes_page(consultation, filter_form, filters,
                        BulkThemesForm(formdata=None, prefix="bulk"), page_number(),
                        select_page=request.args.get("select") == "page",
                        status=422 if filter_form.errors else 200)


def _done_message(action: str, changed: int, theme: Theme, replacement: Theme | None) -> str:
    language = page_language()
    name = theme.label(language)
    if action == "add":
        return ngettext("The theme “%(name)s” is given to %(num)d contribution.",
                        "The theme “%(name)s” is given to %(num)d contributions.",
                        changed, name=name)
    if action == "replace" and replacement is not None:
        return ngettext("“%(name)s” is replaced by “%(other)s” on %(num)d contribution.",
                        "“%(name)s” is replaced by “%(other)s” on %(num)d contributions.",
                        changed, name=name, other=replacement.label(language))
    return ngettext("The theme “%(name)s” is removed from %(num)d contribution.",
                    "The theme “%(name)s” is removed from %(num)d contributions.",
                    changed, name=name)


def _targets(form: BulkThemesForm, consultation: Consultation,
             filters: ContributionFilters) -> list[int] | None:
    """The contributions the action is for; None (and an error on the form) when those
    matching the filters are not the ones the moderator was shown."""
    if form.scope.data != "filter":
        return list(form.contributions.data or [])
    ids = queries.matching_contribution_ids(consultation.id, filters)
    if str(len(ids)) != form.expected_total.data:
        form.scope.errors.append(ngettext(
            "The contributions matching the filters have changed: there is now %(num)d. "
            "Nothing was changed: please check the list and apply again.",
            "The contributions matching the filters have changed: there are now %(num)d. "
            "Nothing was changed: please check the list and apply again.", len(ids)))
        return None
    return ids


@bp.post("/consultations/<int:consultation_id>/themes/bulk")
@moderator_required
def bulk_themes(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    filter_form, filters = _filters(consultation_id, request.form)
    number = within_range(request.form.get("page", type=int)) or 1
    form = BulkThemesForm(prefix="bulk")
    _bulk_choices(form, _theme_choices(), 0, False)
    if form.validate_on_submit():
        ids = _targets(form, consultation, filters)
        theme = db.session.get(Theme, form.theme.data)
        replacement = db.session.get(Theme, form.replacement.data) \
            if form.action.data == "replace" and form.replacement.data else None
        if theme is None:  # deleted since the page was shown
            form.theme.errors.append(_("Please choose a theme from the list."))
        elif ids is not None:
            try:
                changed = services.change_themes(current_user, consultation, ids,
                                                       form.action.data, theme, replacement)
            except DomainError as error:
                form.contributions.errors.append(error.message)
            else:
                if changed:
                    flash(_done_message(form.action.data, changed, theme, replacement),
                          "success")
                else:
                    flash(_("Nothing changed: these contributions already had these themes."),
                          "info")
                return redirect(url_for("moderation.themes", consultation_id=consultation_id,
                                        page=number if number > 1 else None,
                                        **filters.as_args()))
    return _themes_page(consultation, filter_form, filters, form, number,
                        checked=set(form.contributions.data or []), status=422)


# Suggested themes: phrases the contributions share


def _suggestions(consultation_id: int) -> suggestions.Suggestions:
    """Kept between requests while nothing is written (engage.core.aggregate_cache)."""
    return aggregate_cache.remember(("theme-suggestions", consultation_id),
                                    lambda: suggestions.suggest(consultation_id),
                                    [versions.consultation(consultation_id)])


def _suggestions_page(consultation: Consultation, failed: ApplySuggestionForm | None = None,
                      status: int = 200):
    language = page_language()
    found = _suggestions(consultation.id)
    choices = [("", _("The theme named after the phrase")),
               *_theme_choices()]
    forms = {}
    for index, phrase in enumerate(found.phrases):
        if failed is not None and failed.key.data == phrase.key:
            form = failed
        else:
            form = ApplySuggestionForm(formdata=None, prefix=f"s{index}")
            form.key.data, form.expected.data = phrase.key, phrase.digest
        form.theme.choices = choices
        forms[phrase.key] = form
    if failed is not None and failed.key.data not in forms:
        flash(_("This suggestion does not exist any more: the contributions have changed. "
                "Nothing was changed."), "error")
    return render_template(
        "moderation/themes.html", view="suggestions", consultation=consultation,
        title=consultation.title(language), suggestions=found, forms=forms,
        labels=dict(choices[1:]), ignore_form=SuggestionForm(formdata=None),
        failed=failed, language=language,
    ), status


@bp.get("/consultations/<int:consultation_id>/themes/suggestions")
@moderator_required
def theme_suggestions(consultation_id):
    return _suggestions_page(db.get_or_404(Consultation, consultation_id))


@bp.post("/consultations/<int:consultation_id>/suggestions/accept")
@moderator_required
def accept_suggestion(consultation_id):
    consultation = db.get_or_404(Consultation, consultation_id)
    prefix = request.form.get("prefix", "")
    if not _PREFIX.match(prefix):
        abort(400)
    form = ApplySuggestionForm(prefix=prefix)
    form.theme.choices = [("", ""), *_theme_choices()]
    back = url_for("moderation.theme_suggestions", consultation_id=consultation_id)
    if form.validate_on_submit():
        try:
            theme, added = services.accept_suggestion(
                current_user, consultation, form.key.data, form.expected.data,
                theme_id=form.theme.data, language=page_language())
        except services.StaleItem as error:
            flash_refusal(error)
            return redirect(back)
        except DomainError as error:
            form.theme.errors.append(error.message)
        except IntegrityError:  # the same theme created by two moderators at once
            db.session.rollback()
            flash(_("Another moderator has already handled this suggestion."), "error")
            return redirect(back)
        else:
            flash(ngettext("The theme “%(name)s” is given to %(num)d contribution.",
                           "The theme “%(name)s” is given to %(num)d contributions.",
                           added, name=theme.label(page_language())), "success")
            return redirect(back)
    return _suggestions_page(consultation, failed=form, status=422)


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
    return redirect(url_for("moderation.theme_suggestions", consultation_id=consultation_id))


# Merging themes


@bp.route("/themes/merge", methods=["GET", "POST"])
@moderator_required
def merge_themes():
    form = MergeThemesForm()
    choices = _theme_choices()
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
