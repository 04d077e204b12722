"""``load_policies``: validate every policy file and record new versions (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policies.loader import PolicyFileError
from policies.services import PolicyVersionConflict, policies_load


class Command(BaseCommand):
    help = "Validate the policy files and load new policy versions into the database."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Policy folder (default: settings.POLICY_DIR)")

    def handle(self, *args, dir=None, **options):
        try:
            outcomes = policies_load(directory=dir)
        except PolicyFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s) in the policy files; nothing was loaded") from exc
        except PolicyVersionConflict as exc:
            raise CommandError(f"{exc}; nothing was loaded") from exc
        for outcome in outcomes:
            self.stdout.write(f"{outcome.slug} {outcome.version_id}: {outcome.status}")
