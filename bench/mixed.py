"""`make bench`, second table: the main pages read while signed-in people write (issue 18).

The read-only table (bench/run.py) measures each page alone on a database nobody writes
to: the page cache serves nearly everything. Real use has writes in between. Here, on the
same server (gunicorn, production settings, rate limits off), for each write rate (0, then
`--rates`, default 1, 5 and 20 writes/s):

- a writer process posts real forms over HTTP as signed-in participants, like a browser:
  it loads the consultation page, takes the CSRF token (and the submission key) from its
  form, posts it and follows the redirect. 4 writes in 5 toggle a support (support, or
  withdraw it when given) on a contribution of the consultation; 1 in 5 posts a new
  contribution. Writes are started on an open-loop schedule (write n at n / rate seconds);
  a write starts late only when every account is busy, and the rate achieved is reported;
- after each acknowledged write (the POST's 302), the exactness check: SQL counts, then
  the consultation page and the consultation list read as a visitor through HTTP (any
  worker may answer), and the author's page after the redirect. The new contribution must
  be on the consultation page; the "N contributions" of the page and of the list's card
  must be at least what PostgreSQL counted after the write was acknowledged (later writes
  of other accounts only add); the contribution's support count must equal PostgreSQL's
  (no other account toggles that contribution meanwhile);
- /healthz under the same write load (wrk, a few seconds: the ratio's denominator), then
  the readers: wrk, 16 connections, going round the main pages as a visitor and as a
  signed-in participant; their throughput, p50 and p95, and the page cache's hit rate
  among their answers (bench/counting_wsgi.py marks each answer with a header).

The page cache's marker, pg_current_snapshot(), belongs to the PostgreSQL server, not to
one database: a transaction that writes in any database of the server (another program,
a test suite) makes every cached page miss as surely as a write of Engage's. Each row
therefore reports the writing transactions per second on the server while its readers
ran, and the cores the server used: a run on a busy machine shows for what it is.

The table is written under "## Under a stream of writes" in bench/results.md, after the
read-only table (which it keeps as it is). The writes stay in the database: reuse it for
the read-only table only after a fresh `flask engage synth`.

Only 127.0.0.1 is ever targeted: the database and the server.
"""

import gzip
import html
import http.client
import itertools
import json
import multiprocessing
import os
import queue
import random
import re
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

# bench/run.py as a module (run.py runs as __main__ and imports this one inside main()).
import run

SECTION = "## Under a stream of writes"
LUA = run.ROOT / "bench" / "mixed.lua"
SERVED_APP = "bench.counting_wsgi:app"  # wsgi:app, answers marked hit or miss
READER_PAGES = ("home", "consultation list", "consultation page", "contribution thread",
                "outcome report")
CONTRIBUTION_EVERY = 5  # the 5th write of every 5 posts a contribution: 80 % supports
WARM_UP_SECONDS = 2.0  # writes under way before /healthz and the readers are measured
HTTP_TIMEOUT = 60

# A number as the templates may print it: digits, perhaps grouped by (narrow) spaces.
NUMBER = r"(\d(?:[\d \u00a0\u202f]|&nbsp;|&#160;|&#8239;)*)"

# What the consultation page and the list's cards count as "contributions" (Figures in
# engage/consultations/queries.py): published, not deleted, top level, not a position.
COUNT_CONTRIBUTIONS = """
SELECT count(*) FROM consultation_contributions
WHERE consultation_id = :consultation AND parent_id IS NULL AND association_id IS NULL
  AND moderation_status = 'published' AND deleted_at IS NULL"""
# The supports of one contribution: counted, as stored on the contribution, and whether
# the writer is among them.
COUNT_SUPPORTS = """
SELECT count(*), (SELECT support_count FROM consultation_contributions WHERE id = :id),
       count(*) FILTER (WHERE user_id = :user)
FROM consultation_supports WHERE contribution_id = :id"""
# The largest consultation open to everyone, without pre-moderation: a new contribution
# shows at once, and every participant may write there.
LARGEST_OPEN = """
SELECT c.id FROM consultations c
JOIN consultation_contributions k ON k.consultation_id = c.id
WHERE c.status = 'open' AND c.moderation_policy = 'post' AND c.audience = 'everyone'
  AND (c.closes_on IS NULL OR c.closes_on >= CURRENT_DATE)
GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"""
# The cluster's next transaction id: it moves with every transaction that writes, in any
# database of the server, which is what the page cache's marker (pg_current_snapshot())
# follows.
NEXT_XID = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
# Participants who may write: confirmed, consenting, not blocked (User.can_write).
WRITERS = """
SELECT id, email FROM users
WHERE role = 'participant' AND email LIKE 'synth-user-%' AND email_confirmed_at IS NOT NULL
  AND blocked_at IS NULL AND deleted_at IS NULL AND consent_withdrawn_at IS NULL
ORDER BY id LIMIT :n"""


def log(message: str) -> None:
    run.log(message)


# HTTP, as a browser does it (gzip, the session cookie kept from answer to answer)


@dataclass
class Answer:
    status: int
    location: str  # path, query and fragment of a redirect's Location
    cache: str  # "hit" or "miss": X-Bench-Page-Cache
    set_cookie: str
    html: str


def fetch(port: int, path: str, cookie: str = "", form: dict | None = None) -> Answer:
    """One request on a connection of its own (gunicorn's sync workers close it anyway)."""
    headers = {"Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(run.LOOPBACK, port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("POST" if form is not None else "GET", path, body=body,
                           headers=headers)
        response = connection.getresponse()
        data = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        location = urlsplit(response.getheader("Location") or "")
        return Answer(
            response.status,
            location.path + (f"?{location.query}" if location.query else "")
            + (f"#{location.fragment}" if location.fragment else ""),
            response.getheader("X-Bench-Page-Cache") or "",
            response.getheader("Set-Cookie") or "",
            data.decode("utf-8", "replace"))
    finally:
        connection.close()


@dataclass
class Account:
    email: str
    user_id: int
    cookie: str

    def fetch(self, port: int, path: str, form: dict | None = None) -> Answer:
        answer = fetch(port, path, self.cookie, form)
        # The session cookie changes with what it holds (flash messages): keep the last.
        self.cookie = run.cookie_of(answer.set_cookie) or self.cookie
        return answer


# Reading the pages


@dataclass
class Form:
    action: str  # without its fragment: what a browser posts to
    fields: dict  # the hidden inputs (CSRF token, submission key, next)


def post_forms(page: str) -> list[Form]:
    found = []
    for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", page, re.S):
        attributes, inside = match.groups()
        action = re.search(r'\baction="([^"]*)"', attributes)
        if 'method="post"' not in attributes or not action:
            continue
        fields = {}
        for tag in re.findall(r"<input\b[^>]*>", inside):
            name = re.search(r'\bname="([^"]*)"', tag)
            value = re.search(r'\bvalue="([^"]*)"', tag)
            if name and 'type="hidden"' in tag:
                fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
        found.append(Form(html.unescape(action.group(1)).split("#")[0], fields))
    return found


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", re.sub(r"&#?\w+;", "", text)))


def page_total(page: str) -> int | None:
    """The consultation page's "N contributions." (its Contributions section)."""
    match = re.search(r"<p>" + NUMBER + r" contributions?\.</p>", page)
    return _number(match.group(1)) if match else None


def card_total(page: str, consultation_path: str) -> int | None:
    """The "N contributions" of the consultation's card on a list, if it is there."""
    start = page.find(f'href="{consultation_path}"')
    if start < 0:
        return None
    end = page.find('class="card', start)  # the next card (its themes are <li> too)
    card = page[start:end if end > 0 else len(page)]
    match = re.search(r'class="meta">' + NUMBER + r" contributions?\b", card)
    return _number(match.group(1)) if match else None


def support_count(page: str, contribution_id: int) -> int | None:
    """The support count shown with a contribution (before its replies, if any)."""
    start = page.find(f'id="contribution-{contribution_id}"')
    if start < 0:
        return None
    end = page.find("<article", start)
    match = re.search(r'class="support-count">' + NUMBER,
                      page[start:end if end > 0 else len(page)])
    return _number(match.group(1)) if match else None


def top_level_ids(page: str) -> set[int]:
    """Contributions and positions shown on the page, not the replies under them."""
    return {int(number) for classes, number in re.findall(
        r'<article class="([^"]*)" id="contribution-(\d+)"', page) if "reply" not in classes}


# The writer process


@dataclass
class Write:
    kind: str  # "support" (or its withdrawal) or "contribution"
    due: float  # time.monotonic() of the schedule (the same clock in every process)
    started: float = 0.0
    acked: float | None = None  # when the POST's redirect came back
    post_ms: float = 0.0
    error: str = ""
    action: str = ""  # support, withdraw-support, contribute
    contribution: int | None = None  # the one supported, or the new one
    # Exactness, as (shown, counted by PostgreSQL); shown None: not found on the page.
    page_count: tuple | None = None
    card_count: tuple | None = None
    support: tuple | None = None
    present: bool | None = None  # the new contribution on the consultation page
    author_present: bool | None = None  # ... on the page the author is redirected to
    author_count: tuple | None = None
    author_support: tuple | None = None
    stored_count_ok: bool = True  # support_count of the row == the supports counted
    page_hit: bool = False  # the visitor's consultation page came from the page cache
    card_hit: bool = False
    thread_read: bool = False  # the support count was read on the contribution's page

    @property
    def stale_contents(self) -> bool:
        return self.present is False

    @property
    def stale_count_places(self) -> list[str]:
        """Where a count was wrong after this write."""
        places = []
        for name, pair in (("consultation page", self.page_count),
                           ("list card", self.card_count)):
            if pair and pair[0] is not None and pair[0] < pair[1]:
                places.append(name)
        if self.support and self.support[0] is not None and self.support[0] != self.support[1]:
            places.append("support count")
        return places


@dataclass
class Plan:
    port: int
    database_url: str
    language: str
    consultation: int
    list_path: str
    rate: float
    accounts: list[Account]
    seed: int = 2026

    @property
    def page_path(self) -> str:
        return f"/{self.language}/consultations/{self.consultation}"


class Writer:
    """Runs in a process of its own; threads carry out the writes the schedule starts."""

    def __init__(self, plan: Plan):
        from sqlalchemy import create_engine

        self.plan = plan
        self.engine = create_engine(plan.database_url, pool_size=len(plan.accounts) + 2)
        self.free = queue.Queue()
        for account in plan.accounts:
            self.free.put(account)
        self.busy: set[int] = set()  # contributions whose support is being toggled
        self.lock = threading.Lock()
        self.random = random.Random(plan.seed)
        self.numbers = itertools.count(1)

    def run(self, stop) -> list[Write]:
        writes = []
        start = time.monotonic()
        with ThreadPoolExecutor(len(self.plan.accounts)) as pool:
            for n in itertools.count():
                due = start + n / self.plan.rate
                if stop.wait(max(0.0, due - time.monotonic())):
                    break
                account = self._account(stop)  # waits while every account is busy
                if account is None:
                    break
                kind = "contribution" if n % CONTRIBUTION_EVERY == CONTRIBUTION_EVERY - 1 \
                    else "support"
                write = Write(kind, due)
                writes.append(write)
                pool.submit(self._write, account, write)
        self.engine.dispose()
        return writes

    def _account(self, stop) -> Account | None:
        while not stop.is_set():
            try:
                return self.free.get(timeout=0.1)
            except queue.Empty:
                continue
        return None

    def _write(self, account: Account, write: Write) -> None:
        write.started = time.monotonic()
        try:
            page = account.fetch(self.plan.port, self.plan.page_path)  # the form's page
            if page.status != 200:
                write.error = f"form page HTTP {page.status}"
            elif write.kind == "contribution":
                self._contribute(account, write, page.html)
            else:
                self._support(account, write, page.html)
        except Exception as error:  # counted and reported: one failed write stops nothing
            write.error = f"{type(error).__name__}: {error}"
        finally:
            if write.kind == "support" and write.contribution is not None:
                with self.lock:
                    self.busy.discard(write.contribution)
            self.free.put(account)

    def _post(self, account: Account, write: Write, form: Form, fields: dict) -> Answer | None:
        started = time.monotonic()
        answer = account.fetch(self.plan.port, form.action, {**form.fields, **fields})
        write.post_ms = (time.monotonic() - started) * 1000
        if answer.status != 302:
            write.error = f"POST HTTP {answer.status}"
            return None
        write.acked = time.monotonic()
        return answer

    def _contribute(self, account: Account, write: Write, page: str) -> None:
        action = f"{self.plan.page_path}/contributions"
        form = next((f for f in post_forms(page) if f.action == action), None)
        if form is None:
            write.error = "no contribution form on the page"
            return
        write.action = "contribute"
        number = next(self.numbers)
        body = (f"Contribution {number} du banc d'essai ({account.email}) : l'accès aux soins "
                f"de support après le traitement reste inégal selon les territoires.")
        answer = self._post(account, write, form, {"body": body, "theme": "", "post_as": ""})
        if answer is None:
            return
        found = re.search(r"#contribution-(\d+)", answer.location)
        if not found:
            write.error = f"redirected to {answer.location}, not to a contribution"
            return
        write.contribution = int(found.group(1))
        counted = self._count_contributions()
        visitor = fetch(self.plan.port, self.plan.page_path)
        write.present = f'id="contribution-{write.contribution}"' in visitor.html
        write.page_count, write.page_hit = (page_total(visitor.html), counted), \
            visitor.cache == "hit"
        self._check_card(write, counted)
        author = account.fetch(self.plan.port, answer.location.split("#")[0])
        write.author_present = f'id="contribution-{write.contribution}"' in author.html
        write.author_count = (page_total(author.html), counted)

    def _offered(self, page: str) -> list[tuple[int, str, Form]]:
        """(contribution, "support" or "withdraw-support", form) of the page's contributions
        and positions (not their replies, whose count is hidden at 0)."""
        shown = top_level_ids(page)
        pattern = re.compile(rf"{re.escape(self.plan.page_path)}/contributions/(\d+)/"
                             r"(support|withdraw-support)$")
        offered = []
        for form in post_forms(page):
            match = pattern.match(form.action)
            if match and int(match.group(1)) in shown:
                offered.append((int(match.group(1)), match.group(2), form))
        return offered

    def _support(self, account: Account, write: Write, page: str) -> None:
        choice = None
        for number in range(2, 6):
            with self.lock:  # one account at a time per contribution: its count is then exact
                free = [c for c in self._offered(page) if c[0] not in self.busy]
                if free:
                    choice = self.random.choice(free)
                    self.busy.add(choice[0])
                    break
            # Every contribution shown is being supported by another account (many writes
            # at once): the next page of the consultation, as a reader scrolling on.
            page = account.fetch(self.plan.port, f"{self.plan.page_path}?page={number}").html
        if choice is None:
            write.error = "no contribution free to support on the first 5 pages"
            return
        contribution, action, form = choice
        write.contribution, write.action = contribution, action
        answer = self._post(account, write, form, {})
        if answer is None:
            return
        counted, stored, mine = self._count_supports(contribution, account.user_id)
        write.stored_count_ok = stored == counted
        if bool(mine) != (action == "support"):
            write.error = f"{action} refused (flash message)"
            return
        contributions = self._count_contributions()
        visitor = fetch(self.plan.port, self.plan.page_path)
        write.page_count, write.page_hit = (page_total(visitor.html), contributions), \
            visitor.cache == "hit"
        shown_supports = support_count(visitor.html, contribution)
        if shown_supports is None:  # pushed off the first page by newer contributions
            thread = fetch(self.plan.port, f"{self.plan.page_path}/contributions/{contribution}")
            shown_supports, write.thread_read = support_count(thread.html, contribution), True
        write.support = (shown_supports, counted)
        self._check_card(write, contributions)
        author = account.fetch(self.plan.port, answer.location.split("#")[0])
        write.author_count = (page_total(author.html), contributions)
        write.author_support = (support_count(author.html, contribution), counted)

    def _check_card(self, write: Write, counted: int) -> None:
        listing = fetch(self.plan.port, self.plan.list_path)
        write.card_count = (card_total(listing.html, self.plan.page_path), counted)
        write.card_hit = listing.cache == "hit"

    def _count_contributions(self) -> int:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return connection.execute(text(COUNT_CONTRIBUTIONS),
                                      {"consultation": self.plan.consultation}).scalar_one()

    def _count_supports(self, contribution: int, user: int) -> tuple[int, int, int]:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return tuple(connection.execute(text(COUNT_SUPPORTS),
                                            {"id": contribution, "user": user}).one())


def _writer_process(plan: Plan, stop, results) -> None:
    results.put(Writer(plan).run(stop))


# The readers


def wrk_readers(port: int, requests: list[tuple[str, str]], seconds: int,
                connections: int) -> dict:
    """wrk going round `requests` ((path, cookie) pairs): throughput, latency, hits."""
    arguments = [path + (f"|{cookie}" if cookie else "") for path, cookie in requests]
    result = subprocess.run(  # noqa: S603 - our own arguments
        [run.WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(LUA), f"http://{run.LOOPBACK}:{port}/", "--", *arguments],
        capture_output=True, text=True, check=True)
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


# One row per rate


@dataclass
class Row:
    rate: float
    reads: dict = field(default_factory=dict)  # wrk's figures for the readers
    healthz: dict = field(default_factory=dict)
    window: float = 0.0  # seconds the readers were measured
    writes: list[Write] = field(default_factory=list)
    acked_in_window: int = 0
    xids: int = 0  # transactions that wrote on the PostgreSQL server while the readers ran
    cpu_seconds: float = 0.0  # of the gunicorn workers and their PostgreSQL backends, idem

    @property
    def achieved(self) -> float:
        return self.acked_in_window / self.window if self.window else 0.0

    @property
    def ratio(self) -> float | None:
        return self.reads["rps"] / self.healthz["rps"] if self.healthz.get("rps") else None

    @property
    def cores_busy(self) -> float:
        return self.cpu_seconds / self.window if self.window else 0.0

    @property
    def hit_rate(self) -> float | None:
        """Of the readers' answers, those served from the page cache."""
        marked = sum(self.reads.get(k, 0) for k in ("hits", "stored", "misses"))
        return self.reads["hits"] / marked if marked else None

    @property
    def keepable_hit_rate(self) -> float | None:
        """Of the readers' answers the cache may keep (not those holding a one-time
        submission key: a signed-in reader's consultation page and thread), those served
        from it."""
        keepable = self.reads.get("hits", 0) + self.reads.get("stored", 0)
        return self.reads["hits"] / keepable if keepable else None

    @property
    def xids_per_second(self) -> float:
        return self.xids / self.window if self.window else 0.0

    @property
    def checked(self) -> list[Write]:
        return [w for w in self.writes if w.acked is not None and not w.error]


@dataclass
class Setup:
    port: int
    language: str
    consultation: int
    consultation_path: str
    list_path: str
    pages: list  # engage.synth.pages.Page of the readers
    requests: list[tuple[str, str]]  # (path, cookie) in the readers' round
    accounts: list[Account]
    database_url: str
    url: object  # the same, as SQLAlchemy's URL
    server_pid: int = 0  # gunicorn's master


def _target_consultation(url) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        consultation = connection.execute(text(LARGEST_OPEN)).scalar()
    engine.dispose()
    if consultation is None:
        raise SystemExit("no open consultation (post-moderated, open to everyone) to write to")
    return consultation


def next_xid(url) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    # No pooled connection stays open: the writer process is forked from this one.
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        value = connection.execute(text(NEXT_XID)).scalar_one()
    engine.dispose()
    return value


def _writer_candidates(url, count: int) -> list[tuple[int, str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(WRITERS), {"n": count}).all()
    engine.dispose()
    return [(row.id, row.email) for row in rows]


def _reader_pages(url_text: str, language: str, consultation: int) -> list:
    from engage import create_app
    from engage.extensions import db
    from engage.synth.pages import Page, main_pages

    app = create_app({"SQLALCHEMY_DATABASE_URI": url_text})
    with app.app_context():
        pages = main_pages(language)
        db.engine.dispose()
    chosen = []
    for page in pages:
        if page.name == "consultation page":  # the one being written to
            page = Page(page.name, f"/{language}/consultations/{consultation}")
        if page.name in READER_PAGES:
            chosen.append(page)
    return chosen


def prepare(port: int, url, language: str, writers: int) -> Setup:
    from engage.synth import PARTICIPANT_EMAIL, SYNTH_PASSWORD

    url_text = url.render_as_string(hide_password=False)
    consultation = _target_consultation(url)
    consultation_path = f"/{language}/consultations/{consultation}"
    pages = _reader_pages(url_text, language, consultation)
    reader = run.sign_in(port, PARTICIPANT_EMAIL, SYNTH_PASSWORD, language)
    requests = [(page.path, "") for page in pages] + [(page.path, reader) for page in pages]
    accounts = []
    # A few spare candidates: an account the page offers no form to is left out.
    for user_id, email in _writer_candidates(url, writers + 10):
        account = Account(email, user_id, run.sign_in(port, email, SYNTH_PASSWORD, language))
        page = account.fetch(port, consultation_path)
        if 'name="submission_key"' in page.html:
            accounts.append(account)
        if len(accounts) == writers:
            break
    if not accounts:
        raise SystemExit("no participant account may contribute to the consultation")
    list_path = f"/{language}/consultations/"
    if card_total(fetch(port, list_path).html, consultation_path) is None:
        log(f"  note: {consultation_path} has no card on {list_path}: list not checked")
    return Setup(port, language, consultation, consultation_path, list_path, pages, requests,
                 accounts, url_text, url)


def measure_rate(setup: Setup, rate: float, args) -> Row:
    row = Row(rate)
    context = multiprocessing.get_context("fork")
    stop, results, writer = context.Event(), context.Queue(), None
    if rate:
        plan = Plan(setup.port, setup.database_url, setup.language, setup.consultation,
                    setup.list_path, rate, setup.accounts, seed=int(rate * 1000))
        writer = context.Process(target=_writer_process, args=(plan, stop, results))
        writer.start()
        time.sleep(WARM_UP_SECONDS)
    try:
        row.healthz = run.wrk(setup.port, "/healthz", "", args.healthz_seconds,
                              args.connections)
        xid = next_xid(setup.url)
        processes = run.workers_of(setup.server_pid) + run.backends_of(setup.url,
                                                                      setup.url.database)
        cpu = run.cpu_seconds(processes)
        started = time.monotonic()
        row.reads = wrk_readers(setup.port, setup.requests, args.seconds, args.connections)
        ended = time.monotonic()
        row.cpu_seconds = run.cpu_seconds(processes) - cpu
        row.xids = next_xid(setup.url) - xid
    finally:
        if writer is not None:
            stop.set()
            row.writes = _collect(writer, results)
    row.window = ended - started
    row.acked_in_window = sum(1 for w in row.writes
                              if w.acked is not None and started <= w.acked <= ended)
    return row


def _collect(writer, results) -> list[Write]:
    """The writes, once those under way are done (each request has a timeout)."""
    while True:
        try:
            writes = results.get(timeout=1)
            break
        except queue.Empty:
            if not writer.is_alive():
                raise SystemExit(f"the writer process stopped (exit code {writer.exitcode})") \
                    from None
    writer.join()
    return writes


def measure(args, env: dict, url, language: str) -> tuple[list[Row], Setup, tuple]:
    """Start the server, prepare readers and writers, measure every rate; stop the server."""
    rates = [0.0] + [r for r in (float(x) for x in args.rates.split(",") if x.strip()) if r > 0]
    port = run.free_port()
    before = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("w", prefix="engage-bench-mixed-", suffix=".log",
                                     delete=False) as log_file:
        server = run.start_server(env, port, args.workers, log_file, app=SERVED_APP)
        rows = []
        try:
            setup = prepare(port, url, language, args.writers)
            setup.server_pid = server.pid
            log(f"  writing to {setup.consultation_path} as {len(setup.accounts)} participants;"
                f" readers: {', '.join(p.name for p in setup.pages)} (visitor, signed in)")
            for path, cookie in setup.requests:  # every worker has served every page once
                for _ in range(3 * args.workers):
                    fetch(port, path, cookie)
            for rate in rates:
                row = measure_rate(setup, rate, args)
                rows.append(row)
                log(summary_line(row))
        finally:
            run.stop_server(server)
        log(f"  server log: {log_file.name}")
    # Every write and what its check read, for a closer look (one JSON object a line).
    with tempfile.NamedTemporaryFile("w", prefix="engage-bench-writes-", suffix=".jsonl",
                                     delete=False) as writes_file:
        for row in rows:
            for write in row.writes:
                writes_file.write(json.dumps({"rate": row.rate, **asdict(write)}) + "\n")
    log(f"  writes and their checks: {writes_file.name}")
    return rows, setup, (before, os.getloadavg()[0])


# The report


def _fraction(count: int, total: int) -> str:
    return f"{count} / {total}" if total else "–"


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "?"


def _ratio(row: Row) -> str:
    return f"{row.ratio:.2f}" if row.ratio is not None else "– (no /healthz answered)"


def _stale(row: Row) -> tuple[str, str]:
    """The table's "stale contents" and "stale counts" cells."""
    if not row.rate:
        return "–", "–"
    checked = row.checked
    contributions = [w for w in checked if w.kind == "contribution"]
    return (_fraction(sum(w.stale_contents for w in contributions), len(contributions)),
            _fraction(sum(bool(w.stale_count_places) for w in checked), len(checked)))


def summary_line(row: Row) -> str:
    contents, counts = _stale(row)
    failed = sum(1 for w in row.writes if w.error)
    return (f"  {row.rate:>4g} w/s: {row.achieved:5.1f} achieved, reads {row.reads['rps']:6.1f}"
            f" req/s (/healthz {row.healthz['rps']:6.1f}; {row.cores_busy:.1f} cores busy), p50"
            f" {row.reads['p50_ms']:6.1f} ms, p95 {row.reads['p95_ms']:6.1f} ms, hits"
            f" {_share(row.hit_rate)}, stale contents {contents}, stale counts {counts}"
            + (f", {failed} failed" if failed else ""))


def table(rows: list[Row]) -> str:
    lines = ["| writes/s asked | writes/s achieved | read req/s | /healthz req/s | ratio to "
             "/healthz | p50 ms | p95 ms | page-cache hit rate (of keepable pages) | stale "
             "contents | stale counts | writing transactions/s on the PostgreSQL server | "
             "cores busy: gunicorn + PostgreSQL |",
             "|" + "---|" * 12]
    for row in rows:
        contents, counts = _stale(row)
        errors = row.reads.get("errors", 0) + row.reads.get("non2xx", 0)
        lines.append(
            f"| {row.rate:g} | {row.achieved:.1f} | {row.reads['rps']:.0f} | "
            f"{row.healthz['rps']:.0f} | {_ratio(row)} | {row.reads['p50_ms']:.1f} | "
            f"{row.reads['p95_ms']:.1f} | {_share(row.hit_rate)} "
            f"({_share(row.keepable_hit_rate)}) | {contents} | {counts} | "
            f"{row.xids_per_second:.1f} | {row.cores_busy:.1f} |"
            + (f" {errors} read errors" if errors else ""))
    return "\n".join(lines)


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def details(row: Row) -> str:
    """What the cells of one write rate are made of."""
    checked = row.checked
    supports = [w for w in checked if w.kind == "support"]
    contributions = [w for w in checked if w.kind == "contribution"]
    late = [w.started - w.due for w in row.writes if w.started]
    posts = [w.post_ms for w in row.writes if w.acked is not None]

    def places(place: str, among: list[Write]) -> str:
        return _fraction(sum(place in w.stale_count_places for w in among), len(among))

    def author(pairs: list, exact: bool) -> str:
        read = [p for p in pairs if p and p[0] is not None]
        return _fraction(sum((p[0] != p[1]) if exact else (p[0] < p[1]) for p in read),
                         len(read))

    served_stale = sum(1 for w in checked
                       if ("consultation page" in w.stale_count_places and w.page_hit)
                       or ("list card" in w.stale_count_places and w.card_hit))
    failures: dict[str, int] = {}
    for write in row.writes:
        if write.error:
            reason = re.sub(r"\d+", "N", write.error)[:80]
            failures[reason] = failures.get(reason, 0) + 1
    text = (f"- **{row.rate:g} writes/s asked**: {len(row.writes)} writes started, "
            f"{len(supports)} supports and {len(contributions)} contributions checked; POST "
            f"answered in {_percentile(posts, 0.5):.0f} ms (p50), {_percentile(posts, 0.95):.0f}"
            f" ms (p95); a write started {_percentile(late, 0.95) * 1000:.0f} ms after its "
            f"time at p95 (later when every account is busy). Stale counts by place: "
            f"consultation page {places('consultation page', checked)}, list card "
            f"{places('list card', checked)}, support count {places('support count', supports)}"
            f" ({sum(w.thread_read for w in supports)} read on the contribution's own page); "
            f"stale answers served from the page cache: {served_stale}. The author's page after"
            f" the redirect: count stale {author([w.author_count for w in checked], False)}, "
            f"support count wrong {author([w.author_support for w in supports], True)}, new "
            f"contribution missing {_fraction(sum(w.author_present is False for w in contributions), len(contributions))}")  # noqa: E501
    if row.achieved < 0.9 * row.rate:
        text += (f". The server did not keep up ({row.achieved:.1f} writes/s achieved): requests"
                 f" queued, /healthz's behind the writes too, so its ratio says little here")
    mismatched = sum(not w.stored_count_ok for w in supports)
    if mismatched:
        text += f"; a contribution's stored support_count ≠ its supports: {mismatched}"
    if failures:
        text += "; failed writes: " + ", ".join(f"{n} × {why}" for why, n in failures.items())
    return text + "."


def _server(args, setup: Setup) -> str:
    if args.own_postgres:
        return ("a server of the bench's own for this run (--own-postgres, "
                "bench/own_postgres.py): no other database writes there")
    return (f"the server at {setup.url.host}:{setup.url.port or 5432}, shared with whatever "
            f"else uses it")


def section(rows: list[Row], setup: Setup, args, scale: float, load_average: tuple) -> str:
    pages = ", ".join(f"{p.name} (`{p.path}`)" for p in setup.pages)
    return f"""{SECTION}

Measured by `make bench` (bench/mixed.py) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on the
same machine, {args.workers} gunicorn workers with the production settings (rate limits
off), `flask engage synth --scale {scale:g}`; each answer says whether the page cache
served it (`X-Bench-Page-Cache`, added by bench/counting_wsgi.py, bench only). PostgreSQL:
{_server(args, setup)}.

- Readers: wrk, {args.connections} connections, {args.seconds} s per row, each connection
  going round {len(setup.requests)} requests: {pages}; each as a visitor and signed in as
  a participant. Read req/s, p50 and p95 are theirs; so is the page-cache hit rate: the
  share of their answers served from the cache, and in brackets the share among the pages
  the cache may keep (a signed-in reader's consultation page and thread hold a one-time
  submission key: never kept).
- /healthz: wrk, {args.connections} connections, {args.healthz_seconds} s, just before the
  readers, under the same writes: the ratio's denominator.
- Writes: {len(setup.accounts)} signed-in participants, each write as a browser makes it
  (the consultation page `{setup.consultation_path}` with its form and CSRF token, the
  POST, the redirect followed); 4 in 5 toggle a support on a contribution shown there, 1
  in 5 posts a new contribution. Started on a schedule, from {WARM_UP_SECONDS:g} s before
  /healthz and the readers; "achieved": the writes acknowledged (302) while the readers ran.
- Exactness, after every acknowledged write: PostgreSQL's counts, then the consultation page
  and the list (`{setup.list_path}`) read as a visitor (any worker), and the page the
  author is redirected to. **Stale contents**: the new contribution missing from the
  consultation page (out of the contributions posted). **Stale counts**: the page's or the
  card's "N contributions" below PostgreSQL's count once the write was acknowledged, or
  the contribution's support count other than PostgreSQL's (out of all writes checked).
- Writing transactions/s on the PostgreSQL server: transaction ids taken while the readers
  ran, in every database of the server (other programs' included): the page cache's marker,
  `pg_current_snapshot()`, changes with each of them. Cores busy: the CPU time of the
  gunicorn workers and their PostgreSQL backends while the readers ran, per second (the
  machine has {os.cpu_count()}).
- Other load on the machine: 1-minute load average {load_average[0]:.1f} before,
  {load_average[1]:.1f} after (with this run's own load; 2 would be both cores busy). The
  writer and its checks (5 requests per write) share the two cores too.

{table(rows)}

""" + "\n".join(details(row) for row in rows if row.rate) + "\n"


def write_section(path: Path, text: str) -> None:
    """Put `text` (a whole "## Under a stream of writes" section) into the results file,
    in place of the one there, else at its end; the rest of the file is kept as it is."""
    current = path.read_text() if path.exists() else ""
    start = current.find(SECTION)
    if start >= 0:
        following = current.find("\n## ", start + len(SECTION))
        rest = current[following + 1:] if following >= 0 else ""
        path.write_text(current[:start] + text + ("\n" + rest if rest else ""))
        return
    current = current.rstrip("\n")
    path.write_text((current + "\n\n" if current else "") + text)
