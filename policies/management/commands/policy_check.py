"""``policy_check [SLUG] [--json]``: each policy's departures from the Complaint Handling Codes."""

import json

from config.commands import OneLineErrorsCommand
from policies.codes import CODE_NAME
from policies.departures import policy_departures
from policies.loader import PolicyFileError, policy_registry


class Command(OneLineErrorsCommand):
    help = "Report where each council policy departs from the Housing Ombudsman / LGSCO codes."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="One council (default: all)")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args, slug=None, **options):
        try:
            registry = policy_registry()
        except PolicyFileError as exc:
            raise self.fail(f"invalid policy files: {exc}") from exc
        if slug is not None and slug not in registry:
            raise self.fail(f"unknown council {slug!r}; known councils: {', '.join(sorted(registry))}")
        slugs = [slug] if slug else sorted(registry)
        report = [
            {
                "council": s,
                "name": registry[s].name,
                "policy_version": registry[s].version.id,
                "departures": [d.as_dict() for d in policy_departures(registry[s])],
            }
            for s in slugs
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"code": CODE_NAME, "policies": report}, indent=2))
            return
        for entry in report:
            count = len(entry["departures"])
            self.stdout.write(f"{entry['name']} ({entry['council']}, version {entry['policy_version']}): "
                              f"{count} departure{'s' if count != 1 else ''} from the {CODE_NAME}")
            for d in entry["departures"]:
                self.stdout.write(f"  - {d['policy_says']} [policy {d['policy_source']}]")
                self.stdout.write(f"    code: {d['code_requires']} [{d['code_reference']}]")
            self.stdout.write("")

