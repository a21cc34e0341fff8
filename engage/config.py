"""Configuration read from the environment.

Development needs nothing set: the database is SQLite in instance/ and the
secret key is generated once into instance/secret_key.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def environment_name() -> str:
    """"development", "testing" or "production" (ENGAGE_ENV)."""
    return os.environ.get("ENGAGE_ENV", "development")


def instance_path() -> Path:
    return Path(os.environ.get("ENGAGE_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int_or_none(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


def _list(name: str) -> list[str]:
    """A comma-separated variable, as a list (empty when unset)."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _check_base_url(config: dict) -> str:
    """Refuse a BASE_URL that is not an http(s) address; drop its trailing slash; return its
    host."""
    value = (config.get("BASE_URL") or "").rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query \
            or parts.fragment:
        raise RuntimeError(
            f"ENGAGE_BASE_URL must be the site's address, such as https://engage.example.org "
            f"(optionally with a path), not {value!r}."
        )
    config["BASE_URL"] = value
    return parts.hostname


def _trust_the_site_host(config: dict, host: str) -> None:
    """TRUSTED_HOSTS, when set, always holds BASE_URL's host."""
    if config.get("TRUSTED_HOSTS") is not None:
        config["TRUSTED_HOSTS"] = list(dict.fromkeys([host, *config["TRUSTED_HOSTS"]]))


def _development_secret_key() -> str:
    """A key generated once per install, so sessions survive restarts."""
    path = instance_path() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Settings(Protocol):
    """What create_app uses of a settings class, besides its upper-case attributes."""

    @classmethod
    def finalize(cls, config: dict) -> None: ...


def config_class(environment: str) -> type[Settings]:
    """The settings of `environment` ("development", "testing", "production"), read from
    the process environment now (not at import: workers and tests set it later)."""
    INSTANCE_PATH = instance_path()

    class Config:
        ENV_NAME = environment  # "development", "testing" or "production"
        SECRET_KEY = os.environ.get("SECRET_KEY") or None
        SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_PATH / 'engage.sqlite3'}"
        )
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

        # Languages: the first is the default. Adding one is a catalog and this setting.
        LANGUAGES = [c.strip() for c in os.environ.get("LANGUAGES", "fr,en").split(",") if c]
        BABEL_DEFAULT_LOCALE = LANGUAGES[0]
        BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Paris")
        BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

        # Mail: written to the outbox, then sent by SMTP when MAIL_SERVER is set.
        MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
        MAIL_USE_TLS = _bool("MAIL_USE_TLS")
        MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
        MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
        MAIL_DEFAULT_SENDER = os.environ.get(
            "MAIL_DEFAULT_SENDER", "Engage <no-reply@engage.local>"
        )

        # Redis for shared rate limits and background jobs; empty: everything in-process.
        REDIS_URL = os.environ.get("REDIS_URL", "")
        RATELIMIT_STORAGE_URI = os.environ.get(
            "RATELIMIT_STORAGE_URI", os.environ.get("REDIS_URL") or "memory://"
        )
        JSON_LOGS = _bool("JSON_LOGS")
        RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        RATELIMIT_HEADERS_ENABLED = True
        RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
        RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "5 per minute;20 per hour")

        # Links sent by email expire.
        EMAIL_CONFIRMATION_MAX_AGE = int(
            os.environ.get("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
        )
        PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", 2 * 3600))
        # An administrator's invitation, in days (its email says how long).
        INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))

        # Moderators and administrators are signed out after this much inactivity.
        PRIVILEGED_IDLE_MINUTES = int(os.environ.get("PRIVILEGED_IDLE_MINUTES", "30"))
        # Inactive accounts are deleted after this many days (a warning is sent 30 days before).
        INACTIVE_ACCOUNT_DAYS = int(os.environ.get("INACTIVE_ACCOUNT_DAYS", str(3 * 365)))
        PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - an algorithm name
        SESSION_COOKIE_HTTPONLY = True
        SESSION_COOKIE_SAMESITE = "Lax"
        REMEMBER_COOKIE_HTTPONLY = True
        # Flask-Login's default, declared because retention reads it: sign-in sessions older
        # than the longest cookie are deleted (engage/accounts/retention.py).
        REMEMBER_COOKIE_DURATION = timedelta(days=365)
        REMEMBER_COOKIE_SAMESITE = "Lax"
        WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: long forms must not expire
        MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 12 * 1024 * 1024))
        PAGE_SIZE = 20
        CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "dpo@engage.example.org")
        # The site's address: every absolute link (emails, feeds, reports, API links, scheduled
        # commands) starts with it, never with the request's Host (engage/core/urls.py).
        # Required in production.
        BASE_URL = os.environ.get("ENGAGE_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        # Host names accepted besides BASE_URL's (a leading dot accepts the subdomains);
        # others get a 400. Production always checks; elsewhere None accepts any host.
        TRUSTED_HOSTS: list[str] | None = _list("ENGAGE_TRUSTED_HOSTS") or None
        # The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed
        # (addresses or networks; empty: no one), and how many proxies append to
        # X-Forwarded-For in front of the app (engage/core/proxy.py).
        TRUSTED_PROXIES = _list("ENGAGE_TRUSTED_PROXIES")
        PROXY_HOPS = int(os.environ.get("ENGAGE_PROXY_HOPS", "1"))

        # Uploaded PDF documents: consultation documents, and the confidential funding
        # applications of lay review (kept apart, never served as static files).
        UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE_PATH / "uploads")
        UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
        REVIEWS_UPLOAD_DIR = (os.environ.get("REVIEWS_UPLOAD_DIR")
                              or str(INSTANCE_PATH / "uploads" / "reviews"))
        REVIEWS_MAX_PDF_BYTES = int(os.environ.get("REVIEWS_MAX_PDF_BYTES", 10 * 1024 * 1024))
        # Plain language: the readability score a summary should reach (Flesch for English,
        # Kandel–Moles for French).
        READABILITY_TARGET = float(os.environ.get("READABILITY_TARGET", "60"))
        # Distinct open reports that hide a contribution until a moderator looks at it.
        MODERATION_REPORT_THRESHOLD = int(os.environ.get("MODERATION_REPORT_THRESHOLD", "3"))

        @classmethod
        def finalize(cls, config: dict) -> None:
            if not config.get("SECRET_KEY"):
                config["SECRET_KEY"] = _development_secret_key()
            _trust_the_site_host(config, _check_base_url(config))

        # Seconds a computed figure or a rendered page may be kept (0: off; they are exact
        # anyway: keyed by engage.core.versions), and the memory of the caches of a process
        # without REDIS_URL (with it they are shared in Redis). None: engage.core.aggregate_cache
        # and engage.core.page_cache choose (caches off under TESTING).
        AGGREGATE_CACHE_SECONDS = _int_or_none("AGGREGATE_CACHE_SECONDS")
        PAGE_CACHE_SECONDS = _int_or_none("PAGE_CACHE_SECONDS")
        PAGE_CACHE_MEGABYTES = _int_or_none("PAGE_CACHE_MEGABYTES")

    class TestingConfig(Config):
        TESTING = True
        # Hashing is deliberately slow; tests create hundreds of accounts.
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - an algorithm name
        RATELIMIT_ENABLED = False
        SECRET_KEY = "test-only-secret-key"  # noqa: S105
        SERVER_NAME = None
        MAIL_SERVER = ""
        BASE_URL = "http://localhost"  # the test client's address


    DEFAULT_SECRET_KEYS = {"change-me", "changeme", "dev", "secret", "test-only-secret-key"}


    class ProductionConfig(Config):
        SESSION_COOKIE_SECURE = True
        REMEMBER_COOKIE_SECURE = True
        PREFERRED_URL_SCHEME = "https"
        JSON_LOGS = _bool("JSON_LOGS", True)
        ALLOW_SQLITE_IN_PRODUCTION = _bool("ALLOW_SQLITE_IN_PRODUCTION")
        BASE_URL = os.environ.get("ENGAGE_BASE_URL", "").rstrip("/")  # no default: required
        TRUSTED_HOSTS = _list("ENGAGE_TRUSTED_HOSTS")

        @classmethod
        def finalize(cls, config: dict) -> None:
            key = config.get("SECRET_KEY") or ""
            if len(key) < 32 or key.lower() in DEFAULT_SECRET_KEYS:
                raise RuntimeError("SECRET_KEY must be set to a long random value in production.")
            if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not config.get(
                "ALLOW_SQLITE_IN_PRODUCTION"
            ):
                raise RuntimeError(
                    "Production runs on PostgreSQL: set DATABASE_URL, or "
                    "ALLOW_SQLITE_IN_PRODUCTION=1 for a single small install."
                )
            if not config.get("BASE_URL"):
                raise RuntimeError(
                    "Set ENGAGE_BASE_URL in production: the site's public address (such as "
                    "https://engage.example.org), which every emailed link starts with."
                )
            # Requests for any other host are refused.
            config["TRUSTED_HOSTS"] = config.get("TRUSTED_HOSTS") or []
            _trust_the_site_host(config, _check_base_url(config))

    return {"development": Config, "testing": TestingConfig, "production": ProductionConfig}[
        environment
    ]
