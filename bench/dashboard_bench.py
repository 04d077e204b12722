"""Dashboard and report timings on a seeded PostgreSQL database, one at a time and under concurrent load.

Run from the repository root (PostgreSQL on 127.0.0.1, user postgres)::

    .venv/bin/python bench/dashboard_bench.py [--complaints 100000] [--seed 1] [--runs 20]
        [--council barnet] [--today YYYY-MM-DD] [--database dashbench] [--keep] [--reuse]
        [--clients 8] [--requests 400] [--workers 2] [--port 8766] [--target-ms 150] [--no-load]

1. Creates a scratch database (``createdb -h 127.0.0.1 -U postgres dashbench``), migrates,
   loads the policies, seeds ``seed_demo --complaints N --seed S --today T`` and runs
   ``VACUUM ANALYZE`` (as autovacuum would soon after a bulk load).
2. In-process, one at a time: times each selector for one council (and the annual report
   page as HTML and as PDF): one warm-up, then ``--runs`` timed runs (5 for the PDF); the
   median, the 95th percentile (nearest rank) and the number of SQL queries of one run.
3. Under load (``bench/dashboard_load.py``; skipped with ``--no-load``): gunicorn with
   production settings, ``--clients`` complaints managers at once (8 by default, one per
   council in turn), ``--requests`` requests per page type (the dashboard, the dashboard with
   a 10-working-day window, the trends); the server-side median and p95 from gunicorn's
   access log. Target: the dashboard's server-side p95 within ``--target-ms`` (150 ms).
4. Drops the database unless ``--keep``; ``--reuse`` times an existing database as it is.

Exits 1 when the dashboard misses its target or a request fails.

From another module (``bench/run``), call ``run(...)`` with the same options as keyword
arguments (``run(complaints=100_000, clients=8)``); it prints as above and returns the figures::

    {"complaints": 100000, "database_complaints": 100000, "council": "barnet", "today": "2026-11-23",
     "postgres": "PostgreSQL 16.x", "cpus": 2,
     "timings": {"overdue_dashboard(barnet, within=2)": {"median_ms": 80.1, "p95_ms": 95.3, "queries": 7,
                                                          "runs": 20}, ...},
     "load": {"clients": 8, "workers": 2, "requests_per_page": 400, "before": "load average ...",
              "after": "...", "pages": {"dashboard": {"server_median_ms": ..., "server_p95_ms": ...,
              "server_max_ms": ..., "client_median_ms": ..., "client_p95_ms": ..., "per_second": ...,
              "requests": 400, "failures": 0, "logged": 400}, ...}},   # None with load=False
     "target_ms": 150.0, "target_met": True}

Each call sets Django up for its database (the first call) or points the connection at it
(later calls), so several sizes can be measured in one process, one after another.
The server, PostgreSQL and the load clients share the machine's cores with anything else on
it: the load average before and after the load is printed; figures taken while something
else was busy are not comparable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG = ["-h", "127.0.0.1", "-U", "postgres"]
TARGET_MS = 150.0
PDF_RUNS = 5
DEFAULTS = {"complaints": 100_000, "seed": 1, "runs": 20, "council": "barnet", "today": None,
            "database": "dashbench", "keep": False, "reuse": False, "clients": 8, "requests": 400, "workers": 2,
            "port": 8766, "target_ms": TARGET_MS, "load": True}


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=DEFAULTS["complaints"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--runs", type=int, default=DEFAULTS["runs"])
    parser.add_argument("--council", default=DEFAULTS["council"])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the date the data and the in-process timings are relative to (default: today in "
                             "London; the load always uses the server's today)")
    parser.add_argument("--database", default=DEFAULTS["database"])
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the existing database as it is")
    parser.add_argument("--clients", type=int, default=DEFAULTS["clients"], help="concurrent managers")
    parser.add_argument("--requests", type=int, default=DEFAULTS["requests"], help="timed requests per page type")
    parser.add_argument("--workers", type=int, default=DEFAULTS["workers"], help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=DEFAULTS["port"])
    parser.add_argument("--target-ms", type=float, default=TARGET_MS, help="the dashboard's server-side p95")
    parser.add_argument("--no-load", dest="load", action="store_false", help="only the in-process timings")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 100_000 and 1 <= args.workers <= 16):
        parser.error("keep --clients 1-64, --requests 1-100000 and --workers 1-16")
    return args


def use_database(database: str, secret_key: str) -> None:
    """Set Django up for ``database`` (local settings), or point an already set-up Django at it."""
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "true"  # seed_demo refuses to run without it; switched off before timing
    os.environ["SECRET_KEY"] = secret_key  # the load's server uses it: sessions made here must be valid there
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
        return
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = database
    settings.SECRET_KEY = secret_key
    settings.DEBUG = True


def seed(complaints: int, seed_value: int, today: dt.date) -> None:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_policies", verbosity=0)
    print(f"Migrated and loaded policies in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    call_command("seed_demo", complaints=complaints, seed=seed_value, today=today.isoformat(), verbosity=1)
    print(f"Seeded in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f}s")


def timed(run, runs: int) -> dict:
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    reset_queries()
    run()  # warm-up, and the query count
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[max(0, math.ceil(0.95 * len(seconds)) - 1)]
    return {"median_ms": round(statistics.median(seconds) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "queries": queries, "runs": runs}


def in_process(council_slug: str, today: dt.date, runs: int) -> dict:
    """Each selector, and the annual report page (HTML and PDF), one at a time."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from complaints.models import Complaint, Deadline
    from complaints.reports import selectors, views
    from complaints.selectors import overdue_deadlines
    from policies.models import Council

    settings.DEBUG = False
    council = Council.objects.get(slug=council_slug)
    cases = Complaint.objects.filter(council=council).count()
    print(f"Database: {Complaint.objects.count():,} complaints, {Deadline.objects.count():,} deadlines; "
          f"{council.slug}: {cases:,} complaints")
    year = today.year - 1  # the last complete year
    admin = get_user_model()(username="bench", is_superuser=True, is_staff=True, is_active=True)

    def page(path: str):
        request = RequestFactory().get(path)
        request.user = admin
        return request

    views.report_today = lambda: today
    checks = [
        (f"overdue_dashboard({council.slug}, within=2)",
         lambda: selectors.overdue_dashboard(council=council, today=today, within=2), runs),
        ("deployment_dashboard(within=2)", lambda: selectors.deployment_dashboard(today=today, within=2), runs),
        (f"trends({council.slug}, 12 months)", lambda: selectors.trends(council=council, today=today), runs),
        (f"annual_report({council.slug}, {year})", lambda: selectors.annual_report(council=council, year=year), runs),
        (f"quarterly_report({council.slug}, {year}, q4)",
         lambda: selectors.quarterly_report(council=council, year=year, quarter=4), runs),
        (f"annual report page, HTML ({council.slug}, {year})",
         lambda: views.annual_report(page(f"/reports/{council.slug}/{year}/"), council.slug, year).content, runs),
        (f"annual report page, PDF ({council.slug}, {year})",
         lambda: views.annual_report(page(f"/reports/{council.slug}/{year}/report.pdf"), council.slug, year,
                                     as_pdf=True).content, min(runs, PDF_RUNS)),
    ]
    board = selectors.overdue_dashboard(council=council, today=today, within=2)
    print(f"{council.slug} on {today}: {board.total.overdue:,} open cases overdue, {board.total.due_soon:,} due "
          f"within 2 working days; most overdue {board.total.days_max} working days")
    check = overdue_deadlines(council=council, today=today).values("complaint_id").distinct().count()
    print(f"Cross-check: complaints.selectors.overdue_deadlines covers {check:,} cases "
          f"({'agrees' if check == board.total.overdue else 'DISAGREES'})")
    print(f"{'':<48}{'median':>10}{'p95':>10}{'queries':>9}   (timed runs after one warm-up)")
    timings = {}
    for name, run, count in checks:
        timings[name] = figures = timed(run, count)
        print(f"{name:<48}{figures['median_ms']:>8.1f}ms{figures['p95_ms']:>8.1f}ms{figures['queries']:>9}"
              f"   ({count} runs)")
    return timings


def run(**options) -> dict:
    """Seed (unless ``reuse``), time in-process, load-test (unless ``load=False``); the figures as a dict.

    Options and defaults: ``DEFAULTS`` (the command-line options with ``-`` as ``_``).
    """
    unknown = set(options) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown options: {', '.join(sorted(unknown))}")
    o = {**DEFAULTS, **options}
    print(f"Platform: {platform.platform()}; CPUs: {os.cpu_count()}; Python {platform.python_version()}")
    secret_key = secrets.token_urlsafe(50)
    if not o["reuse"]:
        subprocess.run(["createdb", *PG, o["database"]], check=True)
    try:
        use_database(o["database"], secret_key)
        from django.db import connection
        from django.utils import timezone

        from bench.dashboard_load import print_load, run_load
        from deadlines.calendar import london_date

        today = o["today"] or london_date(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            postgres = cursor.fetchone()[0].split(" on ")[0]
        print(postgres)
        if not o["reuse"]:
            seed(o["complaints"], o["seed"], today)
        from complaints.models import Complaint

        result = {"complaints": o["complaints"], "database_complaints": Complaint.objects.count(),
                  "council": o["council"], "today": today.isoformat(), "postgres": postgres, "cpus": os.cpu_count(),
                  "timings": in_process(o["council"], today, o["runs"]), "load": None, "target_ms": o["target_ms"],
                  "target_met": None}
        if o["load"]:
            result["load"] = run_load(database=o["database"], secret_key=secret_key, clients=o["clients"],
                                      requests=o["requests"], workers=o["workers"], port=o["port"])
            result["target_met"] = print_load(result["load"], o["target_ms"])
            print(f"\nTarget: the dashboard's server-side p95 <= {o['target_ms']:.0f} ms with {o['clients']} "
                  f"concurrent managers, no errors: {'met' if result['target_met'] else 'MISSED'}")
        return result
    finally:
        if not o["keep"]:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", o["database"]], check=True)
            print(f"Dropped database {o['database']}")


def main(argv=None) -> int:
    args = parse(argv)
    result = run(**vars(args))
    return 1 if result["target_met"] is False else 0


if __name__ == "__main__":
    sys.exit(main())
