"""Dashboard and annual report timings on a seeded PostgreSQL database.

Run from the repository root (PostgreSQL on 127.0.0.1, user postgres)::

    .venv/bin/python bench/dashboard_bench.py [--complaints 100000] [--seed 1] [--runs 20]
        [--council barnet] [--today YYYY-MM-DD] [--database dashbench] [--keep] [--reuse]

Creates a scratch database (``createdb -h 127.0.0.1 -U postgres dashbench``), migrates,
loads the policies, seeds ``seed_demo --complaints N --seed S --today T``, runs
``VACUUM ANALYZE`` (as autovacuum would soon after a bulk load), then times each selector
(and the annual report page, rendered) for one council: one warm-up, then ``--runs``
timed runs; prints the median and the 95th percentile (nearest rank) and the number of
SQL queries of one run. Drops the database at the end unless ``--keep``; ``--reuse``
times an existing database without seeding it again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG = ["-h", "127.0.0.1", "-U", "postgres"]


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--council", default="barnet")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the date the data and the dashboard are relative to (default: today in London)")
    parser.add_argument("--database", default="dashbench")
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the existing database as it is")
    return parser.parse_args(argv)


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "true"  # seed_demo refuses to run without it; switched off before timing
    import django

    django.setup()


def seed(args, today: dt.date) -> None:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_policies", verbosity=0)
    print(f"Migrated and loaded policies in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    call_command("seed_demo", complaints=args.complaints, seed=args.seed, today=today.isoformat(), verbosity=1)
    print(f"Seeded in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f}s")


def timed(name: str, run, runs: int) -> tuple[str, float, float, int]:
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
    return name, statistics.median(seconds), p95, queries


def bench(args, today: dt.date) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from complaints.models import Complaint, Deadline
    from complaints.reports import selectors, views
    from policies.models import Council

    settings.DEBUG = False
    council = Council.objects.get(slug=args.council)
    cases = Complaint.objects.filter(council=council).count()
    print(f"Database: {Complaint.objects.count():,} complaints, {Deadline.objects.count():,} deadlines; "
          f"{council.slug}: {cases:,} complaints")
    year = today.year - 1  # the last complete year
    admin = get_user_model()(username="bench", is_superuser=True, is_staff=True, is_active=True)
    request = RequestFactory().get(f"/reports/{council.slug}/{year}/")
    request.user = admin
    views.report_today = lambda: today
    checks = [
        (f"overdue_dashboard({council.slug}, within=2)",
         lambda: selectors.overdue_dashboard(council=council, today=today, within=2)),
        ("deployment_dashboard(within=2)", lambda: selectors.deployment_dashboard(today=today, within=2)),
        (f"trends({council.slug}, 12 months)", lambda: selectors.trends(council=council, today=today)),
        (f"annual_report({council.slug}, {year})", lambda: selectors.annual_report(council=council, year=year)),
        (f"quarterly_report({council.slug}, {year}, q4)",
         lambda: selectors.quarterly_report(council=council, year=year, quarter=4)),
        (f"annual report page, HTML ({council.slug}, {year})",
         lambda: views.annual_report(request, council.slug, year).content),
    ]
    board = selectors.overdue_dashboard(council=council, today=today, within=2)
    print(f"{council.slug} on {today}: {board.total.overdue:,} open cases overdue, {board.total.due_soon:,} due "
          f"within 2 working days; most overdue {board.total.days_max} working days")
    from complaints.selectors import overdue_deadlines

    check = overdue_deadlines(council=council, today=today).values("complaint_id").distinct().count()
    print(f"Cross-check: complaints.selectors.overdue_deadlines covers {check:,} cases "
          f"({'agrees' if check == board.total.overdue else 'DISAGREES'})")
    print(f"{'':<48}{'median':>10}{'p95':>10}{'queries':>9}   ({args.runs} runs after one warm-up)")
    for name, median, p95, queries in (timed(name, run, args.runs) for name, run in checks):
        print(f"{name:<48}{median * 1000:>8.1f}ms{p95 * 1000:>8.1f}ms{queries:>9}")


def main(argv=None) -> int:
    args = parse(argv)
    print(f"Platform: {platform.platform()}; CPUs: {os.cpu_count()}; Python {platform.python_version()}")
    if not args.reuse:
        subprocess.run(["createdb", *PG, args.database], check=True)
    try:
        setup_django(args.database)
        from django.db import connection
        from django.utils import timezone

        from deadlines.calendar import london_date

        today = args.today or london_date(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            print(cursor.fetchone()[0])
        if not args.reuse:
            seed(args, today)
        bench(args, today)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)
            print(f"Dropped database {args.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
