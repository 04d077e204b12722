"""The public pages' clock: one place to read "now", so tests can fix the day a complaint is sent."""

import datetime as dt

from django.utils import timezone

from deadlines.calendar import london_date


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today in Europe/London (the day a complaint made now is received)."""
    return london_date(now())
