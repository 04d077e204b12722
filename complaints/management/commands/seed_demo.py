"""``seed_demo``: realistic demo complaints in every state for every council, in bulk.

    python manage.py seed_demo --complaints N --seed S [--today YYYY-MM-DD] [--batch-size B] [--if-empty]

Deterministic for a fixed ``--today``: the same ``--seed`` and ``--today`` on the
same starting database give the same references, states, dates and words.
Without ``--today`` "today" is the current London date, so runs on different
days differ. Receipts spread over the two years before today (never before a
council's first policy version); a third of the cases being worked are
overdue. Policies must be loaded first (``load_policies``). Not for
production: refused when DEBUG is off.
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


class Command(BaseCommand):
    help = "Seed realistic demo complaints in every state for every council (bulk, deterministic per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=positive, required=True, help="How many complaints to create.")
        parser.add_argument("--seed", type=int, required=True, help="Random seed: same seed, same data.")
        parser.add_argument("--today", type=iso_date, default=None,
                            help="The date the data is relative to (default: today in London). "
                                 "Fix it to get the same data on another day.")
        parser.add_argument("--batch-size", type=positive, default=2000, help="Cases written per batch.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if the database already has complaints.")

    def handle(self, *args, complaints, seed, today, batch_size, if_empty, **options):
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
            report = seed_demo(SeedOptions(complaints=complaints, seed=seed, today=today, batch_size=batch_size),
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
    return lines
