"""Stage timeliness and outcomes over a period, optionally per month or per service area.

The queries the trends page and the annual and quarterly reports share. ``group`` names
extra columns to group by (``"month"`` for trends, ``"area"`` for the quarterly service
report); every function returns plain rows of aggregates: one SQL query each.

* *Answered within the policy timescale*: the stage's respond deadline was met on or before
  its (extended) due date, in London dates; counted by the month it was met.
* *Answered within the code's timescale*: Stage 1 answered within 10 working days, Stage 2
  within 20 working days, of the acknowledgement (of the stage's start when none was
  recorded), on the calendar of the case's policy version (``CaseStage`` dates).
* *Average working days to respond*: from the stage's start (receipt, escalation request,
  panel confirmation) to the response, same calendar.
* *Escalated*: a Stage 1 answered in the period whose case later started Stage 2; recent
  months can still rise while complainants are within their time to ask.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from complaints.models import CaseStage, Deadline, DeadlineKind, StageOutcome
from complaints.reports.periods import Period
from complaints.reports.selectors.common import (
    AREA,
    CODE_ACKNOWLEDGE_DAYS,
    CODE_RESPOND_DAYS,
    scoped,
    within,
)
from complaints.reports.workdays import Calendars, london_day
from deadlines.calendar import LONDON
from policies.models import Council

NEXT_STAGE = {"stage1": "stage2"}  # the escalation rate the code asks about


def grouping(group: str | None, moment: str, area_path: str) -> tuple[dict, list[str]]:
    """Annotations and value names that split a query by month (of ``moment``) or service area."""
    if group == "month":
        return {"month": TruncMonth(moment, tzinfo=LONDON)}, ["month"]
    if group == AREA:
        return {"area": F(f"{area_path}__id")}, ["area"]
    return {}, []


def code_limit(limits: dict[str, int]) -> Case:
    """The code's timescale for the row's stage; NULL (so never met) for a stage the code does not have."""
    return Case(*[When(stage=stage, then=Value(limit)) for stage, limit in limits.items()],
                default=Value(None), output_field=IntegerField())


def respond_deadlines(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    """Per stage: respond deadlines met in the period, met on time, and extensions used."""
    extra, names = grouping(group, "met_at", "complaint__service_areas")
    rows = (Deadline.objects.filter(scoped("council", council), within("met_at", period), kind=DeadlineKind.RESPOND)
            .annotate(met_on=london_day("met_at"), **extra)
            .values("stage", *names).order_by()
            .annotate(answered=Count("pk"), on_time=Count("pk", filter=Q(met_on__lte=F("due_date"))),
                      extended=Count("pk", filter=Q(extensions__gt=0)), extensions_used=Sum("extensions")))
    return list(rows)


def answered_stages(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    """Per stage: stages answered in the period, against the code, working days taken, escalations."""
    calendars = Calendars.for_council(council)
    extra, names = grouping(group, "responded_at", "complaint__service_areas")
    version = "complaint__policy_version"
    started, responded = london_day("started_at"), london_day("responded_at")
    acknowledged = london_day(Coalesce("acknowledged_at", "started_at"))
    next_stage = Case(*[When(stage=key, then=Value(after)) for key, after in NEXT_STAGE.items()],
                      default=Value(""), output_field=CharField())
    escalated = Exists(CaseStage.objects.filter(complaint=OuterRef("complaint_id"), stage=OuterRef("next_stage")))
    rows = (CaseStage.objects.filter(scoped("complaint__council", council), within("responded_at", period))
            .annotate(days_taken=calendars.between(started, responded, version),
                      code_days=calendars.between(acknowledged, responded, version),
                      ack_days=calendars.between(started, london_day("acknowledged_at"), version),  # NULL if none
                      code_limit=code_limit(CODE_RESPOND_DAYS), ack_limit=code_limit(CODE_ACKNOWLEDGE_DAYS),
                      next_stage=next_stage, escalated=escalated, **extra)
            .values("stage", *names).order_by()
            .annotate(answered=Count("pk"), code_on_time=Count("pk", filter=Q(code_days__lte=F("code_limit"))),
                      acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
                      code_acknowledged=Count("pk", filter=Q(ack_days__lte=F("ack_limit"))),
                      days_total=Sum("days_taken"),
                      escalated=Count("pk", filter=Q(escalated=True))))
    return list(rows)


def stages_started(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    """Per stage: stages started in the period (complaints received, escalations asked for)."""
    extra, names = grouping(group, "started_at", "complaint__service_areas")
    return list(CaseStage.objects.filter(scoped("complaint__council", council), within("started_at", period))
                .annotate(**extra).values("stage", *names).order_by().annotate(started=Count("pk")))


def outcomes(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    """Per stage and outcome: responses in the period, remedies and compensation (paid = amount - offset)."""
    extra, names = grouping(group, "responded_at", "complaint__service_areas")
    return list(
        StageOutcome.objects.filter(scoped("complaint__council", council), within("responded_at", period))
        .annotate(**extra).values("stage", "outcome", *names).order_by()
        .annotate(responses=Count("pk"), apology=Count("pk", filter=Q(remedy_apology=True)),
                  explanation=Count("pk", filter=Q(remedy_explanation=True)),
                  action=Count("pk", filter=~Q(remedy_action="")),
                  compensated=Count("pk", filter=Q(compensation_amount__gt=0)),
                  compensation=Sum("compensation_amount"), offset=Sum("compensation_offset_against_arrears"),
                  learning=Count("pk", filter=~Q(learning_points=""))))
