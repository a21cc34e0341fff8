"""Nothing hidden, pending, draft, private or personal ever leaves the API.

The whole API is crawled (every list page, every id of the world, public or not, in every
language mode), and the raw JSON is searched for the secrets of tests/factories/api.py.
"""

import json

import pytest

from tests.factories.api import PSEUDONYM, SECRETS

LOCAL = "http://localhost"
# Keys that would mean personal or moderation data is being published.
FORBIDDEN_KEYS = {
    "email", "pending_email", "display_name", "pseudonym", "use_pseudonym", "author_id",
    "user_id", "password_hash", "participant_type", "departement", "moderation_status",
    "moderation_note", "hidden_reason", "open_report_count", "moderated_by_id",
    "review_note", "submitted_by_id", "approved_by_id", "created_by_id", "revisions",
    "search_text", "submission_key", "details", "reporter_id",
}


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def crawl(api, world) -> list[str]:
    """Every answer the API gives about the world, as raw text."""
    urls = ["/api/v1/", "/api/v1/participation"]
    for collection in ("consultations", "contributions", "summaries", "priorities", "themes",
                       "commitments", "projects", "accountability/figures"):
        urls.append(f"/api/v1/{collection}")
    for key in ("closed_id", "open_id", "draft_id", "upcoming_id", "unsummarised_id"):
        consultation = world[key]
        urls += [f"/api/v1/consultations/{consultation}",
                 f"/api/v1/consultations/{consultation}/results",
                 f"/api/v1/consultations/{consultation}/participation",
                 f"/api/v1/contributions?consultation={consultation}",
                 f"/api/v1/summaries?consultation={consultation}"]
    for key in ("public_contributions",):
        urls += [f"/api/v1/contributions/{item}" for item in world[key]]
    for key in ("hidden_id", "pending_id", "deleted_id", "orphan_id", "in_draft_id"):
        urls.append(f"/api/v1/contributions/{world[key]}")
    for key in ("summary_id", "draft_summary_id"):
        urls.append(f"/api/v1/summaries/{world[key]}")
    urls += [f"/api/v1/commitments/{world['commitment_id']}",
             f"/api/v1/projects/{world['project_id']}"]
    for key in ("exercise_id", "unpublished_exercise_id"):
        urls += [f"/api/v1/priorities/{world[key]}", f"/api/v1/priorities/{world[key]}/questions"]
    texts, seen = [], set()
    for base in urls:
        for language in ("", "fr", "en"):
            separator = "&" if "?" in base else "?"
            url = f"{base}{separator}lang={language}" if language else base
            while url and url not in seen:
                seen.add(url)
                response = api.get(url)
                assert response.status_code in (200, 404), url
                texts.append(response.get_data(as_text=True))
                body = response.get_json()
                url = body.get("links", {}).get("next") if isinstance(body, dict) else None
                url = url.removeprefix(LOCAL) if url else None
    return texts


def assert_nothing_private(texts: list[str]) -> None:
    raw = "\n".join(texts)
    for name, secret in SECRETS.items():
        assert secret not in raw, f"{name} ({secret}) is in an API response"
    assert "@" not in raw, "an email address is in an API response"
    for text in texts:
        keys = set(_keys(json.loads(text)))
        assert not keys & FORBIDDEN_KEYS, keys & FORBIDDEN_KEYS


def test_nothing_private_is_ever_returned(api, world):
    texts = crawl(api, world)
    assert len(texts) > 60
    assert_nothing_private(texts)
    raw = "\n".join(texts)
    # What is public is there: the pseudonym, the published texts.
    assert PSEUDONYM in raw and "Des essais plus près de chez nous." in raw


def test_a_moderator_gets_no_more_than_a_visitor(api, world, auth):
    auth.client = api
    auth.sign_in_as(role="admin", language="en")
    assert_nothing_private(crawl(api, world))


def test_the_crawl_would_catch_a_leak(api, world, monkeypatch):
    """The same crawl, with the API made careless twice: it must fail each time."""
    from sqlalchemy import true

    from engage.api import queries, serializers

    with monkeypatch.context() as patch:
        patch.setattr(queries, "listed_contribution", lambda: true())
        with pytest.raises(AssertionError, match="hidden_body"):
            assert_nothing_private(crawl(api, world))
    real = serializers.contribution

    def with_display_name(item, *args):
        body = real(item, *args)
        body["author"]["name"] = item.author.display_name if item.author else ""
        return body

    monkeypatch.setattr(serializers, "contribution", with_display_name)
    with pytest.raises(AssertionError, match="pseudonymous_real_name"):
        assert_nothing_private(crawl(api, world))
