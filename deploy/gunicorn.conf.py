"""gunicorn settings for Engage (`gunicorn --config deploy/gunicorn.conf.py wsgi:app`)."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Synchronous workers: the pages are short database reads; 2 per core plus one.
workers = int(os.environ.get("WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("WORKER_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Access logs come from the app as JSON lines (without personal data); gunicorn's own
# access log would repeat the query strings.
accesslog = None
errorlog = "-"
# gunicorn takes the scheme (X-Forwarded-Proto) from the proxies the app trusts too
# (ENGAGE_TRUSTED_PROXIES, engage/core/proxy.py), unless FORWARDED_ALLOW_IPS says otherwise.
forwarded_allow_ips = (os.environ.get("FORWARDED_ALLOW_IPS")
                       or os.environ.get("ENGAGE_TRUSTED_PROXIES") or "127.0.0.1")
# Every request line goes to the app, which answers an address that is too long with its own
# translated 414 page and the security headers (engage/core/bounds.py); gunicorn's own 414
# has neither. 0 is "no limit": Caddy in front bounds a request's headers (1 MB).
limit_request_line = 0
# The master loads the app and its warm-up once (wsgi.py), then forks the workers: they share
# that memory (about 150 MB each otherwise) and start at once, and a worker replaced after
# max_requests starts warm.
preload_app = True
