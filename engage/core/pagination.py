"""Paginating select() statements for list pages."""

from flask import current_app, request

from engage.extensions import db


def paginate(statement, per_page: int | None = None):
    """A Flask-SQLAlchemy Pagination of `statement` for the `page` query parameter."""
    return db.paginate(
        statement,
        page=request.args.get("page", 1, type=int),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        max_per_page=100,
        error_out=False,
    )
