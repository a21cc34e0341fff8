"""Static assets: fingerprinted URLs cached for a year; compressed responses."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

from engage.core import page_cache

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _fingerprint(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    from flask_compress import Compress

    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "application/javascript", "application/json",
        "application/atom+xml", "image/svg+xml", "text/csv",
    ])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Pages are compressed here; static files are streamed from disk untouched and
    # compressed by the reverse proxy (deploy/Caddyfile), which can cache the result.
    app.config["COMPRESS_REGISTER"] = False
    # Pages served from the page cache are compressed once, then kept compressed.
    app.config.setdefault("COMPRESS_CACHE_BACKEND", page_cache.CompressedPages)
    app.config.setdefault("COMPRESS_CACHE_KEY", page_cache.compression_key)
    compress = Compress(app)
    assert app.static_folder is not None  # create_app always sets one
    static_folder = Path(app.static_folder)

    @app.after_request
    def compress_pages(response):
        if request.endpoint == "static":
            return response
        return compress.after_request(response)

    @app.url_defaults
    def fingerprint_static(endpoint, values):
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        file = static_folder / values["filename"]
        if file.is_file():
            values["v"] = _fingerprint(str(file), file.stat().st_mtime)

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
