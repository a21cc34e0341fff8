"""Every endpoint of the document answers, in every language mode, as documented (the
`api` client validates each body against the OpenAPI schema)."""

import re

import pytest

from tests.api.schema import ApiClient

IDS = {
    "consultation_id": "closed_id",
    "contribution_id": "first_id",
    "summary_id": "summary_id",
    "exercise_id": "exercise_id",
    "commitment_id": "commitment_id",
    "project_id": "project_id",
}


def urls(document, world) -> list[str]:
    found = []
    for template in document["paths"]:
        path = re.sub(r"\{(\w+)\}", lambda m: str(world[IDS[m.group(1)]]), template)
        found.append(f"/api/v1{path}")
    return found


@pytest.mark.parametrize("query", ["", "?lang=fr", "?lang=en"])
def test_every_endpoint_answers_as_documented(api, world, query):
    document = api.get("/api/v1/openapi.json").get_json()
    before = ApiClient.checked
    for url in urls(document, world):
        response = api.get(url + query)
        assert response.status_code == 200, (url, response.text)
        assert response.mimetype == "application/json"
        head = api.head(url + query)
        assert head.status_code == 200 and head.data == b""
        assert head.headers["ETag"] == response.headers["ETag"]
    assert ApiClient.checked - before == 2 * len(document["paths"])


def test_the_index_links_to_every_collection(api, world):
    body = api.get("/api/v1/").get_json()
    assert body["licence"]["name"] == "Licence Ouverte 2.0 / Etalab"
    for name, url in body["links"].items():
        response = api.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200, name


def test_errors_are_json_as_documented(api, world):
    for url, status in [
        ("/api/v1/consultations/999999", 404),
        ("/api/v1/contributions/999999", 404),
        ("/api/v1/summaries/999999", 404),
        ("/api/v1/priorities/999999", 404),
        ("/api/v1/priorities/999999/questions", 404),
        ("/api/v1/no/such/thing", 404),
        ("/api/v1/consultations?lang=de", 400),
        ("/api/v1/consultations?status=draft", 400),
        ("/api/v1/consultations?theme=abc", 400),
        ("/api/v1/contributions?consultation=0", 400),
        ("/api/v1/contributions?per_page=101", 400),
        ("/api/v1/contributions?page=-1", 400),
        (f"/api/v1/priorities/{world['exercise_id']}/questions?status=hidden", 400),
    ]:
        response = api.get(url)
        assert response.status_code == status, url
        assert response.get_json()["error"]["status"] == status
        assert response.headers["Access-Control-Allow-Origin"] == "*"
