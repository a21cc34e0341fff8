"""Attack corpora: every text field that is shown back, in every area, gets every payload of
tests/security/corpus.py through the real form; every page that shows it back is checked
for live markup (tests/markup.py::live_markup) and 5xx answers.

One test per area and part of the corpus runs its payloads in a row (the pages then hold
many hostile texts at once, as they would in real life), collects every problem and reports
them together. The corpus is cut into PARTS so that the two test workers share it.

Where the database matters, and where it does not: escaping and output are the same
whatever the database, so the XSS and spreadsheet payloads run on PostgreSQL (the production
database) only. The SQL payloads go through every form on both databases, and every payload
goes through the searches on both (FTS5 on SQLite, tsquery on PostgreSQL).
Each test prints its figures (run with `-rA` or `-s` to see them); the closing summary of
the run adds them up (tests/security/conftest.py).
"""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Association, Role
from engage.core.clock import local_today
from engage.extensions import db
from tests.helpers import hidden_value
from tests.security.corpus import PAYLOADS, SQL_PAYLOADS, formula_cells, inert_problems
from tests.security.site import Site, backend_of, ids_in, location_id, record

TODAY = local_today()
SWEEP = 8  # lists and queues are read every SWEEP payloads (and after the last one)
PARTS = 2
by_part = pytest.mark.parametrize("part", range(PARTS))


def corpus(app, part: int) -> list[str]:
    """This part's payloads: the whole corpus on PostgreSQL, the SQL payloads on SQLite."""
    payloads = PAYLOADS if backend_of(app) == "postgresql" else SQL_PAYLOADS
    return payloads[part::PARTS]


def _dates(**offsets) -> dict:
    return {name: (TODAY + timedelta(days=days)).isoformat() for name, days in offsets.items()}


def _both(prefix: str, value: str) -> dict:
    return {f"{prefix}_fr": value, f"{prefix}_en": value}


def _finish(site: Site, capsys) -> None:
    line = record(site)
    with capsys.disabled():
        print("\n" + line)
    assert not site.problems, "\n".join(site.problems[:60])


def _check_csv(site: Site, response, where: str) -> None:
    site.check(response, where, expect=(200,))
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    bad = formula_cells(rows)
    if bad:
        site.problems.append(f"{where}: spreadsheet formulas {bad[:3]} from {site.payload!r}")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _check_json_has(site: Site, response, where: str, *expected: str) -> None:
    """Each payload comes back character for character: stored as data, never run as SQL."""
    site.check(response, where, expect=(200,))
    if response.is_json:
        texts = list(_strings(response.get_json()))
        for payload in expected:
            if not any(payload in text for text in texts):
                site.problems.append(f"{where}: {payload!r} not stored as written")


def _check_feed(site: Site, response, where: str) -> None:
    """The Atom feed's HTML parts, once a feed reader has decoded them, are inert."""
    site.check(response, where, expect=(200,))
    root = ET.fromstring(response.data)  # noqa: S314 - our own feed
    for element in root.iter():
        if element.text and element.get("type") in ("html", "xhtml"):
            found = inert_problems(element.text, site.payload)
            if found:
                site.problems.append(f"{where}: live markup {found} in the feed")


# Accounts and administration: names, pseudonyms, associations, representation requests,
# searches of the user list, and the forms of visitors.


@by_part
def test_accounts_corpus(app, capsys, part):
    site = Site(app, "accounts")
    site.person("participant")
    site.person("representative", role=Role.REPRESENTATIVE)
    site.person("moderator", role=Role.MODERATOR)
    site.person("admin", role=Role.ADMIN)
    site.visitor()
    payloads = corpus(app, part)
    for number, payload in enumerate(payloads):
        site.payload = payload
        site.sweep = number % SWEEP == 0 or number == len(payloads) - 1
        short = payload[:80]
        site.post("participant", "/en/account/profile", {
            "profile-display_name": short, "profile-pseudonym": short,
            "profile-language": "en", "profile-departement": "", "profile-participant_type": "",
        }, fields=("display_name", "pseudonym"), prefix="profile", expect=(302, 422))
        site.post("representative", "/en/account/profile", {
            "profile-display_name": short, "profile-pseudonym": short,
            "profile-use_pseudonym": "y", "profile-language": "en",
        }, fields=(), prefix="profile", expect=(302, 422))
        # An association: the website must be a real web address, the rest is text.
        site.post("admin", "/en/admin/associations/new", {
            "name": payload, "accreditation": "none", "description_fr": payload,
            "description_en": payload, "website": payload,
        }, fields=("association website",), expect=(200, 422))
        created = site.post("admin", "/en/admin/associations/new", {
            "name": f"{number} {payload}", "accreditation": "none", "description_fr": payload,
            "description_en": payload, "website": f"https://example.org/{number}",
        }, fields=("association name", "association description_fr",
                   "association description_en"), expect=(302,))
        association_id = None
        if created.status_code == 302:
            site.listing("admin", "/en/admin/associations")
            with app.app_context():
                association_id = db.session.scalar(select(func.max(Association.id)))
            site.get("admin", f"/en/admin/associations/{association_id}")
            site.post("participant", "/en/account/representation", {
                "representation-association_id": str(association_id),
                "representation-message": payload,
            }, fields=("representation message",), prefix="representation", expect=(302,))
        site.listing("visitor", "/en/account/associations")
        site.get("participant", "/en/account/")
        site.get("participant", "/en/account/my-data")
        _check_json_has(site, site.clients["participant"].get("/en/account/my-data.json"),
                        "my-data.json", short)
        site.get("representative", "/en/account/my-data")
        site.listing("moderator", "/en/admin/representation-requests")
        site.get("moderator", f"/en/moderation/users/{site.ids['participant']}")
        site.search("admin", "/en/admin/users", {"q": payload}, ("user search",))
        site.listing("admin", "/en/admin/users")
        # What visitors type comes back in the forms, inert.
        site.post("visitor", "/en/account/sign-in", {"email": payload, "password": payload},
                  fields=("sign-in email",), expect=(401, 422))
        site.post("visitor", "/en/account/register", {
            "email": payload, "display_name": payload, "pseudonym": payload,
            "password": "x", "confirm_password": "y"},
            fields=("registration email", "registration display_name",
                    "registration pseudonym"), expect=(422,))
        site.post("visitor", "/en/account/password/forgotten", {"email": payload},
                  fields=("reset email",), expect=(200, 302, 422))
    _finish(site, capsys)


# Consultations, then moderation and summaries on the same consultations.


def _consultation(site: Site, payload: str) -> tuple[int, int]:
    """A moderator writes a consultation, a theme and questions with the payload."""
    themes = site.post("moderator", "/en/consultations/themes", _both("label", payload[:100]),
                       fields=("theme label_fr", "theme label_en"), expect=(302, 422))
    listing = site.get("moderator", "/en/consultations/themes")
    theme_ids = ids_in(listing.text, r"/consultations/themes/(\d+)")
    theme_id = max(theme_ids) if theme_ids else None
    if themes.status_code == 302 and theme_id:
        site.get("moderator", f"/en/consultations/themes/{theme_id}")
    response = site.post("moderator", "/en/consultations/new", {
        **_both("title", payload), **_both("summary", payload), **_both("body", payload),
        "themes": [str(theme_id)] if theme_id else [], **_dates(opens_on=0, closes_on=10),
        "audience": "everyone", "moderation_policy": "post",
    }, fields=("title_fr", "title_en", "summary_fr", "summary_en", "body_fr", "body_en"),
        expect=(302,))
    consultation_id = location_id(response, r"/consultations/(\d+)/manage")
    base = f"/en/consultations/{consultation_id}"
    for kind in ("single_choice", "scale", "free_text"):
        site.post("moderator", f"{base}/questions/new", {
            "kind": kind, **_both("text", payload), **_both("hint", payload),
            **_both("options", f"{payload}\nSecond option"),
            **_both("scale_min", payload[:100]), **_both("scale_max", payload[:100]),
        }, fields=("question text_fr", "question text_en", "question hint_fr",
                   "question hint_en", "question options_fr", "question options_en",
                   "question scale_min_fr", "question scale_min_en", "question scale_max_fr",
                   "question scale_max_en"), expect=(302,))
    site.post("moderator", f"{base}/documents", {
        "title": payload, "language": "",
        "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), f"{payload[:60]}.pdf")},
        fields=("document title", "document file name"), expect=(302, 422),
        content_type="multipart/form-data")
    manage = site.get("moderator", f"{base}/manage")
    question_ids = ids_in(manage.text, rf"{base}/questions/(\d+)")
    for question_id in sorted(set(question_ids)):
        site.get("moderator", f"{base}/questions/{question_id}")
    site.get("moderator", f"{base}/edit")
    site.post("moderator", f"{base}/status", {"target": "open", "confirmed": "1"},
              expect=(302,))
    return consultation_id, theme_id


def _take_part(site: Site, consultation_id: int, theme_id, payload: str) -> dict:
    base = f"/en/consultations/{consultation_id}"
    response = site.post("participant", f"{base}/contributions", {
        "body": payload, "theme": str(theme_id or ""), "post_as": ""},
        fields=("contribution",), expect=(302,))
    contribution_id = location_id(response, r"#contribution-(\d+)")
    item = f"{base}/contributions/{contribution_id}"
    response = site.post("representative", f"{item}/replies", {"body": payload},
                         fields=("reply",), expect=(302,))
    reply_id = location_id(response, r"#contribution-(\d+)")
    questionnaire = site.get("participant", f"{base}/questionnaire")
    answers = {name: payload for name in set(ids_in(questionnaire.text, r'name="q(\d+)"'))}
    data = {f"q{question_id}": value for question_id, value in answers.items()}
    site.post("participant", f"{base}/questionnaire", {**data, "action": "draft"},
              fields=("questionnaire answer",), expect=(302, 422))
    site.get("participant", f"{base}/questionnaire", expect=(200,))
    site.get("representative", f"{item}/report")
    site.post("representative", f"{item}/report", {"reason": "other", "details": payload},
              fields=("report details",), expect=(302,))
    site.post("participant", f"{item}/edit", {"body": f"{payload} (edited)",
                                               "theme": str(theme_id or "")},
              fields=("contribution edit",), expect=(302,))
    # Too long: the form comes back with the text kept, inert.
    site.post("participant", f"{base}/contributions", {"body": payload + "x" * 20001},
              fields=(), expect=(422,))
    return {"contribution": contribution_id, "reply": reply_id, "item": item}


def _read_consultation(site: Site, consultation_id: int, ids: dict, payload: str) -> None:
    base = f"/en/consultations/{consultation_id}"
    item = ids["item"]
    for who in ("visitor", "moderator"):
        site.listing(who, "/en/")
        site.listing(who, "/en/consultations/")
    site.get("visitor", base)
    site.listing("moderator", base)
    site.get("participant", item)
    for url in (f"{item}/edit", f"{item}/delete", f"{item}/history"):
        site.get("participant", url)
    site.listing("moderator", "/en/consultations/?status=open")
    site.search("visitor", "/en/consultations/search", {"q": payload}, ("consultation search",))
    site.listing("participant", "/en/account/my-data")
    _check_json_has(site, site.clients["participant"].get("/en/account/my-data.json"),
                    "my-data.json", payload)


def _moderate(site: Site, consultation_id: int, ids: dict, payload: str) -> None:
    reply = ids["reply"]
    site.listing("moderator", "/en/moderation/")
    site.listing("moderator", "/en/moderation/?status=reported")
    site.get("moderator", f"/en/moderation/items/contribution/{ids['contribution']}")
    site.post("moderator", f"/en/moderation/items/contribution/{reply}/hide", {
        "hide-reason": "other", "hide-note": payload}, prefix="hide",
        fields=("moderation note",), expect=(302,))
    site.get("moderator", f"/en/moderation/items/contribution/{reply}")
    site.get("representative", ids["item"])
    site.get("representative", f"{ids['item']}/report", expect=(200, 403))
    redact = f"/en/moderation/items/contribution/{ids['contribution']}/redact"
    site.get("moderator", redact)
    redaction = {"redact-passages": payload, "redact-reason": "health_data",
                 "redact-note": payload}
    preview = site.post("moderator", redact, {**redaction, "redact-step": "preview"},
                        prefix="redact", fields=("redaction passages", "redaction note"),
                        expect=(200, 422))  # 422: a passage not found in the text
    if preview.status_code == 200:  # what will be replaced, shown; then replaced
        site.post("moderator", redact, {
            **redaction, "redact-step": "confirm",
            "redact-previewed": hidden_value(preview, "redact-previewed")},
            prefix="redact", expect=(302,))
    site.get("moderator", f"/en/moderation/items/contribution/{ids['contribution']}")
    representative = site.ids["representative"]
    # The confirmation page re-posts the reason in a hidden field, inert.
    site.post("moderator", f"/en/moderation/users/{representative}/block",
              {"block-reason": payload}, prefix="block", fields=("block reason",),
              expect=(200,))
    site.post("moderator", f"/en/moderation/users/{representative}/block",
              {"block-reason": payload, "confirmed": "1"}, prefix="block",
              fields=("block reason",), expect=(302,))
    site.get("moderator", f"/en/moderation/users/{representative}")
    site.post("moderator", f"/en/moderation/users/{representative}/unblock", {},
              prefix="unblock", expect=(302,))
    site.listing("admin", "/en/moderation/audit")
    site.listing("representative", "/en/account/my-data")


def _summarize(site: Site, consultation_id: int, ids: dict, payload: str) -> None:
    base = f"/en/consultations/{consultation_id}"
    site.post("moderator", f"{base}/status", {"target": "closed", "confirmed": "1"},
              expect=(302,))
    site.get("visitor", base)  # the questionnaire's results: charts with the options
    site.listing("moderator", "/en/summaries/manage")
    response = site.post("moderator", f"/en/summaries/consultations/{consultation_id}/start",
                         {}, expect=(302,))
    summary_id = location_id(response, r"/summaries/(\d+)/edit")
    edit = f"/en/summaries/{summary_id}/edit"
    page = site.get("moderator", edit)
    version = ids_in(page.text, r'name="version" type="hidden" value="(\d+)"')[0]
    text = f"{payload} [#{ids['contribution']}] {payload}"
    site.post("moderator", edit, {**_both("body", text), "version": str(version)},
              fields=("summary body_fr", "summary body_en"), expect=(302,))
    version += 1
    site.post("moderator", f"/en/summaries/{summary_id}/submit", {"version": str(version)},
              expect=(302,))
    version += 1
    site.post("second_moderator", f"/en/summaries/{summary_id}/return",
              {"version": str(version), "note": payload}, fields=("summary return note",),
              expect=(302,))
    version += 1
    site.get("moderator", edit)
    site.post("moderator", f"/en/summaries/{summary_id}/submit", {"version": str(version)},
              expect=(302,))
    version += 1
    site.post("second_moderator", f"/en/summaries/{summary_id}/approve",
              {"version": str(version), "confirmed": "1"}, expect=(302,))
    version += 1
    response_url = f"/en/summaries/{summary_id}/response"
    site.get("moderator", response_url)
    site.post("moderator", response_url, {**_both("response", payload),
                                          "response_on": TODAY.isoformat(),
                                          "version": str(version)},
              fields=("response_fr", "response_en"), expect=(302,))
    site.get("visitor", f"/en/summaries/{summary_id}")
    site.listing("visitor", "/en/summaries/")
    site.get("visitor", ids["item"])  # "cited in"
    _check_csv(site, site.clients["visitor"].get(f"/en/summaries/{summary_id}/contributions.csv"),
               "contributions.csv")
    site.get("visitor", f"/en/summaries/{summary_id}/contributions.json")
    _check_feed(site, site.clients["visitor"].get("/en/summaries/feed.atom"), "feed.atom")
    readability = site.clients["moderator"].post(
        "/en/summaries/readability", json={"language": "en", "text": payload},
        headers={"X-CSRFToken": site.tokens["moderator"]})
    site.figures.fields.add("consultations:readability text")
    site.figures.submissions += 1
    site.check(readability, "POST /en/summaries/readability", expect=(200, 400))
    if readability.is_json and readability.get_json().get("html"):
        found = inert_problems(readability.get_json()["html"], payload)
        if found:
            site.problems.append(f"readability panel: live markup {found}")


@by_part
def test_consultations_moderation_and_summaries_corpus(app, capsys, tmp_path, part):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    site = Site(app, "consultations")
    site.person("moderator", role=Role.MODERATOR)
    site.person("second_moderator", role=Role.MODERATOR)
    site.person("admin", role=Role.ADMIN)
    site.person("participant")
    site.person("representative", role=Role.REPRESENTATIVE)
    site.visitor()
    payloads = corpus(app, part)
    for number, payload in enumerate(payloads):
        site.payload = payload
        site.sweep = number % SWEEP == 0 or number == len(payloads) - 1
        # Names and pseudonyms come with what people write.
        site.post("participant", "/en/account/profile", {
            "profile-display_name": payload[:80], "profile-language": "en"},
            prefix="profile", expect=(302,))
        site.post("representative", "/en/account/profile", {
            "profile-display_name": payload[:80], "profile-pseudonym": payload[:80],
            "profile-use_pseudonym": "y", "profile-language": "en"},
            prefix="profile", expect=(302,))
        consultation_id, theme_id = _consultation(site, payload)
        ids = _take_part(site, consultation_id, theme_id, payload)
        _read_consultation(site, consultation_id, ids, payload)
        _moderate(site, consultation_id, ids, payload)
        _summarize(site, consultation_id, ids, payload)
    if part == 0:
        _suggested_themes(site, corpus(app, 0) + corpus(app, 1))
    _finish(site, capsys)


def _suggested_themes(site: Site, payloads: list[str]) -> None:
    """Themes are suggested from the words of the contributions: one consultation with every
    payload as a contribution, and the moderators' themes page."""
    site.payload = ""
    consultation_id, _theme_id = _consultation(site, "Every payload at once")
    base = f"/en/consultations/{consultation_id}"
    for payload in payloads:
        site.post("participant", f"{base}/contributions", {"body": f"{payload} {payload}"},
                  expect=(302,))
    site.get("moderator", f"/en/moderation/consultations/{consultation_id}/themes")
    site.get("moderator", f"/en/moderation/consultations/{consultation_id}/themes/suggestions")
    site.get("visitor", base)


# Research priorities.


def _stage(site: Site, exercise_id: int, stage: str) -> None:
    site.post("moderator", f"/en/priorities/{exercise_id}/stage", {"stage": stage},
              expect=(302,))


@by_part
def test_priorities_corpus(app, capsys, part):
    site = Site(app, "priorities")
    site.person("moderator", role=Role.MODERATOR)
    site.person("participant")
    site.person("representative", role=Role.REPRESENTATIVE)
    site.visitor()
    payloads = corpus(app, part)
    unread = []  # my-data.json grows with every payload: read with the lists, not each time
    for number, payload in enumerate(payloads):
        site.payload = payload
        site.sweep = number % SWEEP == 0 or number == len(payloads) - 1
        site.post("participant", "/en/account/profile", {
            "profile-display_name": payload[:80], "profile-language": "en"},
            prefix="profile", expect=(302,))
        response = site.post("moderator", "/en/priorities/new", {
            **_both("title", payload), **_both("description", payload),
            **_both("scope", payload), "workshop_size": "10"},
            fields=("exercise title_fr", "exercise title_en", "exercise description_fr",
                    "exercise description_en", "exercise scope_fr", "exercise scope_en"),
            expect=(302,))
        exercise_id = location_id(response, r"/priorities/(\d+)/manage")
        base = f"/en/priorities/{exercise_id}"
        site.post("moderator", f"{base}/groups", _both("label", payload[:120]),
                  fields=("group label_fr", "group label_en"), expect=(302,))
        site.get("moderator", f"{base}/edit")
        _stage(site, exercise_id, "gathering")
        page = site.get("participant", base)
        group_id = ids_in(page.text, r'name="group" type="radio" value="(\d+)"')[-1]
        site.post("participant", f"{base}/submissions", {"group": str(group_id),
                                                         "text": payload},
                  fields=("priority submission",), expect=(302,))
        site.get("participant", base)
        _stage(site, exercise_id, "processing")
        submissions = site.get("moderator", f"{base}/submissions?show=all")
        submission_id = ids_in(submissions.text,
                               r'name="submissions" value="(\d+)"')[0]
        texts = {}
        for name in ("text", "explanation", "population", "intervention", "comparison",
                     "outcome"):
            texts.update(_both(name, payload))
        site.post("moderator", f"{base}/questions/new", {
            **texts, "status": "kept", "evidence_1": payload, "evidence_2": payload,
            "submissions": [str(submission_id)]},
            fields=("question text_fr", "question text_en", "question explanation",
                    "question population", "question intervention", "question comparison",
                    "question outcome", "question evidence"), expect=(302,))
        site.post("moderator", f"{base}/questions/new", {
            **_both("text", payload), "status": "out_of_scope", **_both("reason", payload)},
            fields=("question reason_fr", "question reason_en"), expect=(302,))
        site.post("moderator", f"{base}/questions/new", {
            **_both("text", payload), "status": "already_answered",
            "answered_reference": payload}, fields=("question answered_reference",),
            expect=(302,))
        questions = site.get("moderator", f"{base}/questions?show=all")
        question_ids = sorted(set(ids_in(questions.text, rf"{base}/questions/(\d+)")))
        for question_id in question_ids:
            site.get("moderator", f"{base}/questions/{question_id}/edit")
        _stage(site, exercise_id, "interim_ranking")
        kept = question_ids[0]
        response = site.post("participant", f"{base}/questions/{kept}/comments",
                             {"body": payload}, fields=("priority comment",), expect=(302,))
        comment_id = location_id(response, r"#comment-(\d+)")
        ranking = site.get("participant", f"{base}/ranking")
        group_value = ids_in(ranking.text, r'<option (?:selected )?value="(\d+)"')
        site.post("participant", f"{base}/ranking", {
            "group": str(group_value[-1] if group_value else group_id),
            "action": f"add-{kept}"}, expect=(302,))
        site.get("participant", f"{base}/ranking")
        report = f"{base}/report/comment/{comment_id}"
        site.get("representative", report)
        site.post("representative", report, {"reason": "other", "details": payload},
                  fields=("priority report details",), expect=(302,))
        site.post("representative", f"{base}/report/submission/{submission_id}",
                  {"reason": "other", "details": payload}, expect=(302, 403))
        moderate = f"{base}/moderate/comment/{comment_id}"
        site.get("moderator", moderate)
        site.listing("moderator", "/en/moderation/")
        site.get("moderator", f"/en/moderation/items/priority_comment/{comment_id}")
        site.post("moderator", moderate, {"decision": "hide", "reason": "other",
                                          "note": payload},
                  fields=("priority moderation note",), expect=(302,))
        for who in ("visitor", "participant", "moderator"):
            site.listing(who, "/en/")
            site.listing(who, "/en/priorities/")
        site.get("visitor", base)
        site.get("visitor", f"{base}/questions?show=all")
        for question_id in question_ids:
            site.get("visitor", f"{base}/questions/{question_id}")
        site.get("participant", base)
        site.get("participant", f"{base}/questions/{kept}")
        site.get("moderator", f"{base}/questions/{kept}")
        site.get("moderator", f"{base}/manage")
        site.get("moderator", f"{base}/submissions?show=all")
        site.get("moderator", moderate)
        site.listing("participant", "/en/account/my-data")
        unread.append(payload)
        if site.sweep:  # read with the lists: every payload written since the last reading
            _check_json_has(site, site.clients["participant"].get("/en/account/my-data.json"),
                            "my-data.json", *unread)
            unread.clear()
        _stage(site, exercise_id, "final_workshop")
        site.get("moderator", f"{base}/workshop")
        site.post("moderator", f"{base}/workshop", {f"place-{kept}": "1"}, expect=(302,))
        _stage(site, exercise_id, "published")
        site.get("visitor", f"{base}/results")
        site.get("visitor", base)
        for name in ("questions", "submissions", "rankings"):
            _check_csv(site, site.clients["visitor"].get(f"{base}/export/{name}.csv"),
                       f"{name}.csv")
    _finish(site, capsys)


# Lay review of funding calls.


@by_part
def test_reviews_corpus(app, capsys, tmp_path, part):
    app.config["REVIEWS_UPLOAD_DIR"] = str(tmp_path)
    site = Site(app, "reviews")
    site.person("moderator", role=Role.MODERATOR)
    site.person("reviewer", lay_reviewer=True)
    site.person("conflicted", lay_reviewer=True)
    payloads = corpus(app, part)
    unread = []  # my-data.json grows with every payload: read with the lists, not each time
    for number, payload in enumerate(payloads):
        site.payload = payload
        site.sweep = number % SWEEP == 0 or number == len(payloads) - 1
        site.post("reviewer", "/en/account/profile", {
            "profile-display_name": payload[:80], "profile-language": "en",
            "profile-lay_reviewer": "y"}, prefix="profile", expect=(302,))
        site.get("reviewer", "/en/reviews/profile")
        site.post("reviewer", "/en/reviews/profile", {"themes": payload,
                                                      "institutions": payload},
                  fields=("reviewer themes", "reviewer institutions"), expect=(302,))
        site.get("moderator", "/en/reviews/pool")
        site.get("reviewer", "/en/reviews/assignments")
        # No shared institution with the application below, so that it can be assigned.
        site.post("reviewer", "/en/reviews/profile", {"themes": payload, "institutions": ""},
                  expect=(302,))
        # Same institution as the applicants: the moderators are told, with the names.
        site.post("conflicted", "/en/account/profile", {
            "profile-display_name": payload[:80], "profile-language": "en",
            "profile-lay_reviewer": "y"}, prefix="profile", expect=(302,))
        site.post("conflicted", "/en/reviews/profile", {"themes": "", "institutions": payload},
                  expect=(302,))
        response = site.post("moderator", "/en/reviews/calls/new", {
            **_both("title", payload), **_both("description", payload),
            **_dates(review_opens_on=-1, review_deadline=10),
            "reviews_per_application": "2"},
            fields=("call title_fr", "call title_en", "call description_fr",
                    "call description_en"), expect=(302,))
        call_id = location_id(response, r"/reviews/calls/(\d+)")
        call = f"/en/reviews/calls/{call_id}"
        site.post("moderator", f"{call}/criteria", {**_both("label", payload),
                                                    **_both("guidance", payload)},
                  fields=("criterion label_fr", "criterion label_en", "criterion guidance_fr",
                          "criterion guidance_en"), expect=(302,))
        site.get("moderator", f"{call}/criteria")
        application = {"title": payload, "lay_summary": payload, "summary_language": "en",
                       "team": payload, "institutions": payload, "keywords": payload}
        site.post("moderator", f"{call}/applications/new", {**application,
                                                             "acronym": payload},
                  fields=("application acronym",), expect=(302, 422))
        site.post("moderator", f"{call}/applications/new",
                  {**application, "acronym": f"{number}{payload}"[:30]},
                  fields=("application title", "application lay_summary", "application team",
                          "application institutions", "application keywords"),
                  expect=(302, 422))
        page = site.get("moderator", call)
        application_id = max(ids_in(page.text, r"/reviews/applications/(\d+)"))
        app_url = f"/en/reviews/applications/{application_id}"
        site.post("moderator", f"{app_url}/assignments",
                  {"reviewer_id": str(site.ids["reviewer"])}, expect=(302,))
        site.post("moderator", f"{app_url}/assignments",
                  {"reviewer_id": str(site.ids["reviewer"])}, expect=(422,))  # already there
        site.post("moderator", f"{app_url}/assignments",
                  {"reviewer_id": str(site.ids["conflicted"])}, expect=(422,))
        site.post("conflicted", "/en/reviews/profile", {"themes": "", "institutions": ""},
                  expect=(302,))
        site.post("moderator", f"{app_url}/assignments",
                  {"reviewer_id": str(site.ids["conflicted"])}, expect=(302,))
        site.post("moderator", f"{call}/status", {"action": "open"}, expect=(302,))
        site.get("reviewer", f"{app_url}/declaration")
        site.post("reviewer", f"{app_url}/declaration", {
            "no_conflict": "y", "confidentiality": "y", "details": payload},
            fields=("declaration details",), expect=(302,))
        site.post("conflicted", f"{app_url}/declaration", {"links": ["other"],
                                                            "details": payload},
                  fields=(), expect=(302,))
        site.get("reviewer", app_url)
        form = site.get("reviewer", f"{app_url}/review")
        criteria = sorted(set(ids_in(form.text, r'name="score_(\d+)"')))
        review = {"overall_score": "4", "overall_applicant": payload,
                  "overall_committee": payload, "action": "save"}
        for criterion in criteria:
            review.update({f"score_{criterion}": "4", f"applicant_{criterion}": payload,
                           f"committee_{criterion}": payload})
        site.post("reviewer", f"{app_url}/review", review,
                  fields=("review applicant comments", "review committee comments"),
                  expect=(302,))
        site.get("reviewer", f"{app_url}/review")
        site.post("reviewer", f"{app_url}/review", {**review, "action": "submit"},
                  expect=(200,))  # the confirmation page, the comments in hidden fields
        site.post("reviewer", f"{app_url}/review",
                  {**review, "action": "submit", "confirmed": "1"}, expect=(302,))
        site.get("reviewer", "/en/reviews/assignments")
        for url in (call, app_url, f"{call}/declarations", f"{call}/dashboard",
                    f"{call}/proposal", f"{app_url}/edit", f"{call}/edit"):
            site.get("moderator", url)
        site.listing("moderator", "/en/reviews/calls")
        site.post("moderator", f"{call}/status", {"action": "close"}, expect=(302,))
        site.get("moderator", f"{call}/dashboard")
        _check_csv(site, site.clients["moderator"].get(f"{call}/committee.csv"),
                   "committee.csv")
        site.post("moderator", f"{call}/status", {"action": "decide"}, expect=(302,))
        site.post("moderator", f"{app_url}/decision", {"decision": "funded",
                                                       "decision_note": payload},
                  fields=("decision note",), expect=(302,))
        site.get("moderator", app_url)
        site.get("reviewer", app_url)
        _check_csv(site, site.clients["moderator"].get(f"{call}/feedback.csv"),
                   "feedback.csv")
        site.listing("reviewer", "/en/account/my-data")
        unread.append(payload)
        if site.sweep:  # read with the lists: every payload written since the last reading
            _check_json_has(site, site.clients["reviewer"].get("/en/account/my-data.json"),
                            "my-data.json", *unread)
            unread.clear()
    _finish(site, capsys)


# Searches: every payload, on both databases.


def test_search_corpus(app, capsys):
    site = Site(app, "search")
    site.person("moderator", role=Role.MODERATOR)
    site.person("admin", role=Role.ADMIN)
    site.person("participant")
    site.visitor()
    consultation_id, _theme_id = _consultation(site, "Fatigue after treatment")
    for payload in PAYLOADS:  # searched texts hold the payloads too
        site.post("participant", f"/en/consultations/{consultation_id}/contributions",
                  {"body": f"Fatigue {payload}"}, expect=(302,))
    for payload in PAYLOADS:
        site.payload = payload
        site.search("visitor", "/en/consultations/search", {"q": payload},
                    ("consultation search",))
        site.search("admin", "/en/admin/users", {"q": payload}, ("user search",))
    found = site.get("visitor", "/en/consultations/search", query_string={"q": "fatigue"})
    if "Fatigue" not in found.text:
        site.problems.append("the search no longer finds the contributions it was given")
    _finish(site, capsys)
