"""A case as its complainant sees it, and what they may do next.

Stage names and descriptions come from the policy the case was received under;
dates are the stored ``Deadline`` rows (the same ones officers work to); the
letters are the case's outgoing correspondence. What the complainant may do
(add information, ask for the next stage, withdraw) follows the case's state
and its stored escalation deadline; the lifecycle services still guard every move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from complaints.models import (
    OPEN,
    RESPONDED,
    Complaint,
    Correspondence,
    Deadline,
    DeadlineKind,
    State,
)
from complaints.public import clock, rules
from complaints.public.fields import long_date
from complaints.public.notices import case_category, first_dates, ombudsman_info
from deadlines.calendar import london_date
from policies.schema import STAGE_ORDER, Stage

RULE_OF_KIND = {
    DeadlineKind.ACKNOWLEDGE: "acknowledge", DeadlineKind.RESPOND: "respond", DeadlineKind.TARGET: "target",
    DeadlineKind.MEETING: "meeting", DeadlineKind.ESCALATE: "escalation_window",
}


@dataclass(frozen=True)
class ShownDate:
    label: str
    date: dt.date
    state: str  # "", "done", "paused", "extended"
    policy_words: str
    explanation: str

    @property
    def words(self) -> str:
        return long_date(self.date)


@dataclass(frozen=True)
class EscalationOffer:
    stage: Stage
    last_day: dt.date | None
    in_window: bool

    @property
    def last_day_words(self) -> str:
        return long_date(self.last_day)


def _stage(case: Complaint) -> Stage | None:
    return case.policy.stage(case.stage) if case.stage else None


def current_position(case: Complaint) -> tuple[str, str]:
    """(title, what it means) for the case's state, with the policy's stage names."""
    stage = _stage(case)
    name = stage.name if stage else ""
    state = case.state
    if state == State.NEW:
        return "Received", ("We have received your complaint. A complaints officer is checking it and will decide "
                            "how it will be dealt with.")
    if state in {State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL}:
        return name, f"We are looking into your complaint at {name}. {stage.description}"
    if state in RESPONDED:
        return f"{name}: we have responded", f"We have sent you our {name} response."
    if state == State.ON_HOLD:
        if case.held_for_consent:
            return "On hold", (f"We have paused your complaint until we receive {rules.consent_words(case.policy)} "
                               f"from {case.complainant.name}. You can send it to us with the link to add "
                               "information below.")
        return "On hold", "We have paused work on your complaint for now. We will tell you when it starts again."
    if state == State.OMBUDSMAN:
        return "With the Ombudsman", "The Ombudsman is looking at your complaint."
    if state == State.SERVICE_REQUEST:
        return "Logged as a service request", ("We are dealing with this as a request for a service, not as a "
                                               "complaint.")
    if state == State.REFUSED:
        where = f" Where to go instead: {case.signposting}" if case.signposting else ""
        return "We cannot deal with this as a complaint", (f"We cannot deal with this through our complaints "
                                                           f"procedure.{where}")
    if state == State.WITHDRAWN:
        return "Withdrawn", "You withdrew your complaint. We have stopped working on it."
    return "Closed", "Your complaint is closed."


def _date_label(kind: str, stage: Stage, following: Stage | None) -> str:
    return {
        DeadlineKind.ACKNOWLEDGE: f"We will acknowledge your {stage.name} complaint by",
        DeadlineKind.RESPOND: f"We will send our {stage.name} response by",
        DeadlineKind.TARGET: f"We aim to send our {stage.name} response by",
        DeadlineKind.MEETING: "The panel will meet by",
        DeadlineKind.ESCALATE: f"Last day to ask for {following.name if following else 'the next stage'}",
        DeadlineKind.OVERALL: "We aim to resolve your complaint completely by",
    }[kind]


def shown_dates(case: Complaint) -> list[ShownDate]:
    """The stored deadlines the complainant is promised, stage by stage."""
    policy = case.policy
    rows = (Deadline.objects.filter(complaint=case, cancelled_at__isnull=True)
            .exclude(kind=DeadlineKind.NOTIFY_DEPARTMENT))
    rows = sorted(rows, key=lambda row: (STAGE_ORDER.index(row.stage) if row.stage in STAGE_ORDER else 9,
                                         row.due_date))
    shown = []
    for row in rows:
        stage = policy.stage(row.stage)
        if stage is None:
            continue
        rule = policy.overall_limit if row.kind == DeadlineKind.OVERALL else getattr(
            stage, RULE_OF_KIND.get(row.kind, ""), None)
        state = "done" if row.met_at else "paused" if row.paused else "extended" if row.extensions else ""
        shown.append(ShownDate(label=_date_label(row.kind, stage, policy.next_stage(stage.key)), date=row.due_date,
                               state=state, policy_words=getattr(rule, "text", "") or "",
                               explanation=row.explanation))
    return shown


def _eligible(case: Complaint, stage: Stage) -> bool:
    rule = stage.eligibility
    if rule is None:
        return True
    categories = set(case.service_areas.values_list("category", flat=True)) | {case.category}
    return bool(categories & set(rule.categories)) and \
        case.complainant.complainant_type not in rule.excluded_complainant_types


def escalation_offer(case: Complaint, on: dt.date | None = None) -> EscalationOffer | None:
    """The next stage the complainant may ask for now, if the state and the policy allow one."""
    if case.state not in RESPONDED or case.stage not in case.policy.stage_keys:
        return None
    following = case.policy.next_stage(case.stage)
    if following is None or following.key not in {"stage2", "panel"} or not _eligible(case, following):
        return None
    window = Deadline.objects.filter(complaint=case, stage=case.stage, kind=DeadlineKind.ESCALATE,
                                     cancelled_at__isnull=True).first()
    last_day = window.due_date if window else None
    return EscalationOffer(stage=following, last_day=last_day,
                           in_window=last_day is None or (on or clock.today()) <= last_day)


def can_add_information(case: Complaint) -> bool:
    return case.state in OPEN


def can_withdraw(case: Complaint) -> bool:
    return case.state in OPEN


def letters(case: Complaint) -> list[Correspondence]:
    return list(Correspondence.objects.filter(complaint=case, direction="out").order_by("-occurred_at", "-pk"))


def status_context(case: Complaint) -> dict:
    title, meaning = current_position(case)
    dates = shown_dates(case)
    return {
        "complaint": case,
        "position_title": title,
        "position_meaning": meaning,
        "dates": dates,
        "expected_dates": first_dates(case) if case.state == State.NEW and not dates else [],
        "letters": letters(case),
        "offer": escalation_offer(case),
        "can_add": can_add_information(case),
        "can_withdraw": can_withdraw(case),
        "ombudsman": ombudsman_info(case.policy, case_category(case)),
        "received_words": long_date(london_date(case.received_at)),
    }
