"""``deadlines``: the dates a council's policy gives one stage of a complaint.

A contract other tools rely on (see README): with ``--json`` one object with
fixed keys; any bad input exits 2 with one line on stderr.
"""

import datetime as dt
import json

from config.commands import OneLineErrorsCommand
from deadlines.calendar import CalendarRangeError
from deadlines.engine import DATE_KEYS, EventOrderError, Events, compute_stage_deadlines
from deadlines.parsing import parse_day, parse_received
from policies.loader import PolicyFileError, policy_registry
from policies.schema import STAGE_ORDER


class Command(OneLineErrorsCommand):
    help = "Compute a stage's deadlines under a council's policy, with explanations."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="Council slug, e.g. barnet")
        parser.add_argument("--stage", required=True, help="informal, stage1, stage2 or panel")
        parser.add_argument("--received", required=True,
                            help="When the stage started: a date or a date-time (no offset = Europe/London)")
        parser.add_argument("--acknowledged", help="Date the acknowledgement was sent (YYYY-MM-DD)")
        parser.add_argument("--meeting", help="Date of the panel meeting (YYYY-MM-DD)")
        parser.add_argument("--responded", help="Date the stage response was sent (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args, **options):
        try:
            registry = policy_registry()
        except PolicyFileError as exc:
            raise self.fail(f"invalid policy files: {exc}") from exc
        slug = options["council"]
        policy = registry.get(slug)
        if policy is None:
            raise self.fail(f"unknown council {slug!r}; known councils: {', '.join(sorted(registry))}")
        stage_key = options["stage"]
        if stage_key not in STAGE_ORDER:
            raise self.fail(f"unknown stage {stage_key!r}; stages are {', '.join(STAGE_ORDER)}")
        stage = policy.stage(stage_key)
        if stage is None:
            raise self.fail(f"{slug} has no {stage_key} stage; its stages are {', '.join(policy.stage_keys)}")
        if options["meeting"] and stage.meeting is None:
            raise self.fail(f"--meeting applies only to a stage with a meeting; {slug} {stage_key} has none")
        try:
            received_at, received = parse_received(options["received"])
            later = {name: parse_day(options[name], f"--{name}") for name in ("acknowledged", "meeting", "responded")}
            events = Events(received=received, received_at=received_at, **later)
            result = compute_stage_deadlines(policy, stage_key, events)
        except (ValueError, EventOrderError, CalendarRangeError) as exc:
            raise self.fail(str(exc)) from exc
        payload = {
            "council": slug,
            "policy_version": policy.version.id,
            "stage": stage_key,
            "received_date": received.isoformat(),
            **{key: _iso(result.get(key)) for key in DATE_KEYS},
            "explanation": result.explanation(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(f"{policy.name}: {stage.name} (policy version {policy.version.id})")
        self.stdout.write(f"received_date: {payload['received_date']}")
        for key in DATE_KEYS:
            self.stdout.write(f"{key}: {payload[key] or '-'}")
        self.stdout.write("")
        for line in payload["explanation"]:
            self.stdout.write(line)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
