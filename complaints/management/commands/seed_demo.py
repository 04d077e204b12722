"""``seed_demo``: realistic demo complaints in every state for every council, in bulk.

    python manage.py seed_demo --complaints N --seed S [--today YYYY-MM-DD] [--batch-size B] [--if-empty]
        [--years Y] [--open-percent P] [--backdate-policies] [--workers W]

Deterministic for a fixed ``--today``: the same ``--seed``, ``--today`` and
options on the same starting database give the same references, states,
dates and words (whatever ``--workers``). Without ``--today`` "today" is the
current London date, so runs on different days differ. Receipts spread over
the ``--years`` (2) years before today (never before a council's first policy
version, unless ``--backdate-policies`` records a demo copy of it in force
from the start); a third of the cases being worked are overdue. By default
about half the cases are open, so every state is well represented;
``--open-percent 5`` gives the shape of a real caseload. Policies must be
loaded first (``load_policies``). Not for production: refused when DEBUG is
off.

Big runs tell stories in worker processes (one per core from 20,000 cases)
and, on PostgreSQL, write with COPY; loading 50,000 or more cases into a
database holding fewer complaints than that rebuilds the tables' indexes and
foreign keys once at the end instead of row by row.
"""

from __future__ import annotations

import argparse
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from complaints.models import Complaint, State
from complaints.services.seeding import SeedingRefused, SeedOptions, SeedReport, seed_demo
from deadlines.calendar import london_date


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage, got {text!r}") from None
    if not 0 < value < 100:
        raise argparse.ArgumentTypeError(f"expected a percentage above 0 and below 100, got {value:g}")
    return value


class Command(BaseCommand):
    help = "Seed realistic demo complaints in every state for every council (bulk, deterministic per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=positive, required=True, help="How many complaints to create.")
        parser.add_argument("--seed", type=int, required=True, help="Random seed: same seed, same data.")
        parser.add_argument("--today", type=iso_date, default=None,
                            help="The date the data is relative to (default: today in London). "
                                 "Fix it to get the same data on another day.")
        parser.add_argument("--batch-size", type=positive, default=2000, help="Cases told and written per chunk.")
        parser.add_argument("--years", type=positive, default=2, help="Receipts spread over this many years.")
        parser.add_argument("--open-percent", type=percent, default=None,
                            help="Share of cases still open (default: about half, every state well represented).")
        parser.add_argument("--backdate-policies", action="store_true",
                            help="Record a demo copy of a council's first policy version in force from the start "
                                 "of the window when the window starts earlier.")
        parser.add_argument("--workers", type=int, default=None,
                            help="Processes telling stories (default: one per core from 20,000 complaints; 0: none).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if the database already has complaints.")

    def handle(self, *args, complaints, seed, today, batch_size, if_empty, years=2, open_percent=None,
               backdate_policies=False, workers=None, **options):
        if not settings.DEBUG:
            raise CommandError("demo data is for local development only (DEBUG is off)")
        if if_empty and Complaint.objects.exists():
            self.stdout.write("Complaints already exist: nothing seeded (--if-empty).")
            return
        try:  # call_command(today="...") passes the text through unconverted
            today = iso_date(today) if isinstance(today, str) else today or london_date(timezone.now())
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--today: {exc}") from None
        verbose = options.get("verbosity", 1) >= 2

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  {done:,} / {total:,} complaints written")

        try:
            report = seed_demo(SeedOptions(complaints=complaints, seed=seed, today=today, batch_size=batch_size,
                                           years=years, open_percent=open_percent,
                                           backdate_policies=backdate_policies, workers=workers),
                               progress=progress)
        except SeedingRefused as exc:
            raise CommandError(exc.message) from exc
        for line in summary_lines(report):
            self.stdout.write(line)


def summary_lines(report: SeedReport) -> list[str]:
    options, elapsed = report.options, max(report.elapsed, 1e-9)
    count = options.complaints
    lines = [
        f"Seeded {count:,} complaints (seed {options.seed}, today {options.today.isoformat()}) "
        f"in {elapsed:.1f}s: {count / elapsed:,.0f} complaints/s, "
        f"{report.total_rows:,} rows at {report.total_rows / elapsed:,.0f} rows/s.",
    ]
    councils = report.councils
    width = max(len(state) for state in State.values)
    widths = [max(len(slug), 6) for slug in councils]
    lines.append(" ".join([f"{'state':<{width}}", *(f"{slug:>{w}}" for slug, w in zip(councils, widths)),
                           f"{'total':>7}"]))
    for state in State.values:
        counts = [report.by_council_state[(slug, state)] for slug in councils]
        lines.append(" ".join([f"{state:<{width}}", *(f"{n:>{w},}" for n, w in zip(counts, widths)),
                               f"{sum(counts):>7,}"]))
    totals = [sum(report.by_council_state[(slug, s)] for s in State.values) for slug in councils]
    lines.append(" ".join([f"{'total':<{width}}", *(f"{n:>{w},}" for n, w in zip(totals, widths)),
                           f"{sum(totals):>7,}"]))
    lines.append("Rows: " + ", ".join(f"{name} {n:,}" for name, n in report.rows.items()))
    lines.append(f"Overdue: {report.overdue:,} open deadlines of open cases were due before "
                 f"{options.today.isoformat()}.")
    if report.backdated:
        lines.append("Demo policy versions recorded (copies in force from the start of the window): "
                     + ", ".join(report.backdated))
    lines.append(f"Time: {report.workers} worker processes; "
                 + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.phases.items()) + ".")
    return lines
