"""The reminder command, the demo data and the PDF storage helpers."""

import io
from datetime import timedelta

import pytest
from flask_babel import force_locale

from engage.core.clock import local_today
from engage.core.commands import DEMO_PASSWORD
from engage.core.errors import DomainError
from engage.extensions import db
from engage.reviews import storage
from engage.reviews.cli import send_review_reminders_command
from engage.reviews.dashboard import build_dashboard
from engage.reviews.demo import DEMO_CALL_TITLE_FR, REVIEWERS
from engage.reviews.models import (
    Application,
    Assignment,
    CallStatus,
    FundingCall,
    FundingCallTranslation,
    Review,
    ReviewReminder,
)
from tests.conftest import outbox
from tests.helpers import Auth


def test_send_review_reminders_command_is_idempotent(app, runner, world):
    call_id = world.call(deadline_in=2)
    world.assign(world.application(call_id), world.reviewer(email="slow@example.org"))
    result = runner.invoke(send_review_reminders_command,
                           ["--base-url", "https://engage.example.org"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) queued, 1 message(s) delivered." in result.output
    again = runner.invoke(send_review_reminders_command, [])
    assert "0 reminder(s) queued" in again.output
    [message] = outbox(app, "slow@example.org")
    assert message.subject == "Reminder: 2 days left for your lay review"
    assert "https://engage.example.org/en/reviews/assignments" in message.body
    assert message.status in {"logged", "sent"}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ReviewReminder.id))) == 1


def test_send_review_reminders_command_with_a_date(app, runner, world):
    call_id = world.call(deadline_in=20)
    world.assign(world.application(call_id), world.reviewer(email="far@example.org"))
    assert "0 reminder(s)" in runner.invoke(send_review_reminders_command, []).output
    day = (local_today() + timedelta(days=13)).isoformat()
    result = runner.invoke(send_review_reminders_command, ["--today", day])
    assert "1 reminder(s) queued" in result.output
    assert outbox(app, "far@example.org")[0].subject.startswith("Reminder: 7 days left")
    bad = runner.invoke(send_review_reminders_command, ["--today", "tomorrow"])
    assert bad.exit_code != 0


def test_demo_data_is_complete_idempotent_and_shows_a_disagreement(app, runner):
    assert runner.invoke(args=["engage", "demo"]).exit_code == 0
    assert runner.invoke(args=["engage", "demo"]).exit_code == 0
    with app.app_context():
        # The demo's own call (the network's record adds a decided call of its own).
        [call] = db.session.scalars(db.select(FundingCall).where(FundingCall.translations.any(
            FundingCallTranslation.title == DEMO_CALL_TITLE_FR))).all()
        assert call.status == CallStatus.OPEN
        of_call = Application.call_id == call.id
        assert db.session.scalar(db.select(db.func.count(Application.id)).where(of_call)) == 6
        reviewers = {a.reviewer.email for a in db.session.scalars(
            db.select(Assignment).join(Application).where(of_call))}
        assert reviewers == {email for email, *_ in REVIEWERS}
        assert db.session.scalar(db.select(db.func.count(Review.id)).join(Assignment)
                                 .join(Application).where(of_call)) == 5
        board = build_dashboard(call)
        assert board.disagreements >= 1 and board.alpha is not None
        assert any(row.application.needs_reassignment for row in board.rows)
    for email, *_ in REVIEWERS:
        client = app.test_client()
        assert Auth(app, client).sign_in(email, DEMO_PASSWORD).status_code == 302, email
        assert client.get("/en/reviews/assignments").status_code == 200


def test_pdf_storage_helpers(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEWS_UPLOAD_DIR", str(tmp_path))
    with app.test_request_context("/en/"), force_locale("en"):
        monkeypatch.setitem(app.config, "REVIEWS_MAX_PDF_BYTES", 2 * 1024 * 1024)
        with pytest.raises(DomainError, match="at most 2 MB"):
            storage.PROJECT_PDFS.read(io.BytesIO(b"%PDF-" + b"0" * 3 * 1024 * 1024))
        with pytest.raises(DomainError, match="empty"):
            storage.PROJECT_PDFS.read(io.BytesIO(b""))
        name = storage.PROJECT_PDFS.save(storage.PROJECT_PDFS.read(io.BytesIO(b"%PDF-1.7 x")))
        assert storage.PROJECT_PDFS.path(name).read_bytes() == b"%PDF-1.7 x"
        for bad in ("../secret.pdf", "a/b.pdf", "x.txt", ""):
            assert storage.PROJECT_PDFS.path(bad) is None
        storage.PROJECT_PDFS.delete(name)
        assert storage.PROJECT_PDFS.path(name) is None


def test_project_pdfs_stay_out_of_the_public_documents(app, tmp_path, monkeypatch):
    from werkzeug.exceptions import NotFound

    from engage.core.uploads import DOCUMENTS

    # The default layout: the applications' folder inside the documents' folder.
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    monkeypatch.setitem(app.config, "REVIEWS_UPLOAD_DIR", str(tmp_path / "reviews"))
    with app.test_request_context("/en/"):
        name = storage.PROJECT_PDFS.save(b"%PDF-1.7 confidential")
        assert DOCUMENTS.path(name) is None
        with pytest.raises(NotFound):
            DOCUMENTS.send(name, "x.pdf")
        assert (tmp_path / "reviews" / name).stat().st_mode & 0o777 == 0o640
