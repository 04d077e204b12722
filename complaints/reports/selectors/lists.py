"""The lists a report prints beside its figures: reasons, learning, actions, feedback, departures.

Lists of words are grouped where the same words recur (a learning point found in several
cases is one line with its count), so a council-year stays readable at any volume.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from complaints.models import Action, Complaint, Feedback, StageOutcome, State
from complaints.reports.periods import Period
from complaints.reports.selectors.common import within
from complaints.reports.selectors.figures import open_actions_q
from policies.departures import Departure, policy_departures
from policies.models import Council, PolicyVersion


def refusal_reasons(*, council: Council, period: Period) -> list[dict]:
    """Complaints received in the period and refused, by the reason recorded."""
    return list(Complaint.objects.filter(council=council, state=State.REFUSED).filter(within("received_at", period))
                .values("refusal_reason").annotate(count=Count("pk")).order_by("-count", "refusal_reason"))


def learning_points(*, council: Council, period: Period) -> list[dict]:
    """Learning recorded in responses in the period, by stage, most frequent first."""
    return list(StageOutcome.objects.filter(complaint__council=council).filter(within("responded_at", period))
                .exclude(learning_points="").values("learning_points").annotate(count=Count("pk"))
                .order_by("-count", "learning_points"))


def completed_actions(*, council: Council, period: Period) -> list[dict]:
    """Service improvements: actions completed in the period, most frequent first."""
    return list(Action.objects.filter(outcome__complaint__council=council).filter(within("completed_at", period))
                .values("description").annotate(count=Count("pk")).order_by("-count", "description"))


def open_actions(*, council: Council, period: Period) -> list[dict]:
    """Learning actions still open at the end of the period, per service area, oldest due first."""
    return list(Action.objects.filter(outcome__complaint__council=council).filter(open_actions_q(period))
                .values("pk", "description", "due_date", "outcome__complaint__reference",
                        "outcome__complaint__service_areas__name", "owner__first_name", "owner__last_name",
                        "owner__username")
                .order_by("outcome__complaint__service_areas__name", "due_date", "pk"))


def feedback_items(*, council: Council, period: Period) -> list[dict]:
    """Compliments, comments and suggestions received in the period, oldest first."""
    return list(Feedback.objects.filter(council=council).filter(within("received_at", period))
                .values("kind", "text", "received_at", "service_area__name").order_by("received_at", "pk"))


@dataclass(frozen=True)
class VersionDepartures:
    version: PolicyVersion
    departures: list[Departure]


def versions_in_force(*, council: Council, period: Period) -> list[PolicyVersion]:
    """The policy versions cases received in the period were handled under."""
    versions = list(PolicyVersion.objects.filter(council=council, effective_from__lt=period.end)
                    .order_by("effective_from"))
    earlier = [v for v in versions if v.effective_from <= period.start]
    return earlier[-1:] + [v for v in versions if v.effective_from > period.start]


def self_assessment(*, council: Council, period: Period) -> list[VersionDepartures]:
    """Each version's departures from the Complaint Handling Codes (``policy_departures``)."""
    return [VersionDepartures(v, policy_departures(v.policy)) for v in versions_in_force(council=council,
                                                                                          period=period)]

