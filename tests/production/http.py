"""A tiny HTTP client with cookies and no redirect following, for real servers."""

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")

    def csrf_token(self) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text)
        assert match, "no CSRF token in the page"
        return match.group(1)


class Browser:
    """Keeps the cookies of one visitor, whichever server it talks to. `source` is the
    loopback address it connects from (any of 127.0.0.0/8), as the servers see it."""

    def __init__(self, source: str | None = None):
        self.cookies: dict[str, str] = {}
        self.source_address = (source, 0) if source else None

    def request(self, method, url, data=None, headers=None) -> Response:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                                source_address=self.source_address)
        body = urlencode(data) if data is not None else None
        all_headers = {"Accept-Language": "en", **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=all_headers)
        raw = connection.getresponse()
        content = raw.read()
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return Response(raw.status, raw.headers, content)

    def get(self, url, **kwargs) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url, data, **kwargs) -> Response:
        return self.request("POST", url, data=data, **kwargs)
