"""Moderators and administrators manage consultations, questions, documents and themes."""

import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from engage.consultations.models import (
    Consultation,
    ConsultationDocument,
    ConsultationQuestion,
    ConsultationStatus,
    Theme,
)
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count_in, hidden_value, post, sign_in_new

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(app):
    with stored(app):
        return builders.consultation("draft", with_questions=True).id


def manage_urls(item_id: int, question_id: int, document_id: int = 1):
    return [
        ("get", "/en/consultations/new"),
        ("post", "/en/consultations/new"),
        ("get", "/en/consultations/themes"),
        ("post", "/en/consultations/themes"),
        ("get", "/en/consultations/1/edit".replace("1", str(item_id))),
        ("get", f"/en/consultations/{item_id}/manage"),
        ("post", f"/en/consultations/{item_id}/status"),
        ("get", f"/en/consultations/{item_id}/questions/new"),
        ("get", f"/en/consultations/{item_id}/questions/{question_id}"),
        ("post", f"/en/consultations/{item_id}/questions/{question_id}/delete"),
        ("post", f"/en/consultations/{item_id}/questions/{question_id}/move"),
        ("post", f"/en/consultations/{item_id}/documents"),
        ("post", f"/en/consultations/{item_id}/documents/{document_id}/delete"),
    ]


def _question_id(app, item_id):
    with app.app_context():
        return db.session.get(Consultation, item_id).questions[0].id


@pytest.mark.parametrize("role", ["participant", "representative"])
def test_management_is_forbidden_to_others(app, client, auth, draft, role):
    sign_in_new(app, auth, role)
    for method, url in manage_urls(draft, _question_id(app, draft)):
        response = client.get(url) if method == "get" else post(client, url, {"target": "open"})
        assert response.status_code == 403, url


def test_management_needs_sign_in(app, client, draft):
    for method, url in manage_urls(draft, _question_id(app, draft)):
        response = client.get(url) if method == "get" else post(client, url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def _consultation_data(**overrides):
    data = {
        "title_fr": "Accès aux essais", "summary_fr": "Résumé", "body_fr": "Texte",
        "title_en": "Access to trials", "summary_en": "Summary", "body_en": "Text",
        "opens_on": "2030-01-01", "closes_on": "2030-02-01",
        "audience": "everyone", "moderation_policy": "pre",
    }
    data.update(overrides)
    return data


def test_create_a_consultation(app, client, auth):
    sign_in_new(app, auth, "admin")
    with stored(app):
        theme_id = builders.theme("Essais", "Trials").id
    form = client.get("/en/consultations/new")
    assert form.status_code == 200 and "Title (French)" in form.text
    data = _consultation_data(themes=str(theme_id),
                              submission_key=hidden_value(form.text, "submission_key"))
    created = post(client, "/en/consultations/new", data)
    assert created.status_code == 302 and created.headers["Location"].endswith("/manage")
    replay = post(client, "/en/consultations/new", data)  # a double click
    assert replay.status_code == 302
    assert count_in(app, Consultation) == 1
    with app.app_context():
        item = db.session.scalar(select(Consultation))
        assert item.status == ConsultationStatus.DRAFT and item.moderation_policy == "pre"
        assert [t.id for t in item.themes] == [theme_id]
        assert item.title("en") == "Access to trials"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"title_fr": "", "title_en": ""}, "Please give a title in this language"),
    ({"title_fr": "", "summary_fr": "", "body_fr": "", "title_en": "", "summary_en": "",
      "body_en": ""}, "Please write the consultation in at least one language."),
    ({"closes_on": "2029-01-01"}, "The closing date must come after the opening date."),
    ({"closes_on": "not a date"}, "Not a valid date value."),
    ({"title_en": "T" * 201}, "This text has 201 characters; the limit is 200."),
    ({"audience": "martians"}, "Not a valid choice"),
])
def test_consultation_form_errors_keep_the_text(app, client, auth, overrides, message):
    sign_in_new(app, auth, "moderator")
    response = post(client, "/en/consultations/new", _consultation_data(**overrides))
    assert response.status_code == 422
    assert message in response.text
    assert "Résumé" in response.text or overrides.get("summary_fr") == ""
    assert count_in(app, Consultation) == 0


def test_edit_a_consultation(app, client, auth, draft):
    sign_in_new(app, auth, "moderator")
    form = client.get(f"/en/consultations/{draft}/edit")
    assert "Living after cancer" in form.text
    saved = post(client, f"/en/consultations/{draft}/edit",
                 _consultation_data(title_en="Life after cancer", title_fr="", summary_fr="",
                                    body_fr=""))
    assert saved.status_code == 302
    with app.app_context():
        item = db.session.get(Consultation, draft)
        assert item.title("en") == "Life after cancer" and item.available_languages() == ["en"]


def test_archived_consultations_cannot_be_edited(app, client, auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item_id = builders.consultation("archived").id
    assert client.get(f"/en/consultations/{item_id}/edit").status_code == 403
    page = client.get(f"/en/consultations/{item_id}/manage")
    assert page.status_code == 200 and "Add a document" not in page.text


def test_status_moves(app, client, auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item = builders.consultation("draft")
        item.closes_on = None
        item_id = item.id
    manage = client.get(f"/en/consultations/{item_id}/manage")
    assert "Open the consultation" in manage.text
    refused = post(client, f"/en/consultations/{item_id}/status",
                   {"target": "open", "confirmed": "1"})
    assert refused.status_code == 422 and "closing date" in refused.text
    with stored(app):
        db.session.get(Consultation, item_id).closes_on = builders.local_today()
    for target in ("open", "closed", "summarized", "archived"):
        moved = post(client, f"/en/consultations/{item_id}/status",
                     {"target": target, "confirmed": "1"})
        assert moved.status_code == 302, target
    backwards = post(client, f"/en/consultations/{item_id}/status", {"target": "open"})
    assert backwards.status_code == 422 and "cannot go from" in backwards.text
    assert post(client, f"/en/consultations/{item_id}/status", {}).status_code == 400
    with app.app_context():
        item = db.session.get(Consultation, item_id)
        assert item.status == ConsultationStatus.ARCHIVED and item.archived_at is not None


def _question_data(**overrides):
    data = {"kind": "single_choice", "required": "y",
            "text_fr": "Êtes-vous ?", "options_fr": "Patient\nProche\n",
            "text_en": "Are you?", "options_en": "Patient\nCarer"}
    data.update(overrides)
    return data


def test_add_edit_move_and_delete_questions(app, client, auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item_id = builders.consultation("draft").id
    form = client.get(f"/en/consultations/{item_id}/questions/new")
    key = hidden_value(form.text, "submission_key")
    added = post(client, f"/en/consultations/{item_id}/questions/new",
                 _question_data(submission_key=key))
    assert added.status_code == 302
    post(client, f"/en/consultations/{item_id}/questions/new", _question_data(submission_key=key))
    assert count_in(app, ConsultationQuestion) == 1
    post(client, f"/en/consultations/{item_id}/questions/new",
         _question_data(kind="scale", text_en="How much?", text_fr="Combien ?",
                        scale_min_en="Little", scale_max_en="A lot"))
    with app.app_context():
        first, second = db.session.get(Consultation, item_id).questions
        first_id, second_id = first.id, second.id
        assert [o.label("en") for o in first.options] == ["Patient", "Carer"]
    edit = client.get(f"/en/consultations/{item_id}/questions/{first_id}")
    assert "Patient\nCarer" in edit.text
    saved = post(client, f"/en/consultations/{item_id}/questions/{first_id}",
                 _question_data(options_fr="Oui\nNon\nPeut-être",
                                options_en="Yes\nNo\nMaybe"))
    assert saved.status_code == 302
    post(client, f"/en/consultations/{item_id}/questions/{second_id}/move", {"direction": "up"})
    with app.app_context():
        questions = db.session.get(Consultation, item_id).questions
        assert [q.id for q in questions] == [second_id, first_id]
        assert [o.label("en") for o in questions[1].options] == ["Yes", "No", "Maybe"]
    assert post(client, f"/en/consultations/{item_id}/questions/{second_id}/move",
                {}).status_code == 400
    post(client, f"/en/consultations/{item_id}/questions/{second_id}/delete")
    assert count_in(app, ConsultationQuestion) == 1


@pytest.mark.parametrize(("overrides", "message"), [
    ({"options_fr": "Seule", "options_en": "Only"}, "Give at least two options"),
    ({"options_en": "Patient\nCarer\nOther"}, "Give the same number of options"),
    ({"text_fr": "", "text_en": ""}, "Please write the question in at least one language."),
    ({"kind": "essay"}, "Not a valid choice"),
    ({"text_en": "Q" * 501}, "This text has 501 characters; the limit is 500."),
])
def test_question_form_errors(app, client, auth, draft, overrides, message):
    sign_in_new(app, auth, "moderator")
    before = count_in(app, ConsultationQuestion)
    response = post(client, f"/en/consultations/{draft}/questions/new", _question_data(**overrides))
    assert response.status_code == 422 and message in response.text
    assert count_in(app, ConsultationQuestion) == before


def test_questions_are_fixed_once_open(app, client, auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item = builders.consultation("open", with_questions=True)
        item_id, question_id = item.id, item.questions[0].id
    assert client.get(f"/en/consultations/{item_id}/questions/new").status_code == 403
    assert client.get(f"/en/consultations/{item_id}/questions/{question_id}").status_code == 403
    deleted = post(client, f"/en/consultations/{item_id}/questions/{question_id}/delete")
    assert deleted.status_code == 302
    assert count_in(app, ConsultationQuestion) == 5
    assert "Questions cannot change" in client.get(f"/en/consultations/{item_id}/manage").text


# Documents


def _upload(client, item_id, content: bytes, name="report.pdf", title="The report", key=None):
    data = {"title": title, "language": "fr",
            "file": (io.BytesIO(content), name, "application/pdf")}
    if key:
        data["submission_key"] = key
    return post(client, f"/en/consultations/{item_id}/documents", data,
                content_type="multipart/form-data")


def test_upload_and_download_a_pdf(app, client, auth, draft, uploads):
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/consultations/{draft}/manage")
    key = hidden_value(page.text, "submission_key")
    response = _upload(client, draft, PDF, name="../../Compte rendu é.pdf", key=key)
    assert response.status_code == 302
    _upload(client, draft, PDF, key=key)  # the same upload sent twice
    assert count_in(app, ConsultationDocument) == 1
    [stored_file] = list(uploads.iterdir())
    assert stored_file.read_bytes() == PDF and stored_file.name != "report.pdf"
    with app.app_context():
        document = db.session.scalar(select(ConsultationDocument))
        document_id = document.id
        assert document.original_name == "Compte rendu é.pdf" and document.size == len(PDF)
    with client.get(f"/en/consultations/{draft}/documents/{document_id}") as download:
        assert download.status_code == 200 and download.data == PDF
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in download.headers["Cache-Control"]  # a draft's document
    # The public does not see the documents of a draft.
    auth.sign_out()
    assert client.get(f"/en/consultations/{draft}/documents/{document_id}").status_code == 404


def test_documents_are_listed_on_the_public_page(app, client, auth, uploads):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item_id = builders.consultation("open").id
    _upload(client, item_id, PDF, title="Background note")
    auth.sign_out()
    page = client.get(f"/en/consultations/{item_id}")
    assert "Background note" in page.text and "PDF, 1 kB, French" in page.text


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"<html><script>alert(1)</script></html>", "fake.pdf", "Only PDF files are accepted."),
    (b"MZ\x90\x00 executable", "tool.pdf", "Only PDF files are accepted."),
    (b"", "empty.pdf", "The file is empty."),
    (b"%PDF-" + b"x" * 2048, "big.pdf", "The file is too large"),
])
def test_bad_uploads_are_refused(app, client, auth, draft, uploads, monkeypatch,
                                 content, name, message):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    sign_in_new(app, auth, "moderator")
    response = _upload(client, draft, content, name=name, title="Kept title")
    assert response.status_code == 422
    assert message in response.text and 'value="Kept title"' in response.text
    assert count_in(app, ConsultationDocument) == 0
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_upload_without_a_file_or_title(app, client, auth, draft, uploads):
    sign_in_new(app, auth, "moderator")
    no_file = post(client, f"/en/consultations/{draft}/documents", {"title": "Alone"})
    assert no_file.status_code == 422 and "Please choose a file." in no_file.text
    no_title = _upload(client, draft, PDF, title="")
    assert no_title.status_code == 422 and "Please give the document a title." in no_title.text
    assert count_in(app, ConsultationDocument) == 0


def test_remove_a_document(app, client, auth, draft, uploads):
    sign_in_new(app, auth, "moderator")
    _upload(client, draft, PDF)
    with app.app_context():
        document_id = db.session.scalar(select(ConsultationDocument.id))
    removed = post(client, f"/en/consultations/{draft}/documents/{document_id}/delete")
    assert removed.status_code == 302
    assert count_in(app, ConsultationDocument) == 0
    assert list(uploads.iterdir()) == []
    assert client.get(f"/en/consultations/{draft}/documents/{document_id}").status_code == 404


# Themes


def test_theme_names_differing_only_in_case_beyond_ascii(app, client, auth):
    # SQLite's lower() leaves "Æ" as it is: the comparison must not rely on it.
    sign_in_new(app, auth, "moderator")
    assert post(client, "/en/consultations/themes", {"label_fr": "Ætiologie"}).status_code == 302
    accented = post(client, "/en/consultations/themes", {"label_fr": "ætiologie"})
    assert accented.status_code == 422 and "already exists" in accented.text
    assert "ætiologie" in accented.text  # the text typed is kept
    assert count_in(app, Theme) == 1


def test_themes(app, client, auth):
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/consultations/themes")
    assert page.status_code == 200 and "No theme yet." in page.text
    created = post(client, "/en/consultations/themes", {"label_fr": "Emploi", "label_en": "Work"})
    assert created.status_code == 302
    duplicate = post(client, "/en/consultations/themes", {"label_fr": "emploi", "label_en": ""})
    assert duplicate.status_code == 422 and "already exists" in duplicate.text
    empty = post(client, "/en/consultations/themes", {"label_fr": "", "label_en": ""})
    assert empty.status_code == 422 and "at least one language" in empty.text
    with app.app_context():
        theme_id = db.session.scalar(select(Theme.id))
    edited = post(client, f"/en/consultations/themes/{theme_id}",
                  {"label_fr": "Travail", "label_en": "Work"})
    assert edited.status_code == 302
    assert "Travail" in client.get("/en/consultations/themes").text
    assert count_in(app, Theme) == 1


# Opening, and closing before the closing date, are confirmed first (engage/core/confirm.py)


def _resent_fields(page) -> dict:
    """The fields the confirmation page sends again, as the browser would send them."""
    return {name: html.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([^"]*)" value="([^"]*)">',
        page.text[page.text.index('class="confirm-form"'):])}


def _status_of(app, item_id) -> str:
    with app.app_context():
        return db.session.get(Consultation, item_id).status


def test_opening_says_the_questions_will_be_frozen_and_waits_for_confirmation(app, client,
                                                                              auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item = builders.consultation("draft", with_questions=True)
        item.closes_on = date(2099, 12, 31)
        item_id = item.id
    url = f"/en/consultations/{item_id}/status"
    until = ("Participants will be able to answer its questions and contribute until "
             "December 31, 2099, and its followers will be told.")
    frozen = ("Its questions are then frozen: they can no longer be added, changed or deleted, "
              "and the consultation cannot go back to draft.")
    # With JavaScript, the button opens a dialog saying it.
    manage = client.get(f"/en/consultations/{item_id}/manage")
    assert ('<button type="submit" class="button" data-confirm="confirm-open-consultation">'
            'Open the consultation</button>') in manage.text
    assert '<dialog id="confirm-open-consultation"' in manage.text
    assert until in manage.text and frozen in manage.text
    # Without it, the form's POST answers the second page, saying the same.
    asked = post(client, url, {"target": "open"})
    assert asked.status_code == 200
    assert "<h1>Open this consultation?</h1>" in asked.text
    assert until in asked.text and frozen in asked.text
    assert '<button type="submit" class="button">Open the consultation</button>' in asked.text
    assert f'<a class="button secondary" href="/en/consultations/{item_id}/manage">Cancel</a>' \
        in asked.text
    assert _status_of(app, item_id) == "draft"
    # Neither a GET nor a POST without its token opens it.
    assert client.get(f"{url}?target=open&confirmed=1").status_code == 405
    assert client.post(url, data={"target": "open", "confirmed": "1"}).status_code == 400
    assert _status_of(app, item_id) == "draft"
    fields = _resent_fields(asked)
    assert sorted(fields) == ["confirmed", "csrf_token", "target"]
    assert (fields["target"], fields["confirmed"]) == ("open", "1")
    opened = client.post(url, data=fields)
    assert opened.status_code == 302
    assert _status_of(app, item_id) == "open"


def test_closing_early_says_the_date_and_waits_for_confirmation(app, client, auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item = builders.consultation("open")
        item.closes_on = date(2099, 12, 31)
        item_id = item.id
    url = f"/en/consultations/{item_id}/status"
    statement = ("The consultation will close now, before its closing date (December 31, "
                 "2099): participants will no longer be able to answer its questions or "
                 "contribute.")
    manage = client.get(f"/en/consultations/{item_id}/manage")
    assert 'data-confirm="confirm-close-consultation">Close the consultation</button>' \
        in manage.text
    assert statement in manage.text
    asked = post(client, url, {"target": "closed"})
    assert asked.status_code == 200
    assert "<h1>Close this consultation early?</h1>" in asked.text
    assert statement in asked.text
    assert "A closed consultation cannot be opened again." in asked.text
    assert _status_of(app, item_id) == "open"
    closed = post(client, url, {"target": "closed", "confirmed": "1"})
    assert closed.status_code == 302
    assert _status_of(app, item_id) == "closed"


def test_closing_after_the_closing_date_is_not_asked_again(app, client, auth):
    sign_in_new(app, auth, "moderator")
    with stored(app):
        item_id = builders.consultation("past_closing").id
    manage = client.get(f"/en/consultations/{item_id}/manage")
    assert "<dialog" not in manage.text and "data-confirm" not in manage.text
    closed = post(client, f"/en/consultations/{item_id}/status", {"target": "closed"})
    assert closed.status_code == 302
    assert _status_of(app, item_id) == "closed"
