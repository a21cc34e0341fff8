"""Deleting an account with "delete what I wrote" forgets the person everywhere.

One person takes part in every area and is moderated (a redacted passage, a hidden reply with
a note, reports by others quoting them, a block), is cited in a published summary and has
emails queued and sent. They delete their account through the real form. Then no column of
any table, and no page an administrator or a moderator can open, holds their name, address,
phone number or any text that the privacy notice says goes with the account. What the notice
says stays (sent answers, a contribution of a closed consultation, a submitted lay review)
is still found by the same search, so that a blind search cannot pass.
"""

import itertools
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_babel import force_locale
from sqlalchemy import JSON, String, select
from werkzeug.datastructures import MultiDict

from engage.accounts import services as account_services
from engage.accounts.models import Association, Membership, User
from engage.consultations import notifications, participation
from engage.consultations.models import Contribution
from engage.core import page_cache
from engage.core.clock import local_today
from engage.core.moderated import Report, file_report
from engage.core.outbox import OutboxMessage, OutboxStatus, deliver_pending
from engage.core.search import fulltext_match
from engage.extensions import db
from engage.moderation import services as moderation
from engage.moderation.models import AuditEntry
from engage.priorities import services as priorities
from engage.priorities.models import Stage, Submission
from engage.reviews import services as reviews
from engage.reviews.models import Application, CallStatus
from engage.summaries.models import Citation
from tests.factories import consultations as builders
from tests.factories import summaries as summary_builders
from tests.factories.users import PASSWORD
from tests.helpers import Auth, csrf_token
from tests.priorities.matrix import _exercise, _question

NAME = "Sasha Martineau-Ollivier"
PSEUDONYM = "Sashou Lune"
EMAIL = "sasha.martineau@example.org"
PHONE = "06 71 42 93 58"
# What goes with the account (plain words: nothing that HTML, JSON or Markdown would change).
GONE = {
    "name": NAME,
    "pseudonym": PSEUDONYM,
    "email": EMAIL,
    "phone": PHONE,
    "first version": "First version of my story about tiredness at work",
    "contribution": "Fatigue after radiotherapy kept me away from work for months",
    "reply": "Replying about my own chemotherapy in Creteil",
    "report": "This contribution names my neighbour in Creteil",
    "draft answer": "A draft answer about nausea never sent",
    "membership": "I chair the patients group of Melun",
    "submission": "Does swimming help children sleep after chemotherapy",
    "comment": "My comment on this indicative question about sleep",
    "themes": "paediatric oncology and sleep disorders",
    "institutions": "Hopital Saint-Louis de Melun",
    "declaration": "My cousin works in a partner laboratory in Melun",
    "unfinished review": "Half written review of the second application",
}
# What the privacy notice says stays, without the name.
KEPT = {
    "closed contribution": "I live far from the hospital and travel two hours each way",
    "answer": "My answer about nausea in the evening",
    "published submission": "A question now part of the published results about sleep",
    "review": "The lay summary is clear for families",
}


def _review_criteria(application, comment):
    return {c.id: reviews.CriterionInput(score=4, applicant_comment=comment,
                                         committee_comment=comment)
            for c in application.call.criteria}


def _consultations(person, moderator, other):
    """An open consultation (contribution edited and redacted, reply hidden, support, follow,
    answers, report) and one that is closed and summarised, citing the person."""
    open_one = builders.consultation("open", with_questions=True, author=moderator)
    someone_else = builders.contribution(open_one, other, "Someone else’s contribution")
    contribution, _ = participation.post_contribution(person, open_one, GONE["first version"])
    participation.edit_contribution(
        person, contribution,
        f"My name is {NAME}, write to {EMAIL} or call {PHONE}. {GONE['contribution']}.")
    participation.report_contribution(other, contribution, "health_data",
                                      f"It gives a phone number {PHONE}")
    moderation.redact(moderator, contribution, PHONE, "health_data", "Phone number removed")
    reply, _ = participation.post_reply(person, someone_else, GONE["reply"])
    moderation.hide(moderator, reply, "health_data", f"Gives the full name {NAME}")
    participation.support(person, someone_else)
    participation.report_contribution(person, someone_else, "other", GONE["report"])
    notifications.follow(person, open_one)
    questions = {q.kind: q for q in open_one.questions}
    participation.save_response(person, open_one, MultiDict({
        f"q{questions['free_text'].id}": KEPT["answer"],
        f"q{questions['single_choice'].id}": str(questions["single_choice"].options[0].id),
        f"q{questions['scale'].id}": "3"}), submit=True)
    other_one = builders.consultation("open", with_questions=True, author=moderator)
    free_text = next(q for q in other_one.questions if q.kind == "free_text")
    participation.save_response(person, other_one, MultiDict({
        f"q{free_text.id}": GONE["draft answer"]}), submit=False)
    closed_one = builders.consultation("open", author=moderator)
    closed, _ = participation.post_contribution(
        person, closed_one, f"{KEPT['closed contribution']}. Call me on {PHONE}.")
    moderation.redact(moderator, closed, f"Call me on {PHONE}.", "health_data")
    cited_too = builders.contribution(closed_one, other, "Travel costs a lot")
    closed_one.close()
    summary = summary_builders.published(moderator, closed_one, [closed, cited_too])
    return SimpleNamespace(
        open_consultation=open_one.id, closed_consultation=closed_one.id,
        contribution=contribution.id, reply=reply.id, someone_else=someone_else.id,
        closed_contribution=closed.id, cited=sorted([closed.id, cited_too.id]),
        summary=summary.id)


def _priorities(person, moderator, other):
    gathering = _exercise(moderator, Stage.GATHERING)
    submission = priorities.submit_question(person, gathering, group_id=gathering.groups[0].id,
                                            text=GONE["submission"], language="en")
    ranking_exercise = _exercise(moderator, Stage.INTERIM_RANKING)
    question, _ = _question(ranking_exercise, 1, other)
    comment = priorities.add_comment(person, question, GONE["comment"])
    file_report(other, comment, "other", f"Mentions {NAME}")
    priorities.save_ranking(person, ranking_exercise, group_id=ranking_exercise.groups[0].id,
                            question_ids=[question.id])
    published = _exercise(moderator, Stage.PUBLISHED)
    _question(published, 1, person)
    db.session.scalar(select(Submission).where(
        Submission.exercise_id == published.id)).text = KEPT["published submission"]
    return SimpleNamespace(
        exercises=[gathering.id, ranking_exercise.id, published.id], question=question.id,
        submission=submission.id, comment=comment.id)


def _lay_review(person, moderator):
    reviews.save_reviewer_profile(person, themes=GONE["themes"],
                                  institutions=GONE["institutions"])
    call = reviews.create_call(moderator, texts={"en": ("Living after cancer", "")},
                               review_opens_on=local_today() - timedelta(days=1),
                               review_deadline=local_today() + timedelta(days=10))
    call.status = CallStatus.OPEN
    reviewed = Application(call=call, acronym="DONE", title="Reviewed",
                           lay_summary="Summary.", summary_language="en")
    unfinished = Application(call=call, acronym="TODO", title="Not yet reviewed",
                             lay_summary="Summary.", summary_language="en")
    db.session.add_all([reviewed, unfinished])
    db.session.flush()
    done = reviews.assign(moderator, reviewed, person)  # emails the reviewer
    reviews.declare(person, done, links=[], details=GONE["declaration"], no_conflict=True,
                    confidentiality=True)
    reviews.save_review(person, done, criteria=_review_criteria(reviewed, KEPT["review"]),
                        overall_score=4, overall_applicant_comment=KEPT["review"],
                        overall_committee_comment=KEPT["review"], submit=True)
    todo = reviews.assign(moderator, unfinished, person, notify=False)
    reviews.declare(person, todo, links=[], details="", no_conflict=True, confidentiality=True)
    reviews.save_review(person, todo, criteria=_review_criteria(unfinished, "Draft"),
                        overall_score=None, overall_applicant_comment=GONE["unfinished review"],
                        overall_committee_comment="", submit=False)
    return SimpleNamespace(call=call.id, applications=[reviewed.id, unfinished.id])


def build_world(app) -> SimpleNamespace:
    with app.test_request_context("/en/"), force_locale("en"):
        person = builders.user("participant", display_name=NAME, email=EMAIL,
                               pseudonym=PSEUDONYM, lay_reviewer=True)
        moderator = builders.user("moderator", email="moderator@example.org")
        admin = builders.user("admin", email="admin@example.org")
        other = builders.user("participant")
        association = Association(name="Patients of the east")
        db.session.add(association)
        db.session.add(Membership(user=person, association=association,
                                  message=GONE["membership"]))
        moderation.block(moderator, person, f"Posted the phone number {PHONE} twice")
        moderation.unblock(moderator, person)
        # An administrator's decisions about the account, their reasons quoting the person.
        account_services.deactivate(admin, person, f"Asked by phone ({PHONE}) to pause")
        account_services.reactivate(admin, person)
        account_services.change_role(admin, person, "representative",
                                     f"{NAME} chairs an association")
        lay_review = _lay_review(person, moderator)
        db.session.flush()
        deliver_pending()  # commits: the emails so far are sent, the next ones wait
        consultations = _consultations(person, moderator, other)
        exercises = _priorities(person, moderator, other)
        db.session.commit()
        return SimpleNamespace(
            person=person.id, association=association.id, moderator=moderator.email,
            admin=admin.email, **vars(consultations), **vars(exercises), **vars(lay_review))


# Searching the database and the pages


def _stored_texts(app) -> list[tuple[str, str]]:
    """(table.column, value) for every text value of every row of every table."""
    found = []
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | JSON)]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        text = value if isinstance(value, str) else json.dumps(
                            value, ensure_ascii=False)
                        found.append((f"{table.name}.{column.name}", text))
    return found


SEARCHED = ("martineau", "radiotherapy", "creteil")  # words of the erased contributions


def _found_by_search(app) -> list[int]:
    """The contributions the full-text index finds for any of SEARCHED."""
    with app.app_context():
        dialect = db.engine.dialect.name
        return sorted({found for word in SEARCHED for found in db.session.scalars(
            select(Contribution.id).where(fulltext_match(
                "consultation_contributions", Contribution.id, dialect, [word])))})


def _where(strings: dict[str, str], texts) -> dict[str, list[str]]:
    """Each string's places (case-insensitive)."""
    found: dict[str, list[str]] = {}
    for place, text in texts:
        folded = text.casefold()
        for name, value in strings.items():
            if value.casefold() in folded:
                found.setdefault(name, []).append(place)
    return found


def _urls(app, ids) -> list[str]:
    """Every GET page whose arguments the world can fill, plus each item's moderation page."""
    values = {
        "lang_code": ["en"],
        "consultation_id": [ids.open_consultation, ids.closed_consultation],
        "summary_id": [ids.summary],
        "exercise_id": ids.exercises,
        "call_id": [ids.call],
        "application_id": ids.applications,
        "user_id": [ids.person],
        "association_id": [ids.association],
        "name": ["questions", "submissions", "rankings"],
    }
    together = {  # arguments that name one thing together
        ("consultation_id", "contribution_id"): [
            (ids.open_consultation, ids.contribution), (ids.open_consultation, ids.reply),
            (ids.open_consultation, ids.someone_else),
            (ids.closed_consultation, ids.closed_contribution)],
        ("exercise_id", "question_id"): [(ids.exercises[1], ids.question)],
    }
    urls = []
    with app.test_request_context("/"):
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            joint = [names for names in together if set(names) <= rule.arguments]
            alone = sorted(rule.arguments - {name for names in joint for name in names})
            if not set(alone) <= set(values):
                continue
            choices = [[dict(zip(names, pair, strict=True)) for pair in together[names]]
                       for names in joint] + [[{name: value} for value in values[name]]
                                              for name in alone]
            for combination in itertools.product(*choices):
                arguments = {key: value for part in combination for key, value in part.items()}
                urls.append(url_for(rule.endpoint, **arguments))
        items = [("contribution", ids.contribution), ("contribution", ids.reply),
                 ("contribution", ids.closed_contribution),
                 ("priority_submission", ids.submission), ("priority_comment", ids.comment)]
        for target_type, target_id in items:
            urls.append(url_for("moderation.item", lang_code="en", target_type=target_type,
                                target_id=target_id))
        for kind, item_id, exercise_id in (("submission", ids.submission, ids.exercises[0]),
                                           ("comment", ids.comment, ids.exercises[1])):
            urls.append(url_for("priorities.moderate", lang_code="en", exercise_id=exercise_id,
                                kind=kind, item_id=item_id))
        urls += [url_for("moderation.audit", lang_code=code, page=page)
                 for code in ("en", "fr") for page in (1, 2, 3)]
    return urls


def _signed_in(app, email):
    client = app.test_client()
    assert Auth(app, client).sign_in(email).status_code == 302
    return client


def _pages(client, urls) -> dict[str, tuple[int, str]]:
    """url -> (status, body)."""
    pages = {}
    for url in urls:
        with client.get(url) as response:
            pages[url] = (response.status_code, response.get_data().decode("utf-8", "replace"))
    return pages


def _shown(ids) -> dict[str, list[str]]:
    """Pages of the objects involved that each role must see (the search is not blind)."""
    moderator = [
        f"/en/consultations/{ids.open_consultation}",
        f"/en/consultations/{ids.closed_consultation}",
        f"/en/consultations/{ids.closed_consultation}/contributions/{ids.closed_contribution}",
        f"/en/summaries/{ids.summary}", "/en/moderation/", f"/en/moderation/users/{ids.person}",
        f"/en/moderation/items/contribution/{ids.contribution}",
        f"/en/moderation/items/contribution/{ids.reply}",
        f"/en/moderation/items/contribution/{ids.closed_contribution}",
        f"/en/priorities/{ids.exercises[2]}/submissions",
        f"/en/reviews/calls/{ids.call}/declarations",
        f"/en/reviews/applications/{ids.applications[0]}",
        "/en/account/my-data",
    ]
    return {"moderator": moderator,
            "admin": [*moderator, "/en/moderation/audit", "/fr/moderation/audit",
                      "/en/admin/users", "/en/admin/representation-requests",
                      f"/en/admin/users/{ids.person}"]}


def _delete_account(app, email):
    client = _signed_in(app, email)
    form = client.get("/en/account/delete")
    response = client.post("/en/account/delete", data={
        "password": PASSWORD, "confirm": "y", "delete_content": "y",
        "csrf_token": csrf_token(form)})
    assert response.status_code == 302, response.text[:500]


@pytest.fixture
def caches_on(app, monkeypatch):
    """Pages and aggregates are cached as in production: none may show what was erased."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.config, "AGGREGATE_CACHE_SECONDS", 30)
    yield
    with app.app_context():
        page_cache.clear()


def test_deleting_an_account_and_what_was_written_forgets_the_person(app, caches_on):
    ids = build_world(app)
    # The world holds every string, and the search finds them all.
    before = _where(GONE | KEPT, _stored_texts(app))
    assert sorted(before) == sorted(GONE | KEPT)
    assert _found_by_search(app) == sorted([ids.contribution, ids.reply])
    with app.app_context():
        assert {m.status for m in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == EMAIL))} == {OutboxStatus.LOGGED, OutboxStatus.QUEUED}
    admin, moderator = _signed_in(app, ids.admin), _signed_in(app, ids.moderator)
    urls = _urls(app, ids)
    audit_before = admin.get("/en/moderation/audit").text
    assert PHONE in audit_before and NAME in audit_before  # a redacted passage, a note
    # Cached now, while they still show the person.
    _pages(moderator, [f"/en/consultations/{ids.open_consultation}",
                       f"/en/summaries/{ids.summary}", "/en/moderation/"])

    _delete_account(app, EMAIL)

    stored = _where(GONE | KEPT, _stored_texts(app))
    assert not {name: places for name, places in stored.items() if name in GONE}
    assert sorted(stored) == sorted(KEPT)
    assert _found_by_search(app) == []  # the search index forgot them too
    must_show = _shown(ids)
    for role, client in (("admin", admin), ("moderator", moderator)):
        pages = _pages(client, urls + must_show[role])
        refused = [url for url in must_show[role] if pages[url][0] != 200]
        assert not refused, f"{role}: {refused}"
        leaks = _where(GONE, [(url, body) for url, (_status, body) in pages.items()])
        assert not leaks, f"{role}: {leaks}"
    # The audit log keeps the actions, says what was erased, in the reader's language.
    audit = admin.get("/en/moderation/audit?target_type=contribution").text
    assert audit.count("Before and after: erased when the account of the person concerned "
                       "was deleted.") == 3
    french = admin.get("/fr/moderation/audit?target_type=user").text
    assert '<html lang="fr"' in french and french.count('class="meta audit-erased"') == 2
    # What stays is still there, without the name: the cited contribution, the answers.
    summary = moderator.get(f"/en/summaries/{ids.summary}")
    assert summary.status_code == 200 and NAME not in summary.text
    closed = moderator.get(f"/en/consultations/{ids.closed_consultation}").text
    assert KEPT["closed contribution"] in closed and "Former participant" in closed
    with app.app_context():
        assert db.session.get(User, ids.person).deleted_at is not None
        assert sorted(db.session.scalars(select(Citation.contribution_id))) == ids.cited
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.target_type == "contribution",
            AuditEntry.target_id.in_([ids.contribution, ids.reply, ids.closed_contribution]))
            .order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor_id is not None, e.reason, e.is_erased) for e in entries] == [
            ("redact", True, "health_data", True), ("hide", True, "health_data", True),
            ("redact", True, "health_data", True)]
        assert not db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.body.contains(NAME))).all()
        # Reports on the deleted contribution went with it; the person's own report stays.
        assert [(r.target_id, r.reporter_id, r.details) for r in db.session.scalars(
            select(Report).where(Report.target_type == "contribution"))] == [
            (ids.someone_else, ids.person, "")]
