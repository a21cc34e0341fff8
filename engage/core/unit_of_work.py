"""The request's unit of work: one commit when the answer is a success, else a rollback.

Services flush and routes never commit. Once the view has answered, the answer decides:
a status below 400 commits what the request wrote, then hands the queued emails to the
sender; an error answer (403, 404, a 422 form with its errors...) or an exception rolls
everything back, so no email leaves for a write that was undone.

A domain error turned into a flash before a redirect (a 302, yet a refusal) goes through
`flash_refusal(error)`, which rolls the request back too. A route that must keep what it
wrote although it answers with an error (a new confirmation link sent while the sign-in
form says "confirm your address first") says so with `keep_despite_error_answer()`; an
exception or a 5xx answer still rolls back.
"""

from flask import Flask, flash, g

from engage.extensions import db

ERROR_STATUS = 400
SERVER_ERROR_STATUS = 500


def keep_despite_error_answer() -> None:
    """Commit this request's writes even though its answer will be an error page or form."""
    g.unit_of_work_keep = True


def flash_refusal(error) -> None:
    """Show a domain error on the next page; nothing this request wrote is kept."""
    flash(error.message, "error")
    g.unit_of_work_refused = True


def after_commit(action) -> None:
    """Run `action()` once this request's writes are committed (never after a rollback):
    for what cannot be undone, like deleting a replaced file."""
    g.setdefault("unit_of_work_after_commit", []).append(action)


def _commit_then_hand_over_outbox() -> None:
    try:
        db.session.commit()
    except Exception:
        # The error page that follows needs a usable session; nothing is handed over.
        _roll_back()
        raise
    for action in g.pop("unit_of_work_after_commit", []):
        action()
    if g.pop("outbox_pending", False):
        from engage.core.jobs import enqueue

        # Without Redis this delivers at once, in a transaction of its own after the request's.
        enqueue("engage.core.outbox:deliver_pending", job_id="deliver-outbox")


def _roll_back() -> None:
    g.pop("outbox_pending", None)
    g.pop("unit_of_work_after_commit", None)
    db.session.rollback()


def init_app(app: Flask) -> None:
    @app.after_request
    def end_unit_of_work(response):
        refused = g.pop("unit_of_work_refused", False)
        keep = g.pop("unit_of_work_keep", False) and response.status_code < SERVER_ERROR_STATUS
        if (response.status_code < ERROR_STATUS and not refused) or keep:
            _commit_then_hand_over_outbox()
        else:
            _roll_back()
        return response

    @app.teardown_request
    def roll_back_after_exception(error):
        # An exception that no handler turned into an answer skips `after_request`.
        if error is not None:
            _roll_back()
