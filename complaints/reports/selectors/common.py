"""What every report query shares: the council scope, time windows and stage names.

Every selector takes the council (``None`` only for a system administrator's
deployment-wide view) and filters on it first, so no figure crosses bodies.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from complaints.reports.periods import Period
from complaints.selectors import COUNCIL_DEADLINES
from deadlines.calendar import LONDON
from policies import codes
from policies.models import Council, PolicyVersion
from policies.schema import STAGE_ORDER

STAGE_NAMES = {"": "New, not yet triaged", "informal": "Informal", "stage1": "Stage 1", "stage2": "Stage 2",
               "panel": "Panel"}
# The Complaint Handling Codes' response timescales, in working days of acknowledgement.
CODE_RESPOND_DAYS = {key: requirements[1].working_days for key, requirements in codes.STAGE_REQUIREMENTS.items()}
CODE_ACKNOWLEDGE_DAYS = {key: requirements[0].working_days for key, requirements in codes.STAGE_REQUIREMENTS.items()}
AREA = "area"  # group figures by service area


def instant(day: dt.date) -> dt.datetime:
    """Midnight at the start of a London date, as an aware datetime (for index-friendly range filters)."""
    return dt.datetime.combine(day, dt.time(0), LONDON)


def within(field: str, period: Period) -> Q:
    """A timestamp column inside the period's London dates."""
    return Q(**{f"{field}__gte": instant(period.start), f"{field}__lt": instant(period.end)})


def scoped(path: str, council: Council | None) -> Q:
    """Rows of one council (``path`` leads to the council), or every row for a deployment-wide view."""
    return Q() if council is None else Q(**{path: council})


def open_deadline_q(prefix: str = "") -> Q:
    """A council deadline still running: not met, not cancelled, not paused by a hold."""
    return Q(**{f"{prefix}met_at__isnull": True, f"{prefix}cancelled_at__isnull": True, f"{prefix}paused": False,
                f"{prefix}kind__in": COUNCIL_DEADLINES})


def stage_names(council: Council | None) -> dict[str, str]:
    """Stage key -> the council's own name for it (LBBD's Stage 2 is "Review"), newest policy wins."""
    names = dict(STAGE_NAMES)
    if council is not None:
        for version in PolicyVersion.objects.filter(council=council).order_by("effective_from"):
            names.update({stage.key: stage.name for stage in version.policy.stages})
    return names


def policy_stage_keys(council: Council | None) -> set[str]:
    """The stages any policy version of the council (of every council, for ``None``) has."""
    versions = PolicyVersion.objects.all() if council is None else PolicyVersion.objects.filter(council=council)
    return {stage.key for version in versions for stage in version.policy.stages}


def stage_sort_key(key: str) -> int:
    return STAGE_ORDER.index(key) if key in STAGE_ORDER else -1


def grouped(queryset, names: list[str], **aggregates) -> list[dict]:
    """Aggregates per group of ``names`` (GROUP BY), or one row for the whole queryset when there are none.

    (``values()`` with no names would select, and group by, every column: one row per record.)
    """
    if not names:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.values(*names).order_by().annotate(**aggregates))


def percent(part: int, whole: int) -> float | None:
    """Percentage to one decimal place; None when there is nothing to divide by."""
    return None if not whole else round(100 * part / whole, 1)


def mean(total, count: int) -> float | None:
    return None if not count or total is None else round(float(total) / count, 1)
