"""The section "Under a stream of writes" of bench/results.md, from what bench/mixed.py
measured: the targets of issue 18 marked ✔ or ✘, one row per write rate, one table of
pages per rate, what the writes did, and last session's table to compare with."""

import os
import re
from collections import Counter
from datetime import UTC, datetime

import run
from mixed import (
    BASELINE,
    HIGH_RATE,
    MAX_P95_HIGH_MS,
    MAX_P95_MS,
    MIN_RATIO,
    SECTION,
    TARGET_RATE,
    PageRun,
    Row,
    Setup,
    Write,
    percentile,
    whole_seconds,
)


def _fraction(count: int, total: int) -> str:
    return f"{count} / {total}" if total else "–"


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "?"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else " ✔" if ok else " ✘"


def _ms(value: float, page: PageRun | None) -> str:
    return f"{value:.1f}" if page is not None and page.latencies else "no answer"


def _label(page: PageRun | None) -> str:
    return page.page.label if page else "–"


def stale_counts(row: Row) -> tuple[int, int, int, int, int]:
    """(contents missing, contributions checked, counts wrong, counts unread, writes
    checked)."""
    checked = row.checked
    contributions = [w for w in checked if w.kind == "contribution"]
    return (sum(w.stale_contents for w in contributions), len(contributions),
            sum(bool(w.stale_count_places) for w in checked),
            sum(bool(w.unread_count_places) for w in checked), len(checked))


def exact(row: Row) -> bool:
    missing, contributions, wrong, unread, checked = stale_counts(row)
    return missing == 0 and wrong == 0 and unread == 0 and contributions > 0 and checked > 0


def stale(row: Row) -> tuple[str, str]:
    """The "stale contents" and "stale counts" cells, marked (target: 0, every count read)."""
    if not row.rate:
        return "–", "–"
    missing, contributions, wrong, unread, checked = stale_counts(row)
    counts = _fraction(wrong, checked) + (f" ({unread} unread)" if unread else "")
    return (_fraction(missing, contributions) + _mark(missing == 0 and contributions > 0),
            counts + _mark(wrong == 0 and unread == 0 and checked > 0))


def late_p95(row: Row) -> float:
    return percentile([w.started - w.due for w in row.writes if w.started], 0.95) * 1000


def summary_line(row: Row) -> str:
    """The progress line of one rate, as it is measured."""
    contents, counts = stale(row)
    failed = sum(1 for w in row.writes if w.error)
    ratio, low = row.lowest_ratio()
    p95, high = row.highest_p95()
    return (f"  {row.rate:>4g} w/s: {row.achieved:5.1f} achieved, reads {row.rps:6.1f} req/s"
            f" (/healthz {row.healthz_rps:6.1f}; {row.cores_busy:.1f} cores busy), p50"
            f" {percentile(row.reads, 0.5):6.1f} ms, p95 {percentile(row.reads, 0.95):6.1f} ms,"
            f" hits {_share(row.hit_rate)}; lowest ratio {ratio or 0:.2f} ({_label(low)}),"
            f" highest p95 {_ms(p95, high)} ms ({_label(high)}); stale contents {contents},"
            f" stale counts {counts}" + (f", {failed} failed" if failed else ""))


def summary_table(rows: list[Row]) -> str:
    lines = ["| writes/s asked | writes/s achieved | write started late, p95 ms | writers' "
             "requests/s | read req/s, all pages | /healthz req/s | ratio to /healthz | p50 ms"
             " | p95 ms | page-cache hit rate | lowest page ratio | highest page p95 ms | "
             "stale contents | stale counts | cores busy: gunicorn + PostgreSQL, whole "
             "machine |",
             "|" + "---|" * 15]
    for row in rows:
        contents, counts = stale(row)
        ratio, low = row.lowest_ratio()
        p95, high = row.highest_p95()
        achieved = _mark(row.achieved >= 0.9 * row.rate) if row.rate else ""
        lines.append(
            f"| {row.rate:g} | {row.achieved:.1f}{achieved} | {late_p95(row):.0f} | "
            f"{row.writer_rps:.0f} | {row.rps:.0f} | {row.healthz_rps:.0f} | "
            f"{row.ratio(row.rps) or 0:.2f} | {percentile(row.reads, 0.5):.1f} | "
            f"{percentile(row.reads, 0.95):.1f} | {_share(row.hit_rate)} | "
            f"{ratio or 0:.2f}{_mark(row.ratio_ok(low) if low else None)} ({_label(low)}) | "
            f"{_ms(p95, high)}{_mark(row.p95_ok(high) if high else None)} ({_label(high)}) | "
            f"{contents} | {counts} | {row.cores_busy:.1f}, {row.machine_cores_busy:.1f} |")
    return "\n".join(lines)


def pages_table(row: Row) -> str:
    lines = ["| page | reader | req/s | ratio to /healthz | p50 ms | p95 ms | page-cache hit "
             "rate |", "|" + "---|" * 7]
    for page in row.pages:
        problems = (f" {page.failed} answers not 2xx/3xx" if page.failed else "") + \
            (f" {page.errors} connection errors" if page.errors else "")
        lines.append(
            f"| {page.page.name} | {page.page.who or 'visitor'} | {page.rps:.0f} | "
            f"{row.ratio(page.rps) or 0:.2f}{_mark(row.ratio_ok(page))} | "
            f"{_ms(page.p50, page)} | {_ms(page.p95, page)}{_mark(row.p95_ok(page))} | "
            f"{_share(page.hit_rate)} |{problems}")
    return "\n".join(lines)


def _stale_places(checked: list[Write], supports: list[Write],
                  contributions: list[Write]) -> str:
    def places(place: str, among: list[Write]) -> str:
        return _fraction(sum(place in w.stale_count_places for w in among), len(among))

    def author(pairs: list, equal: bool) -> str:
        read = [p for p in pairs if p and p[0] is not None]
        return _fraction(sum((p[0] != p[1]) if equal else (p[0] < p[1]) for p in read),
                         len(read))

    served = sum(1 for w in checked
                 if ("consultation page" in w.stale_count_places and w.page_hit)
                 or ("list card" in w.stale_count_places and w.card_hit))
    missing = sum(w.author_present is False for w in contributions)
    return (f"Stale counts by place: consultation page {places('consultation page', checked)}"
            f", list card {places('list card', contributions)}, support count "
            f"{places('support count', supports)} ({sum(w.thread_read for w in supports)} read "
            f"on the contribution's own page); stale answers served from the page cache: "
            f"{served}. The author's page after the redirect: count stale "
            f"{author([w.author_count for w in checked], False)}, support count wrong "
            f"{author([w.author_support for w in supports], True)}, new contribution missing "
            f"{_fraction(missing, len(contributions))}.")


def waiting(row: Row) -> str:
    """What the server's processes did while the readers ran (mixed.Watch)."""
    watch = row.watch
    if watch is None or not watch.samples:
        return ""
    states = sum(watch.states.values())
    running = watch.states["R"] / states if states else 0.0
    backends = {kind: count / watch.samples for kind, count in watch.waits.items()}
    waits = ", ".join(f"{kind} {mean:.1f}" for kind, mean in sorted(
        backends.items(), key=lambda item: -item[1]))
    return (f"Server: the gunicorn workers were running or waiting for a core in "
            f"{running:.0%} of {watch.samples} samples, asleep (waiting for PostgreSQL, Redis, "
            f"a client) in {1 - running:.0%}; active PostgreSQL backends of the database on "
            f"average, by what they waited for: {waits or 'none'}. The whole machine used "
            f"{row.machine_cores_busy:.1f} cores of {os.cpu_count()}, this server "
            f"{row.cores_busy:.1f}.")


def cpu_per_write(row: Row) -> float:
    return row.writer_cpu_seconds * 1000 / len(row.writes) if row.writes else 0.0


def _followed(contributions: list[Write]) -> str:
    followed = [w for w in contributions if w.pages_followed]
    if not followed:
        return ""
    deepest = max(w.pages_followed for w in followed)
    return (f"{len(followed)} new contributions were looked for past the first page "
            f"(newer ones had pushed them on before the check), {deepest} pages at most; ")


def details(row: Row) -> str:
    """What the cells of one write rate are made of."""
    if not row.rate:
        return f"- **No writes**: {waiting(row)}"
    checked = row.checked
    supports = [w for w in checked if w.kind == "support"]
    contributions = [w for w in checked if w.kind == "contribution"]
    posts = [w.post_ms for w in row.writes if w.acked is not None]
    requests = [w.requests for w in row.writes if w.finished]
    waited = [(w.check_started - w.acked) * 1000 for w in checked if w.check_started]
    sentences = [
        f"{len(row.writes)} writes started ({sum(w.form_loaded for w in row.writes)} loaded "
        f"their form's page first), {len(supports)} supports and {len(contributions)} "
        f"contributions checked; POST answered in {percentile(posts, 0.5):.0f} ms (p50), "
        f"{percentile(posts, 0.95):.0f} ms (p95); "
        f"{sum(requests) / len(requests) if requests else 0:.1f} requests per write with its "
        f"check, which began {percentile(waited, 0.95):.0f} ms after the acknowledgement at "
        f"p95 (waiting for a checker); {_followed(contributions)}the writers' process "
        f"used {cpu_per_write(row):.1f} ms of CPU per write (forms read, checks).",
        _stale_places(checked, supports, contributions),
        f"Writing transactions on the PostgreSQL server: "
        f"{row.xids / row.window if row.window else 0:.1f}/s."]
    if waiting(row):
        sentences.append(waiting(row))
    if row.rate and row.achieved < 0.9 * row.rate:
        sentences.append(f"Fewer writes than asked ({row.achieved:.1f}/s): a write started "
                         f"{late_p95(row):.0f} ms late at p95 (every account busy): the "
                         f"server did not keep up.")
    unread = Counter(place for write in checked for place in write.unread_count_places)
    if unread:
        sentences.append("Counts the check could not find on the page: " + ", ".join(
            f"{place} {n}" for place, n in unread.items()) + ".")
    mismatched = sum(not w.stored_count_ok for w in supports)
    if mismatched:
        sentences.append(f"A contribution's stored support_count ≠ its supports: {mismatched}.")
    failures = Counter(re.sub(r"\d+", "N", w.error)[:80] for w in row.writes if w.error)
    if failures:
        sentences.append("Failed writes: " + ", ".join(
            f"{n} × {why}" for why, n in failures.items()) + ".")
    return f"- **{row.rate:g} writes/s asked**: " + " ".join(sentences)


def _server(args, setup: Setup) -> str:
    if args.own_postgres:
        return ("a server of the bench's own for this run (--own-postgres, "
                "bench/own_postgres.py): no other database writes there")
    return (f"the server at {setup.url.host}:{setup.url.port or 5432}, shared with whatever "
            f"else uses it")


def _pages(runs: list[PageRun]) -> str:
    return ", ".join(run_.page.label for run_ in runs)


def verdict(rows: list[Row]) -> str:
    """The targets of issue 18, one line each."""
    lines = []
    by_rate = {row.rate: row for row in rows}
    target = by_rate.get(TARGET_RATE)
    if target:
        low = [r for r in target.pages if not target.ratio_ok(r)]
        slow = [r for r in target.pages if not target.p95_ok(r)]
        lines.append(f"- At {TARGET_RATE:g} writes/s, every page ≥ {MIN_RATIO:.0%} of "
                     f"/healthz:{_mark(not low)}" + (f" (below: {_pages(low)})" if low else ""))
        lines.append(f"- At {TARGET_RATE:g} writes/s, every page p95 < {MAX_P95_MS:.0f} ms:"
                     f"{_mark(not slow)}" + (f" (above: {_pages(slow)})" if slow else ""))
    high = by_rate.get(HIGH_RATE)
    if high:
        slow = [r for r in high.pages if not high.p95_ok(r)]
        lines.append(f"- At {HIGH_RATE:g} writes/s, every page p95 < {MAX_P95_HIGH_MS:.0f} "
                     f"ms:{_mark(not slow)}" + (f" (above: {_pages(slow)})" if slow else ""))
        lines.append(f"- {HIGH_RATE:g} writes/s asked, {high.achieved:.1f} achieved:"
                     f"{_mark(high.achieved >= 0.9 * HIGH_RATE)}")
    written = [row for row in rows if row.rate]
    if written:
        lines.append("- 0 stale contents and 0 stale counts at every rate:"
                     + _mark(all(exact(row) for row in written)))
    return "\n".join(lines)


def baseline() -> str:
    return BASELINE.read_text().strip() if BASELINE.exists() else ""


def section(rows: list[Row], setup: Setup, args, scale: float, load_average: tuple) -> str:
    per_rate = "\n\n".join(f"#### {row.rate:g} writes/s\n\n{pages_table(row)}" for row in rows)
    return f"""{SECTION}

Measured by `make bench` (bench/mixed.py) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on the
same machine, {args.workers} gunicorn workers with the production settings (rate limits
off), `flask engage synth --scale {scale:g}`; page cache: {run.page_cache_store(args)}; each
answer says whether the page cache served it (`X-Bench-Page-Cache`, added by
bench/counting_wsgi.py, bench only). PostgreSQL: {_server(args, setup)}.

- Writes: {len(setup.accounts)} signed-in participants, each write as a browser makes it:
  a form of the consultation `{setup.consultation_path}` (the page the account's last write
  redirected it to; loaded first only when it has none), the POST, the redirect followed.
  4 in 5 toggle a support on a contribution shown, 1 in 5 posts a new contribution. Started
  on a schedule, each on a thread of its own with a free account, from {args.warm_up:g} s
  before the readers; "achieved": writes acknowledged (302) per second while the readers
  ran (✔ from 90 % of the rate asked); "started late": behind the schedule because every
  account was busy; "writers' requests/s": their forms, POSTs, redirects and checks.
- Exactness, after every acknowledged write: PostgreSQL's COUNT(*) at once, then (on one of
  {args.checkers} checkers, so that checks never crowd out the readers) the page the form
  was on read as a visitor (any worker), and after a new contribution the consultation page
  and the list (`{setup.list_path}`); the author's page after the redirect too. **Stale
  contents**: the new contribution missing from the consultation page (out of the
  contributions posted). **Stale counts**: the page's or the card's "N contributions" below
  PostgreSQL's count once the write was acknowledged, or the supported contribution's
  count other than PostgreSQL's (out of all writes checked); "unread": a count the check
  did not find on its page, never counted as right.
- Readers: wrk, {args.connections} connections, {whole_seconds(args.seconds)} s on each page in
  turn (every main page a visitor may read, as a visitor and signed in as a participant, and
  the participant's own), between two runs of /healthz of
  {whole_seconds(args.healthz_seconds / 2)} s (the ratio's denominator: their mean), all
  under the same writes. Per page: its req/s,
  latencies and the share of its answers served from the page cache; "all pages": every
  read over the time of all page runs. Cores busy: CPU time of the gunicorn workers and
  their PostgreSQL backends per second of the rate's window, then of every process of the
  machine (the writers, wrk, other programs; it has {os.cpu_count()}).
- Other load on the machine: 1-minute load average {load_average[0]:.1f} before,
  {load_average[1]:.1f} after (with this run's own load; 2 would be both cores busy).

Targets (issue 18): at {TARGET_RATE:g} writes/s every page ≥ {MIN_RATIO:.0%} of /healthz's
throughput and p95 < {MAX_P95_MS:.0f} ms; at {HIGH_RATE:g} writes/s p95 <
{MAX_P95_HIGH_MS:.0f} ms; 0 stale contents or counts.

{verdict(rows)}

{summary_table(rows)}

### Per page

{per_rate}

### What the writes did

""" + "\n".join(details(row) for row in rows) + "\n" + (
        f"\n{baseline()}\n" if baseline() else "")
