"""Where cached pages and figures are kept: Redis when `REDIS_URL` is set, so that every
worker and every instance shares one copy (one render per change, not one per worker); else
this process's memory.

Keys are digests of what the value depends on (engage.core.versions keeps them exact); the
store only keeps bytes for a while. Redis being unreachable is a miss, never an error page:
the page is rendered as if nothing were kept.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from typing import cast

from flask import Flask, current_app

log = logging.getLogger(__name__)

DEFAULT_MEGABYTES = 32  # in memory, per process
REDIS_PREFIX = "engage:cache:"
REDIS_TIMEOUT_SECONDS = 0.25  # a slow store costs more than a render


def digest(parts: tuple) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


class MemoryStore:
    """Least recently used first out, within a byte budget."""

    def __init__(self, megabytes: int):
        self.budget = megabytes * 1024 * 1024
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if len(value) > self.budget // 4:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + seconds, value)
            self.size += len(value)
            while self.size > self.budget and self.entries:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key)[1])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


class RedisStore:
    def __init__(self, url: str):
        import redis

        self.errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS, health_check_interval=30)
        self.warned_at = 0.0

    def _warn(self) -> None:
        now = time.monotonic()
        if now - self.warned_at > 60:  # once a minute at most: the store may stay down
            self.warned_at = now
            log.warning("The cache store (Redis) cannot be reached: pages are rendered anew",
                        exc_info=True)

    def get(self, key: str) -> bytes | None:
        try:
            return cast(bytes | None, self.client.get(REDIS_PREFIX + key))
        except self.errors:
            self._warn()
            return None

    def set(self, key: str, value: bytes, seconds: int) -> None:
        try:
            self.client.set(REDIS_PREFIX + key, value, ex=seconds)
        except self.errors:
            self._warn()

    def clear(self) -> None:
        try:
            for key in self.client.scan_iter(REDIS_PREFIX + "*", count=500):
                self.client.delete(key)
        except self.errors:
            self._warn()


def of(app: Flask | None = None):
    """The application's store."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions["engage_shared_store"]


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    megabytes = app.config.get("PAGE_CACHE_MEGABYTES") or DEFAULT_MEGABYTES
    app.extensions["engage_shared_store"] = RedisStore(url) if url else MemoryStore(megabytes)
