"""`make bench`, the table under a stream of writes (issue 18, items 6 and 7).

The read-only table (bench/run.py) measures each page alone on a database nobody writes
to. Real use has writes in between. Here, on one gunicorn server (production settings,
rate limits off; the page cache in Redis when the bench is given one), for each write rate
(0, then `--rates`, default 1, 5 and 20 writes/s):

- **Writers.** A process of its own posts real forms over HTTP as signed-in participants
  (a pool of `--writers` accounts), like a browser: the form of the consultation page (its
  CSRF token and one-time submission key), the POST, the redirect followed. The page the
  redirect shows holds fresh forms, and the account's next write posts one of them, as a
  person staying on the page would: only an account's first write loads the form's page
  first. 4 writes in 5 toggle a support (support, or withdraw it when given) on a
  contribution shown; 1 in 5 posts a new contribution. Writes start on an open-loop
  schedule (write n at n / rate seconds), each on a thread of its own with a free
  account; an account is busy from its write's start to the redirect's answer. A write
  starts late only when every account is busy: how late is reported with the rate
  achieved (acknowledged writes per second while the readers ran).
- **Exactness, after every acknowledged write** (the POST's 302): PostgreSQL's COUNT(*)
  at once, and the page the author is redirected to; then, on one of `--checkers` threads
  (so that checks never outnumber the readers' connections however slow the server), the
  page the form was on read as a visitor (any worker may answer), and after a new
  contribution the consultation page and the list of consultations (the only write that
  changes its card). The new contribution must be on the consultation page; its "N
  contributions" (and the card's) at least what PostgreSQL counted once the write was
  acknowledged (later writes of other accounts only add); the supported contribution's
  count equal to PostgreSQL's (no other account toggles that contribution until its check
  is done). A count the check cannot find on its page is reported as unread, never as
  right.
- **Readers**, while the writes go on: each main page in turn (bench/mixed.lua, wrk,
  `--connections` connections, `--seconds` per page), as a visitor and signed in as a
  participant, then /healthz (the ratio's denominator) before and after them, under the
  same writes. Per page: req/s, its ratio to /healthz, p50, p95 and the share of answers
  the page cache served (bench/counting_wsgi.py marks each answer); for all pages
  together: every read over the time of all page runs. The report: bench/mixed_report.py.

The writes stay in the database: reuse it for the read-only table only after a fresh
`flask engage synth`. Only 127.0.0.1 is ever targeted: the database and the server.
"""

import gzip
import html
import http.client
import itertools
import json
import math
import multiprocessing
import os
import queue
import random
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

# bench/run.py as a module (run.py runs as __main__ and imports this one inside main()).
import run

SECTION = "## Under a stream of writes"
LUA = run.ROOT / "bench" / "mixed.lua"
BASELINE = run.ROOT / "bench" / "baseline-2026-12-06.md"
SERVED_APP = "bench.counting_wsgi:app"  # wsgi:app, answers marked hit or miss
CONTRIBUTION_EVERY = 5  # the 5th write of every 5 posts a contribution: 80 % supports
HTTP_TIMEOUT = 60
MAX_PAGES_FOLLOWED = 10  # "Next" pages a check reads to find a new contribution

# Targets of issue 18, item 7.
TARGET_RATE = 5.0  # writes/s at which every page must hold:
MIN_RATIO = 0.15  # ... this share of /healthz's throughput
MAX_P95_MS = 100.0  # ... and this p95
HIGH_RATE = 20.0  # writes/s at which every page must hold:
MAX_P95_HIGH_MS = 200.0

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
# Transactions that wrote, in every database of the server (for the details).
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
    cache: str  # "hit", "stored" or "miss": X-Bench-Page-Cache
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
    page: str | None = None  # the last page shown to it: the forms of its next write
    page_path: str = ""  # ... and its address

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
    end = page.find("<article", start + 1)
    match = re.search(r'class="support-count">' + NUMBER,
                      page[start:end if end > 0 else len(page)])
    return _number(match.group(1)) if match else None


def listed_ids(page: str) -> list[int]:
    """The consultation's contributions listed on the page, in their order: not the
    association positions, nor the replies."""
    return [int(number) for classes, number in re.findall(
        r'<article class="([^"]*)" id="contribution-(\d+)"', page)
        if "reply" not in classes and "position" not in classes]


def next_link(page: str) -> str | None:
    """The "Next page" link of the contributions' list (not the positions')."""
    for nav in re.findall(r'<nav class="pagination"[^>]*>(.*?)</nav>', page, re.S):
        link = re.search(r'<a href="([^"]+)" rel="next"', nav)
        if link and re.search(r"(?:\?|&amp;|&)page=", link.group(1)):
            return html.unescape(link.group(1))
    return None


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
    check_started: float | None = None  # when a checker took its check
    finished: float = 0.0  # its checks done
    post_ms: float = 0.0
    requests: int = 0  # HTTP requests it made: form page, POST, redirect, checks
    form_loaded: bool = False  # its account had no page with forms: loaded first
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
    pages_followed: int = 0  # "Next" pages read to find the new contribution

    @property
    def stale_contents(self) -> bool:
        return self.present is False

    def _pairs(self) -> list[tuple[str, tuple | None, bool]]:
        """(place, (shown, counted), must be equal) of what this write's check read."""
        pairs = [("consultation page", self.page_count, False)]
        if self.kind == "contribution":
            pairs.append(("list card", self.card_count, False))
        else:
            pairs.append(("support count", self.support, True))
        return pairs

    @property
    def stale_count_places(self) -> list[str]:
        """Where a count was wrong after this write."""
        return [place for place, pair, exact in self._pairs()
                if pair and pair[0] is not None
                and (pair[0] != pair[1] if exact else pair[0] < pair[1])]

    @property
    def unread_count_places(self) -> list[str]:
        """Where the check found no count on the page (a changed template?)."""
        return [place for place, pair, _exact in self._pairs() if not pair or pair[0] is None]


@dataclass
class Plan:
    port: int
    database_url: str
    language: str
    consultation: int
    list_path: str
    rate: float
    accounts: list[Account]
    checkers: int = 8
    seed: int = 2026

    @property
    def page_path(self) -> str:
        return f"/{self.language}/consultations/{self.consultation}"


class Writer:
    """Runs in a process of its own. The schedule starts each write on a thread of its own
    with a free account (the POST and the redirect); its exactness check then waits for one
    of `plan.checkers` threads, so that checks never outnumber the readers' connections."""

    def __init__(self, plan: Plan):
        from sqlalchemy import create_engine

        self.plan = plan
        self.engine = create_engine(plan.database_url, pool_size=8,
                                    max_overflow=len(plan.accounts) + plan.checkers,
                                    pool_timeout=HTTP_TIMEOUT)
        self.free = queue.Queue()
        for account in plan.accounts:
            self.free.put(account)
        self.checks = ThreadPoolExecutor(plan.checkers)
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
        self.checks.shutdown(wait=True)
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
        """The account's part: the form (the page it was left on), the POST, the redirect.
        Then the account is free again, and the check is queued."""
        write.started = time.monotonic()
        check = None
        try:
            page, path = account.page, account.page_path
            account.page = None  # its forms are this write's: never posted twice
            if page is None:
                path = self.plan.page_path
                answer = self._fetch(write, path, account)
                write.form_loaded = True
                if answer.status != 200:
                    write.error = f"form page HTTP {answer.status}"
                    return
                page = answer.html
            if write.kind == "contribution":
                check = self._contribute(account, write, page)
            else:
                check = self._support(account, write, page, path)
        except Exception as error:  # counted and reported: one failed write stops nothing
            write.error = f"{type(error).__name__}: {error}"
        finally:
            self.free.put(account)
            if check is None:
                self._done(write)
            else:
                self.checks.submit(self._check, write, check)

    def _check(self, write: Write, check) -> None:
        write.check_started = time.monotonic()
        try:
            check()
        except Exception as error:  # counted and reported, as a failed write
            write.error = f"check: {type(error).__name__}: {error}"
        finally:
            self._done(write)

    def _done(self, write: Write) -> None:
        if write.kind == "support" and write.contribution is not None:
            with self.lock:
                self.busy.discard(write.contribution)
        write.finished = time.monotonic()

    def _fetch(self, write: Write, path: str, account: Account | None = None,
               form: dict | None = None) -> Answer:
        write.requests += 1
        if account is None:
            return fetch(self.plan.port, path)
        return account.fetch(self.plan.port, path, form)

    def _post(self, account: Account, write: Write, form: Form, fields: dict) -> Answer | None:
        started = time.monotonic()
        answer = self._fetch(write, form.action, account, {**form.fields, **fields})
        write.post_ms = (time.monotonic() - started) * 1000
        if answer.status != 302:
            write.error = f"POST HTTP {answer.status}"
            return None
        write.acked = time.monotonic()
        return answer

    def _follow(self, account: Account, write: Write, answer: Answer) -> str:
        """The page the author is redirected to, as the browser shows it; its forms are the
        account's next write's."""
        path = answer.location.split("#")[0]
        shown = self._fetch(write, path, account)
        if shown.status == 200:
            account.page, account.page_path = shown.html, path
        return shown.html

    def _contribute(self, account: Account, write: Write, page: str):
        action = f"{self.plan.page_path}/contributions"
        form = next((f for f in post_forms(page) if f.action == action), None)
        if form is None:
            write.error = "no contribution form on the page"
            return None
        write.action = "contribute"
        number = next(self.numbers)
        body = (f"Contribution {self.plan.rate:g}-{number} du banc d'essai ({account.email}) : "
                f"l'accès aux soins de support après le traitement reste inégal selon les "
                f"territoires.")
        answer = self._post(account, write, form, {"body": body, "theme": "", "post_as": ""})
        if answer is None:
            return None
        found = re.search(r"#contribution-(\d+)", answer.location)
        if not found:
            write.error = f"redirected to {answer.location}, not to a contribution"
            return None
        write.contribution = contribution = int(found.group(1))
        counted = self._count_contributions()  # once acknowledged: what any page must show
        author = self._follow(account, write, answer)
        write.author_present = f'id="contribution-{contribution}"' in author
        write.author_count = (page_total(author), counted)

        def check() -> None:
            visitor = self._fetch(write, self.plan.page_path)
            write.present = self._listed(write, contribution, visitor.html)
            write.page_count = (page_total(visitor.html), counted)
            write.page_hit = visitor.cache == "hit"
            listing = self._fetch(write, self.plan.list_path)
            write.card_count = (card_total(listing.html, self.plan.page_path), counted)
            write.card_hit = listing.cache == "hit"

        return check

    def _listed(self, write: Write, contribution: int, page: str) -> bool:
        """Whether the visitor's list (newest first) shows the contribution where it
        belongs: on the first page, or, when newer ones pushed it on before the check ran,
        on a page a reader reaches by following "Next"; missing once the list has gone
        past older contributions without it."""
        for _ in range(MAX_PAGES_FOLLOWED):
            shown = listed_ids(page)
            if contribution in shown:
                return True
            if sum(number < contribution for number in shown) >= 2:  # past its place
                return False
            link = next_link(page)
            if link is None:
                return False
            page = self._fetch(write, link).html
            write.pages_followed += 1
        return False

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

    def _support(self, account: Account, write: Write, page: str, path: str):
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
            path = f"{self.plan.page_path}?page={number}"
            page = self._fetch(write, path, account).html
        if choice is None:
            write.error = ("not made: every contribution on 5 pages awaits the check of "
                           "another write")
            return None
        contribution, action, form = choice
        write.contribution, write.action = contribution, action
        answer = self._post(account, write, form, {})
        if answer is None:
            return None
        counted, stored, mine = self._count_supports(contribution, account.user_id)
        write.stored_count_ok = stored == counted
        if bool(mine) != (action == "support"):
            write.error = f"{action} refused (flash message)"
            return None
        contributions = self._count_contributions()
        author = self._follow(account, write, answer)
        write.author_count = (page_total(author), contributions)
        write.author_support = (support_count(author, contribution), counted)

        def check() -> None:
            # The page the form was on, as a visitor sees it: the count of the consultation
            # and the support count of the contribution.
            visitor = self._fetch(write, path)
            write.page_count = (page_total(visitor.html), contributions)
            write.page_hit = visitor.cache == "hit"
            shown = support_count(visitor.html, contribution)
            if shown is None:  # pushed to the next page by newer contributions meanwhile
                thread = self._fetch(write,
                                     f"{self.plan.page_path}/contributions/{contribution}")
                shown, write.thread_read = support_count(thread.html, contribution), True
            write.support = (shown, counted)

        return check

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
    writer = Writer(plan)
    cpu = time.process_time()
    writes = writer.run(stop)
    cpu = time.process_time() - cpu
    # The accounts as the writes left them (cookie, the page with their next forms), for
    # the next rate: a page's one-time submission key is never posted twice.
    results.put((writes, [(account.cookie, account.page, account.page_path)
                          for account in plan.accounts], cpu))


# The readers


@dataclass
class ReaderPage:
    name: str
    path: str
    who: str | None  # None (a visitor), "participant" or "moderator"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.who or 'visitor'})"


@dataclass
class PageRun:
    """One page read by wrk for a while: its answers' latencies and the cache's share."""

    page: ReaderPage
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, one per answer
    hits: int = 0
    stored: int = 0
    misses: int = 0
    failed: int = 0  # answers other than 2xx/3xx
    errors: int = 0  # connections wrk lost (timeouts, resets)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.50)

    @property
    def p95(self) -> float:
        """No answer at all within the run counts as infinitely slow."""
        return percentile(self.latencies, 0.95) if self.latencies else math.inf

    @property
    def hit_rate(self) -> float | None:
        marked = self.hits + self.stored + self.misses
        return self.hits / marked if marked else None


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def whole_seconds(seconds: float) -> int:
    """wrk's durations are whole seconds."""
    return max(1, round(seconds))


def read_page(port: int, page: ReaderPage, cookie: str, seconds: float,
              connections: int) -> PageRun:
    argument = page.path + (f"|{cookie}" if cookie else "")
    result = subprocess.run(  # noqa: S603 - our own arguments
        [run.WRK, "-t2", f"-c{connections}", f"-d{whole_seconds(seconds)}s", "--timeout", "10s",
         "-s", str(LUA), f"http://{run.LOOPBACK}:{port}/", "--", argument],
        capture_output=True, text=True, check=True)
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    figures = json.loads(line)
    answers = figures["pages"][0]
    return PageRun(page, figures["seconds"], answers["latencies_ms"], answers["hits"],
                   answers["stored"], answers["misses"], answers["failed"],
                   figures["errors"] + figures["unmatched"])


# What the server waited on while the readers ran

# Active backends of the database by what they wait for (None: running, or ready to).
BACKEND_WAITS = """
SELECT coalesce(wait_event_type, 'running'), count(*) FROM pg_stat_activity
WHERE datname = :name AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1"""


def machine_busy_seconds() -> float:
    """CPU time of every process of the machine so far (/proc/stat: all but idle and
    iowait), whoever they belong to."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / run.TICKS


class Watch(threading.Thread):
    """Twice a second: whether each gunicorn worker is running (or ready to, and waiting
    for a core) or asleep (waiting for PostgreSQL, Redis, a lock or a client), and what the
    database's active backends wait for. A server slow with cores to spare waits on
    something; one whose workers are all runnable lacks CPU."""

    def __init__(self, workers: list[int], url):
        super().__init__(daemon=True)
        self.workers, self.url = workers, url
        self.states: Counter = Counter()  # R, S, D... over all samples of all workers
        self.waits: Counter = Counter()  # backends by wait event type, over all samples
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        engine = create_engine(self.url, poolclass=NullPool)
        with engine.connect() as connection:
            while not self.stop.wait(0.5):
                self.samples += 1
                for pid in self.workers:
                    try:
                        stat = Path(f"/proc/{pid}/stat").read_text()
                    except OSError:
                        continue
                    self.states[stat.rsplit(")", 1)[1].split()[0]] += 1
                for kind, count in connection.execute(text(BACKEND_WAITS),
                                                      {"name": self.url.database}):
                    self.waits[kind] += count
                connection.rollback()  # a fresh snapshot for the next sample
        engine.dispose()

    def finish(self) -> None:
        self.stop.set()
        self.join()


# One row per rate


@dataclass
class Row:
    rate: float
    pages: list[PageRun] = field(default_factory=list)
    healthz: list[PageRun] = field(default_factory=list)  # before and after the pages
    window: float = 0.0  # seconds from the first /healthz to the last
    writes: list[Write] = field(default_factory=list)
    acked_in_window: int = 0
    xids: int = 0  # transactions that wrote on the PostgreSQL server in the window
    cpu_seconds: float = 0.0  # of the gunicorn workers and their PostgreSQL backends, idem
    writer_cpu_seconds: float = 0.0  # of the writers' process (the bench's own cost)
    machine_seconds: float = 0.0  # CPU time of every process of the machine, idem
    watch: Watch | None = None

    @property
    def achieved(self) -> float:
        return self.acked_in_window / self.window if self.window else 0.0

    @property
    def healthz_rps(self) -> float:
        answered = sum(len(r.latencies) for r in self.healthz)
        seconds = sum(r.seconds for r in self.healthz)
        return answered / seconds if seconds else 0.0

    @property
    def reads(self) -> list[float]:
        return [latency for r in self.pages for latency in r.latencies]

    @property
    def rps(self) -> float:
        """Every read over the time of all page runs."""
        seconds = sum(r.seconds for r in self.pages)
        return len(self.reads) / seconds if seconds else 0.0

    def ratio(self, rps: float) -> float | None:
        return rps / self.healthz_rps if self.healthz_rps else None

    @property
    def hit_rate(self) -> float | None:
        marked = sum(r.hits + r.stored + r.misses for r in self.pages)
        return sum(r.hits for r in self.pages) / marked if marked else None

    @property
    def cores_busy(self) -> float:
        return self.cpu_seconds / self.window if self.window else 0.0

    @property
    def machine_cores_busy(self) -> float:
        return self.machine_seconds / self.window if self.window else 0.0

    @property
    def checked(self) -> list[Write]:
        return [w for w in self.writes if w.acked is not None and not w.error]

    @property
    def writer_rps(self) -> float:
        """HTTP requests of the writers (forms, POSTs, redirects, checks) per second."""
        done = [w for w in self.writes if w.started and w.finished]
        if not done:
            return 0.0
        span = max(w.finished for w in done) - min(w.started for w in done)
        return sum(w.requests for w in done) / span if span else 0.0

    # Targets

    def lowest_ratio(self) -> tuple[float | None, PageRun | None]:
        worst = min(self.pages, key=lambda r: r.rps, default=None)
        return (self.ratio(worst.rps) if worst else None), worst

    def highest_p95(self) -> tuple[float, PageRun | None]:
        worst = max(self.pages, key=lambda r: r.p95, default=None)
        return (worst.p95 if worst else 0.0), worst

    def ratio_ok(self, run_: PageRun) -> bool | None:
        if self.rate != TARGET_RATE:
            return None
        ratio = self.ratio(run_.rps)
        return ratio is not None and ratio >= MIN_RATIO

    def p95_ok(self, run_: PageRun) -> bool | None:
        if self.rate == TARGET_RATE:
            return run_.p95 < MAX_P95_MS
        if self.rate == HIGH_RATE:
            return run_.p95 < MAX_P95_HIGH_MS
        return None


@dataclass
class Setup:
    port: int
    language: str
    consultation: int
    consultation_path: str
    list_path: str
    pages: list[ReaderPage]
    cookies: dict  # who -> session cookie of the readers
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


def reader_pages(url_text: str, language: str, consultation: int,
                 everyone: bool) -> list[ReaderPage]:
    """The main pages (engage.synth.pages) a visitor may read, as a visitor and as a
    signed-in participant, and the participant's own; with `everyone`, the moderators'
    pages and the API too. The consultation page is the one written to."""
    from engage import create_app
    from engage.extensions import db
    from engage.synth.pages import main_pages

    app = create_app({"SQLALCHEMY_DATABASE_URI": url_text})
    with app.app_context():
        pages = main_pages(language)[1:]  # not the trivial endpoint: it is /healthz
        db.engine.dispose()
    chosen = []
    for page in pages:
        path = page.path
        if page.name == "consultation page":
            path = f"/{language}/consultations/{consultation}"
        api = path.startswith("/api/")
        if page.who is None and not api:
            chosen += [ReaderPage(page.name, path, None),
                       ReaderPage(page.name, path, "participant")]
        elif page.who == "participant" or everyone:
            chosen.append(ReaderPage(page.name, path, page.who))
    return chosen


def _sign_in_writer(port: int, language: str, consultation_path: str,
                    candidate: tuple[int, str]) -> Account | None:
    from engage.synth import SYNTH_PASSWORD

    user_id, email = candidate
    account = Account(email, user_id, run.sign_in(port, email, SYNTH_PASSWORD, language))
    page = account.fetch(port, consultation_path)
    if 'name="submission_key"' not in page.html:
        return None  # the page offers it no form to contribute
    account.page, account.page_path = page.html, consultation_path  # its first write's
    return account


def prepare(port: int, url, language: str, writers: int, everyone: bool) -> Setup:
    from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD

    url_text = url.render_as_string(hide_password=False)
    consultation = _target_consultation(url)
    consultation_path = f"/{language}/consultations/{consultation}"
    pages = reader_pages(url_text, language, consultation, everyone)
    cookies = {None: ""}
    for who, email in (("participant", PARTICIPANT_EMAIL), ("moderator", MODERATOR_EMAIL)):
        if any(page.who == who for page in pages):
            cookies[who] = run.sign_in(port, email, SYNTH_PASSWORD, language)
    # Signing in hashes a password (scrypt): a few at once, one per worker.
    candidates = _writer_candidates(url, writers + 5)  # an account without a form is left out
    with ThreadPoolExecutor(4) as pool:
        signed = list(pool.map(
            lambda candidate: _sign_in_writer(port, language, consultation_path, candidate),
            candidates))
    accounts = [account for account in signed if account is not None][:writers]
    if not accounts:
        raise SystemExit("no participant account may contribute to the consultation")
    if len(accounts) < writers:
        log(f"  note: only {len(accounts)} participant accounts may write there")
    list_path = f"/{language}/consultations/"
    if card_total(fetch(port, list_path).html, consultation_path) is None:
        log(f"  note: {consultation_path} has no card on {list_path}: its count unread")
    return Setup(port, language, consultation, consultation_path, list_path, pages, cookies,
                 accounts, url_text, url)


def measure_rate(setup: Setup, rate: float, args) -> Row:
    row = Row(rate)
    context = multiprocessing.get_context("fork")
    stop, results, writer = context.Event(), context.Queue(), None
    if rate:
        plan = Plan(setup.port, setup.database_url, setup.language, setup.consultation,
                    setup.list_path, rate, setup.accounts, args.checkers,
                    seed=int(rate * 1000))
        writer = context.Process(target=_writer_process, args=(plan, stop, results))
        writer.start()
        time.sleep(args.warm_up)  # the writes under way before anything is measured
    healthz = ReaderPage("/healthz", "/healthz", None)
    half = whole_seconds(args.healthz_seconds / 2)
    try:
        xid = next_xid(setup.url)
        processes = run.workers_of(setup.server_pid) + run.backends_of(setup.url,
                                                                      setup.url.database)
        row.watch = Watch(run.workers_of(setup.server_pid), setup.url)
        row.watch.start()
        cpu, machine = run.cpu_seconds(processes), machine_busy_seconds()
        started = time.monotonic()
        row.healthz.append(read_page(setup.port, healthz, "", half, args.connections))
        for page in setup.pages:
            row.pages.append(read_page(setup.port, page, setup.cookies[page.who],
                                       args.seconds, args.connections))
        row.healthz.append(read_page(setup.port, healthz, "", half, args.connections))
        ended = time.monotonic()
        row.cpu_seconds = run.cpu_seconds(processes) - cpu
        row.machine_seconds = machine_busy_seconds() - machine
        row.watch.finish()
        row.xids = next_xid(setup.url) - xid
    finally:
        if writer is not None:
            stop.set()
            row.writes, states, row.writer_cpu_seconds = _collect(writer, results)
            for account, state in zip(setup.accounts, states, strict=True):
                account.cookie, account.page, account.page_path = state
    row.window = ended - started
    row.acked_in_window = sum(1 for w in row.writes
                              if w.acked is not None and started <= w.acked <= ended)
    return row


def _collect(writer, results) -> tuple[list[Write], list[tuple], float]:
    """The writes, once those under way are done (each request has a timeout)."""
    while True:
        try:
            found = results.get(timeout=1)
            break
        except queue.Empty:
            if not writer.is_alive():
                raise SystemExit(f"the writer process stopped (exit code {writer.exitcode})") \
                    from None
    writer.join()
    return found


def measure(args, env: dict, url, language: str,
            progress=None) -> tuple[list[Row], Setup, tuple]:
    """Start the server, prepare readers and writers, measure every rate (`progress(row)`
    after each); stop the server."""
    rates = [0.0] + [r for r in (float(x) for x in args.rates.split(",") if x.strip()) if r > 0]
    port = run.free_port()
    before = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("w", prefix="engage-bench-mixed-", suffix=".log",
                                     delete=False) as log_file:
        server = run.start_server(env, port, args.workers, log_file, app=SERVED_APP,
                                  redis_url=args.redis_url)
        rows = []
        try:
            started = time.monotonic()
            setup = prepare(port, url, language, args.writers, args.mixed_everyone)
            setup.server_pid = server.pid
            log(f"  writing to {setup.consultation_path} as {len(setup.accounts)} participants"
                f" (signed in in {time.monotonic() - started:.0f} s); readers: "
                f"{len(setup.pages)} pages")
            for page in setup.pages:  # every worker has served every page once
                for _ in range(3 * args.workers):
                    fetch(port, page.path, setup.cookies[page.who])
            for rate in rates:
                row = measure_rate(setup, rate, args)
                rows.append(row)
                if progress:
                    progress(row)
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
