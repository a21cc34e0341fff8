"""The confirmation before what cannot be undone (engage/core/confirm.py): the second page,
the dialog's markup, and what makes a request a confirmation. The areas' tests go through
their routes (consultations, reviews, moderation); tests/browser/test_confirmations.py
walks both paths in a browser."""

import html
import re

from flask import request

from engage.core import confirm

STATEMENT = confirm.Confirmation(
    key="try", title="Do the thing?", what="The thing will be done to “Alice” & co.",
    cannot_undo="It cannot be undone.", button="Do the thing", cancel_url="/en/back",
)


def hidden_fields(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(value)) for name, value in
            re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">',
                       page[page.index('class="confirm-form"'):])]


def second_page(app, data, path="/en/moderation/bulk"):
    """The page answering a POST of `data` to `path` (its language taken from the URL, as in
    a request; the CSRF token is the route's to check, before it asks)."""
    with app.test_request_context(path, method="POST", data=data):
        for pull in app.url_value_preprocessors[None]:
            pull(request.endpoint, request.view_args)
        return confirm.confirmation_page(STATEMENT)


def test_only_a_post_carrying_confirmed_1_confirms(app):
    for method, path, data, expected in (
        ("POST", "/en/x", {"confirmed": "1"}, True),
        ("POST", "/en/x", {}, False),
        ("POST", "/en/x", {"confirmed": "yes"}, False),
        ("POST", "/en/x?confirmed=1", {}, False),  # in the URL: not a confirmation
        ("GET", "/en/x?confirmed=1", None, False),
    ):
        with app.test_request_context(path, method=method, data=data):
            assert confirm.confirmed() is expected, (method, path, data)


def test_the_second_page_re_posts_every_field_with_a_fresh_token(app):
    data = {"items": ["contribution:1", "contribution:2"], "note": 'Line one\n"two" <b>',
            "block-csrf_token": "the-old-token", "confirmed": "0", "action": "hide"}
    page, status = second_page(app, data)
    assert status == 200
    fields = hidden_fields(page)
    names = [name for name, _value in fields]
    assert names == ["items", "items", "note", "block-csrf_token", "action", "confirmed"]
    values = dict(fields)
    assert fields[0][1] == "contribution:1" and fields[1][1] == "contribution:2"
    assert values["note"] == 'Line one\n"two" <b>'  # escaped in the page, intact when sent
    assert '"two" <b>' not in page
    assert values["block-csrf_token"] not in ("", "the-old-token")
    assert values["confirmed"] == "1"
    assert '<form method="post" action="/en/moderation/bulk" class="confirm-form">' in page


def test_the_second_page_says_what_will_happen_and_offers_to_cancel(app):
    page, _status = second_page(app, {"csrf_token": "t"})
    main = page[page.index("<main"):page.index("</main>")]
    assert "<title>Do the thing? – Engage</title>" in page
    assert "<h1>Do the thing?</h1>" in main
    assert "<p>The thing will be done to “Alice” &amp; co.</p>" in main
    assert "<strong>It cannot be undone.</strong>" in main
    assert '<button type="submit" class="button">Do the thing</button>' in main
    assert '<a class="button secondary" href="/en/back">Cancel</a>' in main
    assert "<dialog" not in main  # no dialog on the second page


def test_the_second_page_keeps_the_query_string(app):
    page, _status = second_page(app, {"csrf_token": "t"}, "/en/moderation/bulk?status=hidden")
    assert 'action="/en/moderation/bulk?status=hidden"' in page


def render(app, source: str, **context) -> str:
    with app.test_request_context("/en/"):
        app.preprocess_request()
        return app.jinja_env.from_string(
            '{% from "_macros/confirm.html" import confirm_button %}' + source).render(**context)


def test_the_button_opens_a_labelled_dialog_holding_the_same_statement(app):
    markup = render(app, "{{ confirm_button(c, name='action', value='submit') }}", c=STATEMENT)
    assert ('<button type="submit" class="button" name="action" value="submit" '
            'data-confirm="confirm-try">Do the thing</button>') in markup
    assert ('<dialog id="confirm-try" class="confirm-dialog" aria-labelledby="confirm-try-title"'
            ' aria-describedby="confirm-try-statement">') in markup
    assert '<h2 id="confirm-try-title">Do the thing?</h2>' in markup
    assert '<div class="confirm-statement" id="confirm-try-statement">' in markup
    assert "<p>The thing will be done to “Alice” &amp; co.</p>" in markup
    assert "<strong>It cannot be undone.</strong>" in markup
    assert '<button type="button" class="button" data-confirm-accept>Do the thing</button>' \
        in markup
    assert '<button type="button" class="button secondary" data-confirm-cancel>Cancel</button>' \
        in markup


def test_a_dialog_for_one_value_only_and_a_counted_sentence(app):
    def sentence(number, shown):
        return f"{shown} item will go." if number == 1 else f"{shown} items will go."

    counted = confirm.Counted.of("items", sentence)
    assert counted.forms == {"one": "{count} item will go.", "many": "{count} items will go.",
                             "other": "{count} items will go."}
    statement = confirm.Confirmation(
        key="bulk", title="Go?", what="{count} items will go.", cannot_undo="Gone.",
        button="Go", cancel_url="/en/", counted=counted, only_if=("action", "hide"))
    markup = render(app, "{{ confirm_button(c, label='Apply') }}", c=statement)
    assert ('data-confirm="confirm-bulk" data-confirm-if-field="action" '
            'data-confirm-if-value="hide">Apply</button>') in markup
    assert ('<p data-confirm-count="items" data-confirm-one="{count} item will go." '
            'data-confirm-many="{count} items will go." '
            'data-confirm-other="{count} items will go.">{count} items will go.</p>') in markup


def test_every_page_loads_the_script(client):
    page = client.get("/en/")
    assert re.search(r'<script src="/static/js/confirm\.js\?v=\w+" defer></script>', page.text)
