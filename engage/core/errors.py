"""Translated error pages, and the base class of domain errors."""

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """An invalid move in the domain; its message is shown to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
ERROR_EXPLANATIONS = {
    400: _l("Please go back, check what you entered and try again."),
    403: _l("You do not have permission to see this page. If you think this is a mistake, "
            "contact the moderators."),
    404: _l("This page does not exist or has been moved. Check the address, or start again "
            "from the home page."),
    405: _l("Please go back and use the buttons on the page."),
    413: _l("The file you sent is larger than allowed. Please send a smaller file."),
    429: _l("For your security, we have paused this action for a moment. Please wait a "
            "minute and try again."),
    500: _l("The error has been recorded and we will look into it. Please try again later."),
}


def render_error(code: int, message=None):
    code = code if code in ERROR_TITLES else 500
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=ERROR_TITLES[code],
            explanation=message or ERROR_EXPLANATIONS[code],
        ),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext

        return render_error(
            400, gettext("The form had expired. Please go back, reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in ERROR_TITLES:
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def unexpected_error(error):
        from engage.extensions import db

        log.exception("Unhandled error")
        db.session.rollback()
        return render_error(500)
