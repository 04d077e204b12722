"""Deadlines for one stage of one complaint, from a policy and the events so far.

The engine is pure: it takes a validated :class:`policies.schema.Policy`, a
stage key and the events recorded (received, acknowledged, meeting, response)
and returns every date the policy promises, each with the rule and the anchor
it was counted from. Explanations are rendered on demand, so bulk callers
(seeding, benchmarks, recomputation sweeps) pay only for the dates.

Rules counted from a later event that has not happened yet (a response "within
10 working days of acknowledgement" before the acknowledgement is sent) count
from that event's own deadline and are marked provisional; recording the event
and recomputing replaces them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from deadlines.calendar import (
    LONDON,
    WorkingCalendar,
    add_calendar_days,
    add_hours,
    add_months,
    add_years,
    calendar_for,
    london_date,
)
from policies.schema import START_ANCHORS, Policy, Stage, TimeRule

# The keys of a stage's computed dates, in the order the command prints them.
DATE_KEYS = (
    "acknowledge_by",
    "respond_by",
    "respond_by_max",
    "target_by",
    "meeting_by",
    "notify_department_by",
    "escalate_by",
)

ANCHOR_WORDS = {
    "receipt": "receipt",
    "request": "the request",
    "confirmation": "confirmation of the request",
    "acknowledgement": "acknowledgement",
    "meeting": "the meeting",
    "response": "the response",
}

DATE_WORDS = {
    "acknowledge_by": "Acknowledge by",
    "respond_by": "Respond by",
    "respond_by_max": "Latest extension without the complainant's agreement",
    "target_by": "Target response",
    "meeting_by": "Panel meets by",
    "notify_department_by": "Notify the department's manager by",
    "escalate_by": "Last day to ask for the next stage",
    "overall_by": "Resolve overall by",
}

UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("day", "days"),
    "weeks": ("week", "weeks"),
    "months": ("month", "months"),
    "years": ("year", "years"),
    "hours": ("hour", "hours"),
}


class UnknownStage(ValueError):
    """The policy has no such stage."""


class EventOrderError(ValueError):
    """An event date that cannot be right (e.g. acknowledged before it was received)."""


def format_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Events:
    """What has happened in the stage so far. ``received`` is the stage's start."""

    received: dt.date
    received_at: dt.datetime | None = None
    acknowledged: dt.date | None = None
    meeting: dt.date | None = None
    responded: dt.date | None = None

    @classmethod
    def from_instant(cls, received_at: dt.datetime, **later: dt.date | None) -> Events:
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=LONDON)
        return cls(received=london_date(received_at), received_at=received_at, **later)

    def check_order(self) -> None:
        for name in ("acknowledged", "meeting", "responded"):
            value = getattr(self, name)
            if value is not None and value < self.received:
                raise EventOrderError(
                    f"{name} date {value.isoformat()} is before the received date "
                    f"{self.received.isoformat()}"
                )


@dataclass(frozen=True)
class ComputedDate:
    """One promised date, and everything needed to explain it."""

    key: str
    date: dt.date
    rule: TimeRule
    anchor_date: dt.date
    anchor_is_deadline: bool
    anchor_deadline_key: str | None = None

    def explain(self, policy: Policy, cal: WorkingCalendar) -> str:
        rule = self.rule
        singular, plural = UNIT_WORDS[rule.unit]
        amount = f"{rule.amount} {singular if rule.amount == 1 else plural}"
        if self.anchor_is_deadline:
            noun = rule.from_
            counted = (
                f"after the {noun} deadline {format_date(self.anchor_date)} "
                f"(provisional: the {noun} is not yet recorded; recomputed when it is)"
            )
        else:
            counted = f"after {ANCHOR_WORDS[rule.from_]} on {format_date(self.anchor_date)}"
        source = "the Complaint Handling Code" if rule.source == "code" else f"{policy.short_name} policy {rule.source}"
        text = f"{DATE_WORDS[self.key]} {format_date(self.date)}: {amount} {counted} ({source})."
        if rule.unit == "working_days":
            skipped = cal.skipped_days(self.anchor_date, self.date)
            weekend = cal.weekend_days_between(self.anchor_date, self.date)
            parts = [f"{day.reason} ({format_date(day.date)})" for day in skipped]
            if weekend:
                parts.append(f"{weekend} weekend day{'s' if weekend != 1 else ''}")
            if parts:
                text += " Not counted: " + ", ".join(parts) + "."
        elif rule.unit == "hours":
            text += " Elapsed hours, not working days."
        else:
            text += " Calendar time, not working days."
        return text


@dataclass
class StageDeadlines:
    policy: Policy
    stage: Stage
    events: Events
    calendar: WorkingCalendar
    dates: dict[str, ComputedDate] = field(default_factory=dict)

    def get(self, key: str) -> dt.date | None:
        computed = self.dates.get(key)
        return computed.date if computed else None

    def explanation(self) -> list[str]:
        lines = [
            f"{self.policy.name}, policy version {self.policy.version.id}: {self.stage.name} "
            f"started by {ANCHOR_WORDS[START_ANCHORS[self.stage.key]]} on {format_date(self.events.received)}."
        ]
        for key in (*DATE_KEYS, "overall_by"):
            if key in self.dates:
                lines.append(self.dates[key].explain(self.policy, self.calendar))
        extension = self.stage.extension
        if extension is not None and extension.allowed and extension.cap is None:
            lines.append(
                f"Extensions: the policy sets no cap ({self.policy.short_name} policy {extension.source})."
            )
        if extension is not None and extension.cap is not None and extension.agreement_allows_more:
            lines.append("Beyond the latest extension date only with the complainant's agreement.")
        if self.stage.target is not None:
            lines.append("The target is an aim; the response deadline is the limit.")
        return lines


def policy_calendar(policy: Policy) -> WorkingCalendar:
    closures = tuple(sorted((day.date, day.reason) for day in policy.closure_days))
    return calendar_for(closures)


def apply_rule(rule: TimeRule, anchor: dt.date, cal: WorkingCalendar, instant: dt.datetime | None = None) -> dt.date:
    """The date a rule gives when counted from ``anchor`` (the one place units are interpreted)."""
    unit = rule.unit
    if unit == "working_days":
        return cal.add_working_days(anchor, rule.amount)
    if unit == "calendar_days":
        return add_calendar_days(anchor, rule.amount)
    if unit == "weeks":
        return add_calendar_days(anchor, 7 * rule.amount)
    if unit == "months":
        return add_months(anchor, rule.amount)
    if unit == "years":
        return add_years(anchor, rule.amount)
    if unit == "hours":
        start = instant if instant is not None else dt.datetime.combine(anchor, dt.time(0), LONDON)
        return add_hours(start, rule.amount)
    raise ValueError(f"unknown time unit {unit!r}")


def compute_stage_deadlines(policy: Policy, stage_key: str, events: Events) -> StageDeadlines:
    stage = policy.stage(stage_key)
    if stage is None:
        raise UnknownStage(
            f"{policy.slug} has no {stage_key} stage (it has: {', '.join(policy.stage_keys)})"
        )
    events.check_order()
    cal = policy_calendar(policy)
    result = StageDeadlines(policy=policy, stage=stage, events=events, calendar=cal)
    start_anchor = START_ANCHORS[stage.key]
    # anchor name -> (date, is it a deadline standing in for the event, which deadline)
    anchors: dict[str, tuple[dt.date, bool, str | None]] = {start_anchor: (events.received, False, None)}

    def compute(key: str, rule: TimeRule | None) -> None:
        if rule is None:
            return
        anchor_date, is_deadline, deadline_key = anchors[rule.from_]
        instant = events.received_at if rule.from_ == start_anchor else None
        result.dates[key] = ComputedDate(
            key=key,
            date=apply_rule(rule, anchor_date, cal, instant),
            rule=rule,
            anchor_date=anchor_date,
            anchor_is_deadline=is_deadline,
            anchor_deadline_key=deadline_key,
        )

    compute("acknowledge_by", stage.acknowledge)
    if events.acknowledged is not None:
        anchors["acknowledgement"] = (events.acknowledged, False, None)
    elif "acknowledge_by" in result.dates:
        anchors["acknowledgement"] = (result.dates["acknowledge_by"].date, True, "acknowledge_by")
    compute("meeting_by", stage.meeting)
    if events.meeting is not None:
        anchors["meeting"] = (events.meeting, False, None)
    elif "meeting_by" in result.dates:
        anchors["meeting"] = (result.dates["meeting_by"].date, True, "meeting_by")
    compute("respond_by", stage.respond)
    compute("target_by", stage.target)
    if stage.extension is not None and stage.extension.allowed:
        compute("respond_by_max", stage.extension.cap)
    compute("notify_department_by", stage.notify_department)
    if events.responded is not None:
        anchors["response"] = (events.responded, False, None)
    else:
        anchors["response"] = (result.dates["respond_by"].date, True, "respond_by")
    compute("escalate_by", stage.escalation_window)
    if policy.overall_limit is not None and stage.key == "stage1":
        compute("overall_by", policy.overall_limit)
    return result


def working_days_later(policy: Policy, day: dt.date, days: int) -> dt.date:
    """``day`` moved ``days`` working days later under the policy's calendar (hold ending)."""
    return policy_calendar(policy).add_working_days(day, days)


def working_days_between(policy: Policy, start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] under the policy's calendar."""
    return policy_calendar(policy).working_days_between(start, end)


def complaint_time_limit(policy: Policy, matter_date: dt.date) -> dt.date:
    """Last day to complain about a matter that happened (or became known) on ``matter_date``."""
    limit = policy.time_limit
    rule = TimeRule(amount=limit.amount, unit=limit.unit, source=limit.source, **{"from": "receipt"})
    return apply_rule(rule, matter_date, policy_calendar(policy))


__all__ = [
    "complaint_time_limit",
    "working_days_between",
    "working_days_later",
    "DATE_KEYS",
    "ComputedDate",
    "EventOrderError",
    "Events",
    "StageDeadlines",
    "UnknownStage",
    "apply_rule",
    "compute_stage_deadlines",
    "format_date",
    "policy_calendar",
]
