"""Demo data at scale: complaints in every state for every council, written in bulk.

``seed_demo`` does in bulk what the services do one case at a time. Each case
gets a target state, and a story (``seeding_story``) walks the services' moves
to reach it before "today"; deadlines come straight from the deadline engine
with the policy version the case was received under, and are marked met,
cancelled or paused exactly as the services would have. Rows are then written
with ``bulk_create`` (initial history rows with ``bulk_create_with_history``),
batch by batch, in one transaction that holds the council rows locked as
``complaint_create`` does, so references continue each council's sequence.

Deterministic: the same seed, ``today`` and starting database give the same
references, states, dates and words. Nothing reads the clock for a data value
(only the auto timestamps ``created_at``/``updated_at``/``Note.created_at``,
which record when the seeding ran).

Two passes keep references in receipt order, as the services would have
issued them: the first places every case (council, target state, receipt
instant; a few bytes each), the second re-tells each story in order of
council and receipt and writes it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import reset_queries, transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from complaints.models import (
    OPEN,
    Action,
    CaseStage,
    Complainant,
    Complaint,
    Deadline,
    DeadlineKind,
    Feedback,
    Note,
    ServiceArea,
    StaffMember,
    StageOutcome,
    State,
)
from complaints.services.demo import ROLE_SUFFIX
from complaints.services.errors import DomainError
from complaints.services.seeding_content import CouncilContext, case_rows
from complaints.services.seeding_story import HANDLER, DeadlineRows, DoesNotFit, Teller
from complaints.services import seeding_text as words
from deadlines.calendar import LONDON, london_date
from policies.models import Council, PolicyVersion

WINDOW_DAYS = 730  # receipts spread over about two years before today
PROBE_TODAY = dt.date(2090, 1, 1)  # a "today" no probe story reaches
STATE_WEIGHTS = {
    State.NEW: 4, State.INFORMAL: 3, State.STAGE1: 10, State.STAGE1_RESPONDED: 6, State.STAGE2: 5,
    State.STAGE2_RESPONDED: 4, State.PANEL: 3, State.PANEL_RESPONDED: 3, State.ON_HOLD: 4, State.OMBUDSMAN: 3,
    State.CLOSED: 38, State.SERVICE_REQUEST: 6, State.REFUSED: 5, State.WITHDRAWN: 5,
}
STATES = list(State.values)
COUNCIL_WEIGHTS = {"barnet": 25, "lbbd": 20, "barnet-group": 15, "bucks": 20, "brighton-hove": 20}
NEEDS_STAGE = {State.INFORMAL: "informal", State.STAGE2: "stage2", State.STAGE2_RESPONDED: "stage2",
               State.PANEL: "panel", State.PANEL_RESPONDED: "panel"}
WORKING = {State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL}
RESPONDED = {State.STAGE1_RESPONDED, State.STAGE2_RESPONDED, State.PANEL_RESPONDED}
COUNCIL_KINDS = [kind for kind in DeadlineKind.values if kind != DeadlineKind.ESCALATE]
FEEDBACK_KINDS = (("compliment", "compliments"), ("comment", "comments"), ("suggestion", "suggestions"))


class SeedingRefused(DomainError):
    code = "seeding_refused"


@dataclass(frozen=True)
class SeedOptions:
    complaints: int
    seed: int
    today: dt.date
    batch_size: int = 2000


@dataclass
class SeedReport:
    options: SeedOptions
    by_council_state: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    councils: list[str] = field(default_factory=list)
    overdue: int = 0  # open council deadlines of open cases, due before today
    elapsed: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class Kit:
    """One council, ready to seed: its versions, date window, states, areas and staff."""

    council: Council
    versions: list[PolicyVersion]  # by effective_from
    earliest: dt.date
    states: list[str]
    context: CouncilContext
    next_sequence: int

    def version_on(self, day: dt.date) -> PolicyVersion:
        froms = [version.effective_from for version in self.versions]
        return self.versions[bisect.bisect_right(froms, day) - 1]


def _staff(council: Council) -> dict[str, object]:
    """The council's demo officer, investigator and manager (created without a usable password if missing)."""
    users = {}
    suffix_role = {suffix: role for role, suffix in ROLE_SUFFIX.items()}
    for suffix in sorted(set(HANDLER.values())):
        user, created = get_user_model().objects.get_or_create(
            username=f"{council.slug}-{suffix}",
            defaults={"first_name": suffix.title(), "last_name": council.short_name,
                      "email": f"{council.slug}-{suffix}@example.invalid"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            StaffMember.objects.create(user=user, council=council, role=suffix_role[suffix])
        users[suffix] = user
    return users


def _kits(today: dt.date) -> list[Kit]:
    councils = list(Council.objects.select_for_update().order_by("slug"))  # as complaint_create: sequences
    if not PolicyVersion.objects.exists():
        raise SeedingRefused("no policies loaded: run `python manage.py load_policies` first")
    kits = []
    for council in councils:
        versions = [v for v in PolicyVersion.objects.filter(council=council).order_by("effective_from")
                    if v.effective_from <= today]
        if not versions:
            continue
        policy = versions[-1].policy
        states = [s for s in STATES if s not in NEEDS_STAGE or policy.stage(NEEDS_STAGE[s]) is not None]
        for name, category in words.SERVICE_AREAS.get(council.slug, words.DEFAULT_AREAS):
            ServiceArea.objects.get_or_create(council=council, name=name, defaults={"category": category})
        areas = list(ServiceArea.objects.filter(council=council).order_by("pk").values_list("pk", "category"))
        last = Complaint.objects.filter(council=council).aggregate(last=Max("sequence"))["last"] or 0
        earliest = max(today - dt.timedelta(days=WINDOW_DAYS), versions[0].effective_from)
        context = CouncilContext(council.pk, council.slug, areas, _staff(council))
        kits.append(Kit(council, versions, earliest, states, context, last + 1))
    if not kits:
        raise SeedingRefused(f"no council has a policy version in force on {today.isoformat()}")
    return kits


def _dwell(target: str, u: float, v: float, room: int) -> int:
    """Days the case has been in its present state by today."""
    if target == State.NEW:
        days = int(u * 4) if v < 0.85 else 4 + int(u * 27)
    elif target == State.INFORMAL:
        days = int(u * 2) if v < 0.65 else 3 + int(u * 60)
    elif target in WORKING:
        days = int(u * 9) if v < 0.65 else 30 + int(u * 170)  # a third are overdue
    elif target == State.ON_HOLD:
        days = int(u * 90)
    elif target in RESPONDED:
        days = int(u * 46)
    else:
        days = int(u * (room + 1))  # finished: anywhere in the window
    return max(0, min(days, room))


def _place(kit: Kit, target: str, case_seed: int, u: float, v: float, minute: int,
           today: dt.date) -> tuple[dt.datetime, str]:
    """When the case was received so that its story ends, by today, ``dwell`` days ago."""
    at = dt.time(minute // 60, minute % 60)
    window = (today - kit.earliest).days
    try:
        probe_at = dt.datetime.combine(kit.earliest, at, LONDON)
        probe = Teller(random.Random(case_seed), kit.version_on(today).policy, probe_at, PROBE_TODAY).tell(target)
        span = (london_date(probe.anchor) - kit.earliest).days
        if span <= window:
            day = today - dt.timedelta(days=_dwell(target, u, v, window - span) + span)
            for _ in range(6):
                received_at = dt.datetime.combine(day, at, LONDON)
                try:
                    Teller(random.Random(case_seed), kit.version_on(day).policy, received_at, today).tell(target)
                    return received_at, target
                except DoesNotFit as exc:
                    day -= dt.timedelta(days=exc.days)
                    if exc.days <= 0 or day < kit.earliest:
                        break
    except DoesNotFit:
        pass
    day = today - dt.timedelta(days=_dwell(State.NEW, u, v, window))  # the story cannot fit: a new contact
    return dt.datetime.combine(day, at, LONDON), State.NEW


def _plan(options: SeedOptions, kits: list[Kit]):
    """Pass one: council, target state, story seed and receipt of every case."""
    rng = random.Random(options.seed)
    count = options.complaints
    combos = [(k, s) for k, kit in enumerate(kits) for s in kit.states]  # every state of every council appears
    forced = dict(zip(rng.sample(range(count), min(count, len(combos))), rng.sample(combos, len(combos))))
    council_weights = [COUNCIL_WEIGHTS.get(kit.council.slug, 20) for kit in kits]
    kit_of, state_of, seeds, stamps = array("b"), array("b"), array("q"), array("q")
    for index in range(count):
        k = rng.choices(range(len(kits)), council_weights)[0]
        target = rng.choices(kits[k].states, [STATE_WEIGHTS[s] for s in kits[k].states])[0]
        case_seed, u, v, minute = rng.getrandbits(62), rng.random(), rng.random(), rng.randrange(7 * 60, 22 * 60)
        k, target = forced.get(index, (k, target))
        received_at, target = _place(kits[k], target, case_seed, u, v, minute, options.today)
        kit_of.append(k), state_of.append(STATES.index(target)), seeds.append(case_seed)
        stamps.append(int(received_at.timestamp()))
    order = sorted(range(count), key=lambda i: (kit_of[i] << 40) + stamps[i])  # stable: ties keep plan order
    return order, kit_of, state_of, seeds, stamps


def seed_demo(options: SeedOptions, progress=None) -> SeedReport:
    """Write ``options.complaints`` demo cases (and some feedback); see the module docstring."""
    if options.complaints < 1 or options.batch_size < 1:
        raise SeedingRefused("the number of complaints and the batch size must be at least 1")
    started = time.perf_counter()
    report = SeedReport(options)
    with transaction.atomic():
        kits = _kits(options.today)
        report.councils = [kit.council.slug for kit in kits]
        order, kit_of, state_of, seeds, stamps = _plan(options, kits)
        deadline_rows = DeadlineRows()
        for start in range(0, len(order), options.batch_size):
            batch = []
            for i in order[start:start + options.batch_size]:
                kit, target = kits[kit_of[i]], STATES[state_of[i]]
                received_at = dt.datetime.fromtimestamp(stamps[i], LONDON)
                version = kit.version_on(london_date(received_at))
                teller = Teller(random.Random(seeds[i]), version.policy, received_at, options.today)
                story = teller.tell(target)
                sequence, kit.next_sequence = kit.next_sequence, kit.next_sequence + 1
                reference = f"{kit.council.reference_prefix}-{received_at.year}-{sequence:05d}"
                batch.append(case_rows(teller.rng, kit.context, version.policy, version.pk, story, sequence,
                                       reference, deadline_rows))
                report.by_council_state[(kit.council.slug, story.state)] += 1
            _write(batch, options, report)
            reset_queries()  # with DEBUG on, the query log would otherwise hold every batch
            if progress:
                progress(min(start + options.batch_size, len(order)), len(order))
        _feedback(options, kits, report)
    report.elapsed = time.perf_counter() - started
    return report


def _write(batch, options: SeedOptions, report: SeedReport) -> None:
    size = options.batch_size
    Complainant.objects.bulk_create([rows.person for rows in batch], batch_size=size)
    for rows in batch:
        rows.case.complainant_id = rows.person.pk
    bulk_create_with_history([rows.case for rows in batch], Complaint, batch_size=size)
    areas = Complaint.service_areas.through
    area_links = [areas(complaint_id=rows.case.pk, servicearea_id=area) for rows in batch for area in rows.area_ids]
    areas.objects.bulk_create(area_links, batch_size=size)
    stages, deadlines, outcomes, notes = [], [], [], []
    for rows in batch:
        for stage in rows.stages:
            stage.complaint_id = rows.case.pk
            stages.append(stage)
        for deadline in rows.deadlines:
            deadline.complaint_id = rows.case.pk
            deadlines.append(deadline)
        for outcome, _ in rows.outcomes:
            outcome.complaint_id = rows.case.pk
            outcomes.append(outcome)
        for note in rows.notes:
            note.complaint_id = rows.case.pk
            notes.append(note)
    bulk_create_with_history(stages, CaseStage, batch_size=size)
    handled = CaseStage.handled_by.through
    handlers = [handled(casestage_id=stage.pk, user_id=user)
                for rows in batch for stage, user in zip(rows.stages, rows.handlers)]
    handled.objects.bulk_create(handlers, batch_size=size)
    bulk_create_with_history(deadlines, Deadline, batch_size=size)
    StageOutcome.objects.bulk_create(outcomes, batch_size=size)
    actions = []
    for rows in batch:
        for outcome, outcome_actions in rows.outcomes:
            for action in outcome_actions:
                action.outcome_id = outcome.pk
                actions.append(action)
    Action.objects.bulk_create(actions, batch_size=size)
    Note.objects.bulk_create(notes, batch_size=size)
    today = options.today
    report.overdue += sum(1 for rows in batch if rows.case.state in OPEN for d in rows.deadlines
                          if d.met_at is None and d.cancelled_at is None and not d.paused
                          and d.due_date < today and d.kind in COUNCIL_KINDS)
    report.rows.update({
        "complainants": len(batch), "complaints": len(batch), "complaint service areas": len(area_links),
        "case stages": len(stages), "stage handlers": len(handlers), "deadlines": len(deadlines),
        "stage outcomes": len(outcomes), "actions": len(actions), "notes": len(notes),
        "history rows": len(batch) + len(stages) + len(deadlines),
    })


def _feedback(options: SeedOptions, kits: list[Kit], report: SeedReport) -> None:
    """Compliments, comments and suggestions, where each council's policy records them."""
    rng = random.Random(f"{options.seed}:feedback")
    offers = [(kit, kind) for kit in kits for kind, flag in FEEDBACK_KINDS
              if getattr(kit.version_on(options.today).policy.feedback, flag)]
    if not offers:
        return
    rows = []
    for _ in range(max(5, options.complaints // 10)):
        kit, kind = rng.choice(offers)
        day = kit.earliest + dt.timedelta(days=rng.randint(0, (options.today - kit.earliest).days))
        area = rng.choice(kit.context.areas)[0] if rng.random() < 0.7 else None
        named = rng.random() < 0.6
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        rows.append(Feedback(
            council_id=kit.council.pk, kind=kind, service_area_id=area, text=rng.choice(words.FEEDBACK[kind]),
            received_at=dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), LONDON),
            name=f"{first} {last}" if named else "",
            email=f"{first}.{last.replace(chr(39), '')}@example.org".lower() if named else ""))
    Feedback.objects.bulk_create(rows, batch_size=options.batch_size)
    report.rows["feedback"] += len(rows)
