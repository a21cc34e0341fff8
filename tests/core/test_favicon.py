"""The site's icon: linked from every page, and /favicon.ico (which browsers ask for on their
own) answered with an icon rather than a redirection to a missing page."""

import re


def test_favicon_ico_answers_an_icon(client):
    with client.get("/favicon.ico") as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "image/vnd.microsoft.icon"
        assert answer.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
        etag = answer.headers["ETag"]
    with client.get("/favicon.ico", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304  # browsers ask again cheaply


def test_every_page_links_the_svg_icon(client):
    for path in ("/fr/", "/en/about", "/fr/account/sign-in"):
        page = client.get(path).text
        assert re.search(r'<link rel="icon" href="/favicon\.ico\?v=\w+" sizes="48x48">', page)
        link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert link, path
        with client.get(link.group(1)) as icon:
            assert icon.status_code == 200
            assert icon.mimetype == "image/svg+xml"
            assert b"<svg" in icon.data
