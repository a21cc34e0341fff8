"""HTTP behaviour: ETag and 304, caching, CORS, pagination links, no cookies."""

import re

from engage.consultations.models import Consultation
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored

LOCAL = "http://localhost"


def test_an_unchanged_answer_is_not_sent_again(api, world):
    url = "/api/v1/contributions?per_page=2"
    first = api.get(url)
    etag = first.headers["ETag"]
    assert etag and first.headers["Cache-Control"] == "public, max-age=60"
    again = api.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert api.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_etag_changes_with_the_data(api, world, app):
    url = f"/api/v1/consultations/{world['open_id']}"
    etag = api.get(url).headers["ETag"]
    with stored(app):
        consultation = db.session.get(Consultation, world["open_id"])
        builders.contribution(consultation, builders.user(), "A new contribution")
    changed = api.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["figures"]["contributions"] == 2
    assert changed.headers["ETag"] != etag


def test_cors_allows_any_origin_to_read_without_credentials(api, world):
    response = api.get("/api/v1/consultations", headers={"Origin": "https://example.net"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert set(response.headers["Access-Control-Expose-Headers"].split(", ")) == \
        {"ETag", "Link"}
    preflight = api.options("/api/v1/consultations", headers={
        "Origin": "https://example.net", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    for url in ("/api/v1/consultations/999999", "/api/v1/nothing-here"):
        assert api.get(url).headers["Access-Control-Allow-Origin"] == "*"


def test_cors_headers_are_on_api_responses_only(client, world):
    page = client.get("/en/consultations/", headers={"Origin": "https://example.net"})
    assert page.status_code == 200
    assert "Access-Control-Allow-Origin" not in page.headers


def test_the_api_sets_no_cookie_and_ignores_who_is_signed_in(api, world, auth):
    anonymous = api.get("/api/v1/consultations")
    assert "Set-Cookie" not in anonymous.headers
    auth.client = api
    auth.sign_in_as(role="moderator", language="en")
    signed_in = api.get("/api/v1/consultations")
    assert signed_in.get_json() == anonymous.get_json()
    assert signed_in.headers["ETag"] == anonymous.headers["ETag"]


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def test_pages_link_to_each_other_in_the_body_and_the_link_header(api, world):
    closed = world["closed_id"]
    response = api.get(f"/api/v1/contributions?consultation={closed}&per_page=3")
    body = response.get_json()
    assert body["meta"] == {"page": 1, "per_page": 3, "total": 4, "pages": 2}
    links = body["links"]
    assert links["prev"] is None
    assert links["next"] == f"{LOCAL}/api/v1/contributions?consultation={closed}" \
                            "&per_page=3&page=2"
    assert links["first"].endswith("page=1") and links["last"].endswith("page=2")
    assert _links(response.headers["Link"]) == {k: v for k, v in links.items() if v}
    second = api.get(links["next"].removeprefix(LOCAL)).get_json()
    assert second["links"]["next"] is None
    assert second["links"]["prev"] == links["self"]
    assert len(second["data"]) == 1
    beyond = api.get(f"/api/v1/contributions?consultation={closed}&per_page=3&page=9")
    assert beyond.get_json()["data"] == []
    assert beyond.get_json()["links"]["prev"] == links["last"]


def test_following_next_links_walks_every_item_once(api, world):
    seen, url = [], "/api/v1/contributions?per_page=2"
    while url:
        body = api.get(url).get_json()
        seen += [item["id"] for item in body["data"]]
        url = body["links"]["next"] and body["links"]["next"].removeprefix(LOCAL)
    assert seen == world["public_contributions"]


def test_bad_page_parameters_are_refused(api, world):
    for query in ("page=0", "page=x", "per_page=0", "per_page=101", "per_page=1.5"):
        response = api.get(f"/api/v1/contributions?{query}")
        assert response.status_code == 400, query
        assert "message" in response.get_json()["error"]
