"""The public record: « Ce que vos avis ont changé » / "What your input changed" (the
figures, then the commitments and funded projects, filtered by status, theme and year), a
commitment's and a funded project's pages with the chain both ways, following them, their
update documents, and the chain of a contribution (a Jinja global for its page).

Pages are read models of queries.py (no ORM object reaches a template) and are kept by the
page cache while the record they show is unchanged (engage.core.page_cache). A draft
response's commitment or an unpublished project does not exist for the public (404);
network officers see it, to check it before publishing.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.accountability import figures, permissions, queries, services
from engage.accountability.models import Commitment, CommitmentStatus, FundedProject, Response
from engage.accountability.page_versions import COMMITMENTS
from engage.accountability.routes import bp
from engage.core import uploads, versions
from engage.core.errors import DomainError
from engage.core.i18n import page_language
from engage.core.markdown import render_markdown
from engage.core.page_cache import cached_page
from engage.core.pagination import page_number
from engage.extensions import db
from engage.summaries import citations

PER_PAGE = 10


def _published_only() -> bool:
    """Officers (and administrators) also see drafts, to check them before publishing."""
    return not permissions.can_manage(current_user)


# "What your input changed"


@bp.get("/")
@cached_page(scopes=lambda: [COMMITMENTS, *figures.scopes(), versions.CONTRIBUTIONS])
def impact():
    language = page_language()
    options = queries.impact_options(language)
    wanted = queries.ImpactFilter.from_args(
        request.args, [theme_id for theme_id, _label in options.themes], options.years)
    listed = queries.impact_page(wanted, language, page=page_number(),
                                 projects_page=page_number("projects_page"), per_page=PER_PAGE)
    return render_template(
        "accountability/impact.html", listed=listed, options=options, wanted=wanted,
        figures=figures.accountability_figures(), statuses=list(CommitmentStatus),
        language=language)


# A commitment, a project


def _commitment_body(view: queries.CommitmentView) -> Markup:
    """The commitment's text, its citations (`[#123]`) linked to the contributions still
    visible, as a summary's are."""
    answers = view.answers
    if answers is None or answers.consultation_id is None:
        return render_markdown(view.text.text)
    linked = [cited.id for cited in view.cited if cited.visible]
    return citations.render(view.text.text, answers.consultation_id, linked, page_language())


@bp.get("/commitments/<int:commitment_id>")
@cached_page(scopes=lambda commitment_id: [COMMITMENTS, versions.CONTRIBUTIONS])
def commitment(commitment_id):
    view = queries.commitment_view(commitment_id, page_language(), _published_only())
    if view is None:
        abort(404)
    return render_template(
        "accountability/commitment.html", view=view, body=_commitment_body(view),
        following=queries.follows(current_user, commitment_id=view.id),
        can_follow=permissions.can_follow(current_user, view), kind="commitments",
        language=page_language())


def _call_of(project_id: int) -> int | None:
    return db.session.scalar(select(FundedProject.call_id).where(FundedProject.id == project_id))


@bp.get("/projects/<int:project_id>")
@cached_page(scopes=lambda project_id: [COMMITMENTS, versions.CONTRIBUTIONS,
                                        versions.call(_call_of(project_id))])
def project(project_id):
    view = queries.project_view(project_id, page_language(), _published_only())
    if view is None:
        abort(404)
    return render_template(
        "accountability/project.html", view=view,
        following=queries.follows(current_user, project_id=view.id),
        can_follow=permissions.can_follow(current_user, view), kind="projects",
        language=page_language())


@bp.get("/documents/<int:document_id>")
def document(document_id):
    """A PDF of an update of a published commitment or project."""
    found = queries.public_document(document_id)
    if found is None:
        abort(404)
    return uploads.DOCUMENTS.send(found.stored_name, found.download_name)


# Following


def _followable(kind: str, item_id: int):
    """The published commitment or project (404 for the public when there is none)."""
    item: Commitment | FundedProject | None
    if kind == "commitments":
        item = db.session.scalar(select(Commitment).join(Response).where(
            Commitment.id == item_id, Response.published_at.is_not(None)))
    else:
        item = db.session.scalar(select(FundedProject).where(
            FundedProject.id == item_id, FundedProject.published_at.is_not(None)))
    if item is None:
        abort(404)
    return item


def _page_of(kind: str, item_id: int) -> str:
    if kind == "commitments":
        return url_for("accountability.commitment", commitment_id=item_id, _anchor="follow")
    return url_for("accountability.project", project_id=item_id, _anchor="follow")


@bp.post("/<any(commitments, projects):kind>/<int:item_id>/follow")
@login_required
def follow(kind, item_id):
    item = _followable(kind, item_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not permissions.can_follow(current_user, item):
        abort(403)
    try:
        services.follow(current_user, item)
    except IntegrityError:  # followed twice at once: once is enough
        db.session.rollback()
    except DomainError:
        abort(403)
    if kind == "commitments":
        flash(_("You follow this commitment: we will tell you of its updates."), "success")
    else:
        flash(_("You follow this project: we will tell you of its updates."), "success")
    return redirect(_page_of(kind, item_id))


@bp.post("/<any(commitments, projects):kind>/<int:item_id>/unfollow")
@login_required
def unfollow(kind, item_id):
    item = _followable(kind, item_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.unfollow(current_user, item)
    if kind == "commitments":
        flash(_("You no longer follow this commitment."), "success")
    else:
        flash(_("You no longer follow this project."), "success")
    return redirect(_page_of(kind, item_id))


# For the contribution's page (templates/consultations/contribution.html)


@bp.app_template_global()
def accountability_chain(contribution) -> tuple[queries.ChainResponse, ...]:
    """What came of a contribution: the responses, commitments, calls and funded projects
    that answer it (empty when nothing does yet)."""
    return queries.contribution_chain(contribution.id, contribution.consultation_id,
                                      page_language())
