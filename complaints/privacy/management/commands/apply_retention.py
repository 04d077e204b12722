"""apply_retention [--council SLUG] [--dry-run] [--as-of YYYY-MM-DD]: the retention rules, by hand.

The dry run prints what would be anonymised and why (rule and source) and writes
nothing; the real run anonymises and leaves an audit record per council.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from complaints.privacy.models import Trigger
from complaints.privacy.retention import retention_apply_all, retention_plan
from policies.models import Council
from policies.selectors import NoPolicyInForce


class Command(BaseCommand):
    help = "Anonymise cases past their council's retention period (or, with --dry-run, list them)."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="One council's slug (default: every council).")
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised; change nothing.")
        parser.add_argument("--as-of", help="Apply the rules as on this date (YYYY-MM-DD; default today, London).")

    def handle(self, *args, council=None, dry_run=False, as_of=None, **options):
        councils = list(Council.objects.order_by("slug"))
        if council:
            councils = [c for c in councils if c.slug == council]
            if not councils:
                known = ", ".join(c.slug for c in Council.objects.order_by("slug"))
                raise CommandError(f"No council with slug {council!r}; known: {known}")
        day = None
        if as_of:
            try:
                day = dt.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of must be a date like 2036-03-04, got {as_of!r}") from None
        try:
            if dry_run:
                for one in councils:
                    self._print_plan(retention_plan(council=one, as_of=day))
                return
            runs = retention_apply_all(trigger=Trigger.COMMAND, as_of=day, councils=councils)
        except NoPolicyInForce as error:
            raise CommandError(str(error)) from None
        for run in runs:
            self.stdout.write(f"{run.council.slug}: anonymised {run.anonymised}, held back {run.held}, "
                              f"busy (left for the next run) {run.skipped_locked}, failed {run.failed} [audit run {run.pk}]")

    def _print_plan(self, plan):
        self.stdout.write(f"{plan.council.slug} as of {plan.as_of.isoformat()}: {len(plan.due)} case(s) and "
                          f"{len(plan.feedback)} feedback item(s) would be anonymised, {len(plan.held)} held back")
        for m in plan.due:
            self.stdout.write(f"  {m.complaint.reference}: {m.rule.words} ({m.rule.citation}); counted from "
                              f"{m.counted_from.isoformat()}, kept until {m.retain_until.isoformat()}")
        for m in plan.held:
            self.stdout.write(f"  {m.complaint.reference}: held back, {m.held_because}")
        for m in plan.feedback:
            self.stdout.write(f"  feedback {m.feedback.pk}: {m.rule.years} years after receipt ({m.rule.citation}); "
                              f"received {m.received_on.isoformat()}, kept until {m.retain_until.isoformat()}")
