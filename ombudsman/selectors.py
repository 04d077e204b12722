"""Ombudsman figures per council and year (they feed the annual report)."""

from __future__ import annotations

from django.db.models import Count, F, Q

from ombudsman.models import Decision, DecisionKind, DecisionOutcome, Enquiry, Remedy
from policies.models import Council


def ombudsman_year_figures(*, council: Council, year: int) -> dict:
    enquiries = Enquiry.objects.filter(case__council=council, received_on__year=year).aggregate(
        received=Count("id"),
        answered_on_time=Count("id", filter=Q(deadline__met_at__isnull=False, deadline__late_working_days__isnull=True)),
        answered_late=Count("id", filter=Q(deadline__late_working_days__isnull=False)),
    )
    finals = Decision.objects.filter(case__council=council, kind=DecisionKind.FINAL, decided_on__year=year)
    by_outcome = dict(finals.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    decided = sum(by_outcome.values())
    upheld = by_outcome.get(DecisionOutcome.UPHELD, 0) + by_outcome.get(DecisionOutcome.REMEDIED, 0)
    remedies = Remedy.objects.filter(decision__in=finals).aggregate(
        total=Count("id"),
        complied_on_time=Count("id", filter=Q(complied_at__date__lte=F("due_date"))),
        complied_late=Count("id", filter=Q(complied_at__date__gt=F("due_date"))),
        outstanding=Count("id", filter=Q(complied_at__isnull=True)),
    )
    return {
        "enquiries": enquiries,
        "decisions": {outcome.value: by_outcome.get(outcome.value, 0) for outcome in DecisionOutcome},
        "decided": decided,
        "upheld_rate": round(100 * upheld / decided, 1) if decided else None,
        "remedies": remedies,
    }
