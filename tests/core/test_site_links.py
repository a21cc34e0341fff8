"""Absolute links in what the site serves (the API, the Atom feed, an outcome report's
downloads) start with the site's address (BASE_URL), whatever Host the request names
(engage/core/urls.py)."""

import shutil
import subprocess

import pytest

from tests.conftest import missing
from tests.factories.api import build as build_api_world

SITE = "https://engage.example.org"
FORGED = {"Host": "evil.example"}


@pytest.fixture
def site(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", SITE)
    return SITE


@pytest.fixture
def world(app):
    """Published consultations and a summary (the API tests' world)."""
    return build_api_world(app)


def test_api_links_start_with_the_site(client, world, site):
    response = client.get("/api/v1/consultations?per_page=1", headers=FORGED)
    assert response.status_code == 200
    body = response.get_json()
    assert body["links"]["next"].startswith(f"{site}/api/v1/consultations?")
    [item] = body["data"]
    assert item["links"]["self"] == f"{site}/api/v1/consultations/{item['id']}"
    assert all(f"<{site}/api/v1/" in part for part in response.headers["Link"].split(", "))
    assert "evil.example" not in response.text


def test_the_feed_and_the_pages_announcing_it_link_to_the_site(client, world, site):
    feed = client.get("/en/summaries/feed.atom", headers=FORGED)
    assert feed.status_code == 200
    assert f"<id>{site}/en/summaries/{world['summary_id']}</id>" in feed.text
    assert f'href="{site}/en/summaries/feed.atom"' in feed.text
    page = client.get("/en/summaries/", headers=FORGED)
    assert f'href="{site}/en/summaries/feed.atom"' in page.text
    assert "evil.example" not in feed.text + page.text


def test_the_report_downloads_name_the_site(client, world, site):
    summary_id = world["summary_id"]
    data = client.get(f"/en/summaries/{summary_id}/contributions.json", headers=FORGED)
    assert data.get_json()["report"] == f"{site}/en/summaries/{summary_id}"
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils) is not installed")
    pdf = client.get(f"/en/summaries/{summary_id}/report.pdf", headers=FORGED)
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True,
                          check=True).stdout.decode()
    assert f"{site}/en/summaries/{summary_id}" in text
    assert "evil.example" not in text and b"evil.example" not in pdf.data
