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

Once the commit has succeeded the writes are kept, so the answer must say so: whatever
fails after it (an `after_commit` action, a listener of the session's commit, handing the
emails over) is logged, never turned into an error page. Emails that could not be handed
over stay queued in the outbox, where the next delivery finds them.
"""

import logging

from flask import Flask, flash, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.extensions import db

log = logging.getLogger(__name__)

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


def _note_commit(session) -> None:
    """First listener of every session's `after_commit`: the database has kept the writes,
    whatever the next listeners do."""
    if has_request_context():
        g.unit_of_work_committed = True


def _commit_then_hand_over_outbox() -> None:
    g.unit_of_work_committed = False
    try:
        db.session.commit()
    except Exception:
        if not g.pop("unit_of_work_committed", False):
            # The error page that follows needs a usable session; nothing is handed over.
            _roll_back()
            raise
        log.exception("A listener failed after the commit; the request's writes are kept")
        # The failed listener left the session in its "committed" state, where no query
        # may run: what follows (the delivery of the emails) needs a fresh one.
        db.session.close()
    g.pop("unit_of_work_committed", None)
    for action in g.pop("unit_of_work_after_commit", []):
        try:
            action()
        except Exception:
            log.exception("An action after the commit failed; the request's writes are kept")
    if g.pop("outbox_pending", False):
        _hand_over_outbox()


def _hand_over_outbox() -> None:
    from engage.core.jobs import enqueue

    try:
        # Without Redis this delivers at once, in a transaction of its own after the request's.
        enqueue("engage.core.outbox:deliver_pending", job_id="deliver-outbox")
    except Exception:
        log.exception("The queued emails could not be handed over; they stay in the outbox")
        # A delivery run at once that failed leaves its transaction open.
        roll_back_quietly()


def roll_back_quietly() -> None:
    """Rolls the session back. On a connection lost with the database the rollback may fail
    too: nothing of the request was kept anyway, and the answer (an error page, with its
    security headers set after this) must still go out."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("The session could not be rolled back", exc_info=True)


def _roll_back() -> None:
    g.pop("outbox_pending", None)
    g.pop("unit_of_work_after_commit", None)
    roll_back_quietly()


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_commit", _note_commit):
        # First, so that it runs even when a later listener fails.
        event.listen(Session, "after_commit", _note_commit, insert=True)

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
