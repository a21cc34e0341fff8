"""Responses, commitments and their updates through the services: who may write, what the
audit log keeps, what a commitment answers, corrections, follows, "my data" and the version
counters."""

import io
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from engage.accountability import queries, services
from engage.accountability.models import (
    AccountabilityAuditEntry,
    Commitment,
    Follow,
    Response,
)
from engage.accountability.page_versions import COMMITMENTS
from engage.accounts.models import User
from engage.core import registry, uploads
from engage.core.errors import DomainError
from engage.extensions import db
from engage.priorities.models import Exercise, IndicativeQuestion, Stage
from engage.summaries.models import Summary
from tests.factories import accountability as build
from tests.factories import consultations, stored
from tests.helpers import bumped_scopes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = date(2026, 3, 2)


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer, admin = build.officer(), build.user("admin")
        moderator, follower = build.user("moderator"), build.user("participant")
        unconfirmed = build.user("unconfirmed")
        summary, items = build.published_summary()
        elsewhere = consultations.contribution(consultations.consultation("closed"), follower,
                                               "In another consultation")
        exercise = build.exercise()
        unpublished = build.exercise(Stage.INTERIM_RANKING, questions=1)
        return {
            "officer": officer.id, "admin": admin.id, "moderator": moderator.id,
            "follower": follower.id, "unconfirmed": unconfirmed.id, "summary": summary.id,
            "consultation": summary.consultation_id, "cited": [c.id for c in items],
            "elsewhere": elsewhere.id, "exercise": exercise.id,
            "questions": [q.id for q in _questions(exercise.id)],
            "unpublished_question": _questions(unpublished.id)[0].id,
        }


def _questions(exercise_id):
    return db.session.scalars(select(IndicativeQuestion).where(
        IndicativeQuestion.exercise_id == exercise_id).order_by(IndicativeQuestion.number)).all()


def _get(model, object_id):
    return db.session.get(model, object_id)


def _audit() -> list[tuple]:
    return [(e.action, e.actor_id, e.target_type) for e in db.session.scalars(
        select(AccountabilityAuditEntry).order_by(AccountabilityAuditEntry.id))]


def _published(ctx, **input_fields) -> Commitment:
    officer = _get(User, ctx["officer"])
    response, _ = services.start_response(officer, exercise=_get(Exercise, ctx["exercise"]))
    commitment = services.add_commitment(officer, response, build.commitment_input(
        **input_fields))
    services.publish(officer, response)
    return commitment


def _pdf(name="report.pdf"):
    return FileStorage(io.BytesIO(PDF), filename=name)


# Writing and publishing


def test_a_response_is_written_published_and_every_step_audited(ctx):
    officer = _get(User, ctx["officer"])
    summary = _get(Summary, ctx["summary"])
    response, created = services.start_response(officer, summary=summary)
    assert created and not response.is_published
    assert services.start_response(officer, summary=summary) == (response, False)
    first, second = ctx["cited"]
    commitment = services.add_commitment(officer, response, build.commitment_input(
        text=f"We heard you [#{first}], and [#{ctx['elsewhere']}] and [#999999].",
        question_ids=[ctx["questions"][1]]))
    assert [c.contribution_id for c in commitment.citations] == [first]
    assert [q.number for q in commitment.questions] == [2]
    changed = build.commitment_input(text=f"Now citing [#{second}].", status="in_progress")
    assert services.edit_commitment(officer, commitment, changed)
    assert [c.contribution_id for c in commitment.citations] == [second]
    assert not services.edit_commitment(officer, commitment, changed)  # nothing changed
    services.publish(officer, response)
    assert response.is_published
    assert _audit() == [
        ("response_start", officer.id, "response"), ("commitment_add", officer.id, "commitment"),
        ("commitment_edit", officer.id, "commitment"), ("response_publish", officer.id, "response"),
    ]
    edit = db.session.scalars(select(AccountabilityAuditEntry).where(
        AccountabilityAuditEntry.action == "commitment_edit")).one()
    assert (edit.before_data["status"], edit.after_data["status"]) == ("planned", "in_progress")
    assert (edit.before_data["cited"], edit.after_data["cited"]) == ([first], [second])
    assert edit.target_id == commitment.id


def test_only_network_officers_and_administrators_record_the_response(ctx):
    exercise = _get(Exercise, ctx["exercise"])
    for role in ("moderator", "follower"):
        with pytest.raises(DomainError, match="Only network officers"):
            services.start_response(_get(User, ctx[role]), exercise=exercise)
    response, created = services.start_response(_get(User, ctx["admin"]), exercise=exercise)
    assert created
    with pytest.raises(DomainError, match="Only network officers"):
        services.add_commitment(_get(User, ctx["moderator"]), response, build.commitment_input())
    assert _audit() == [("response_start", ctx["admin"], "response")]


def test_a_commitment_answers_priorities_of_published_results_only(ctx):
    officer = _get(User, ctx["officer"])
    response, _ = services.start_response(officer, summary=_get(Summary, ctx["summary"]))
    with pytest.raises(DomainError, match="published results only"):
        services.add_commitment(officer, response, build.commitment_input(
            question_ids=[ctx["unpublished_question"]]))
    with pytest.raises(DomainError, match="published results only"):
        services.add_commitment(officer, response, build.commitment_input(
            question_ids=[ctx["questions"][0], 10**6]))
    assert response.commitments == []


def test_texts_need_a_title_and_fall_back_to_the_other_language(ctx):
    officer = _get(User, ctx["officer"])
    response, _ = services.start_response(officer, exercise=_get(Exercise, ctx["exercise"]))
    with pytest.raises(DomainError, match="give the commitment a title"):
        services.add_commitment(officer, response, build.commitment_input(
            texts={"en": ("  ", ""), "fr": ("", "")}))
    with pytest.raises(DomainError, match="title in each language you write in"):
        services.add_commitment(officer, response, build.commitment_input(
            texts={"en": ("Title", "Text"), "fr": ("", "Un texte sans titre")}))
    commitment = services.add_commitment(officer, response, build.commitment_input(
        texts={"fr": ("Rembourser les transports", "")}))
    assert [t.language for t in commitment.translations] == ["fr"]
    shown = commitment.translated("en")
    assert (shown.title, shown.language, shown.is_fallback) == \
        ("Rembourser les transports", "fr", True)


def test_a_published_response_is_fixed(ctx):
    officer = _get(User, ctx["officer"])
    commitment = _published(ctx)
    response = commitment.response
    entries = len(_audit())
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.edit_commitment(officer, commitment, build.commitment_input("Rewritten"))
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.add_commitment(officer, response, build.commitment_input())
    with pytest.raises(DomainError, match="a correction is an update"):
        services.remove_commitment(officer, commitment)
    with pytest.raises(DomainError, match="a correction is an update"):
        services.discard_response(officer, response)
    with pytest.raises(DomainError, match="already published"):
        services.publish(officer, response)
    assert len(_audit()) == entries
    assert commitment.title("en") == "Pay travel costs back"


def test_a_draft_is_changed_freely_and_discarded_on_record(ctx):
    officer = _get(User, ctx["officer"])
    response, _ = services.start_response(officer, exercise=_get(Exercise, ctx["exercise"]))
    first = services.add_commitment(officer, response, build.commitment_input("First"))
    second = services.add_commitment(officer, response, build.commitment_input("Second"))
    services.remove_commitment(officer, first)
    assert [(c.id, c.position) for c in response.commitments] == [(second.id, 0)]
    response_id = response.id
    services.discard_response(officer, response)
    assert _get(Response, response_id) is None
    assert [action for action, _actor, _target in _audit()] == [
        "response_start", "commitment_add", "commitment_add", "commitment_remove",
        "response_discard"]
    discarded = db.session.scalars(select(AccountabilityAuditEntry).where(
        AccountabilityAuditEntry.action == "response_discard")).one()
    assert [c["texts"]["en"][0] for c in discarded.before_data["commitments"]] == ["Second"]


# Updates and corrections


def test_an_update_tells_progress_changes_the_status_and_is_audited(ctx):
    officer = _get(User, ctx["officer"])
    commitment = _published(ctx, starts_on=date(2026, 1, 5))
    update = services.add_update(
        officer, commitment, texts={"en": "The first refunds were paid.", "fr": ""},
        happened_on=DAY, status="in_progress", due_on=date(2026, 9, 1),
        links=[("https://example.org/report", "The report"), ("", "")],
        documents=[("Progress report", _pdf())])
    assert (commitment.status, commitment.due_on) == ("in_progress", date(2026, 9, 1))
    assert (update.kind, update.status, update.text("fr")) == \
        ("progress", "in_progress", "The first refunds were paid.")
    assert update.links == [{"url": "https://example.org/report", "label": "The report"}]
    [document] = update.documents
    assert (document.title, document.original_name, document.size) == \
        ("Progress report", "report.pdf", len(PDF))
    assert uploads.DOCUMENTS.path(document.stored_name).read_bytes() == PDF
    entry = db.session.scalars(select(AccountabilityAuditEntry).where(
        AccountabilityAuditEntry.action == "commitment_update")).one()
    assert (entry.target_type, entry.target_id, entry.actor_id) == \
        ("commitment_update", update.id, officer.id)
    assert entry.before_data == {"commitment": commitment.id, "status": "planned",
                                 "due_on": None}
    assert entry.after_data["status"] == "in_progress"
    assert entry.after_data["documents"] == [document.stored_name]
    uploads.DOCUMENTS.delete(document.stored_name)


def test_an_update_refuses_what_the_rules_refuse(ctx):
    officer = _get(User, ctx["officer"])
    commitment = _published(ctx)
    refusals = [
        ({"status": "not_retained"}, "why this commitment is not retained"),
        ({"texts": {"en": " ", "fr": ""}}, "write what happened"),
        ({"links": [("javascript:alert(1)", "x")]}, "starting with https://"),
        ({"happened_on": None}, "date of the update"),
    ]
    for changes, message in refusals:
        arguments = {"texts": {"en": "News."}, "happened_on": DAY, **changes}
        with pytest.raises(DomainError, match=message):
            services.add_update(officer, commitment, **arguments)
    with pytest.raises(DomainError, match="Only network officers"):
        services.add_update(_get(User, ctx["moderator"]), commitment, texts={"en": "News."},
                            happened_on=DAY)
    assert commitment.updates == [] and commitment.status == "planned"
    services.add_update(officer, commitment, texts={"en": "Dropped."}, happened_on=DAY,
                        status="not_retained", reasons={"fr": "Le budget a été réduit."})
    assert (commitment.status, commitment.reason("en")) == \
        ("not_retained", "Le budget a été réduit.")


def test_a_correction_is_an_update_and_the_published_text_stays(ctx):
    officer = _get(User, ctx["officer"])
    commitment = _published(ctx)
    update = services.correct(officer, commitment,
                              texts={"en": "The owner is the regional office, not the patient "
                                           "office."}, happened_on=DAY)
    assert (update.kind, update.status) == ("correction", None)
    assert commitment.title("en") == "Pay travel costs back" and commitment.owner == \
        "Patient office"
    assert _audit()[-1] == ("commitment_correct", officer.id, "commitment_update")


def test_files_of_an_update_that_rolls_back_are_removed(app, ctx):
    officer = _get(User, ctx["officer"])
    commitment = _published(ctx)
    update = services.add_update(officer, commitment, texts={"en": "News."}, happened_on=DAY,
                                 documents=[("", _pdf("minutes.pdf"))])
    stored_name = update.documents[0].stored_name
    assert update.documents[0].title == "minutes.pdf"
    assert uploads.DOCUMENTS.path(stored_name) is not None
    db.session.rollback()
    assert uploads.DOCUMENTS.path(stored_name) is None


# Follows


def test_people_follow_and_unfollow_published_commitments(ctx):
    follower = _get(User, ctx["follower"])
    commitment = _published(ctx)
    entries = len(_audit())
    assert services.follow(follower, commitment)
    assert not services.follow(follower, commitment)  # once
    assert queries.is_following(follower, commitment)
    assert services.unfollow(follower, commitment)
    assert not services.unfollow(follower, commitment)
    assert not queries.is_following(follower, commitment)
    with pytest.raises(DomainError, match="cannot follow"):
        services.follow(_get(User, ctx["unconfirmed"]), commitment)
    draft, _ = services.start_response(_get(User, ctx["officer"]),
                                       summary=_get(Summary, ctx["summary"]))
    unpublished = services.add_commitment(_get(User, ctx["officer"]), draft,
                                          build.commitment_input())
    entries += 2  # the draft's own entries
    with pytest.raises(DomainError, match="cannot follow"):
        services.follow(follower, unpublished)
    assert len(_audit()) == entries  # following is not a change of the record


def test_my_data_lists_what_i_follow_and_deletion_removes_it(app, ctx):
    follower = _get(User, ctx["follower"])
    commitment = _published(ctx)
    services.follow(follower, commitment)
    section = next(s for s in registry.of(app).personal_data
                   if s.key == "accountability_follows")
    [row] = section.collect(follower)
    assert row["item"] == "Commitment: Pay travel costs back"
    assert row["since"][:4] == str(date.today().year)
    for eraser in registry.of(app).account_erasers:
        eraser(follower, False)
    assert db.session.scalars(select(Follow)).all() == []
    assert _get(Commitment, commitment.id) is not None


# Reading back, and what the writes change


def test_the_read_models_show_published_commitments_and_their_updates(ctx):
    officer = _get(User, ctx["officer"])
    first, _second = ctx["cited"]
    response, _ = services.start_response(officer, summary=_get(Summary, ctx["summary"]))
    commitment = services.add_commitment(officer, response, build.commitment_input(
        text=f"As said in [#{first}]."))
    assert queries.response_to(summary_id=ctx["summary"]) is None  # a draft
    assert queries.commitments_citing(first) == []
    services.publish(officer, response)
    services.add_update(officer, commitment, texts={"en": "Started."}, happened_on=DAY,
                        status="in_progress")
    shown = queries.response_to(summary_id=ctx["summary"])
    assert [c.id for c in shown.commitments] == [commitment.id]
    assert [c.id for c in queries.commitments_citing(first)] == [commitment.id]
    detailed = queries.commitment_with_updates(commitment.id)
    assert [(u.status, u.text("en")) for u in detailed.updates] == [("in_progress", "Started.")]
    assert queries.commitment_counts() == {"planned": 0, "in_progress": 1, "done": 0,
                                           "not_retained": 0}




def test_writes_bump_what_they_answer_and_the_list_of_commitments(ctx):
    officer = _get(User, ctx["officer"])
    follower = _get(User, ctx["follower"])
    holder = {}

    def respond_to_priorities():
        holder["commitment"] = _published(ctx)

    assert bumped_scopes(respond_to_priorities) == {f"exercise:{ctx['exercise']}", COMMITMENTS}

    def update():
        services.add_update(officer, _get(Commitment, holder["commitment"].id),
                            texts={"en": "News."}, happened_on=DAY, status="in_progress")

    assert bumped_scopes(update) == {f"exercise:{ctx['exercise']}", COMMITMENTS}

    def respond_to_the_summary():
        response, _ = services.start_response(officer, summary=_get(Summary, ctx["summary"]))
        services.add_commitment(officer, response, build.commitment_input())

    assert bumped_scopes(respond_to_the_summary) == {f"consultation:{ctx['consultation']}",
                                               COMMITMENTS}

    def follow():
        services.follow(follower, _get(Commitment, holder["commitment"].id))

    assert bumped_scopes(follow) == {f"user:{follower.id}"}
