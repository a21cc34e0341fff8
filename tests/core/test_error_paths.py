"""Small error paths that answered 500 or the wrong message: each now gets a clear 4xx
(a translated page, or the form's own error), on SQLite and PostgreSQL.

- a `next` holding CR/LF (engage/core/navigation.py);
- a CSV import with a NUL character (engage/reviews/importer.py);
- numbers too large, and addresses too long, in the URL (engage/core/bounds.py);
- a text of invisible characters (engage/core/content.py, engage/consultations/forms.py);
- a form that is not UTF-8 (engage/core/bounds.py).
"""

import io

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from engage.accounts.models import Role
from engage.consultations.models import Contribution, ContributionSupport
from engage.core import bounds
from engage.core.moderated import Report
from engage.core.navigation import is_local_path
from engage.core.security import CONTENT_SECURITY_POLICY
from engage.reviews.models import Application, CallStatus
from tests.factories import consultations as builders
from tests.factories import stored
from tests.factories.reviews import ReviewWorld
from tests.factories.users import PASSWORD
from tests.helpers import count_in, csrf_token, hidden_value, post, sign_in_new

HEADER_INJECTION = "/x\r\nSet-Cookie:a=b"


@pytest.fixture
def thread(app):
    """An open consultation and a contribution of someone else's."""
    with stored(app):
        item = builders.consultation("open")
        author = builders.user(display_name="Author")
        parent = builders.contribution(item, author, "Original words")
        return {"item": item.id, "parent": parent.id}


@pytest.fixture
def review_world(app, factory):
    return ReviewWorld(app, factory)


def _thread_url(thread) -> str:
    return f"/en/consultations/{thread['item']}/contributions/{thread['parent']}"


# A `next` with CR/LF


@pytest.mark.parametrize("target", [HEADER_INJECTION, "/x\nSet-Cookie:a=b", "/x\x00",
                                    "/x\x85", "/\t/evil.example"])
def test_is_local_path_refuses_control_characters(target):
    assert not is_local_path(target)
    assert is_local_path("/x?Set-Cookie:a=b")


@pytest.mark.parametrize("where", ["form", "query"])
def test_a_support_with_a_next_holding_cr_lf_is_kept_and_goes_to_the_default(
        app, client, auth, thread, where):
    sign_in_new(app, auth)
    url = f"{_thread_url(thread)}/support"
    if where == "form":
        response = post(client, url, {"next": HEADER_INJECTION})
    else:
        response = post(client, f"{url}?next=/x%0d%0aSet-Cookie:a=b")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/consultations/")
    assert "a=b" not in str(response.headers)
    assert count_in(app, ContributionSupport) == 1
    assert "You support this contribution." in client.get(response.headers["Location"]).text


def test_a_sign_in_with_a_next_holding_cr_lf_goes_home(app, client, factory):
    user_id = factory.user(email="next@example.org", language="en")
    page = client.get("/en/account/sign-in")
    response = client.post("/en/account/sign-in?next=/x%0d%0aSet-Cookie:a=b", data={
        "email": "next@example.org", "password": PASSWORD,
        "csrf_token": csrf_token(page)})
    assert user_id and response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/en/")
    assert "a=b" not in str(response.headers)
    assert client.get("/en/account/").status_code == 200  # signed in


# A CSV import with a NUL character


@pytest.mark.parametrize(("text", "line"), [
    ("acronym,title,lay_summary\nOK,Fine,A summary.\nNUL,Bad\x00title,A summary.\n", 3),
    ('acronym,title,lay_summary\nOK,Fine,"Two\nlines"\nNUL,Bad,Sum\x00mary.\n', 4),
    ("acronym,title,lay\x00_summary\nOK,Fine,A summary.\n", 1),
])
def test_a_csv_file_with_a_nul_character_is_refused_naming_the_line(app, client, auth,
                                                                     review_world, text, line):
    auth.sign_in_as(role=Role.MODERATOR, language="en")
    call_id = review_world.call(status=CallStatus.DRAFT)
    url = f"/en/reviews/calls/{call_id}/import"
    response = client.post(url, data={
        "file": (io.BytesIO(text.encode()), "applications.csv"),
        "csrf_token": csrf_token(client.get(url))}, content_type="multipart/form-data")
    assert response.status_code == 422, response.text
    assert "Nothing was imported" in response.text
    assert (f'<th scope="row">{line}</th><td>This line contains a null character (NUL)'
            in response.text)
    assert count_in(app, Application) == 0


# Numbers and addresses out of bounds

# Just beyond a signed and an unsigned 64-bit integer, far beyond, a thousand digits.
TOO_LARGE = (2**63, 2**64, 10**30, int("9" * 1000))
NUMBERED_ARGUMENTS = ("page", "replies_page", "id", "target_id")
QUERY_VALUES = (*TOO_LARGE, "-" + "9" * 30, "+" + "0" * 50 + "9" * 20)


def _get_routes(app):
    """(rule, names of its integer arguments) of every GET route whose other arguments, if
    any, are the language."""
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        numbers = [name for name, converter in rule._converters.items()
                   if isinstance(converter, IntegerConverter)]
        if set(rule.arguments) - set(numbers) - {"lang_code"}:
            continue
        yield rule, numbers


def _url(app, rule, numbers, value) -> str:
    arguments = dict.fromkeys(numbers, value)
    if "lang_code" in rule.arguments:
        arguments["lang_code"] = "en"
    with app.test_request_context():
        return url_for(rule.endpoint, **arguments)


def test_ids_too_large_for_64_bits_are_not_found_on_every_route(app, client):
    """Each route with a number in its path, with 2**63 and one of the others in turn."""
    walked = 0
    for index, (rule, numbers) in enumerate(r for r in _get_routes(app) if r[1]):
        for value in (TOO_LARGE[0], TOO_LARGE[1 + index % (len(TOO_LARGE) - 1)]):
            url = _url(app, rule, numbers, value)
            assert client.get(url).status_code == 404, url
            walked += 1
    assert walked > 100


def test_page_numbers_and_ids_too_large_are_not_found_on_every_route(app, client):
    """Each route without a number in its path, with every numbered argument of the query
    string, its value taken in turn."""
    walked = 0
    for index, (rule, numbers) in enumerate(r for r in _get_routes(app) if not r[1]):
        for offset, argument in enumerate(NUMBERED_ARGUMENTS):
            value = QUERY_VALUES[(index + offset) % len(QUERY_VALUES)]
            url = f"{_url(app, rule, numbers, None)}?{argument}={value}"
            assert client.get(url).status_code == 404, url
            walked += 1
    assert walked > 100


def test_page_numbers_and_ids_in_range_are_still_served(app, client):
    for url in ("/en/consultations/?page=2147483647", "/en/consultations/?page=00002",
                "/en/consultations/?id=+0002147483647"):
        assert client.get(url).status_code == 200, url
    # A staff page: signing in first, not "not found".
    assert client.get("/en/moderation/audit?target_id=2147483647").status_code == 302


def test_a_number_of_thousands_of_digits_is_out_of_range_not_an_error(app):
    # int() refuses strings of more than 4,300 digits: the check compares lengths first.
    for digits in ("9" * 5000, "0" * 5000 + "7"):
        with app.test_request_context(f"/en/consultations/?page={digits}"):
            assert bounds.out_of_range() is (digits[0] == "9")


@pytest.mark.parametrize(("language", "title"), [
    ("en", "The address is too long"), ("fr", "Aller à la page d’accueil")])
def test_an_address_too_long_answers_414_on_the_sites_page(client, language, title):
    response = client.get(f"/{language}/consultations/?page={'9' * 5000}")
    assert response.status_code == 414
    assert title in response.text and f'<html lang="{language}">' in response.text
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_longest_address_accepted_is_served(client):
    path = "/en/consultations/?q="
    longest = path + "a" * (bounds.MAX_URL_LENGTH - len(path))
    assert client.get(longest).status_code == 200
    assert client.get(longest + "a").status_code == 414


# Texts of invisible characters

INVISIBLE = "\u200b\u200c \u200d\n\u2060\ufeff\u00a0"


def test_a_contribution_of_invisible_characters_is_refused_as_empty(app, client, auth):
    with stored(app):
        consultation_id = builders.consultation("open").id
    sign_in_new(app, auth)
    url = f"/en/consultations/{consultation_id}"
    page = client.get(url)
    response = post(client, f"{url}/contributions", {
        "body": INVISIBLE, "submission_key": hidden_value(page.text, "submission_key")})
    assert response.status_code == 422
    assert "Please write your contribution." in response.text
    assert count_in(app, Contribution) == 0


def test_a_reply_or_an_edit_of_invisible_characters_is_refused_as_empty(app, client, auth,
                                                                       thread):
    url = _thread_url(thread)
    sign_in_new(app, auth)
    page = client.get(url)
    reply = post(client, f"{url}/replies", {
        "body": INVISIBLE, "submission_key": hidden_value(page.text, "submission_key")})
    assert reply.status_code == 422 and "Please write your reply." in reply.text
    assert count_in(app, Contribution) == 1
    report = post(client, f"{url}/report", {"reason": "other", "details": INVISIBLE})
    assert report.status_code == 422
    assert "Please say why you are reporting this." in report.text
    assert count_in(app, Report) == 0


def test_an_edit_of_invisible_characters_is_refused_as_empty(app, client, auth):
    with stored(app):
        item = builders.consultation("open")
        author = builders.user()
        contribution_id = builders.contribution(item, author, "Original words").id
        item_id, email = item.id, author.email
    auth.sign_in(email)
    response = post(client, f"/en/consultations/{item_id}/contributions/{contribution_id}/edit",
                    {"body": INVISIBLE})
    assert response.status_code == 422
    assert "Please write your contribution." in response.text


# A form that is not UTF-8


@pytest.mark.parametrize("text", [b"\xff\xfe", b"%ff%fe", b"caf%e9"])
def test_a_form_that_is_not_utf8_could_not_be_understood(app, client, auth, thread, text):
    sign_in_new(app, auth)
    page = client.get(_thread_url(thread))
    body = (b"body=" + text + b"&csrf_token=" + csrf_token(page).encode()
            + b"&submission_key=" + hidden_value(page.text, "submission_key").encode())
    response = client.post(f"{_thread_url(thread)}/replies", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "The request could not be understood" in response.text
    assert "The form had expired" not in response.text
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert count_in(app, Contribution) == 1


def _multipart(fields: dict[str, bytes]) -> bytes:
    parts = [b'--XyZ\r\nContent-Disposition: form-data; name="' + name.encode()
             + b'"\r\n\r\n' + value + b"\r\n" for name, value in fields.items()]
    return b"".join(parts) + b"--XyZ--\r\n"


@pytest.mark.parametrize(("text", "status"), [(b"\xff\xfe", 400), (b"caf\xe9", 400),
                                              ("Café à l’hôpital".encode(), 302)])
def test_a_multipart_form_that_is_not_utf8_could_not_be_understood(app, client, auth, thread,
                                                                   text, status):
    sign_in_new(app, auth)
    page = client.get(_thread_url(thread))
    body = _multipart({"body": text, "csrf_token": csrf_token(page).encode(),
                       "submission_key": hidden_value(page.text, "submission_key").encode()})
    response = client.post(f"{_thread_url(thread)}/replies", data=body,
                           content_type="multipart/form-data; boundary=XyZ")
    assert response.status_code == status
    if status == 400:  # refused, not read with replacement characters
        assert "The request could not be understood" in response.text
        assert count_in(app, Contribution) == 1
    else:  # UTF-8 goes through whole
        assert count_in(app, Contribution, Contribution.body == "Café à l’hôpital") == 1


def test_a_sign_in_form_that_is_not_utf8_could_not_be_understood(client):
    page = client.get("/fr/account/sign-in")
    response = client.post("/fr/account/sign-in",
                           data=b"email=\xff\xfe&password=x&csrf_token="
                           + csrf_token(page).encode(),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "La demande n’a pas pu être comprise" in response.text
    assert "Le formulaire avait expiré" not in response.text
