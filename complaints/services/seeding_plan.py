"""Placing demo cases in time and turning chunks of them into rows: pure work, no database.

Everything here runs on plain data (``KitSpec``: a council's policy versions
as their stored content, its service areas and staff ids), so it can run in
worker processes (``seeding_pool``) as well as in the seeding process, and
gives the same result either way: each case draws only from its own
``random.Random(case seed)``.

Pass one (``place_chunk``) finds when each case was received so that its
story ends, by today, about as long ago as a case in that state has been
there (``_dwell``). Pass two (``rows_chunk``) re-tells each story in order of
council and receipt and builds its rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from complaints.models import OPEN, DeadlineKind, State
from complaints.services.seeding_content import ChunkRows, CouncilContext, case_rows
from complaints.services.seeding_rows import Shapes
from complaints.services.seeding_story import DeadlineRows, DoesNotFit, Teller
from deadlines.calendar import LONDON, london_date
from policies.loader import policy_from_content
from policies.schema import Policy

PROBE_TODAY = dt.date(2090, 1, 1)  # a "today" no probe story reaches
# No story lasts this long: the longest seen, an Ombudsman referral after three stages, takes about
# 300 days from receipt to its last move. ``rows_chunk`` would stop the run if one ever did.
SURE_FIT_DAYS = 730
STATES = list(State.values)
WORKING = {State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL}
RESPONDED = {State.STAGE1_RESPONDED, State.STAGE2_RESPONDED, State.PANEL_RESPONDED}
OPEN_STATES = {str(state) for state in OPEN}
FINISHED = {str(state) for state in State.values} - OPEN_STATES
COUNCIL_KINDS = {kind for kind in DeadlineKind.values if kind != DeadlineKind.ESCALATE}


@dataclass(frozen=True)
class KitSpec:
    """One council, ready to seed, as plain data: what a worker process needs to tell its stories."""

    council_id: int
    slug: str
    reference_prefix: str
    versions: tuple[tuple[int, dt.date, dict], ...]  # (pk, effective_from, content), by effective_from
    earliest: dt.date
    states: tuple[str, ...]
    areas: tuple[tuple[int, str], ...]
    users: tuple[tuple[str, int], ...]  # (handler role suffix, user id)

    @cached_property
    def policies(self) -> list[Policy]:
        return [policy_from_content(content) for _, _, content in self.versions]

    @cached_property
    def context(self) -> CouncilContext:
        return CouncilContext(self.council_id, self.slug, list(self.areas), dict(self.users))

    def version_on(self, day: dt.date) -> tuple[int, Policy]:
        index = bisect.bisect_right([effective for _, effective, _ in self.versions], day) - 1
        return self.versions[index][0], self.policies[index]


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
        days = 0  # finished: placed by ``place`` directly
    return max(0, min(days, room))


def _fit(kit: KitSpec, target: str, case_seed: int, day: dt.date, at: dt.time,
         today: dt.date) -> dt.datetime | None:
    """The receipt on ``day`` or, if the story would overrun today, moved back until it ends by today."""
    for _ in range(6):
        received_at = dt.datetime.combine(day, at, LONDON)
        try:
            Teller(random.Random(case_seed), kit.version_on(day)[1], received_at, today).tell(target)
            return received_at
        except DoesNotFit as exc:
            day -= dt.timedelta(days=exc.days)
            if exc.days <= 0 or day < kit.earliest:
                return None
    return None


def place(kit: KitSpec, target: str, case_seed: int, u: float, v: float, minute: int,
          today: dt.date) -> tuple[dt.datetime, str]:
    """When the case was received so that its story ends, by today, ``dwell`` days ago.

    A finished case may have been received any day of the window: its story is told from a day drawn
    uniformly and moved back if it would overrun today (a day more than ``SURE_FIT_DAYS`` ago needs no
    telling: no story is that long). A case still open must have reached its state
    ``dwell`` days ago, so a probe (the story told from the window's start with no "today" in the way)
    measures how long the story takes first.
    """
    at = dt.time(minute // 60, minute % 60)
    window = (today - kit.earliest).days
    try:
        if target in FINISHED:
            day = kit.earliest + dt.timedelta(days=int(u * (window + 1)))
            if (today - day).days > SURE_FIT_DAYS:
                return dt.datetime.combine(day, at, LONDON), target
            received_at = _fit(kit, target, case_seed, day, at, today)
        else:
            probe_at = dt.datetime.combine(kit.earliest, at, LONDON)
            probe = Teller(random.Random(case_seed), kit.version_on(today)[1], probe_at, PROBE_TODAY).tell(target)
            span = (london_date(probe.anchor) - kit.earliest).days
            received_at = None
            if span <= window:
                day = today - dt.timedelta(days=_dwell(target, u, v, window - span) + span)
                received_at = _fit(kit, target, case_seed, day, at, today)
        if received_at is not None:
            return received_at, target
    except DoesNotFit:
        pass
    day = today - dt.timedelta(days=_dwell(State.NEW, u, v, window))  # the story cannot fit: a new contact
    return dt.datetime.combine(day, at, LONDON), State.NEW


def place_chunk(kits: list[KitSpec], today: dt.date, draws: list[tuple]) -> list[tuple[int, int]]:
    """(receipt as a Unix timestamp, state index) for each (kit, state index, seed, u, v, minute) drawn."""
    placed = []
    for k, state, case_seed, u, v, minute in draws:
        received_at, target = place(kits[k], STATES[state], case_seed, u, v, minute, today)
        placed.append((int(received_at.timestamp()), STATES.index(target)))
    return placed


@dataclass
class ChunkResult:
    rows: dict[str, list[list]]
    counts: dict[str, int]  # local numbers used per id space
    by_council_state: Counter
    overdue: int


def rows_chunk(kits: list[KitSpec], today: dt.date, now: dt.datetime, cases: list[tuple],
               shapes: Shapes | None = None, deadline_rows: DeadlineRows | None = None) -> ChunkResult:
    """The rows of ``cases``: (kit, state index, seed, receipt timestamp, sequence), in writing order."""
    out = ChunkRows(shapes or Shapes(now), today)
    deadline_rows = deadline_rows or DeadlineRows()
    by_council_state: Counter = Counter()
    overdue = 0
    for k, state, case_seed, stamp, sequence in cases:
        kit = kits[k]
        received_at = dt.datetime.fromtimestamp(stamp, LONDON)
        version_id, policy = kit.version_on(london_date(received_at))
        teller = Teller(random.Random(case_seed), policy, received_at, today)
        try:
            story = teller.tell(STATES[state])
        except DoesNotFit as exc:  # placing said it fits: SURE_FIT_DAYS is too short for this policy
            raise RuntimeError(f"a {STATES[state]} story received {received_at:%Y-%m-%d} overran today by "
                               f"{exc.days} days: raise SURE_FIT_DAYS") from exc
        reference = f"{kit.reference_prefix}-{received_at.year}-{sequence:05d}"
        deadlines = case_rows(teller.rng, kit.context, policy, version_id, story, sequence, reference,
                              deadline_rows, out)
        by_council_state[(kit.slug, str(story.state))] += 1
        if story.state in OPEN_STATES:
            overdue += sum(1 for d in deadlines if d["met_at"] is None and d["cancelled_at"] is None
                           and not d["paused"] and d["due_date"] < today and d["kind"] in COUNCIL_KINDS)
    return ChunkResult(out.rows, out.counts, by_council_state, overdue)
