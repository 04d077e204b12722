"""Red, amber or green for a deadline, counted in the case policy's working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from complaints.models import Deadline, DeadlineKind
from deadlines.engine import working_days_between

AMBER_WORKING_DAYS = 2


@dataclass(frozen=True)
class DeadlineStatus:
    colour: str  # "red", "amber", "green", or "" for a deadline no longer counting
    label: str  # "Overdue", "Due soon", "On track", "Met", "Met late", "Cancelled", "Paused"
    detail: str  # "3 working days overdue", "2 working days left", "Due today"

    @property
    def css(self) -> str:
        return f"app-rag--{self.colour}" if self.colour else ""


def _plural(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def due_status(policy, due: dt.date, today: dt.date) -> DeadlineStatus:
    """Red overdue, amber due within 2 working days, green later; with the working days left or overdue."""
    if due < today:
        late = working_days_between(policy, due, today)
        return DeadlineStatus("red", "Overdue", f"{_plural(late)} overdue" if late else "Overdue")
    left = working_days_between(policy, today, due)
    if due == today:
        return DeadlineStatus("amber", "Due soon", "Due today")
    colour = "amber" if left <= AMBER_WORKING_DAYS else "green"
    return DeadlineStatus(colour, "Due soon" if colour == "amber" else "On track", f"{_plural(left)} left")


LATE_WORDS = {DeadlineKind.ACKNOWLEDGE: "Acknowledged late by", DeadlineKind.RESPOND: "Responded late by",
              DeadlineKind.TARGET: "Responded late by", DeadlineKind.OVERALL: "Resolved late by"}


def deadline_status(policy, deadline: Deadline, today: dt.date) -> DeadlineStatus:
    """A stored deadline's status; the escalation window is the complainant's, so it has no colour."""
    if deadline.met_at is not None:
        if deadline.late_working_days:
            words = LATE_WORDS.get(deadline.kind, "Met late by")
            return DeadlineStatus("", "Met late", f"{words} {_plural(deadline.late_working_days)}")
        return DeadlineStatus("", "Met", "Met on time")
    if deadline.cancelled_at is not None:
        return DeadlineStatus("", "Cancelled", "No longer counting")
    if deadline.paused:
        return DeadlineStatus("", "Paused", "Paused while the case is on hold")
    if deadline.kind == DeadlineKind.ESCALATE:
        if deadline.due_date < today:
            return DeadlineStatus("", "Closed", "The complainant did not ask in time")
        return DeadlineStatus("", "Open to the complainant", "They may ask for the next stage until this date")
    return due_status(policy, deadline.due_date, today)
