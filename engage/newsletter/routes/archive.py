"""The archive of issues (a list, each issue's page) and its Atom feed, in the page's
language; what an issue lists is read again and shown if still published
(engage.newsletter.queries)."""

from flask import Response, abort, render_template
from flask_login import current_user

from engage.core.i18n import page_language
from engage.core.pagination import paginate
from engage.extensions import db
from engage.newsletter import permissions, queries
from engage.newsletter.routes import bp

FEED_SIZE = 20


@bp.get("/")
def archive():
    page = paginate(queries.archive_statement())
    return render_template("newsletter/archive.html", page=page,
                           can_subscribe=permissions.can_subscribe(current_user))


@bp.get("/<int:number>")
def issue(number):
    found = queries.issue_by_number(number)
    if found is None:
        abort(404)
    language = page_language()
    return render_template("newsletter/issue.html", issue=found, language=language,
                           sections=queries.issues_sections([found], language)[found.id],
                           can_subscribe=permissions.can_subscribe(current_user))


@bp.get("/feed.atom")
def feed():
    language = page_language()
    issues = list(db.session.scalars(queries.archive_statement().limit(FEED_SIZE)))
    xml = render_template("newsletter/feed.atom.html", issues=issues, language=language,
                          sections=queries.issues_sections(issues, language, external=True))
    return Response(xml, mimetype="application/atom+xml")
