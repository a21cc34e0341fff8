"""The moderation pages through the test client (English pages)."""

import html
import re

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from engage.consultations.models import Contribution
from engage.core.moderated import ModerationStatus, file_report
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry
from engage.priorities.models import Stage
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.moderation import world
from tests.factories.priorities import PrioritiesBuilder
from tests.helpers import csrf_token, hidden_value, main_part, sign_in_new


def contribution(app, item_id):
    with app.app_context():
        item = db.session.get(Contribution, item_id)
        db.session.expunge(item)
        return item


# Who may see the moderation pages

ROUTES = [
    ("moderation.index", "GET", {}),
    ("moderation.bulk", "POST", {}),
    ("moderation.item", "GET", {"target_type": "contribution", "target_id": 1}),
    ("moderation.act", "POST", {"target_type": "contribution", "target_id": 1,
                                "action": "hide"}),
    ("moderation.redact", "GET", {"target_type": "contribution", "target_id": 1}),
    ("moderation.redact", "POST", {"target_type": "contribution", "target_id": 1}),
    ("moderation.user", "GET", {"user_id": 1}),
    ("moderation.block_user", "POST", {"user_id": 1}),
    ("moderation.unblock_user", "POST", {"user_id": 1}),
    ("moderation.themes", "GET", {"consultation_id": 1}),
    ("moderation.bulk_themes", "POST", {"consultation_id": 1}),
    ("moderation.theme_suggestions", "GET", {"consultation_id": 1}),
    ("moderation.accept_suggestion", "POST", {"consultation_id": 1}),
    ("moderation.ignore_suggestion", "POST", {"consultation_id": 1}),
    ("moderation.merge_themes", "GET", {}),
    ("moderation.merge_themes", "POST", {}),
    ("moderation.audit", "GET", {}),
    ("summaries.manage", "GET", {}),
    ("summaries.start", "POST", {"consultation_id": 1}),
    ("summaries.edit", "GET", {"summary_id": 1}),
    ("summaries.edit", "POST", {"summary_id": 1}),
    ("summaries.workflow", "POST", {"summary_id": 1, "step": "approve"}),
    ("summaries.response", "GET", {"summary_id": 1}),
    ("summaries.response", "POST", {"summary_id": 1}),
    ("summaries.readability", "POST", {}),
]


def test_every_moderation_route_is_checked(app):
    described = {(endpoint, method) for endpoint, method, _args in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("moderation."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (rule.endpoint, method) in described, rule.endpoint


def _url(app, endpoint, args):
    with app.test_request_context():
        return url_for(endpoint, lang_code="en", **args)


@pytest.mark.parametrize("role", ["participant", "representative", "blocked"])
@pytest.mark.parametrize(("endpoint", "method", "args"), ROUTES,
                         ids=[f"{e}-{m}" for e, m, _a in ROUTES])
def test_participants_and_representatives_get_403(app, client, auth, role, endpoint, method,
                                                  args):
    world(app, reports=1)
    sign_in_new(app, auth, role)
    url = _url(app, endpoint, args)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client.get("/en/account/"))
        response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 403


@pytest.mark.parametrize(("endpoint", "method", "args"), ROUTES[:3],
                         ids=[e for e, _m, _a in ROUTES[:3]])
def test_visitors_are_asked_to_sign_in(app, client, endpoint, method, args):
    url = _url(app, endpoint, args)
    response = client.get(url) if method == "GET" else client.post(
        url, data={"csrf_token": csrf_token(client.get("/en/account/sign-in"))})
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_the_audit_log_is_for_administrators_only(app, client, auth):
    sign_in_new(app, auth, "moderator")
    assert client.get("/en/moderation/audit").status_code == 403


# The queue


def test_queue_lists_pending_and_reported_items_most_reported_first(app, client, auth):
    data = world(app, pending=1, published=1)
    with stored(app):
        author = builders.user("participant")
        consultation = db.session.get(Contribution, data["published"][0]).consultation
        busy = builders.contribution(consultation, author, "Reported twice")
        for _ in range(2):
            file_report(builders.user("participant"), busy, "misinformation")
        once = builders.contribution(consultation, author, "Reported once")
        file_report(builders.user("participant"), once, "spam")
        busy_id, once_id = busy.id, once.id
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/")
    assert page.status_code == 200
    html = main_part(page.text)
    assert "3 items to review" in html
    order = [int(n) for n in re.findall(r'value="contribution:(\d+)"', html)]
    assert order == [busy_id, once_id, data["pending"][0]]
    assert "Medical misinformation (2)" in html
    assert f"contribution:{data['published'][0]}" not in html
    # The counter in the menu.
    assert "Moderation (3 to review)" in page.text


@pytest.mark.parametrize(("query", "expected"), [
    ("status=pending", {"pending"}),
    ("status=reported", {"reported"}),
    ("reason=offensive", {"reported"}),
    ("reason=spam", set()),
    ("status=nonsense", {"pending", "reported"}),
])
def test_queue_filters(app, client, auth, query, expected):
    data = world(app, pending=1, reports=1)
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get(f"/en/moderation/?{query}").text)
    shown = {kind for kind in ("pending", "reported")
             if f'value="contribution:{data[kind][0]}"' in html}
    assert shown == expected


def test_queue_filter_by_consultation(app, client, auth):
    first = world(app, pending=1)
    second = world(app, pending=1)
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get(
        f"/en/moderation/?source=consultation:{second['consultation_id']}").text)
    assert f'value="contribution:{second["pending"][0]}"' in html
    assert f'value="contribution:{first["pending"][0]}"' not in html


def test_queue_covers_priority_submissions_and_comments(app, client, auth, factory):
    priorities = PrioritiesBuilder(app, factory)
    exercise = priorities.exercise(stage=Stage.GATHERING)
    author = priorities.participant()
    submission = priorities.submission(exercise, author_id=author, text="What about fatigue?")
    question = priorities.question(exercise)
    comment = priorities.comment(question, author, body="Rude words")
    with stored(app):
        from engage.priorities.models import Comment, Submission

        file_report(builders.user("participant"), db.session.get(Submission, submission), "spam")
        db.session.get(Comment, comment).moderation_status = ModerationStatus.PENDING
    sign_in_new(app, auth, "moderator")
    html = main_part(client.get("/en/moderation/").text)
    assert f'value="priority_submission:{submission}"' in html
    assert f'value="priority_comment:{comment}"' in html
    assert "Childhood cancers: research priorities" in html
    page = client.get(f"/en/moderation/items/priority_comment/{comment}")
    assert page.status_code == 200 and "Rude words" in page.text


def test_queue_query_count_does_not_grow_with_items(app, client, auth, count_queries, factory):
    priorities = PrioritiesBuilder(app, factory)
    exercise = priorities.exercise(stage=Stage.GATHERING)
    question = priorities.question(exercise)

    def add(size):
        data = world(app, pending=size, reports=size)
        submissions = [priorities.submission(exercise) for _ in range(size)]
        comments = [priorities.comment(question, priorities.participant())
                    for _ in range(size)]
        with stored(app):
            from engage.priorities.models import Comment, Submission

            reporter = builders.user("participant")
            for submission_id, comment_id in zip(submissions, comments, strict=True):
                file_report(reporter, db.session.get(Submission, submission_id), "spam")
                db.session.get(Comment, comment_id).moderation_status = ModerationStatus.PENDING
        return data

    add(1)
    sign_in_new(app, auth, "moderator")
    client.get("/en/moderation/")
    with count_queries() as small:
        assert client.get("/en/moderation/").status_code == 200
    add(4)
    with count_queries() as large:
        page = client.get("/en/moderation/")
    assert page.text.count('name="items"') == 20
    assert large.count == small.count, large.statements


def test_queue_is_paginated(app, client, auth):
    app.config["PAGE_SIZE"], size = 3, app.config["PAGE_SIZE"]
    try:
        world(app, pending=4)
        sign_in_new(app, auth, "moderator")
        first = main_part(client.get("/en/moderation/").text)
        second = main_part(client.get("/en/moderation/?page=2").text)
    finally:
        app.config["PAGE_SIZE"] = size
    assert first.count('name="items"') == 3 and second.count('name="items"') == 1
    assert "Page 1 of 2" in first


def test_french_queue_answers(app, client, auth):
    world(app, pending=1)
    sign_in_new(app, auth, "moderator")
    page = client.get("/fr/moderation/")
    assert page.status_code == 200 and '<html lang="fr">' in page.text


# Acting on an item


def item_page(client, item_id):
    page = client.get(f"/en/moderation/items/contribution/{item_id}")
    assert page.status_code == 200
    return page


def test_hide_from_the_item_page(app, client, auth):
    data = world(app, reports=1)
    item_id = data["reported"][0]
    sign_in_new(app, auth, "moderator")
    page = item_page(client, item_id)
    response = client.post(f"/en/moderation/items/contribution/{item_id}/hide", data={
        "hide-csrf_token": csrf_token(page, "hide"),
        "hide-expected_state": hidden_value(page, "hide-expected_state"),
        "hide-reason": "offensive", "hide-note": "Please stay polite.",
    }, follow_redirects=True)
    assert "The item is hidden. Its author has been told why." in response.text
    item = contribution(app, item_id)
    assert item.moderation_status == "hidden" and item.moderation_note == "Please stay polite."
    assert "Please stay polite." in response.text  # in the history and status


def test_hide_without_reason_keeps_the_note(app, client, auth):
    data = world(app)
    item_id = data["published"][0]
    sign_in_new(app, auth, "moderator")
    page = item_page(client, item_id)
    response = client.post(f"/en/moderation/items/contribution/{item_id}/hide", data={
        "hide-csrf_token": csrf_token(page, "hide"),
        "hide-expected_state": hidden_value(page, "hide-expected_state"),
        "hide-reason": "", "hide-note": "My careful note",
    })
    assert response.status_code == 422
    assert "Please choose a reason from the list." in response.text
    assert "My careful note" in response.text
    assert contribution(app, item_id).moderation_status == "published"


def test_a_second_moderator_gets_a_clear_message_and_no_double_action(app, client, auth):
    data = world(app, pending=1)
    item_id = data["pending"][0]
    sign_in_new(app, auth, "moderator")
    page = item_page(client, item_id)
    form = {"approve-csrf_token": csrf_token(page, "approve"),
            "approve-expected_state": hidden_value(page, "approve-expected_state")}
    with stored(app):  # another moderator hides it meanwhile
        from engage.moderation import services

        services.hide(builders.user("moderator"), db.session.get(Contribution, item_id), "spam")
    response = client.post(f"/en/moderation/items/contribution/{item_id}/approve", data=form,
                           follow_redirects=True)
    assert "Another moderator has already handled this item" in response.text
    assert contribution(app, item_id).moderation_status == "hidden"
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == [AuditAction.HIDE]


def test_unknown_item_or_action(app, client, auth):
    world(app)
    sign_in_new(app, auth, "moderator")
    assert client.get("/en/moderation/items/contribution/999999").status_code == 404
    assert client.get("/en/moderation/items/nonsense/1").status_code == 404
    token = csrf_token(client.get("/en/account/"))
    assert client.post("/en/moderation/items/contribution/1/delete",
                       data={"csrf_token": token}).status_code == 404


def test_redact_a_passage(app, client, auth):
    data = world(app)
    item_id = data["published"][0]
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/moderation/items/contribution/{item_id}/redact")
    assert page.status_code == 200
    form = {"redact-csrf_token": csrf_token(page, "redact"),
            "redact-expected_state": hidden_value(page, "redact-expected_state"),
            "redact-reason": "health_data", "redact-passages": "not there",
            "redact-step": "preview"}
    response = client.post(f"/en/moderation/items/contribution/{item_id}/redact", data=form)
    assert response.status_code == 422 and "This passage is not in the text" in response.text
    assert "not there" in response.text
    # Previewed first (tests/moderation/test_redaction.py has the details), then confirmed.
    form["redact-passages"] = "CONTRIBUTION"
    preview = client.post(f"/en/moderation/items/contribution/{item_id}/redact", data=form)
    assert preview.status_code == 200 and "1 occurrence will be replaced" in preview.text
    assert contribution(app, item_id).body == "Published contribution 0"
    form.update({"redact-step": "confirm",
                 "redact-previewed": hidden_value(preview, "redact-previewed")})
    response = client.post(f"/en/moderation/items/contribution/{item_id}/redact", data=form,
                           follow_redirects=True)
    assert "The passage is removed." in response.text
    assert contribution(app, item_id).body == "Published [passage removed by moderation] 0"


def test_bulk_approve_from_the_queue(app, client, auth):
    data = world(app, pending=2)
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/")
    refs = [f"contribution:{i}" for i in data["pending"]]
    form = {"csrf_token": csrf_token(page), "items": refs, "action": "approve", "reason": "",
            "note": ""}
    for ref in refs:
        form[f"state:{ref}"] = hidden_value(page, f"state:{ref}")
    response = client.post("/en/moderation/bulk", data=form, follow_redirects=True)
    assert "Done for 2 item(s)." in response.text
    assert "Nothing to review" in response.text
    response = client.post("/en/moderation/bulk", data=form, follow_redirects=True)
    assert response.text.count("not awaiting moderation") == 2 \
        or "already handled" in response.text


def test_bulk_without_selection(app, client, auth):
    world(app, pending=1)
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/")
    response = client.post("/en/moderation/bulk", data={"csrf_token": csrf_token(page),
                                                         "action": "approve"},
                           follow_redirects=True)
    assert "Please select at least one item." in response.text


def test_block_an_author_from_their_page(app, client, auth):
    data = world(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/moderation/users/{data['author_id']}")
    assert page.status_code == 200
    response = client.post(f"/en/moderation/users/{data['author_id']}/block",
                           data={"block-csrf_token": csrf_token(page, "block"),
                                 "block-reason": ""})
    assert response.status_code == 422
    response = client.post(f"/en/moderation/users/{data['author_id']}/block",
                           data={"block-csrf_token": csrf_token(page, "block"),
                                 "block-reason": "Spam again", "confirmed": "1"},
                           follow_redirects=True)
    assert "is blocked: they can read, not write." in response.text
    response = client.post(f"/en/moderation/users/{data['author_id']}/unblock",
                           data={"unblock-csrf_token": csrf_token(response, "unblock")},
                           follow_redirects=True)
    assert "can write again" in response.text


# Themes


def test_tag_contributions_and_accept_a_suggestion(app, client, auth):
    """The whole of it in tests/moderation/test_bulk_themes.py and test_suggestion_views.py."""
    data = world(app, published=4)
    with stored(app):
        work_id = builders.theme("Travail", "Work").id
        for index, item_id in enumerate(data["published"]):
            db.session.get(Contribution, item_id).body = (
                "Fatigue et sommeil après le cancer." if index % 2 else
                "Retour au travail et employeur.")
    sign_in_new(app, auth, "moderator")
    base = f"/en/moderation/consultations/{data['consultation_id']}"
    page = client.get(f"{base}/themes")
    assert page.status_code == 200 and "Suggested themes" in page.text
    first = data["published"][0]
    response = client.post(f"{base}/themes/bulk", data={
        "bulk-csrf_token": csrf_token(page, "bulk"), "bulk-contributions": [first],
        "bulk-scope": "selected", "bulk-action": "add", "bulk-theme": work_id,
        "bulk-expected_total": "4"}, follow_redirects=True)
    assert "The theme “Work” is given to 1 contribution." in response.text
    assert re.search(rf'id="themes-of-{first}">Themes: <span class="badge">Work', response.text)
    page = client.get(f"{base}/themes/suggestions")
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", page.text) == ["Fatigue et sommeil",
                                                                 "Retour au travail"]
    response = client.post(f"{base}/suggestions/accept", data={
        "prefix": "s0", "s0-csrf_token": csrf_token(page, "s0"),
        "s0-key": hidden_value(page, "s0-key"), "s0-expected": hidden_value(page, "s0-expected")},
        follow_redirects=True)
    assert "The theme “Fatigue et sommeil” is given to 2 contributions." in response.text


def test_merge_themes_page(app, client, auth):
    with stored(app):
        one, two = builders.theme("Emploi", "Employment"), builders.theme("Travail", "Work")
        one_id, two_id = one.id, two.id
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/themes/merge")
    response = client.post("/en/moderation/themes/merge", data={
        "csrf_token": csrf_token(page), "source": one_id, "target": one_id})
    assert response.status_code == 422 and "two different themes" in response.text
    response = client.post("/en/moderation/themes/merge", data={
        "csrf_token": csrf_token(page), "source": one_id, "target": two_id},
        follow_redirects=True)
    assert "“Employment” is merged into “Work”." in response.text


# The audit log


def test_administrators_read_and_filter_the_audit_log(app, client, auth):
    data = world(app, pending=1, reports=1)
    with stored(app):
        from engage.moderation import services

        moderator = builders.user("moderator")
        services.approve(moderator, db.session.get(Contribution, data["pending"][0]))
        services.redact(moderator, db.session.get(Contribution, data["reported"][0]),
                        "Reported", "health_data")
    sign_in_new(app, auth, "admin")
    page = client.get("/en/moderation/audit")
    assert page.status_code == 200
    html = main_part(page.text)
    assert "2 entries" in html
    assert "<strong>Passage removed</strong>" in html and "<strong>Approved</strong>" in html
    assert "Reported contribution 0" in html  # the original text, for administrators only
    filtered = main_part(client.get("/en/moderation/audit?action=approve").text)
    assert "1 entry" in filtered and "<strong>Passage removed</strong>" not in filtered
    assert "0 entries" in main_part(client.get("/en/moderation/audit?actor=system").text)
    # No route changes or deletes an entry.
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert all(r.methods - {"HEAD", "OPTIONS"} == {"GET"} for r in audit_rules)


def test_author_notice_snippet_tells_the_author_why(app, client, auth):
    from flask import render_template_string
    from flask_login import login_user

    data = world(app)
    with stored(app):
        from engage.moderation import services

        item = db.session.get(Contribution, data["published"][0])
        services.hide(builders.user("moderator"), item, "health_data", "No hospital names.")
    with app.test_request_context("/en/"):
        item = db.session.get(Contribution, data["published"][0])
        template = '{% include "moderation/_author_notice.html" %}'
        assert "No hospital names." not in render_template_string(template, item=item)
        login_user(item.author)
        html = render_template_string(template, item=item)
        assert "Discloses personal health information" in html and "No hospital names." in html


def test_participants_see_no_moderation_link(app, client, auth):
    world(app, pending=1)
    sign_in_new(app, auth, "participant")
    assert "Moderation" not in client.get("/en/").text


# Blocking and hiding in bulk are confirmed first (engage/core/confirm.py)


def _resent_fields(page) -> MultiDict:
    """The fields the confirmation page sends again, as the browser would send them."""
    return MultiDict([(name, html.unescape(value)) for name, value in re.findall(
        r'<input type="hidden" name="([^"]*)" value="([^"]*)">',
        page.text[page.text.index('class="confirm-form"'):])])


def _blocked(app, user_id) -> bool:
    from engage.accounts.models import User

    with app.app_context():
        return db.session.get(User, user_id).blocked_at is not None


def test_blocking_says_what_will_happen_and_waits_for_confirmation(app, client, auth):
    from engage.accounts.models import User

    data = world(app)
    with stored(app):
        db.session.get(User, data["author_id"]).display_name = "Pat Author"
    sign_in_new(app, auth, "moderator")
    url = f"/en/moderation/users/{data['author_id']}/block"
    what = ("Pat Author will still be able to read, but no longer to write anything: "
            "contributions, replies, comments or reviews. They are told at once by email, "
            "with your reason.")
    page = client.get(f"/en/moderation/users/{data['author_id']}")
    assert ('<button type="submit" class="button danger" data-confirm="confirm-block-author">'
            'Block</button>') in page.text
    assert what in page.text  # in the dialog
    asked = client.post(url, data={"block-csrf_token": csrf_token(page, "block"),
                                   "block-reason": 'Spam "again" & again'})
    assert asked.status_code == 200
    assert "<h1>Block Pat Author?</h1>" in asked.text
    assert what in asked.text
    assert "The email cannot be taken back, even if you unblock them later." in asked.text
    assert '<button type="submit" class="button">Block this person</button>' in asked.text
    assert (f'<a class="button secondary" href="/en/moderation/users/{data["author_id"]}">'
            "Cancel</a>") in asked.text
    assert not _blocked(app, data["author_id"])
    fields = _resent_fields(asked)
    assert sorted(fields) == ["block-csrf_token", "block-reason", "confirmed"]
    assert fields["block-reason"] == 'Spam "again" & again' and fields["confirmed"] == "1"
    # A GET does nothing; a POST without its token neither.
    assert client.get(f"{url}?confirmed=1").status_code == 405
    refused = client.post(url, data={"block-reason": "Spam", "confirmed": "1"})
    assert refused.status_code == 400
    assert not _blocked(app, data["author_id"])
    done = client.post(url, data=fields, follow_redirects=True)
    assert "Pat Author is blocked: they can read, not write." in done.text
    assert _blocked(app, data["author_id"])


def test_blocking_without_a_reason_is_refused_before_asking(app, client, auth):
    data = world(app)
    sign_in_new(app, auth, "moderator")
    page = client.get(f"/en/moderation/users/{data['author_id']}")
    response = client.post(f"/en/moderation/users/{data['author_id']}/block",
                           data={"block-csrf_token": csrf_token(page, "block"),
                                 "block-reason": ""})
    assert response.status_code == 422
    assert "<h1>Block" not in response.text
    assert "Please say why this person is blocked." in response.text


def _queue_filter(url: str):
    """The queue's path and its status filter, in a URL going back to it."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(html.unescape(url))
    return parts.path, parse_qs(parts.query).get("status")


def _bulk_form(page, refs, **fields) -> dict:
    form = {"csrf_token": csrf_token(page), "items": refs, "note": "", **fields}
    for ref in refs:
        form[f"state:{ref}"] = hidden_value(page, f"state:{ref}")
    return form


def test_hiding_in_bulk_says_how_many_and_waits_for_confirmation(app, client, auth):
    data = world(app, reports=2)
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/?status=reported")
    # The dialog, for "hide" only, counts the selected items in the browser.
    assert ('data-confirm="confirm-bulk-hide" data-confirm-if-field="action" '
            'data-confirm-if-value="hide">Apply to the selected items</button>') in page.text
    assert ('data-confirm-one="{count} selected item will be hidden from participants, and '
            'its author told why."') in page.text
    assert ('data-confirm-other="{count} selected items will be hidden from participants, and '
            'their authors told why."') in page.text
    refs = [f"contribution:{item_id}" for item_id in data["reported"]]
    form = _bulk_form(page, refs, action="hide", reason="offensive", note="Stay polite.",
                      **{"back-status": "reported"})
    asked = client.post("/en/moderation/bulk", data=form)
    assert asked.status_code == 200
    assert "<h1>Hide the selected items?</h1>" in asked.text
    assert ("2 selected items will be hidden from participants, and their authors told why."
            in asked.text)
    assert ("Their authors are told at once: that cannot be taken back, even if you restore "
            "the items later.") in asked.text
    assert '<button type="submit" class="button">Hide the selected items</button>' in asked.text
    cancel = re.search(r'<a class="button secondary" href="([^"]+)">Cancel</a>', asked.text)
    assert _queue_filter(cancel.group(1)) == ("/en/moderation/", ["reported"])
    assert {contribution(app, i).moderation_status for i in data["reported"]} == {"published"}
    fields = _resent_fields(asked)
    assert fields.getlist("items") == refs
    assert (fields["action"], fields["reason"], fields["note"], fields["back-status"]) == (
        "hide", "offensive", "Stay polite.", "reported")
    assert all(fields[f"state:{ref}"] == form[f"state:{ref}"] for ref in refs)
    done = client.post("/en/moderation/bulk", data=fields)
    assert done.status_code == 302
    assert _queue_filter(done.headers["Location"]) == ("/en/moderation/", ["reported"])
    assert "Done for 2 item(s)." in client.get(done.headers["Location"]).text
    assert {contribution(app, i).moderation_status for i in data["reported"]} == {"hidden"}


def test_hiding_in_bulk_from_a_queue_filtered_by_reason_hides_for_the_reason_chosen(
        app, client, auth):
    """The filter "reason reported" and the reason for hiding are two fields: the filter used
    to come first in the form and to be taken as the reason for hiding."""
    data = world(app, reports=2)
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/?reason=offensive")
    assert '<input type="hidden" name="back-reason" value="offensive">' in page.text
    refs = [f"contribution:{item_id}" for item_id in data["reported"]]
    done = client.post("/en/moderation/bulk", data={**_bulk_form(
        page, refs, action="hide", reason="spam", **{"back-reason": "offensive"}),
        "confirmed": "1"})
    assert done.status_code == 302
    assert "reason=offensive" in done.headers["Location"]  # back to the queue as it was filtered
    assert {contribution(app, i).hidden_reason for i in data["reported"]} == {"spam"}


def test_hiding_one_item_in_bulk_says_one(app, client, auth):
    data = world(app, reports=1)
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/")
    refs = [f"contribution:{data['reported'][0]}"]
    asked = client.post("/en/moderation/bulk",
                        data=_bulk_form(page, refs, action="hide", reason="spam"))
    assert asked.status_code == 200
    assert ("1 selected item will be hidden from participants, and its author told why."
            in asked.text)


def test_hiding_in_bulk_without_a_reason_is_refused_before_asking(app, client, auth):
    data = world(app, reports=1)
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/moderation/")
    refs = [f"contribution:{data['reported'][0]}"]
    response = client.post("/en/moderation/bulk",
                           data=_bulk_form(page, refs, action="hide", reason=""))
    assert response.status_code == 302
    assert "Please choose a reason from the list." in client.get(response.headers["Location"]).text
    assert contribution(app, data["reported"][0]).moderation_status == "published"
