"""The rows of one demo case, from its story: person, case, stages, deadlines, outcomes, actions, notes.

Rows are plain lists in column order (``seeding_rows``) appended to the
chunk's tables, with local numbers where they point at each other; the
writer gives them real ids. Every value comes from the case's own random
stream, the story and the policy it was received under; nothing reads the
clock.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from complaints.models import Channel, Consent, State
from complaints.services.seeding_rows import SPACES, Shapes
from complaints.services.seeding_story import HANDLER, DeadlineRows, Story
from complaints.services import seeding_text as words
from deadlines.calendar import LONDON, london_date
from deadlines.engine import complaint_time_limit
from policies.schema import Policy

CHANNELS = ((Channel.ONLINE, 45), (Channel.EMAIL, 25), (Channel.PHONE, 15), (Channel.LETTER, 7),
            (Channel.IN_PERSON, 3), (Channel.REPRESENTATIVE, 5))
CONTACT = (("email", 70), ("phone", 20), ("letter", 10))
HOUSING = {"social_housing", "homelessness", "housing_allocations"}
NOT_STARTED = {State.NEW, State.SERVICE_REQUEST, State.REFUSED}


def pick(rng: random.Random, weighted) -> str:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


class ChunkRows:
    """The rows of one chunk of cases, per table, with local numbers (see ``seeding_rows``)."""

    def __init__(self, shapes: Shapes, today: dt.date):
        self.shapes, self.today = shapes, today
        self.rows: dict[str, list[list]] = {table.name: [] for table in shapes.tables}
        self.counts = dict.fromkeys(SPACES, 0)  # local numbers handed out, per id space

    def take(self, space: str) -> int:
        number = self.counts[space]
        self.counts[space] = number + 1
        return number


@dataclass
class CouncilContext:
    """What the content of one council's cases draws on."""

    council_id: int
    slug: str
    areas: list[tuple[int, str]]  # (service area id, category)
    users: dict[str, int]  # handler role suffix -> user id


def _person(rng: random.Random, ctx: CouncilContext, story: Story, categories: set[str],
            anonymous: bool) -> tuple[dict, str]:
    """The complainant's values, and their name (blank when anonymous)."""
    if story.panel:
        kind = rng.choice(words.PANEL_TYPES)
    elif categories & HOUSING:
        kind = rng.choice(words.HOUSING_TYPES)
    else:
        kind = rng.choice(words.COMPLAINANT_TYPES)
    if anonymous:
        return {"council_id": ctx.council_id, "contact_preference": "letter", "complainant_type": kind}, ""
    first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
    town, postcode = words.TOWNS.get(ctx.slug, ("Anytown", "AB"))
    name = f"{first} {last}"
    return {
        "council_id": ctx.council_id, "name": name,
        "email": f"{first}.{last.replace(chr(39), '')}{rng.randint(1, 99)}@example.org".lower(),
        "phone": f"07700 900{rng.randint(0, 999):03d}",
        "address": f"{rng.randint(1, 240)} {rng.choice(words.STREETS)}, {town} {postcode}{rng.randint(1, 20)} "
                   f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "contact_preference": pick(rng, CONTACT), "complainant_type": kind,
        "reasonable_adjustments": rng.choice(words.ADJUSTMENTS) if rng.random() < 0.05 else "",
    }, name


def _areas(rng: random.Random, ctx: CouncilContext, policy: Policy, story: Story) -> list[tuple[int, str]]:
    choices = ctx.areas
    if story.panel:
        eligible = set(policy.stage("panel").eligibility.categories)
        choices = [area for area in ctx.areas if area[1] in eligible] or ctx.areas
    first = rng.choice(choices)
    if rng.random() < 0.1 and len(ctx.areas) > 1:
        second = rng.choice(ctx.areas)
        if second != first:
            return [first, second]
    return [first]


def case_rows(rng: random.Random, ctx: CouncilContext, policy: Policy, version_id: int, story: Story,
              sequence: int, reference: str, deadline_rows: DeadlineRows, out: ChunkRows) -> list[list]:
    """Append the case's rows to ``out``; return its deadline rows (for the caller's counts)."""
    shapes, rows = out.shapes, out.rows
    received = london_date(story.received_at)
    areas = _areas(rng, ctx, policy, story)
    category = areas[0][1]
    anonymous = story.state in NOT_STARTED and rng.random() < (
        0.5 if policy.anonymous.handling == "service_request" and story.state == State.SERVICE_REQUEST else 0.1)
    person, person_name = _person(rng, ctx, story, {area[1] for area in areas}, anonymous)
    summary = rng.choice(words.SUMMARIES.get(category) or words.SUMMARIES["council_services"])
    incident = received - dt.timedelta(days=rng.randint(1, 90) if rng.random() < 0.9 else rng.randint(300, 500))
    aware = min(received, incident + dt.timedelta(days=rng.randint(0, 20)))
    matter = aware if policy.time_limit.counted_from == "awareness" else incident
    out_of_time = received > complaint_time_limit(policy, matter)
    case_number = out.take("complaint")
    out.take("complainant")  # one complainant per case: the same local number
    case = {
        "id": case_number, "complainant_id": case_number,
        "council_id": ctx.council_id, "reference": reference, "sequence": sequence, "policy_version_id": version_id,
        "channel": pick(rng, CHANNELS), "received_at": story.received_at, "incident_date": incident,
        "aware_date": aware, "category": category, "summary": summary,
        "desired_outcome": rng.choice(words.DESIRED_OUTCOMES),
        "complainant_words": f"{summary}. I have raised this before and nothing has changed. "
                             f"It started on {incident:%d %B %Y} and it is still affecting us.",
        "is_anonymous": anonymous, "out_of_time": out_of_time,
        "discretion_reason": rng.choice(words.DISCRETION) if out_of_time and story.state != State.REFUSED
        and story.stages else "",
        "assigned_officer_id": ctx.users[story.assigned] if story.assigned else None,
        "stage": story.stage, "state": str(story.state), "held_from": str(story.held_from),
        "held_since": story.held_since, "closed_after_stage": story.closed_after_stage,
    }
    if story.consent_hold or (not anonymous and rng.random() < 0.08):
        excluded = set(policy.representatives.excluded_roles)
        role, relationship = rng.choice([r for r in words.REPRESENTATIVES if r[0] not in excluded])
        case["representative_name"] = f"{rng.choice(words.FIRST_NAMES)} {person_name.split(' ')[-1] or 'Smith'}"
        case["representative_relationship"], case["representative_role"] = relationship, role
        if story.consent_hold:
            case["consent"] = Consent.REQUESTED.value
        else:
            case["consent"], case["consent_received_on"] = Consent.RECEIVED.value, received
            case["consent_evidence"] = "Signed consent form received with the complaint"
    if story.state == State.REFUSED:
        if policy.exclusions:
            exclusion = rng.choice(policy.exclusions)
            case["refusal_reason"], case["signposting"] = (f"{exclusion.title} ({exclusion.source})",
                                                           exclusion.signposting)
        else:
            case["refusal_reason"], case["signposting"] = ("Outside the complaints procedure",
                                                           "Contact the service directly")
    rows["complainants"].append(shapes.complainant.row({"id": case_number, **person}))
    for area_id, _ in areas:
        rows["complaint service areas"].append(shapes.area_link.row(
            {"complaint_id": case_number, "servicearea_id": area_id}))
    # The one historical row each gets is the snapshot as of the story's last move, by whoever made it.
    user = ctx.users[story.assigned] if story.assigned else None
    at, reason = story.clock, f"seeded: {story.events[-1] if story.events else 'received'}"
    for stage in story.stages:
        number = out.take("stage")
        handler = ctx.users[HANDLER[stage.key]]
        row = shapes.stage.row({
            "id": number, "complaint_id": case_number, "stage": stage.key, "started_at": stage.started_at,
            "acknowledged_at": stage.acknowledged_at, "meeting_on": stage.meeting_on,
            "department_notified_at": stage.department_notified_at, "responded_at": stage.responded_at,
            "escalation_discretion_reason": stage.escalation_discretion_reason})
        rows["case stages"].append(row)
        rows["case stage history"].append(shapes.stage_history.row(row, at, reason, user))
        rows["stage handlers"].append(shapes.handler.row({"casestage_id": number, "user_id": handler}))
        if stage.outcome:
            _outcome(rng, stage, handler, category, case_number, out)
    deadlines = deadline_rows.rows(story, policy, version_id)
    for values in deadlines:
        row = shapes.deadline.row({"id": out.take("deadline"), "complaint_id": case_number,
                                   "council_id": ctx.council_id, **values})
        rows["deadlines"].append(row)
        rows["deadline history"].append(shapes.deadline_history.row(row, at, reason, user))
    notes = 0
    if story.stages and rng.random() < 0.35:
        author = ctx.users[HANDLER[story.stages[-1].key]]
        notes = rng.randint(1, 2)
        for _ in range(notes):
            rows["notes"].append(shapes.note.row(
                {"complaint_id": case_number, "author_id": author, "text": rng.choice(words.NOTES)}))
    case["version"] = 1 + len(story.events) + notes  # every service call that saved the case bumped it
    row = shapes.complaint.row(case)
    rows["complaints"].append(row)
    rows["complaint history"].append(shapes.complaint_history.row(row, at, reason, user))
    return deadlines


def _outcome(rng: random.Random, stage, handler: int, category: str, case_number: int, out: ChunkRows) -> None:
    found = stage.outcome != "not_upheld"
    compensation = Decimal(rng.choice([50, 100, 150, 250, 400])) if found and category in HOUSING \
        and rng.random() < 0.4 else Decimal("0")
    offset = (compensation / 2).quantize(Decimal("0.01")) if compensation and rng.random() < 0.2 else Decimal("0")
    remedy = rng.choice(words.REMEDY_ACTIONS) if found else ""
    number = out.take("outcome")
    out.rows["stage outcomes"].append(out.shapes.outcome.row({
        "id": number, "complaint_id": case_number,
        "stage": stage.key, "outcome": stage.outcome, "findings": words.FINDINGS[stage.outcome],
        "responded_at": stage.responded_at, "responded_by_id": handler, "remedy_apology": found,
        "remedy_explanation": True, "remedy_action": remedy, "compensation_amount": compensation,
        "compensation_offset_against_arrears": offset,
        "learning_points": rng.choice(words.LEARNING) if stage.outcome == "upheld" else ""}))
    if found and rng.random() < 0.5:
        due = london_date(stage.responded_at) + dt.timedelta(days=rng.randint(10, 40))
        done = None
        # Actions are tracked to completion after the case closes: most that fell due by today are done.
        if due <= out.today and rng.random() < 0.9:
            done = dt.datetime.combine(due - dt.timedelta(days=rng.randint(0, 5)), dt.time(11), LONDON)
        out.rows["actions"].append(out.shapes.action.row({
            "outcome_id": number, "description": remedy, "owner_id": handler, "due_date": due,
            "completed_at": done}))
