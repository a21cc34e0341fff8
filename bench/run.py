"""`make bench`: Engage under load, on PostgreSQL, with synthetic data, on this machine.

For each scale (default 0.1 then 1): a fresh database on 127.0.0.1 (BENCH_DATABASE_URL,
default postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench), the migrations,
`flask engage synth --scale N`, gunicorn with 4 workers on loopback, then wrk with 16
connections over each main page and over /healthz (the trivial endpoint: the ceiling of
this server on this machine) in the same run. The table of the largest scale is printed
and written to bench/results.md with the machine's description; the p95 of each page at
the largest scale is compared with its p95 at the smallest.

SQL queries per page are counted in-process (Flask's test client) on the same data;
sizes are the page compressed as the app sends it (gzip) plus its CSS/JS gzip-compressed
(the reverse proxy compresses static files in production).

Then, on the database of the largest scale, before anything writes to it: what a full
render of each main page costs in-process with the caches off, the profile of each page
that misses its target, and the deepest pages against the first ones
(bench/render_cost.py). Then the same pages read while signed-in participants post
supports and contributions at 1, 5 and 20 writes/s, each write checked for exactness
(bench/mixed.py). Each part is a section of bench/results.md; a part measured alone
(`--mixed-only`, `--render-only`) replaces its section and keeps the others.

`--quick` is for working on the bench: scale 0.1 only, a few seconds per page, written to
a file in the temporary folder unless `--output` says otherwise. `--own-postgres` runs
everything on a PostgreSQL server started for the run (bench/own_postgres.py).
BENCH_REDIS_URL (or `--redis-url`) gives the server a Redis database for its shared page
cache, as REDIS_URL does in production: the bench empties that database whenever it starts
the server (old pages of another database of the same name must not be served), so give
it one of its own. Without it, each worker keeps its own pages.

Only 127.0.0.1 is ever targeted: the database, Redis and the server.
"""

import argparse
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench"
LOOPBACK = "127.0.0.1"
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results.md"
WRK = shutil.which("wrk") or "/usr/bin/wrk"

# Targets of issue 8.
MIN_RATIO = 0.15
MAX_P95_MS = 100.0
MAX_QUERIES = 10
MAX_KB = 150.0
MAX_P95_GROWTH = 1.5
RENDERS = 10  # full renders timed per page, in-process


@dataclass
class Measure:
    name: str
    path: str
    who: str | None
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    errors: int = 0
    queries: int | None = None
    app_cpu_ms: float = 0.0  # CPU time of the gunicorn workers per request
    db_cpu_ms: float = 0.0  # CPU time of their PostgreSQL backends per request
    render_ms: float = 0.0  # CPU time of one full render in-process, page cache off
    page_kb: float = 0.0
    assets_kb: float = 0.0
    status: int = 0

    @property
    def total_kb(self) -> float:
        return self.page_kb + self.assets_kb


@dataclass
class Run:
    scale: float
    load_average: tuple = ()  # the machine's 1-minute load average before and after the load
    synth_seconds: float = 0.0
    synth_output: str = ""
    measures: list[Measure] = field(default_factory=list)

    def trivial(self) -> Measure:
        return self.measures[0]

    def by_name(self) -> dict[str, Measure]:
        return {m.name: m for m in self.measures}


def log(message: str) -> None:
    print(message, flush=True)


# The database


def check_loopback(url) -> None:
    if url.host not in (LOOPBACK, "localhost"):
        raise SystemExit(f"bench only targets {LOOPBACK}; refusing database host {url.host!r}")
    if url.get_backend_name() != "postgresql":
        raise SystemExit("bench runs on PostgreSQL: set BENCH_DATABASE_URL to a postgresql URL")


def fresh_database(url) -> None:
    from sqlalchemy import create_engine, text

    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    maintenance.dispose()


def flask(args: list[str], env: dict, check: bool = True) -> subprocess.CompletedProcess:
    command = [str(BIN / "flask"), "--app", "engage", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          check=check)


def schema(url, env: dict) -> None:
    """The migrations; if they do not (yet) cover every model, the models' own schema."""
    from sqlalchemy import create_engine, inspect

    from engage import create_app
    from engage.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False)})
    upgraded = flask(["db", "upgrade"], env, check=False)
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    missing = {t.name for t in db.metadata.sorted_tables} - tables
    if upgraded.returncode == 0 and not missing:
        log("  schema: migrations applied")
        return
    log(f"  WARNING: the migrations do not build the whole schema "
        f"({'failed' if upgraded.returncode else 'missing ' + ', '.join(sorted(missing))}); "
        f"using the models' schema (db.create_all) and stamping the head instead.")
    fresh_database(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    flask(["db", "stamp", "head"], env)


def synth(scale: float, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    result = flask(["engage", "synth", "--scale", f"{scale:g}"], env)
    elapsed = time.perf_counter() - started
    summary = [line for line in result.stdout.splitlines() if "rows at scale" in line]
    log(f"  synth: {summary[0] if summary else result.stdout.strip()[-200:]}")
    return elapsed, result.stdout


# In-process: pages, SQL queries, sizes


def inspect_pages(url: str, language: str) -> list[Measure]:
    from sqlalchemy import event

    from engage import create_app
    from engage.extensions import db
    from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD
    from engage.synth.pages import main_pages

    # The page cache off: the queries and the CPU time of rendering each page in full.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "PAGE_CACHE_SECONDS": 0})
    with app.app_context():
        pages = main_pages(language)
        engine = db.engine
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
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    measures = []
    for page in pages:
        client = clients[page.who]
        client.get(page.path)  # warm the caches of the process
        event.listen(engine, "before_cursor_execute", count)
        counter["n"] = 0
        response = client.get(page.path, headers={"Accept-Encoding": "gzip"})
        event.remove(engine, "before_cursor_execute", count)
        started = time.process_time()
        for _ in range(RENDERS):
            client.get(page.path, headers={"Accept-Encoding": "gzip"})
        render_ms = (time.process_time() - started) * 1000 / RENDERS
        measure = Measure(page.name, page.path, page.who, queries=counter["n"],
                          status=response.status_code, page_kb=len(response.data) / 1024,
                          render_ms=render_ms)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            html = gzip.decompress(response.data).decode() \
                if response.headers.get("Content-Encoding") == "gzip" else response.text
            for asset in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html))):
                body = client.get(asset.replace("&amp;", "&")).data
                measure.assets_kb += len(gzip.compress(body, compresslevel=6)) / 1024
        measures.append(measure)
    with app.app_context():
        db.engine.dispose()
    return measures


# Under load: gunicorn and wrk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def check_redis(redis_url: str | None) -> None:
    if not redis_url:
        return
    from urllib.parse import urlsplit

    parts = urlsplit(redis_url)
    if parts.scheme != "redis" or parts.hostname not in (LOOPBACK, "localhost"):
        raise SystemExit(f"bench only targets {LOOPBACK}; refusing Redis at {redis_url!r}")


def empty_redis(redis_url: str) -> None:
    """The bench's Redis database, emptied: the page cache's keys hold the database's URL
    and version counters, which a fresh database of the same name starts again."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    try:
        client.flushdb()
    except (redis.RedisError, OSError) as error:
        raise SystemExit(f"Redis at {redis_url} is not usable: {error}") from None
    finally:
        client.close()


def start_server(env: dict, port: int, workers: int, log_file,
                 app: str = "wsgi:app", redis_url: str | None = None) -> subprocess.Popen:
    # Rate limits off: every request of the load comes from one address. Production
    # requires the site's address and refuses requests for any other host. REDIS_URL only
    # as the bench is told, never inherited from the shell.
    server_env = {**env, "ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                  "BIND": f"{LOOPBACK}:{port}", "WORKERS": str(workers),
                  "RATELIMIT_ENABLED": "0", "ENGAGE_BASE_URL": f"http://{LOOPBACK}:{port}",
                  "REDIS_URL": redis_url or "", "RATELIMIT_STORAGE_URI": "memory://"}
    if redis_url:
        empty_redis(redis_url)
    process = subprocess.Popen(  # noqa: S603 - our own arguments
        [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "--bind",
         f"{LOOPBACK}:{port}", "--workers", str(workers), "--max-requests", "0", app],
        cwd=ROOT, env=server_env, stdout=log_file, stderr=log_file, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if http_get(port, "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped at start-up: see its log")
    raise SystemExit("gunicorn did not answer on /healthz within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def http_get(port: int, path: str, headers: dict | None = None, body=None, method="GET"):
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheader("Set-Cookie") or "", data


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> float:
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def workers_of(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def backends_of(url, database: str) -> list[int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        pids = connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = :name "
            "AND pid <> pg_backend_pid()"), {"name": database}).scalars().all()
    engine.dispose()
    return list(pids)


def cookie_of(set_cookie: str) -> str:
    match = re.search(r"(session=[^;]+)", set_cookie)
    return match.group(1) if match else ""


def sign_in(port: int, email: str, password: str, language: str) -> str:
    """The session cookie of `email`, signed in through the real form."""
    status, set_cookie, data = http_get(port, f"/{language}/account/sign-in")
    cookie = cookie_of(set_cookie)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', data).group(1)
    form = urlencode({"email": email, "password": password, "csrf_token": token.decode()})
    status, set_cookie, _ = http_get(
        port, f"/{language}/account/sign-in", method="POST", body=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"could not sign in as {email} (HTTP {status})")
    cookie = cookie_of(set_cookie)
    # The next page, as a browser would show it: the session gets its CSRF token (the
    # sign-out form), which it then keeps.
    _status, set_cookie, _ = http_get(port, f"/{language}/", headers={"Cookie": cookie})
    return cookie_of(set_cookie) or cookie


def wrk(port: int, path: str, cookie: str, duration: int, connections: int) -> dict:
    headers = ["-H", "Accept-Encoding: gzip, deflate, br"]
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(  # noqa: S603 - our own arguments
        [WRK, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "latency.lua"), *headers,
         f"http://{LOOPBACK}:{port}{path}"],
        capture_output=True, text=True, check=True)
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


def load(run: Run, env: dict, args, language: str, url) -> None:
    from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD

    port = free_port()
    before = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("w", prefix="engage-bench-", suffix=".log",
                                     delete=False) as log_file:
        server = start_server(env, port, args.workers, log_file, redis_url=args.redis_url)
        try:
            cookies = {None: "",
                       "participant": sign_in(port, PARTICIPANT_EMAIL, SYNTH_PASSWORD, language),
                       "moderator": sign_in(port, MODERATOR_EMAIL, SYNTH_PASSWORD, language)}
            for measure in run.measures:
                cookie = cookies[measure.who]
                for _ in range(3 * args.workers):  # every worker has served the page once
                    http_get(port, measure.path, {"Cookie": cookie} if cookie else None)
                workers = workers_of(server.pid)
                backends = backends_of(url, url.database)
                app_before, db_before = cpu_seconds(workers), cpu_seconds(backends)
                figures = wrk(port, measure.path, cookie, args.duration, args.connections)
                requests = max(figures["requests"], 1)
                measure.app_cpu_ms = (cpu_seconds(workers) - app_before) * 1000 / requests
                measure.db_cpu_ms = (cpu_seconds(backends) - db_before) * 1000 / requests
                measure.rps, measure.p50 = figures["rps"], figures["p50_ms"]
                measure.p95, measure.p99 = figures["p95_ms"], figures["p99_ms"]
                measure.errors = figures["errors"] + figures["non2xx"]
                log(f"  {measure.name:<22} {measure.rps:8.1f} req/s  p50 {measure.p50:6.1f} ms"
                    f"  p95 {measure.p95:6.1f} ms  CPU {measure.app_cpu_ms:5.1f} + "
                    f"{measure.db_cpu_ms:4.1f} ms/req" + (f"  ERRORS {measure.errors}"
                                                      if measure.errors else ""))
        finally:
            stop_server(server)
        log(f"  server log: {log_file.name}")
    run.load_average = (before, os.getloadavg()[0])


# The report


def machine() -> dict:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else platform.processor()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB" if found else ""
    wrk_version = subprocess.run([WRK, "--version"], capture_output=True,  # noqa: S603
                                 text=True)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "os": platform.platform(), "python": platform.python_version(),
            "wrk": (wrk_version.stdout or wrk_version.stderr).split("\n")[0].strip()}


def postgresql_version(url) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return version


def _mark(ok: bool) -> str:
    return "✔" if ok else "✘"


def cpu(m: Measure) -> str:
    return f"{m.app_cpu_ms:.1f} + {m.db_cpu_ms:.1f}"


def table(main: Run, compared: Run | None) -> str:
    trivial = main.trivial()
    small = compared.by_name() if compared else {}
    growth_title = f"p95 ÷ p95 at scale {compared.scale:g}" if compared else ""
    lines = ["| page | req/s | p50 ms | p95 ms | ratio to trivial | SQL queries | "
             f"KB (page + CSS/JS, gzip) | {growth_title} | CPU ms/req: app + PostgreSQL "
             "| full render, CPU ms |",
             "|" + "---|" * 10]
    for m in main.measures:
        ratio = m.rps / trivial.rps if trivial.rps else 0
        growth = ""
        if m.name in small and small[m.name].p95:
            value = m.p95 / small[m.name].p95
            growth = f"{value:.2f} {_mark(value <= MAX_P95_GROWTH)}"
        if m is trivial:
            lines.append(f"| {m.name} (`{m.path}`) | {m.rps:.0f} | {m.p50:.1f} | {m.p95:.1f} | "
                         f"1.00 | {m.queries} | – | {growth} | {cpu(m)} | {m.render_ms:.1f} |")
            continue
        lines.append(
            f"| {m.name} | {m.rps:.0f} | {m.p50:.1f} | {m.p95:.1f} {_mark(m.p95 < MAX_P95_MS)} "
            f"| {ratio:.2f} {_mark(ratio >= MIN_RATIO)} "
            f"| {m.queries} {_mark((m.queries or 0) <= MAX_QUERIES)} "
            f"| {m.page_kb:.1f} + {m.assets_kb:.1f} = {m.total_kb:.1f} "
            f"{_mark(m.total_kb <= MAX_KB)} | {growth} | {cpu(m)} | {m.render_ms:.1f} |"
            + (f" {m.errors} errors" if m.errors else ""))
    return "\n".join(lines)


def page_cache_store(args) -> str:
    if os.environ.get("PAGE_CACHE_SECONDS") == "0":
        return "**off** (PAGE_CACHE_SECONDS=0)"
    if args.redis_url:
        from urllib.parse import urlsplit

        parts = urlsplit(args.redis_url)  # never a password in the results
        where = f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"
        return f"on, shared by the workers in Redis (`{where}`, emptied at start)"
    return "on, each worker's own (no Redis given: BENCH_REDIS_URL)"


def page_cache_setting(args) -> str:
    seconds = os.environ.get("PAGE_CACHE_SECONDS")
    if seconds == "0":
        return page_cache_store(args)
    return (f"{page_cache_store(args)}; an entry is kept {seconds or 30} s at most, and "
            f"only while what it shows is unchanged")


def own_server(args) -> str:
    return (" (a server of the bench's own: --own-postgres)"
            if args.own_postgres else "")


def report(runs: list[Run], args, url) -> str:
    main = runs[-1]
    compared = runs[0] if len(runs) > 1 else None
    info = machine()
    pages = "\n".join(f"- {m.name}: `{m.path}`" + (f" (signed in as a {m.who})" if m.who else "")
                      for m in main.measures)
    return f"""# Engage under load

Measured by `make bench` (bench/run.py) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.

- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} memory; {info['os']}
- PostgreSQL {postgresql_version(url)}{own_server(args)}; Python {info['python']}; {info['wrk']}
- Server: gunicorn, {args.workers} sync workers (deploy/gunicorn.conf.py, production settings,
  worker recycling and rate limits off during the run: the load comes from one address), on
  127.0.0.1, sharing the cores with wrk and PostgreSQL; "CPU ms/req" is the CPU time the
  gunicorn workers and their PostgreSQL backends spent per request (steadier than the
  throughput when other programs use the machine)
- Load: wrk, {args.connections} connections, {args.duration} s per page, after a warm-up;
  `Accept-Encoding: gzip, deflate, br`; signed-in pages with one session cookie each
- Page cache (engage/core/page_cache.py): {page_cache_setting(args)}; "SQL queries" and
  "full render" are measured in-process with it off: what a page costs when the database
  has changed since it was last rendered
- Other load on the machine: 1-minute load average {main.load_average[0]:.1f} before the
  run, {main.load_average[1]:.1f} after (with this run's own load; 2 would be both cores busy)
- Data: `flask engage synth --scale {main.scale:g}` ({main.synth_seconds:.0f} s to load)
  {f"and, for the p95 comparison, --scale {compared.scale:g}" if compared else ""}

Targets: every page ≥ {MIN_RATIO:.0%} of the trivial endpoint's requests/s and p95 <
{MAX_P95_MS:.0f} ms; ≤ {MAX_QUERIES} SQL queries per page; ≤ {MAX_KB:.0f} KB compressed with
its CSS/JS; p95 at scale {main.scale:g} ≤ {MAX_P95_GROWTH} × p95 at the smaller scale.

## Scale {main.scale:g}

{table(main, compared)}

Pages:

{pages}
""" + (f"""
## Scale {compared.scale:g}

{table(compared, None)}
""" if compared else "")


# The results file: the read-only tables first, then one section per part


TIMING_SECTION = "## How long this run took"


def section_order() -> list[str]:
    import mixed  # bench/mixed.py, beside this file
    import render_cost  # bench/render_cost.py, beside this file

    return [render_cost.RENDER_SECTION, render_cost.DEEP_SECTION, mixed.SECTION,
            TIMING_SECTION]


def put_sections(path: Path, head: str | None = None, sections: dict | None = None) -> None:
    """Write `head` (the read-only tables) and `sections` (heading -> text) into the
    results file, in their places; what is not given stays as the file has it."""
    current = path.read_text() if path.exists() else ""
    order = section_order()
    found = sorted((match.start(), heading) for heading in order
                   if (match := re.search(rf"^{re.escape(heading)}[ \t]*$", current, re.M)))
    kept = {heading: current[start:(found[n + 1][0] if n + 1 < len(found) else None)]
            for n, (start, heading) in enumerate(found)}
    kept_head = current[:found[0][0]] if found else current
    given = sections or {}
    parts = [head if head is not None else kept_head]
    parts += [given.get(heading) or kept.get(heading, "") for heading in order]
    path.write_text("\n\n".join(part.strip() for part in parts if part.strip()) + "\n")


# The run


QUICK = {"scales": "0.1", "duration": 2, "seconds": 2.0, "healthz_seconds": 2.0,
         "warm_up": 1.0, "renders": 10, "writers": 30}
FULL = {"scales": "0.1,1", "duration": 10, "seconds": 5.0, "healthz_seconds": 6.0,
        "warm_up": 3.0, "renders": 30, "writers": 40}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="for working on the bench: scale 0.1, a few seconds per page, "
                             "results in the temporary folder (unless --output)")
    parser.add_argument("--scales", help="comma-separated synth scales; the last is the main "
                                         "table, and the data of the other parts "
                                         f"(default {FULL['scales']})")
    parser.add_argument("--duration", type=int,
                        help=f"seconds of load per page, read-only (default {FULL['duration']})")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--language", default="fr")
    parser.add_argument("--output", help=f"default {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database as it is (already filled at that scale)")
    parser.add_argument("--only", default="",
                        help="comma-separated words: only the pages whose name has one "
                             "(read-only table)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL") or None,
                        help="a Redis database of the bench's own for the server's page "
                             "cache (emptied at each start; default BENCH_REDIS_URL)")
    render_options = parser.add_argument_group("in-process render cost (bench/render_cost.py)")
    render_options.add_argument("--render-only", action="store_true",
                                help="only the render cost and the deep pages")
    render_options.add_argument("--no-render", action="store_true",
                                help="without the render cost and the deep pages")
    render_options.add_argument("--renders", type=int,
                                help=f"renders timed per page (default {FULL['renders']})")
    mixed_options = parser.add_argument_group("under a stream of writes (bench/mixed.py)")
    mixed_options.add_argument("--mixed-only", action="store_true",
                               help="only the tables under writes (the others are kept)")
    mixed_options.add_argument("--no-mixed", action="store_true",
                               help="without the tables under writes")
    mixed_options.add_argument("--rates", default="1,5,20",
                               help="comma-separated writes/s (a row at 0 is always measured)")
    mixed_options.add_argument("--seconds", type=float,
                               help=f"seconds of readers on each page, per write rate "
                                    f"(default {FULL['seconds']:g})")
    mixed_options.add_argument("--healthz-seconds", type=float,
                               help=f"seconds of /healthz per write rate, half before the "
                                    f"pages, half after (default {FULL['healthz_seconds']:g})")
    mixed_options.add_argument("--warm-up", type=float,
                               help=f"seconds of writes before the readers (default "
                                    f"{FULL['warm_up']:g})")
    mixed_options.add_argument("--writers", type=int,
                               help=f"signed-in participant accounts that write (default "
                                    f"{FULL['writers']})")
    mixed_options.add_argument("--checkers", type=int, default=8,
                               help="exactness checks under way at most (their reads)")
    mixed_options.add_argument("--mixed-everyone", action="store_true",
                               help="the moderators' pages and the API among the readers too")
    parser.add_argument("--own-postgres", action="store_true",
                        help="a PostgreSQL server of the bench's own for the run, on a free "
                             "port (bench/own_postgres.py)")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.output is None:
        args.output = str(Path(tempfile.gettempdir()) / "engage-bench-quick.md") \
            if args.quick else str(RESULTS)
    alone = [flag for flag in ("mixed_only", "render_only") if getattr(args, flag)]
    if len(alone) > 1:
        parser.error("--mixed-only and --render-only exclude each other")
    if (args.mixed_only and args.no_mixed) or (args.render_only and args.no_render):
        parser.error("a part cannot be both measured alone and left out")
    if args.own_postgres and args.reuse:
        parser.error("--own-postgres starts an empty server: nothing to --reuse")
    if not Path(WRK).exists():
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    from sqlalchemy.engine import make_url

    url = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    check_loopback(url)
    check_redis(args.redis_url)
    if args.own_postgres:
        from own_postgres import own_postgres  # bench/own_postgres.py, beside this file

        with own_postgres(url, free_port()) as own_url:
            log(f"PostgreSQL of our own on {own_url.host}:{own_url.port}")
            measure_all(args, own_url)
    else:
        measure_all(args, url)


def measure_all(args, url) -> None:
    url_text = url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url_text, "ENGAGE_ENV": "development",
           "JSON_LOGS": "1"}
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    output = Path(args.output)
    parts = {"read-only": not (args.mixed_only or args.render_only),
             "render": not (args.no_render or args.mixed_only),
             "mixed": not (args.no_mixed or args.render_only)}
    log(f"make bench: {', '.join(name for name, on in parts.items() if on)}; "
        f"results to {output}; page cache: {page_cache_store(args)}")
    timings = {}
    started = time.monotonic()
    filled = args.reuse  # the database holds scale scales[-1], nothing written yet
    if parts["read-only"]:
        read_only(scales, args, env, url, url_text)
        filled = True
        timings["read-only tables"] = time.monotonic() - started
    for part in ("render", "mixed"):
        if not parts[part]:
            continue
        part_started = time.monotonic()
        if not filled:
            log(f"Scale {scales[-1]:g}: database {url.database} on {url.host}")
            fresh_database(url)
            schema(url, env)
            synth(scales[-1], env)
            filled = True
        if part == "render":
            render_part(scales[-1], args, url_text)
            timings["render cost and deep pages"] = time.monotonic() - part_started
        else:
            under_writes(scales[-1], args, env, url)
            timings["under a stream of writes"] = time.monotonic() - part_started
    total = time.monotonic() - started
    text = (f"{TIMING_SECTION}\n\n`make bench`{' --quick' if args.quick else ''} on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC took {total / 60:.1f} min: "
            + "; ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in timings.items())
            + ".\n")
    put_sections(output, sections={TIMING_SECTION: text})
    log(f"\nmake bench took {total / 60:.1f} min (" + ", ".join(
        f"{name} {seconds / 60:.1f}" for name, seconds in timings.items()) + f"); see {output}")


def read_only(scales: list[float], args, env: dict, url, url_text: str) -> None:
    runs = []
    for scale in scales:
        log(f"Scale {scale:g}: database {url.database} on {url.host}")
        run = Run(scale)
        if not args.reuse:
            fresh_database(url)
            schema(url, env)
            run.synth_seconds, run.synth_output = synth(scale, env)
        run.measures = inspect_pages(url_text, args.language)
        if args.only:
            words = [w.strip() for w in args.only.split(",") if w.strip()]
            run.measures = [m for i, m in enumerate(run.measures)
                            if i == 0 or any(w in m.name for w in words)]
        load(run, env, args, args.language, url)
        runs.append(run)
    text = report(runs, args, url)
    print()
    print(text)
    put_sections(Path(args.output), head=text)
    log(f"Written to {args.output}")


def render_part(scale: float, args, url_text: str) -> None:
    """In-process: render cost per page and deep pages (bench/render_cost.py)."""
    import render_cost  # bench/render_cost.py, beside this file

    log(f"Render cost in-process, caches off: scale {scale:g}, {args.renders} renders a page")
    costs, deep = render_cost.measure(url_text, args.language, args.renders)
    sections = {render_cost.RENDER_SECTION: render_cost.render_section(costs, args.renders,
                                                                       scale),
                render_cost.DEEP_SECTION: render_cost.deep_section(deep, args.renders)}
    for text in sections.values():
        print()
        print(text)
    put_sections(Path(args.output), sections=sections)
    log(f"Written to {args.output} (render cost, deep pages)")


def under_writes(scale: float, args, env: dict, url) -> None:
    """The tables under a stream of writes, on the database the parts before left (the
    largest scale, nothing written yet)."""
    import mixed  # bench/mixed.py, beside this file
    import mixed_report  # bench/mixed_report.py, beside this file

    log(f"Under a stream of writes: scale {scale:g}, database {url.database} on {url.host}")
    rows, setup, load_average = mixed.measure(
        args, env, url, args.language, progress=lambda row: log(mixed_report.summary_line(row)))
    text = mixed_report.section(rows, setup, args, scale, load_average)
    print()
    print(text)
    put_sections(Path(args.output), sections={mixed.SECTION: text})
    log(f"Written to {args.output} ({mixed.SECTION[3:]})")


if __name__ == "__main__":
    main()
