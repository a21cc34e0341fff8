"""Translated error pages, and the base class of domain errors.

An error page must never fail in turn: the full layout reads the signed-in user (and a
moderator's queue) from the database, so while the database restarts, rendering it failed
again and Werkzeug's bare "Internal Server Error" escaped, unstyled and without security
headers. So:

- a database that cannot be reached answers 503 with Retry-After, on a page that reads
  nothing from the database (`errors/without_database.html`), the visitor taken as signed
  out for that one answer (their session is kept);
- any other error page that cannot be rendered in full falls back to that page;
- every error answer gets the security headers here, with the very function that sets them
  after each request: an answer made while handling an error may skip the after-request
  functions.
"""

import logging

from flask import Flask, current_app, g, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as database_errors
from werkzeug.exceptions import HTTPException

from engage.core.unit_of_work import roll_back_quietly

log = logging.getLogger(__name__)

SERVICE_UNAVAILABLE = 503
RETRY_AFTER_SECONDS = 30
SECURITY_HEADERS_HOOK = "engage.security_headers"  # key in app.extensions


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
    414: _l("The address is too long"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is temporarily unavailable"),
}
ERROR_EXPLANATIONS = {
    400: _l("Please go back, check what you entered and try again."),
    403: _l("You do not have permission to see this page. If you think this is a mistake, "
            "contact the moderators."),
    404: _l("This page does not exist or has been moved. Check the address, or start again "
            "from the home page."),
    405: _l("Please go back and use the buttons on the page."),
    413: _l("The file you sent is larger than allowed. Please send a smaller file."),
    414: _l("This address is longer than the site accepts. Please go back and follow a link "
            "from the page, or start again from the home page."),
    429: _l("For your security, we have paused this action for a moment. Please wait a "
            "minute and try again."),
    500: _l("The error has been recorded and we will look into it. Please try again later."),
    503: _l("The site cannot reach its database for a moment. Please wait a minute, then "
            "try again. If you were sending a form, check afterwards whether it was saved."),
}

# Errors that say the database cannot be reached now (restarting, refusing connections, a
# connection cut, no connection free in the pool), rather than a mistake in a query.
DATABASE_UNAVAILABLE = (database_errors.OperationalError, database_errors.InterfaceError,
                        database_errors.DisconnectionError, database_errors.TimeoutError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or the error it wraps, says the database cannot be reached."""
    for _step in range(10):  # a bound, for an odd chain of errors
        if error is None:
            return False
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        if isinstance(error, database_errors.DBAPIError) and error.connection_invalidated:
            return True
        # Werkzeug's InternalServerError names the error that no handler took.
        error = getattr(error, "original_exception", None) or error.__cause__
    return False


def render_error(code: int, message=None):
    """The translated error page for `code` (500 for a code without a page of its own)."""
    code = code if code in ERROR_TITLES else 500
    if code == SERVICE_UNAVAILABLE:
        return page_without_database(code, message)
    try:
        body = render_template("errors/error.html", code=code, title=ERROR_TITLES[code],
                               explanation=message or ERROR_EXPLANATIONS[code])
    except Exception as error:
        # The answer stands; only the layout (the user, the menus) could not be read.
        log.error("The %s page could not be rendered in full; shown without the database",
                  code, exc_info=error)
        roll_back_quietly()
        return page_without_database(code, message)
    return _finished(make_response(body, code))


def page_without_database(code: int, message=None):
    """An error page that reads nothing from the database: the visitor is taken as signed
    out for this answer only, and the language comes from the address or the browser."""
    from engage.core.i18n import best_language
    from engage.extensions import login_manager

    # Flask-Login's own way to set the request's user (login_user and logout_user use it);
    # without it, the next `current_user` would ask the database again.
    login_manager._update_request_context_with_user()
    if not g.get("lang_code"):
        g.lang_code = best_language()
        refresh()  # a locale chosen earlier from the user's preference is chosen again
    body = render_template("errors/without_database.html", code=code,
                           title=ERROR_TITLES[code],
                           explanation=message or ERROR_EXPLANATIONS[code])
    return _finished(make_response(body, code))


def service_unavailable():
    return page_without_database(SERVICE_UNAVAILABLE)


def _finished(response):
    if response.status_code == SERVICE_UNAVAILABLE:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return current_app.extensions[SECURITY_HEADERS_HOOK](response)


def _security_headers_function(app: Flask):
    """The after-request function of engage.core.security that sets the security headers
    (it lives inside that module's init_app, which must run before this one)."""
    from engage.core import security

    for function in app.after_request_funcs.get(None, []):
        if function.__module__ == security.__name__ \
                and function.__name__ == "set_security_headers":
            return function
    raise RuntimeError("engage.core.security.init_app must run before errors.init_app")


def init_app(app: Flask) -> None:
    app.extensions[SECURITY_HEADERS_HOOK] = _security_headers_function(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext

        return render_error(
            400, gettext("The form had expired. Please go back, reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        # An error raised after the view (by the commit, say) reaches here wrapped in a 500.
        if database_unavailable(error):
            log.error("The database is unavailable: answered 503", exc_info=error)
            return service_unavailable()
        if error.code in ERROR_TITLES:
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def unexpected_error(error):
        roll_back_quietly()
        if database_unavailable(error):
            log.error("The database is unavailable: answered 503", exc_info=error)
            return service_unavailable()
        log.exception("Unhandled error")
        return render_error(500)
