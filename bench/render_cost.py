"""`make bench`, in-process: what a full render of each main page costs (issue 18, items 5
and 7), with the caches off (PAGE_CACHE_SECONDS = AGGREGATE_CACHE_SECONDS = 0): what a
page costs when what it shows has just changed.

- **Render cost**: for each main page (engage.synth.pages.main_pages, and the consultation
  page as a signed-in participant too), the CPU time of the process (time.process_time)
  around Flask's test client's request, median of `renders` after a warm-up; the SQL
  queries of one render; the time PostgreSQL took to answer them (wall time inside the
  cursor's execute). Targets: visitor consultation page ≤ 5 ms, participant consultation
  page ≤ 10 ms, moderation queue and outcome report ≤ 8 ms, every main page ≤ 10 queries.
  Answers are not compressed (no Accept-Encoding): rendering only.
- **Why a target is missed**: for a CPU target, a cProfile of a few renders: the 12
  functions with the most cumulative time, and the split between SQL/ORM (SQLAlchemy,
  psycopg), templates (Jinja and what they call) and the rest; for the query target, the
  page's statements.
- **Deep pages**: the last page of the largest consultation's contributions against its
  first page, and search page 20 against page 1: wall time of a render (the database's
  time included: OFFSET costs PostgreSQL, not Python), median; target ≤ 1.5 × the first.
  The consultation's middle page too, for information.
"""

import cProfile
import math
import pstats
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from run import ROOT, log

CPU_TARGETS_MS = {  # (page, reader) -> CPU ms per full render at most
    ("consultation page", None): 5.0,
    ("consultation page", "participant"): 10.0,
    ("moderation queue", "moderator"): 8.0,
    ("outcome report", None): 8.0,
}
MAX_QUERIES = 10
MAX_DEEP_RATIO = 1.5
WARM_UP = 3
PROFILED_RENDERS = 10
SAMPLED_RENDERS = 20
TOP_FUNCTIONS = 12
SQL_TIMED_RENDERS = 5
SEARCH_DEEP_PAGE = 20
RENDER_SECTION = "## Render cost in-process (caches off)"
DEEP_SECTION = "## Deep pages (in-process, caches off)"


@dataclass
class Cost:
    name: str
    path: str
    who: str | None
    status: int = 0
    statements: list[str] = field(default_factory=list)  # of one render
    cpu_ms: float = 0.0  # median
    wall_ms: float = 0.0  # median
    sql_ms: float = 0.0  # median time inside the cursor's execute
    profile: str = ""  # when a CPU target is missed

    @property
    def label(self) -> str:
        return f"{self.name} ({self.who or 'visitor'})"

    @property
    def cpu_target(self) -> float | None:
        return CPU_TARGETS_MS.get((self.name, self.who))

    @property
    def cpu_ok(self) -> bool | None:
        return None if self.cpu_target is None else self.cpu_ms <= self.cpu_target

    @property
    def queries_ok(self) -> bool | None:
        return None if self.name == "trivial endpoint" else len(self.statements) <= MAX_QUERIES


@dataclass
class Deep:
    name: str
    first: str
    deep: str
    note: str = ""
    first_ms: float = 0.0  # wall, median
    deep_ms: float = 0.0
    first_sql_ms: float = 0.0
    deep_sql_ms: float = 0.0
    first_items: int = 0
    deep_items: int = 0
    target: bool = True  # the ratio has a target (the deepest pages)

    @property
    def ratio(self) -> float:
        return self.deep_ms / self.first_ms if self.first_ms else 0.0


class SQLWatch:
    """The statements run through the engine, and the time their execute took."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []
        self.seconds = 0.0
        self._started = 0.0

    def _before(self, conn, cursor, statement, *_args):
        self.statements.append(statement)
        self._started = time.perf_counter()

    def _after(self, *_args):
        self.seconds += time.perf_counter() - self._started

    def __enter__(self):
        from sqlalchemy import event

        self.statements, self.seconds = [], 0.0
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def _app(url: str):
    from engage import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                       "PAGE_CACHE_SECONDS": 0, "AGGREGATE_CACHE_SECONDS": 0})


def signed_in_clients(app, language: str) -> dict:
    from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD

    clients = {None: app.test_client()}
    for who, email in (("participant", PARTICIPANT_EMAIL), ("moderator", MODERATOR_EMAIL)):
        client = app.test_client()
        form = client.get(f"/{language}/account/sign-in")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text)
        signed = client.post(f"/{language}/account/sign-in", data={
            "email": email, "password": SYNTH_PASSWORD, "csrf_token": token.group(1)})
        if signed.status_code != 302:
            raise SystemExit(f"could not sign in as {email}: {signed.status_code}")
        clients[who] = client
    return clients


def _timed(client, path: str, renders: int) -> tuple[float, float, int]:
    """Median CPU ms and wall ms of `renders` requests, and the last status."""
    cpu, wall, status = [], [], 0
    for _ in range(renders):
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        status = client.get(path).status_code
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall), status


def _sql_ms(client, path: str, watch: SQLWatch) -> float:
    samples = []
    for _ in range(SQL_TIMED_RENDERS):
        with watch:
            client.get(path)
        samples.append(watch.seconds * 1000)
    return statistics.median(samples)


def measure(url: str, language: str, renders: int) -> tuple[list[Cost], list[Deep]]:
    from engage.extensions import db
    from engage.synth.pages import Page, main_pages

    app = _app(url)
    with app.app_context():
        pages = main_pages(language)
        engine = db.engine
        page_size = app.config["PAGE_SIZE"]
    visitor_consultation = next((p for p in pages if p.name == "consultation page"), None)
    if visitor_consultation:
        pages.insert(pages.index(visitor_consultation) + 1,
                     Page(visitor_consultation.name, visitor_consultation.path, "participant"))
    clients = signed_in_clients(app, language)
    watch = SQLWatch(engine)
    costs = []
    for page in pages:
        client = clients[page.who]
        for _ in range(WARM_UP):
            client.get(page.path)
        cost = Cost(page.name, page.path, page.who)
        with watch:
            cost.status = client.get(page.path).status_code
        cost.statements = list(watch.statements)
        cost.cpu_ms, cost.wall_ms, _status = _timed(client, page.path, renders)
        cost.sql_ms = _sql_ms(client, page.path, watch)
        if cost.cpu_ok is False:
            cost.profile = profile(client, page.path, cost.wall_ms)
        log(f"  {cost.label:<36} {cost.cpu_ms:6.1f} ms CPU  {len(cost.statements):3d} queries"
            f"  SQL {cost.sql_ms:5.1f} ms" + (f"  HTTP {cost.status}" if cost.status != 200
                                               else ""))
        costs.append(cost)
    deep = deep_pages(clients[None], language, renders, visitor_consultation, watch,
                      page_size, app)
    with app.app_context():
        db.engine.dispose()
    return costs, deep


# Why: a profile of the renders


def _short(filename: str) -> str:
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename





def _is_orm(filename: str) -> bool:
    return any(part in filename for part in ("/sqlalchemy/", "/psycopg", "/flask_sqlalchemy/"))


def _is_template(filename: str) -> bool:
    return "/jinja2/" in filename or "/markupsafe/" in filename or filename.endswith(".html")


def _is_ours(filename: str) -> bool:
    return filename.startswith((str(ROOT / "engage"), str(ROOT / "templates")))


class StackSampler:
    """Where the time of a render goes, by sampling the rendering thread's stack about
    every millisecond: SQL/ORM when SQLAlchemy or psycopg is on the stack (waiting for
    PostgreSQL included), else templates when Jinja is, else the rest (Flask, forms, the
    view's own Python). Unlike cProfile's per-call totals, samples are not inflated by
    the many small calls of templates, and are never counted twice."""

    def __init__(self, interval: float = 0.001):
        self.interval = interval
        self.counts = {"orm": 0.0, "orm in templates": 0.0, "templates": 0.0, "other": 0.0}
        self.samples = 0
        self.target = threading.get_ident()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.switch = sys.getswitchinterval()

    def _sample(self) -> None:
        last = time.perf_counter()
        while not self.stop.wait(self.interval):
            # Each sample stands for the time since the one before: the sampler waits
            # longer for the GIL while the render computes than while it waits for
            # PostgreSQL, and counting samples alone would favour the waits.
            now = time.perf_counter()
            weight, last = now - last, now
            self.samples += 1
            frame = sys._current_frames().get(self.target)
            orm = template = False
            while frame is not None:
                filename = frame.f_code.co_filename
                orm = orm or _is_orm(filename)
                template = template or _is_template(filename)
                frame = frame.f_back
            self.counts["orm" if orm else "templates" if template else "other"] += weight
            if orm and template:
                self.counts["orm in templates"] += weight

    def __enter__(self):
        sys.setswitchinterval(self.interval / 2)  # the sampler gets the GIL in time
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        self.thread.join()
        sys.setswitchinterval(self.switch)

    def share(self, kind: str) -> float:
        total = self.counts["orm"] + self.counts["templates"] + self.counts["other"]
        return self.counts[kind] / total if total else 0.0


def profile(client, path: str, wall_ms: float) -> str:
    """Why a page costs what it does, as Markdown: the split of its time (stack samples)
    and cProfile's 12 functions of ours (engage/, templates/) with the most cumulative
    time."""
    with StackSampler() as sampler:
        for _ in range(SAMPLED_RENDERS):
            client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILED_RENDERS):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    per_render = 1000 / PROFILED_RENDERS
    ours = [(ct, nc, function)
            for function, (_cc, nc, _tt, ct, _callers) in stats.stats.items()
            if _is_ours(function[0])]
    # The view and its decorators hold the whole request: what is inside them says more.
    whole = max((row[0] for row in ours), default=0.0)
    rows = sorted((row for row in ours if row[0] < 0.9 * whole), key=lambda row: row[0],
                  reverse=True)[:TOP_FUNCTIONS]
    lines = [
        f"Split of a render's wall time ({wall_ms:.1f} ms, median; {sampler.samples} stack "
        f"samples over {SAMPLED_RENDERS} renders): SQL/ORM (SQLAlchemy, psycopg, waiting for "
        f"PostgreSQL included) {sampler.share('orm'):.0%}, of which called from templates "
        f"{sampler.share('orm in templates'):.0%}; templates (Jinja and what they call) "
        f"{sampler.share('templates'):.0%}; the rest (Flask, forms, views) "
        f"{sampler.share('other'):.0%}.", "",
        f"cProfile over {PROFILED_RENDERS} renders ({stats.total_tt * per_render:.1f} ms a "
        f"render under the profiler, which slows every call: compare, do not add): the "
        f"{TOP_FUNCTIONS} functions of engage/ and templates/ with the most cumulative "
        f"time (not the view and its decorators, which hold it all).",
        "", "| cumulative ms per render | calls per render | function |", "|---|---|---|"]
    for ct, nc, (filename, line, name) in rows:
        lines.append(f"| {ct * per_render:.2f} | {nc / PROFILED_RENDERS:g} | "
                     f"`{name}` ({_short(filename)}:{line}) |")
    return "\n".join(lines)


# Deep pages

NUMBER = r"\d(?:[\d \u00a0\u202f]|&nbsp;|&#160;|&#8239;)*"


def last_page(html: str, param: str = "page") -> int | None:
    """The number of pages of the list paginated by `param`, from its pagination ("Page 1
    of N"): the navigation whose links carry `param`."""
    for nav in re.findall(r'<nav class="pagination"[^>]*>(.*?)</nav>', html, re.S):
        if not re.search(rf'(?:\?|&amp;|&){param}=\d', nav):
            continue
        current = re.search(r'aria-current="page">(.*?)</span>', nav, re.S)
        numbers = re.findall(NUMBER, current.group(1)) if current else []
        if numbers:
            return int(re.sub(r"\D", "", re.sub(r"&#?\w+;", "", numbers[-1])))
    return None


def _items(html: str) -> int:
    """Contributions (not replies) or search results shown."""
    articles = re.findall(r'<article class="([^"]*)"', html)
    return sum("reply" not in classes for classes in articles) \
        or html.count('<li class="card">')


def _with_page(path: str, number: int) -> str:
    return f"{path}{'&' if '?' in path else '?'}page={number}"


def _counted_pages(app, consultation_path: str, page_size: int) -> int:
    """Fallback when the page shows no "Page 1 of N": the contributions counted in SQL."""
    from sqlalchemy import text

    from engage.extensions import db

    consultation = int(consultation_path.rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        count = db.session.execute(text(
            "SELECT count(*) FROM consultation_contributions WHERE consultation_id = :c "
            "AND parent_id IS NULL AND association_id IS NULL "
            "AND moderation_status = 'published' AND deleted_at IS NULL"),
            {"c": consultation}).scalar_one()
        db.session.remove()
    return max(1, math.ceil(count / page_size))


def deep_pages(client, language: str, renders: int, consultation, watch: SQLWatch,
               page_size: int, app) -> list[Deep]:
    from engage.synth.pages import SEARCH_TERM

    pairs = []
    if consultation:
        first_html = client.get(consultation.path).text
        pages = last_page(first_html)
        note = ""
        if pages is None:
            pages = _counted_pages(app, consultation.path, page_size)
            note = "number of pages from SQL's count (the page shows none)"
        pairs.append(Deep("largest consultation, last page of contributions",
                          consultation.path, _with_page(consultation.path, pages), note))
        # An address with a page number and no cursor is read from the nearer end of the
        # list: the middle is the deepest it goes (for information, no target).
        pairs.append(Deep("largest consultation, middle page", consultation.path,
                          _with_page(consultation.path, max(1, (pages + 1) // 2)), note,
                          target=False))
    search = f"/{language}/consultations/search?q={SEARCH_TERM}"
    pages = last_page(client.get(search).text)
    deep_number = SEARCH_DEEP_PAGE if pages is None else min(SEARCH_DEEP_PAGE, pages)
    pairs.append(Deep(f"search, page {deep_number}", search, _with_page(search, deep_number),
                      "" if deep_number == SEARCH_DEEP_PAGE
                      else f"only {pages} pages of results: the last"))
    for pair in pairs:
        for path in (pair.first, pair.deep):
            for _ in range(WARM_UP):
                client.get(path)
        _cpu, pair.first_ms, _s = _timed(client, pair.first, renders)
        _cpu, pair.deep_ms, status = _timed(client, pair.deep, renders)
        pair.first_sql_ms = _sql_ms(client, pair.first, watch)
        pair.deep_sql_ms = _sql_ms(client, pair.deep, watch)
        pair.first_items = _items(client.get(pair.first).text)
        pair.deep_items = _items(client.get(pair.deep).text)
        if status != 200:
            pair.note = (pair.note + "; " if pair.note else "") + f"HTTP {status}"
        log(f"  {pair.name:<50} {pair.first_ms:6.1f} → {pair.deep_ms:6.1f} ms "
            f"({pair.ratio:.2f}×)")
    return pairs


# The report


# What issue 18 measured before this round (profiled in-process, scale 1, caches off), for
# the before/after comparison.
BEFORE_RENDER = """Before (issue 18, profiled on `main` before this round, same conditions):
consultation page 13 ms CPU and 7 queries as a visitor, 25–28 ms and 14 queries as a
participant; moderation queue 19 ms; outcome report 16 ms."""
BEFORE_DEEP = """Before (issue 18): the last page of the largest consultation took 33–40 ms of SQL
against 8.6 ms for its first page (OFFSET); search page 20 49 ms against 26 ms for page 1."""


def _mark(ok: bool | None) -> str:
    return "" if ok is None else " ✔" if ok else " ✘"


def _one_line(statement: str, width: int = 160) -> str:
    return re.sub(r"\s+", " ", statement).strip()[:width]


def render_section(costs: list[Cost], renders: int, scale: float) -> str:
    lines = ["| page | reader | CPU ms per render (median) | target | SQL queries | "
             "PostgreSQL ms (in execute) | wall ms |", "|" + "---|" * 7]
    for cost in costs:
        target = f"≤ {cost.cpu_target:g}" if cost.cpu_target else ""
        status = f" (HTTP {cost.status})" if cost.status != 200 else ""
        lines.append(f"| {cost.name}{status} | {cost.who or 'visitor'} | {cost.cpu_ms:.1f}"
                     f"{_mark(cost.cpu_ok)} | {target} | {len(cost.statements)}"
                     f"{_mark(cost.queries_ok)} | {cost.sql_ms:.1f} | {cost.wall_ms:.1f} |")
    why = []
    for cost in costs:
        if cost.profile:
            why.append(f"#### {cost.label}: {cost.cpu_ms:.1f} ms CPU, target ≤ "
                       f"{cost.cpu_target:g} ms\n\n{cost.profile}")
        if cost.queries_ok is False:
            statements = "\n".join(f"{n}. `{_one_line(s)}`"
                                   for n, s in enumerate(cost.statements, 1))
            why.append(f"#### {cost.label}: {len(cost.statements)} queries, target ≤ "
                       f"{MAX_QUERIES}\n\n{statements}")
    missed = [c for c in costs if c.cpu_ok is False or c.queries_ok is False]
    verdict = ("Every target met ✔" if not missed else
               "Missed ✘: " + ", ".join(c.label for c in missed))
    return f"""{RENDER_SECTION}

Measured in-process (Flask's test client, bench/render_cost.py) on `flask engage synth
--scale {scale:g}` in PostgreSQL, before the writes of the next section, with
PAGE_CACHE_SECONDS = AGGREGATE_CACHE_SECONDS = 0: what a page costs when what it shows
has just changed. CPU time of the process around the request, median of {renders} renders
after {WARM_UP} of warm-up; answers not compressed; queries of one render; "PostgreSQL ms":
time inside the cursor's execute (median of {SQL_TIMED_RENDERS}). Targets (issue 18):
visitor consultation page ≤ 5 ms, participant consultation page ≤ 10 ms, moderation queue
and outcome report ≤ 8 ms; every main page ≤ {MAX_QUERIES} queries. {verdict}.

{chr(10).join(lines)}

{BEFORE_RENDER}
""" + (f"""
### Why the missed targets are missed

{chr(10).join(why)}
""" if why else "")


def deep_section(pairs: list[Deep], renders: int) -> str:
    lines = ["| list | first page | deep page | first page ms | deep page ms | deep ÷ first "
             "| PostgreSQL ms, first → deep | items shown, first → deep |", "|" + "---|" * 8]
    for pair in pairs:
        note = f" ({pair.note})" if pair.note else ""
        lines.append(
            f"| {pair.name}{note} | `{pair.first}` | `{pair.deep}` | {pair.first_ms:.1f} | "
            f"{pair.deep_ms:.1f} | {pair.ratio:.2f}"
            f"{_mark(pair.ratio <= MAX_DEEP_RATIO if pair.target else None)} | "
            f"{pair.first_sql_ms:.1f} → {pair.deep_sql_ms:.1f} | "
            f"{pair.first_items} → {pair.deep_items} |")
    return f"""{DEEP_SECTION}

The same in-process measure as a visitor: wall time of a full render (PostgreSQL's time
included: what OFFSET costs is the database's), median of {renders}. Target (issue 18): the
deep page within {MAX_DEEP_RATIO}× the first page's time. The pages are asked for by
number (`?page=N`, no cursor: an address typed or kept), the way "Page 1 of N" tells
where the last one is.

{chr(10).join(lines)}

{BEFORE_DEEP}
"""
