"""Reading dates and date-times given by people and other systems.

A date-time without an offset is London local time; one with an offset (or
``Z``) is converted. The date of the event is always its Europe/London date.
"""

from __future__ import annotations

import datetime as dt

from deadlines.calendar import LONDON, london_date


def parse_received(text: str) -> tuple[dt.datetime | None, dt.date]:
    """``(instant or None, London date)`` from ``YYYY-MM-DD`` or an ISO 8601 date-time."""
    value = text.strip()
    if len(value) == 10:
        try:
            return None, dt.date.fromisoformat(value)
        except ValueError:
            pass
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"--received {text!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time "
            "(e.g. 2026-03-29T23:30:00Z)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment, london_date(moment)


def parse_day(text: str | None, label: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{label} {text!r} is not a date in the form YYYY-MM-DD") from None
