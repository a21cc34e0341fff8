"""Fingerprinted static files and compressed pages."""

import re


def test_static_urls_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/en/").text
    [url] = re.findall(r'href="(/static/css/engage\.css\?v=[0-9a-f]{12})"', html)
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    response.close()


def test_pages_are_compressed(client):
    response = client.get("/en/privacy", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    plain = client.get("/en/privacy")
    assert "Content-Encoding" not in plain.headers
    assert len(response.data) < len(plain.data)
