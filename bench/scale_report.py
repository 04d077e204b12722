"""docs/performance.md from ``bench/run`` results: machine, databases, figures per size, targets, growth.

Each run's results are kept inside the document (a JSON comment at its end),
so measuring another size later adds a column instead of losing the first,
and growth from 100,000 to 1,000,000 is read from the same file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

MARK = re.compile(r"<!-- bench-results\n(.*?)\n-->", re.S)
TARGET_SIZE = 1_000_000


# (name, figure key, how to read the figure, target, the better direction, unit)
def _p95(figure):
    return (figure.get("server") or {}).get("p95")


def _median(figure):
    return (figure.get("server") or {}).get("median")


MEASURES = [
    ("Case list (team queue)", "case list", _p95, 150, "below", "ms"),
    ("Case list, filtered (Stage 1, overdue)", "case list, filtered", _p95, 150, "below", "ms"),
    ("Case detail", "case detail", _p95, 150, "below", "ms"),
    ("Overdue dashboard", "overdue dashboard", _p95, 150, "below", "ms"),
    ("Overdue dashboard after a change (cache missed, one at a time)", "overdue dashboard, uncached", _p95, None,
     "below", "ms"),
    ("Annual report, one council", "annual report", _p95, 2000, "below", "ms"),
    ("Breach sweep, steady state", "sweeps", lambda f: (f.get("steady") or {}).get("p95"), 50, "below", "ms"),
    ("Breach sweep, one day's breaches", "sweeps", lambda f: (f.get("one day") or {}).get("p95"), None, "below",
     "ms"),
    ("Breach sweep, backlog of 50,000", "sweeps", lambda f: (f.get("backlog") or {}).get("p95"), 5000, "below",
     "ms"),
    ("Public submissions", "submissions", lambda f: (f.get("rate") or {}).get("median"), 50, "above", "/s"),
    ("Deadline engine", "engine", lambda f: f.get("median"), 50_000, "above", "cases/s"),
]

# Why a target is missed and what would fix it, from the profiles and query plans taken on bench_1m
# (November 2026). Shown only for a target the latest run missed.
OPEN_DEADLINES = (
    "PostgreSQL estimates the share of open deadlines as the product of the shares of `met_at IS NULL`, "
    "`cancelled_at IS NULL` and `NOT paused`, which are far from independent (a deadline is met or cancelled): "
    "about twenty times too many")
WHY = {
    "Overdue dashboard": (
        f"The page is waiting for PostgreSQL (worker CPU is about 30 ms of it). {OPEN_DEADLINES}, so its two "
        "aggregate queries (by stage and officer, by service area) reach the council's overdue deadlines through "
        "the plain `council_id` index or by hashing all the council's cases: 80-95 ms each at 1,000,000 "
        "complaints, growing with all deadlines rather than the open ones, and with 8 clients on 2 workers the "
        "requests queue behind each other. Measured on bench_1m in a rolled-back transaction: making the "
        "open-deadline index covering (`deadline_open_due` with `INCLUDE (complaint_id, kind, id)`) and adding "
        "extended statistics (`CREATE STATISTICS ... (mcv) ON met_at, cancelled_at, paused FROM "
        "complaints_deadline`) brings them to 26 ms and 24 ms (index-only scans, then the cases by primary key) "
        "and the dashboard's own time from 199 ms to 115 ms. Fix: both in a complaints migration (with the "
        "reports indexes)."),
    "Annual report, one council": (
        "The page is waiting for PostgreSQL (worker CPU is under 0.1 s of it). Two of its queries read the "
        "council's whole history rather than the year: the actions still open at the year's end (a hash join of "
        "every outcome the council ever gave with its cases: 0.25 s at 1,000,000 complaints) and the stages "
        "answered (0.23 s); the other fifteen take 0.6 s together. Fix: start the open-actions count from the "
        "actions (a partial index on `Action (outcome_id) WHERE completed_at IS NULL`, and the ones completed "
        "after the year's end by `completed_at`), and cache the report for a closed year, which no longer "
        "changes."),
    "Case list, filtered (Stage 1, overdue)": (
        f"On its own the list query takes about 14 ms at 1,000,000 complaints. {OPEN_DEADLINES}, so PostgreSQL "
        "plans it in parallel (Gather Merge over the open-deadline index), and under 8 clients those parallel "
        "workers compete with gunicorn for the 2 cores. Fix: the extended statistics above, and "
        "`max_parallel_workers_per_gather = 0` for the web application's database role (pages gain nothing from "
        "parallel plans on 2 cores)."),
    "Breach sweep, backlog of 50,000": (
        "Flagging 50,000 deadlines rewrites each row and all its indexes (freshly loaded pages leave no room for "
        "HOT updates): about 1 s; inserting 50,000 notifications about 0.6 s; claiming them and reading their "
        "cases about 0.3 s. Fix if it must be faster: leave free space in the deadline table's pages "
        "(`fillfactor`), or flag in batches of a few thousand per transaction."),
    "Public submissions": (
        "A submission is a resident walking the whole form: about 26 requests, each a full Django request with "
        "a session, CSRF, a form, a template and some SQL. On this 2-core machine gunicorn, PostgreSQL and the "
        "load clients share the two cores, so throughput is bounded by CPU per submission, not by the size of "
        "the database (it is the same at 100,000 and 1,000,000). What would fix it: fewer or cheaper requests "
        "per submission (see bench/public_submissions_bench.py, which profiles them) and above all more cores: "
        "the work is per request and scales out with gunicorn workers on more CPUs."),
}
FIX_OPEN_DEADLINES = (
    "Measured on bench_1m in a rolled-back transaction: making the open-deadline index covering "
    "(`deadline_open_due` with `INCLUDE (complaint_id, kind, id)`) and adding extended statistics "
    "(`CREATE STATISTICS ... (mcv) ON met_at, cancelled_at, paused FROM complaints_deadline`) turns the "
    "dashboard's two aggregate queries into index-only scans followed by primary-key lookups: about 80-95 ms "
    "each down to 26 ms and 24 ms, the board from 199 ms to 115 ms. Not applied here: it needs a complaints "
    "migration")
NOTES = [
    "The overdue dashboard is cached per council until one of its cases or deadlines changes "
    "(`complaints/reports/dashboard_cache.py`); the row \"after a change\" is the cost of a miss, which grows "
    f"with the number of deadlines, not only the open ones. {OPEN_DEADLINES}, so the board's queries reach the "
    f"overdue deadlines through the plain `council_id` index or by hashing all the council's cases. "
    f"{FIX_OPEN_DEADLINES}.",
    "The filtered case list grows with size (its query alone takes about 14 ms at 1,000,000): from the same "
    "overestimate PostgreSQL plans it in parallel, and under 8 clients the parallel workers compete with "
    "gunicorn for the 2 cores. The same statistics, and `max_parallel_workers_per_gather = 0` for the web "
    "application's database role, would keep it flat.",
    "The annual report waits for PostgreSQL (worker CPU is under 0.1 s of it); its time grows with the year's "
    "volume (ten times from 100,000 to 1,000,000 here) and with the council's history: the actions still open at "
    "the year's end are counted by hashing every outcome the council ever gave (0.18 s at 1,000,000), and the "
    "stages answered in the year are hashed against all of the council's 250,000 cases (0.23 s). Counting open "
    "actions from the actions (a partial index on `Action (outcome_id) WHERE completed_at IS NULL`) and caching "
    "the report of a closed year, which hardly changes, would keep it well under the target as data grows.",
    "The breach sweep claims deadlines from the open-deadline index alone and reads their cases by primary key "
    "(one day's breaches at 1,000,000: 0.75 s before, 0.03 s after), and on PostgreSQL writes its "
    "notifications in one INSERT from arrays (a backlog of 50,000: 5.2 s before, about 2.5 s after).",
    "Seeding 1,000,000 complaints with their stages, deadlines, outcomes, notes and first history rows "
    "(15.4 million rows) is the `seeding` column: stories told in two worker processes, rows written with "
    "binary COPY, secondary indexes and foreign keys rebuilt once at the end.",
    "Other work shared the machine during these runs (see the load averages); a run can be repeated with the "
    "same database (`bench/run --size N` reuses it).",
]


def _size_label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1_000}k" if size % 1_000 == 0 else str(size)


def _value(result: dict, measure) -> float | None:
    _, key, read, *_ = measure
    figure = (result.get("figures") or {}).get(key)
    if not figure or "error" in figure:
        return None
    try:
        return read(figure)
    except (TypeError, KeyError):
        return None


def _met(value: float | None, target: float | None, direction: str) -> bool | None:
    if value is None or target is None:
        return None
    return value < target if direction == "below" else value >= target


def _cell(result: dict, measure) -> str:
    name, key, _, _, _, unit = measure
    figure = (result.get("figures") or {}).get(key)
    if not figure:
        return "not measured"
    if "error" in figure:
        return f"failed: {figure['error'][:80]}"
    value = _value(result, measure)
    if key == "engine":
        return f"{value:,.0f} cases/s (best {figure['best']:,.0f})"
    if key == "submissions":
        submission = figure.get("submission") or {}
        text = f"{value:.1f}/s (rounds {', '.join(f'{r:.1f}' for r in figure['rate']['rounds'])})"
        if submission.get("n"):
            text += f"; one submission median {submission['median']:,.0f} ms"
        if figure.get("errors"):
            text += f"; {sum(figure['errors'].values())} failed"
        return text
    if key == "sweeps":
        part = figure.get("steady" if "steady" in name else "one day" if "one day" in name else "backlog")
        if not part:
            return "not measured"
        return (f"p95 {part['p95']:,.1f} ms (median {part['median']:,.1f}; flagged "
                f"{'/'.join(f'{n:,}' for n in part['flagged'])})")
    server, client, cpu = figure.get("server") or {}, figure.get("client") or {}, figure.get("cpu") or {}
    text = f"p95 {server['p95']:,.0f} ms (median {server['median']:,.0f}"
    if cpu.get("n"):
        text += f"; CPU median {cpu['median']:,.0f}"
    if client.get("n"):
        text += f"; client p95 {client['p95']:,.0f}"
    text += ")"
    if figure.get("failures"):
        text += f"; {figure['failures']} failed"
    return text


def _growth(small: dict | None, large: dict | None, measure) -> str:
    if not small or not large:
        return ""
    a, b = _value(small, measure), _value(large, measure)
    if not a or b is None:
        return ""
    return f"×{b / a:.2f}"


def _document(results: dict[int, dict]) -> tuple[str, bool]:
    sizes = sorted(results)
    largest = results[sizes[-1]]
    machine = largest["machine"]
    lines = [
        "# Performance",
        "",
        "Written by `bench/run` (see the README's performance section); do not edit by hand: run "
        "`bench/run --size N` again. Server time is the time inside Django for one request, from the "
        "`Server-Timing` header `config.settings.bench` adds (gunicorn, production settings, WhiteNoise). "
        "Client time adds the wait for a free gunicorn worker and the trip over loopback. CPU is the gunicorn "
        "worker's CPU time for the request (it leaves out waiting for PostgreSQL, and moves less than the "
        "clock when other programs compete for the cores). Medians and 95th percentiles (nearest rank) are "
        "over every request of every round.",
        "",
        "## Machine",
        "",
        f"- {machine['cores']} cores ({machine['cpu'] or 'CPU model unknown'}), "
        f"{machine['memory_bytes'] / 2**30:.1f} GiB memory; {machine['platform']}",
        f"- {largest['database_figures']['postgres']} on the same machine (default configuration); "
        f"Python {machine['python']}, Django {machine['django']}",
        f"- gunicorn with {largest['settings']['workers']} sync workers, {largest['settings']['clients']} "
        f"concurrent clients, {largest['settings']['rounds']} rounds of {largest['settings']['requests']} "
        "requests per page type; server, PostgreSQL and the load clients share the cores.",
        "- Load average before/after each run (other work on the machine shows here): "
        + "; ".join(f"{_size_label(s)}: {results[s]['load_average_before']} / "
                    f"{results[s]['figures'].get('load_average_after')}" for s in sizes),
        "",
        "## Databases",
        "",
        "| size | complaints | open | deadlines | on disk | first receipt | seeded | seeding | VACUUM ANALYZE |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        r = results[size]
        d, built = r["database_figures"], r["built"]
        lines.append(
            f"| {_size_label(size)} | {d['complaints']:,} | {d['open']:,} | {d['deadlines']:,} | "
            f"{d['bytes'] / 2**30:.2f} GiB | {d['first_received']} | {built.get('today', '?')} | "
            f"{built.get('seed_seconds', '?')} s wall, {built.get('seed_cpu_seconds', '?')} s CPU "
            f"(seeding process and its workers) | {built.get('vacuum_analyze_seconds', '?')} s |")
    lines += ["", "Seeding detail: " + "; ".join(
        f"{_size_label(s)}: {results[s]['built'].get('seed_time_line', '').removeprefix('Time: ').rstrip('.')}"
        for s in sizes) + ".", ""]
    header = "| measure | target | " + " | ".join(_size_label(s) for s in sizes) + " |"
    growth = 100_000 in results and TARGET_SIZE in results
    if growth:
        header += " growth 100k→1M |"
    lines += ["## Figures", "", header, "|" + "---|" * (header.count("|") - 1)]
    all_met = True
    misses = []
    for measure in MEASURES:
        name, _, _, target, direction, unit = measure
        cells = [_cell(results[s], measure) for s in sizes]
        met = _met(_value(largest, measure), target, direction)
        goal = "(no target)" if target is None else f"{'<' if direction == 'below' else '≥'} {target:,} {unit}"
        row = f"| {name} | {goal} | " + " | ".join(cells) + " |"
        if growth:
            row += f" {_growth(results[100_000], results[TARGET_SIZE], measure)} |"
        lines.append(row)
        if met is False:
            all_met = False
            misses.append(name)
    lines += ["", f"## Targets at {_size_label(sizes[-1])} complaints", ""]
    for measure in MEASURES:
        name, _, _, target, direction, unit = measure
        if target is None:
            continue
        met = _met(_value(largest, measure), target, direction)
        verdict = "not measured" if met is None else "met" if met else "**missed**"
        lines.append(f"- {name}: {verdict}")
    if sizes[-1] != TARGET_SIZE:
        lines += ["", f"The targets are for {TARGET_SIZE:,} complaints; this document has "
                      f"{', '.join(_size_label(s) for s in sizes)} so far."]
    if misses:
        lines += ["", "## Missed targets: why, and what would fix it", ""]
        for name in misses:
            lines.append(f"- **{name}.** {WHY.get(name, 'Not yet analysed: see the figures above.')}")
    lines += ["", "## Notes", ""] + [f"- {note}" for note in NOTES]
    lines += ["", "<!-- bench-results", json.dumps({str(s): results[s] for s in sizes}, indent=1, default=str),
              "-->", ""]
    return "\n".join(lines), all_met


def previous(path: Path) -> dict[int, dict]:
    if not path.exists():
        return {}
    found = MARK.search(path.read_text())
    if not found:
        return {}
    return {int(size): result for size, result in json.loads(found.group(1)).items()}


def rewrite(path: Path) -> bool:
    """Render the document again from the results it holds (after a change to this module's words)."""
    results = previous(path)
    if not results:
        raise ValueError(f"{path} holds no bench results")
    text, ok = _document(results)
    path.write_text(text)
    return ok


def write(path: Path, result: dict) -> bool:
    """Add (or replace) this size's results and rewrite the document; True when every target is met."""
    results = previous(path)
    results[result["size"]] = result
    text, ok = _document(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return ok


def summary_lines(result: dict) -> list[str]:
    lines = [f"{_size_label(result['size'])} complaints:"]
    for measure in MEASURES:
        name, _, _, target, direction, unit = measure
        met = _met(_value(result, measure), target, direction)
        verdict = "no target" if target is None else "n/a" if met is None else "met" if met else "MISSED"
        lines.append(f"  {name:<42} {_cell(result, measure)}  [{verdict}]")
    return lines
