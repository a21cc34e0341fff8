"""The app exactly as gunicorn serves it (wsgi.py), telling the bench which answers came
from the page cache: `gunicorn ... bench.counting_wsgi:app` (bench/mixed.py only).

The page cache (engage/core/page_cache.py) counts its hits and stores in `statistics`, a
dict of each worker process; nothing reads it across workers. Here every answer gets a
header `X-Bench-Page-Cache: hit` when that worker's count of hits grew while serving it,
`stored` when the page was rendered and stored, `miss` otherwise (a page the cache may not
keep, and every answer of a view not marked @cached_page). gunicorn's sync workers serve
one request at a time, so the difference belongs to this request alone.

A request's `X-Bench-Sent` header (the wrk script's page number and clock) comes back as
it was in the answer: the script then times each answer and knows its page, whichever of
its connections it came on (bench/mixed.lua).

Bench only: the app's code is unchanged, and the read-only table (bench/run.py) is
measured with plain wsgi:app.
"""

from engage.core import page_cache
from wsgi import app

HEADER = "X-Bench-Page-Cache"
ECHOED = "X-Bench-Sent"
_ECHOED_ENVIRON = "HTTP_X_BENCH_SENT"

_serve = app.wsgi_app


def _counting(environ, start_response):
    statistics = page_cache.statistics
    hits, stored = statistics["hits"], statistics.get("stored", 0)
    echoed = environ.get(_ECHOED_ENVIRON)

    def start(status, headers, exc_info=None):
        # Flask calls this once the view has answered: the lookup and the store are done.
        if statistics["hits"] != hits:
            outcome = "hit"
        elif statistics.get("stored", 0) != stored:
            outcome = "stored"
        else:
            outcome = "miss"
        headers.append((HEADER, outcome))
        if echoed:
            headers.append((ECHOED, echoed))
        return start_response(status, headers, exc_info)

    return _serve(environ, start)


app.wsgi_app = _counting
