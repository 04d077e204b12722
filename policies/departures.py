"""Where a council's policy departs from the Complaint Handling Codes.

A looser policy still loads and runs as written (the council's document is
what residents were promised); this module lists each departure with the
council's rule, its source and what the code requires, for ``policy_check``,
the annual self-assessment and the API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from policies import codes
from policies.schema import Policy, Stage, TimeRule

ANCHOR_TEXT = {
    "receipt": "receipt",
    "request": "the request",
    "confirmation": "confirmation",
    "acknowledgement": "acknowledgement",
    "meeting": "the meeting",
    "response": "the response",
}


@dataclass(frozen=True)
class Departure:
    slug: str
    stage: str | None
    rule: str
    policy_says: str
    policy_source: str
    code_requires: str
    code_reference: str

    def as_dict(self) -> dict:
        return asdict(self)


def describe_rule(rule: TimeRule) -> str:
    unit = rule.unit.replace("_", " ")
    if rule.amount == 1:
        unit = unit.rstrip("s")
    return f"{rule.amount} {unit} of {ANCHOR_TEXT[rule.from_]}"


def _working_days_from_start(stage: Stage, rule: TimeRule) -> int | None:
    """A rule as working days after the stage's start event, or None if it is not in working days."""
    if rule.unit != "working_days":
        return None
    if rule.from_ == "acknowledgement":
        ack = stage.acknowledge
        if ack is None or ack.unit != "working_days":
            return None
        return ack.amount + rule.amount
    if rule.from_ in {"receipt", "request", "confirmation"}:
        return rule.amount
    return None


def _stage_departures(policy: Policy, stage: Stage) -> list[Departure]:
    ack_req, respond_req, extension_req = codes.STAGE_REQUIREMENTS[stage.key]
    found: list[Departure] = []

    def add(rule: str, says: str, source: str, requirement: codes.CodeRequirement) -> None:
        found.append(Departure(policy.slug, stage.key, rule, f"{stage.name}: {says}", source,
                               requirement.requirement, requirement.reference))

    ack = stage.acknowledge
    if ack is None:
        add("acknowledge", "no acknowledgement timescale", "(silent)", ack_req)
    elif ack.unit != "working_days" or ack.amount > ack_req.working_days:
        add("acknowledge", f"acknowledge within {describe_rule(ack)}", ack.source, ack_req)

    respond = stage.respond
    ack_days = ack_req.working_days
    code_total = ack_days + respond_req.working_days
    policy_total = _working_days_from_start(stage, respond)
    if policy_total is None or policy_total > code_total:
        add("respond", f"respond within {describe_rule(respond)}", respond.source, respond_req)

    extension = stage.extension
    if extension is not None and extension.allowed:
        if extension.cap is None:
            add("extension", "extensions have no cap", extension.source, extension_req)
        else:
            cap_total = _working_days_from_start(stage, extension.cap)
            if cap_total is None or policy_total is None or cap_total - policy_total > extension_req.working_days:
                add("extension", f"extension up to {describe_rule(extension.cap)}", extension.cap.source,
                    extension_req)
    if stage.key == "stage2" and (stage.handler is None or not stage.handler.independent_of_previous_stage):
        source = stage.handler.source if stage.handler else "(silent)"
        add("independent_reviewer",
            "does not say Stage 2 is handled by someone not involved at Stage 1 "
            "(the system enforces it regardless)", source, codes.STAGE2_INDEPENDENT)
    return found


def policy_departures(policy: Policy) -> list[Departure]:
    departures: list[Departure] = []
    informal = policy.stage("informal")
    if informal is not None:
        departures.append(Departure(
            policy.slug, "informal", "informal_stage",
            f"{informal.name}: an informal stage before Stage 1 (within {describe_rule(informal.respond)})",
            informal.respond.source, codes.TWO_STAGES.requirement, codes.TWO_STAGES.reference))
    for stage in policy.stages:
        if stage.key in codes.STAGE_REQUIREMENTS:
            departures.extend(_stage_departures(policy, stage))
    panel = policy.stage("panel")
    if panel is not None:
        departures.append(Departure(
            policy.slug, "panel", "third_stage",
            f"{panel.name}: a third internal stage for {', '.join(panel.eligibility.categories)} complaints",
            panel.eligibility.source, codes.TWO_STAGES.requirement, codes.TWO_STAGES.reference))
    limit = policy.time_limit
    limit_months = {"months": limit.amount, "years": 12 * limit.amount}.get(limit.unit)
    if limit_months is None or limit_months < 12 or not limit.discretion:
        says = f"complaints accepted within {limit.amount} {limit.unit} of the {limit.counted_from}"
        if not limit.discretion:
            says += ", with no discretion beyond"
        departures.append(Departure(policy.slug, None, "time_limit", says, limit.source,
                                    codes.TIME_LIMIT.requirement, codes.TIME_LIMIT.reference))
    for outdated in policy.ombudsman.outdated:
        departures.append(Departure(
            policy.slug, None, "ombudsman_access",
            f"out of date since {outdated.changed_on.isoformat()}: \"{outdated.text}\"",
            outdated.source, codes.HOUSING_OMBUDSMAN_ACCESS.requirement, codes.HOUSING_OMBUDSMAN_ACCESS.reference))
    return departures
