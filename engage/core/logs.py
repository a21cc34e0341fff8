"""Logs as JSON lines on stdout: request id, route, status, duration. No personal data:
no query strings, no form fields, no user text, no email addresses."""

import json
import logging
import sys
import time
import uuid

from flask import Flask, g, request


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "method", "route", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    if not app.config.get("JSON_LOGS"):
        logging.basicConfig(level=logging.INFO)
        return
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        root.handlers[:] = [h for h in root.handlers if type(h) is not logging.StreamHandler]
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Werkzeug's own access log repeats the full URL (query strings may hold data).
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


access_log = logging.getLogger("engage.access")


def init_app(app: Flask) -> None:
    configure_logging(app)

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if 0 < len(incoming) <= 64 and incoming.isascii() \
            else uuid.uuid4().hex

    @app.after_request
    def log_request(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if app.config.get("JSON_LOGS") and request.endpoint != "static":
            duration = (time.perf_counter() - g.get("request_started", time.perf_counter()))
            access_log.info(
                "request",
                extra={
                    "request_id": g.get("request_id"),
                    "method": request.method,
                    "route": request.url_rule.rule if request.url_rule else None,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
        return response
