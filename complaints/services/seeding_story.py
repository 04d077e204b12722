"""How a demo case reached its state: the moves the services would have made, in order.

A story is told for one case from its own ``random.Random``, the policy it was
received under, its receipt instant and "today". It walks the services' moves
(triage, acknowledge, meeting, notify, respond, escalate, hold, close, refuse,
withdraw, refer to the Ombudsman) and records, in order, what each move does to
the stored deadlines (met, cancelled, paused), so that ``deadline_rows`` gives
the rows the services would have left. No move may fall after today: a story
that does not fit raises :class:`DoesNotFit` with the days it overran, and the
caller moves the receipt earlier. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from complaints.models import DeadlineKind, State
from complaints.services.deadlines import ENGINE_KEYS, stage_events
from complaints.services.seeding_text import ESCALATION_DISCRETION
from deadlines.calendar import LONDON, london_date
from deadlines.engine import Events, compute_stage_deadlines, policy_calendar
from policies.schema import Policy, TimeRule

HANDLER = {"informal": "officer", "stage1": "officer", "stage2": "investigator", "panel": "manager"}
WORKING_STATE = {"informal": State.INFORMAL, "stage1": State.STAGE1, "stage2": State.STAGE2, "panel": State.PANEL}
RESPONDED_STATE = {"stage1": State.STAGE1_RESPONDED, "stage2": State.STAGE2_RESPONDED, "panel": State.PANEL_RESPONDED}
RESPONSE_MEETS = (DeadlineKind.ACKNOWLEDGE, DeadlineKind.RESPOND, DeadlineKind.TARGET,
                  DeadlineKind.NOTIFY_DEPARTMENT, DeadlineKind.MEETING)
OUTCOMES = (("upheld", 30), ("partly_upheld", 30), ("not_upheld", 40))
APPROX_WORKING_DAYS = {"working_days": 1, "calendar_days": 5 / 7, "weeks": 5, "months": 21, "years": 250,
                       "hours": 1 / 24}


class DoesNotFit(Exception):
    """A move of the story fell ``days`` after today; 0 when the policy lacks a stage the story needs."""

    def __init__(self, days: int):
        super().__init__(f"story overran today by {days} days")
        self.days = days


@dataclass
class StageStory:
    """One CaseStage: the events the deadline engine counts from."""

    key: str
    started_at: dt.datetime
    acknowledged_at: dt.datetime | None = None
    meeting_on: dt.date | None = None
    department_notified_at: dt.datetime | None = None
    responded_at: dt.datetime | None = None
    escalation_discretion_reason: str = ""
    outcome: str = ""


@dataclass
class Story:
    received_at: dt.datetime
    state: str = State.NEW
    stage: str = ""
    stages: list[StageStory] = field(default_factory=list)
    marks: list[tuple[str, dt.datetime, str, tuple[str, ...]]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # one per service call that saved the case
    clock: dt.datetime | None = None  # the last move
    anchor: dt.datetime | None = None  # when the case entered its present state
    held_from: str = ""
    held_since: dt.date | None = None
    consent_hold: bool = False
    closed_after_stage: str = ""
    assigned: str = ""  # handler role of the assigned officer
    panel: bool = False


def budget(rule: TimeRule) -> int:
    """A rule's length in (roughly) working days, for drawing realistic delays."""
    return max(1, round(rule.amount * APPROX_WORKING_DAYS[rule.unit]))


class Teller:
    def __init__(self, rng: random.Random, policy: Policy, received_at: dt.datetime, today: dt.date):
        self.rng, self.policy, self.today = rng, policy, today
        self.cal = policy_calendar(policy)
        self.story = Story(received_at=received_at, clock=received_at, anchor=received_at)

    # -- time ----------------------------------------------------------------
    def office(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.randint(0, 59)), LONDON)

    def later(self, days: int, base: dt.date | None = None) -> dt.datetime:
        """Office hours ``days`` working days after the later of ``base`` and the last move."""
        start = london_date(self.story.clock)
        if base is not None and base > start:
            start = base
        return self.office(self.cal.add_working_days(start, max(1, days)))

    def happen(self, at: dt.datetime, event: str | None, required: bool = True) -> bool:
        overrun = (london_date(at) - self.today).days
        if overrun > 0:
            if required:
                raise DoesNotFit(overrun)
            return False
        self.story.clock = at
        if event:
            self.story.events.append(event)
        return True

    def mark(self, op: str, at: dt.datetime, stage: str = "", kinds: tuple[str, ...] = ()) -> None:
        self.story.marks.append((op, at, stage, kinds))

    # -- moves ---------------------------------------------------------------
    def start(self, key: str, started_at: dt.datetime) -> StageStory:
        if self.policy.stage(key) is None:
            raise DoesNotFit(0)
        stage = StageStory(key, started_at)
        self.story.stages.append(stage)
        self.story.stage, self.story.state, self.story.assigned = key, WORKING_STATE[key], HANDLER[key]
        return stage

    def triage(self, route: str) -> StageStory | None:
        self.happen(self.later(self.rng.randint(1, 2)), f"triaged:{route}")
        if route == "service_request":
            self.story.state = State.SERVICE_REQUEST
            return None
        stage = self.start(route, self.story.received_at)
        self.story.events.append("assigned")
        return stage

    def acknowledge(self, stage: StageStory, required: bool) -> bool:
        rule = self.policy.stage(stage.key).acknowledge
        if rule is None or stage.acknowledged_at is not None:
            return True
        days = budget(rule)
        days = self.rng.randint(1, days) if self.rng.random() < 0.9 else days + self.rng.randint(1, 4)
        at = self.later(days, base=london_date(stage.started_at))
        if not self.happen(at, f"acknowledged:{stage.key}", required):
            return False
        stage.acknowledged_at = at
        self.mark("met", at, stage.key, (DeadlineKind.ACKNOWLEDGE,))
        return True

    def meet(self, stage: StageStory, required: bool) -> None:
        rule = self.policy.stage(stage.key).meeting
        if rule is None:
            return
        days = budget(rule)
        days = self.rng.randint(max(1, days // 2), days) if self.rng.random() < 0.9 else days + self.rng.randint(1, 5)
        day = self.cal.add_working_days(london_date(self.story.clock), days)
        at = dt.datetime.combine(day, dt.time(12), LONDON)
        if self.happen(at, "meeting_recorded", required):
            stage.meeting_on = day
            self.mark("met", at, stage.key, (DeadlineKind.MEETING,))

    def notify(self, stage: StageStory, required: bool) -> None:
        rule = self.policy.stage(stage.key).notify_department
        if rule is None:
            return
        at = self.later(self.rng.randint(1, budget(rule)))
        if self.happen(at, "department_notified", required):
            stage.department_notified_at = at
            self.mark("met", at, stage.key, (DeadlineKind.NOTIFY_DEPARTMENT,))

    def respond(self, stage: StageStory) -> None:
        events = Events.from_instant(stage.started_at, meeting=stage.meeting_on, acknowledged=(
            london_date(stage.acknowledged_at) if stage.acknowledged_at else None))
        due = compute_stage_deadlines(self.policy, stage.key, events).get("respond_by")
        base = london_date(self.story.clock)
        if self.rng.random() < 0.85 and due > base:
            day = self.cal.add_working_days(base, self.rng.randint(1, max(1, self.cal.working_days_between(base, due))))
        else:
            day = self.cal.add_working_days(max(due, base), self.rng.randint(1, 12))
        at = self.office(day)
        self.happen(at, f"responded:{stage.key}:{day}")
        stage.responded_at = at
        stage.outcome = self.rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
        self.story.state = RESPONDED_STATE[stage.key]
        self.mark("met", at, stage.key, RESPONSE_MEETS)

    def complete(self, stage: StageStory) -> None:
        self.acknowledge(stage, required=True)
        self.meet(stage, required=True)
        self.notify(stage, required=True)
        self.respond(stage)

    def work_open(self, stage: StageStory) -> None:
        """The stage is being worked: whatever was due by today may have happened."""
        self.acknowledge(stage, required=False)
        self.meet(stage, required=False)
        self.notify(stage, required=False)

    def escalate(self, previous: StageStory, key: str) -> StageStory:
        result = compute_stage_deadlines(self.policy, previous.key, stage_events(previous))
        window = result.get("escalate_by")
        answered = london_date(previous.responded_at)
        late = window is not None and self.rng.random() < 0.05
        if late:
            day = window + dt.timedelta(days=self.rng.randint(1, 14))
        else:
            room = (window - answered).days if window is not None else 30
            day = answered + dt.timedelta(days=self.rng.randint(1, max(1, min(25, room))))
        at = dt.datetime.combine(day, dt.time(self.rng.randint(8, 21), self.rng.randint(0, 59)), LONDON)
        self.happen(at, f"escalated:{key}")
        self.mark("met", at, previous.key, (DeadlineKind.ESCALATE,))
        stage = self.start(key, at)
        if late:
            stage.escalation_discretion_reason = ESCALATION_DISCRETION
        self.story.panel = self.story.panel or key == "panel"
        return stage

    def hold(self, at: dt.datetime, event: str | None) -> None:
        self.happen(at, event)
        story = self.story
        story.held_from, story.held_since, story.state = story.state, london_date(at), State.ON_HOLD
        self.mark("pause", at)

    def close(self) -> None:
        at = self.later(self.rng.randint(1, 25))
        self.happen(at, "closed")
        self.story.state, self.story.closed_after_stage = State.CLOSED, self.story.stage
        self.mark("met", at, "stage1", (DeadlineKind.OVERALL,))
        self.mark("cancel", at)

    def end(self, event: str, state: str, days: tuple[int, int]) -> None:
        """Refused or withdrawn: the case stops and its open deadlines stop counting."""
        at = self.later(self.rng.randint(*days))
        self.happen(at, event)
        self.story.state = state
        self.mark("cancel", at)

    def refer(self) -> None:
        day = london_date(self.story.clock) + dt.timedelta(days=self.rng.randint(10, 150))
        self.happen(self.office(day), "ombudsman")
        self.story.state = State.OMBUDSMAN

    # -- paths ---------------------------------------------------------------
    def walk(self, keys: list[str], last: str = "complete") -> StageStory:
        """Through the formal stages ``keys``; the last one ``complete``, ``open`` or ``bare``."""
        has_informal = self.policy.stage("informal") is not None
        if has_informal and self.rng.random() < 0.2:
            self.triage("informal")
            self.happen(self.later(self.rng.randint(1, 3)), "made_formal")
            self.mark("met", self.story.clock, "informal", (DeadlineKind.RESPOND,))
            stage = self.start("stage1", self.story.received_at)  # counted from the original receipt
        else:
            stage = self.triage("stage1")
        for index, key in enumerate(keys):
            if index:
                stage = self.escalate(stage, key)
            if index == len(keys) - 1 and last != "complete":
                self.story.anchor = self.story.clock
                if last == "open":
                    self.work_open(stage)
                return stage
            self.complete(stage)
        return stage

    def tell(self, target: str) -> Story:
        rng, story = self.rng, self.story
        formal = [key for key in self.policy.stage_keys if key != "informal"]
        general = [key for key in formal if key != "panel"]

        def upto(key: str) -> list[str]:
            if key not in formal:
                raise DoesNotFit(0)
            return formal[: formal.index(key) + 1]

        if target == State.NEW:
            return story
        if target == State.SERVICE_REQUEST:
            self.triage("service_request")
        elif target == State.REFUSED:
            if rng.random() < 0.4:
                self.acknowledge(self.triage("stage1"), required=True)
            self.end("refused", State.REFUSED, (1, 5))
        elif target == State.WITHDRAWN:
            roll = rng.random()
            if roll < 0.2:
                pass
            elif roll < 0.7 or len(formal) < 2:
                self.walk(formal[:1], last="open" if roll < 0.55 else "complete")
            else:
                self.walk(formal[:2], last="open")
            self.end("withdrawn", State.WITHDRAWN, (1, 15))
        elif target == State.INFORMAL:
            self.triage("informal")
        elif target in (State.STAGE1, State.STAGE2, State.PANEL):
            self.walk(upto(STAGE_KEY[target]), last="open")
            return story
        elif target in RESPONDED_STATE.values():
            self.walk(upto(STAGE_KEY[target]))
        elif target == State.ON_HOLD:
            self.tell_hold(formal)
        elif target == State.CLOSED:
            roll = rng.random()
            if self.policy.stage("informal") is not None and roll < 0.25:
                informal = self.triage("informal")
                at = self.later(rng.randint(1, 2))
                self.happen(at, "resolved_informally")
                informal.responded_at = at
                story.state, story.closed_after_stage = State.CLOSED, "informal"
                self.mark("met", at, "informal", (DeadlineKind.RESPOND,))
            else:
                depth = 1 if roll < 0.65 else 2 if roll < 0.92 or len(formal) < 3 else 3
                self.walk(formal[:depth])
                self.close()
        elif target == State.OMBUDSMAN:
            self.walk(formal if rng.random() < 0.3 else general)
            self.close()
            self.refer()
        else:
            raise ValueError(f"no story for {target}")
        if story.state != State.ON_HOLD:
            story.anchor = story.clock
        return story

    def tell_hold(self, formal: list[str]) -> None:
        roll = self.rng.random()
        if roll < 0.35 and self.policy.representatives.hold_until_consent:
            self.triage("stage1")
            self.story.consent_hold = True
            self.hold(self.story.clock, None)  # part of triage: the same save
        else:
            depth = 1 if roll < 0.75 or len(formal) < 2 else 2 if roll < 0.93 or len(formal) < 3 else 3
            stage = self.walk(formal[:depth], last="bare")
            self.acknowledge(stage, required=True)
            self.hold(self.later(self.rng.randint(1, 5)), "held")
        self.story.anchor = self.story.clock


STAGE_KEY = {State.STAGE1: "stage1", State.STAGE2: "stage2", State.PANEL: "panel",
             State.STAGE1_RESPONDED: "stage1", State.STAGE2_RESPONDED: "stage2", State.PANEL_RESPONDED: "panel"}


def tell(seed: int, policy: Policy, received_at: dt.datetime, today: dt.date, target: str) -> Story:
    """The story of one case; the same arguments always give the same story."""
    return Teller(random.Random(seed), policy, received_at, today).tell(target)


class DeadlineRows:
    """Deadline rows for a story: engine dates, then the story's marks (met, cancelled, paused) in order."""

    def __init__(self):
        self._explained: dict[tuple, str] = {}

    def rows(self, story: Story, policy: Policy, policy_key: object) -> list[dict]:
        rows: dict[tuple[str, str], dict] = {}
        for stage in story.stages:
            result = compute_stage_deadlines(policy, stage.key, stage_events(stage))
            cap = result.dates.get("respond_by_max")
            for key, kind in ENGINE_KEYS.items():
                computed = result.dates.get(key)
                if computed is None or (kind == DeadlineKind.ESCALATE and stage.responded_at is None):
                    continue
                cache_key = (policy_key, stage.key, key, computed.anchor_date, computed.date,
                             computed.anchor_is_deadline)
                explanation = self._explained.get(cache_key)
                if explanation is None:
                    explanation = self._explained[cache_key] = computed.explain(policy, result.calendar)
                rows[(stage.key, kind)] = {
                    "stage": stage.key, "kind": kind, "due_date": computed.date, "original_due_date": computed.date,
                    "cap_date": cap.date if (kind == DeadlineKind.RESPOND and cap is not None) else None,
                    "provisional": computed.anchor_is_deadline, "explanation": explanation,
                    "rule_source": computed.rule.source, "met_at": None, "cancelled_at": None, "paused": False,
                }
        for op, at, stage_key, kinds in story.marks:
            for (row_stage, kind), row in rows.items():
                if row["met_at"] is not None or row["cancelled_at"] is not None:
                    continue
                if op == "met" and row_stage == stage_key and kind in kinds:
                    row["met_at"] = at
                elif op == "cancel":
                    row["cancelled_at"] = at
                elif op == "pause":
                    row["paused"] = True
        return list(rows.values())
