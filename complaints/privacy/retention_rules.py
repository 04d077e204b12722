"""Which cases have passed their council's retention period, and why.

The rule is the council's ``[retention]`` (years, counted from "closure" or
"finalised", with its source section), from the policy version in force on the
day the rules are applied: retention is a records-disposal decision made today,
not a case-handling rule fixed when the complaint arrived.

What the dates mean (the model has no single "finalised" field, so they are
derived from what it records):

* **closed** (``ended_on``): the London date the case entered the terminal state
  it is still in (closed, refused, withdrawn, or triaged as a service request),
  read from the case history (a reopened and re-closed case counts from the last
  closure). A case with the Ombudsman has no terminal state; its complaint ends
  with the Ombudsman's final decision, so ``ended_on`` is the latest final
  decision of its Ombudsman cases.
* **finalised** (``finalised_on``): nothing more will happen on the case: the
  latest of its closure, its remedy actions' completion, and its Ombudsman cases'
  final decisions, remedy compliance and answered enquiries (LBBD section 11,
  "7 years following the complaint being finalised").

Whatever the rule counts from, a case is **held back** (never anonymised) while
anything is outstanding: an open remedy action, an Ombudsman case without a
final decision, an unanswered Ombudsman enquiry or an uncomplied remedy, or a
letter still waiting to be sent. Open cases are never candidates at all.

A case is past retention when the day the rules are applied is **after** the
anniversary: kept for 10 years from 3 March 2026 means kept through 3 March 2036,
anonymised from 4 March 2036 (calendar years, ``deadlines.calendar.add_years``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from complaints.models import TERMINAL, Action, Complaint, Correspondence, DeliveryStatus, Feedback, State
from deadlines.calendar import LONDON, add_years, london_date
from ombudsman.models import Decision, DecisionKind, Enquiry, OmbudsmanCase, Remedy
from policies.models import Council
from policies.selectors import policy_version_in_force

FINISHED_STATES = [*TERMINAL, State.OMBUDSMAN]


@dataclass(frozen=True)
class RetentionRule:
    years: int
    counted_from: str  # "closure" or "finalised"
    source: str
    council_name: str
    version_id: str

    @property
    def words(self) -> str:
        event = "closed" if self.counted_from == "closure" else "finalised"
        return f"{self.years} years after the case is {event}"

    @property
    def citation(self) -> str:
        section = "deployment default (the policy sets no period)" if self.source == "default" else self.source
        return f"{self.council_name} policy {self.version_id}, {section}"

    def retain_until(self, counted_from: dt.date) -> dt.date:
        return add_years(counted_from, self.years)


def retention_rule(*, council: Council, on: dt.date) -> RetentionRule:
    version = policy_version_in_force(council=council, on=on)
    policy = version.policy
    rule = policy.retention
    return RetentionRule(years=rule.years, counted_from=rule.counted_from, source=rule.source,
                         council_name=policy.short_name, version_id=version.version_id)


@dataclass(frozen=True)
class CaseRetention:
    """One finished case measured against the rule on ``as_of``."""

    complaint: Complaint
    rule: RetentionRule
    as_of: dt.date
    ended_on: dt.date | None
    finalised_on: dt.date | None
    held_because: str = ""

    @property
    def counted_from(self) -> dt.date | None:
        return self.ended_on if self.rule.counted_from == "closure" else self.finalised_on

    @property
    def retain_until(self) -> dt.date | None:
        return None if self.counted_from is None else self.rule.retain_until(self.counted_from)

    @property
    def past_retention(self) -> bool:
        return self.retain_until is not None and self.as_of > self.retain_until

    @property
    def due(self) -> bool:
        """Past retention with nothing outstanding: the real run anonymises it."""
        return self.past_retention and not self.held_because


def _entered_current_state(case: Complaint) -> dt.datetime | None:
    """When the case entered the state it is in now (the oldest of the latest run of history rows in it)."""
    entered = None
    for state, at in case.history.order_by("-history_date", "-history_id").values_list("state", "history_date"):
        if state != case.state:
            break
        entered = at
    return entered


def _ombudsman_dates(case: Complaint) -> tuple[dt.date | None, list[dt.date], str]:
    """(latest final decision, every later Ombudsman event date, what is still outstanding)."""
    cases = list(OmbudsmanCase.objects.filter(complaint=case).order_by("pk"))
    if case.state == State.OMBUDSMAN and not cases:
        return None, [], "with the Ombudsman, but no Ombudsman case is recorded"
    finals = dict(Decision.objects.filter(case__in=cases, kind=DecisionKind.FINAL)
                  .values_list("case_id", "decided_on"))
    undecided = [c.their_reference for c in cases if c.pk not in finals]
    if undecided:
        return None, [], f"the Ombudsman has not decided {', '.join(undecided)}"
    decided_on = max(finals.values()) if finals else None
    if Enquiry.objects.filter(case__in=cases, answered_at__isnull=True).exists():
        return decided_on, [], "an Ombudsman enquiry is not answered"
    if Remedy.objects.filter(decision__case__in=cases, complied_at__isnull=True).exists():
        return decided_on, [], "an Ombudsman remedy is not complied with"
    later = [london_date(at) for at in Enquiry.objects.filter(case__in=cases).values_list("answered_at", flat=True)]
    later += [london_date(at) for at in Remedy.objects.filter(decision__case__in=cases)
              .values_list("complied_at", flat=True)]
    return decided_on, later, ""


def case_retention(case: Complaint, rule: RetentionRule, as_of: dt.date) -> CaseRetention:
    """Measure one case (the caller may hold its row lock: this only reads)."""
    if case.state not in FINISHED_STATES:
        return CaseRetention(case, rule, as_of, None, None, f"the case is {State(case.state).label.lower()}")
    decided_on, ombudsman_later, outstanding = _ombudsman_dates(case)
    if case.state == State.OMBUDSMAN:
        ended_on = decided_on
    else:
        entered = _entered_current_state(case)
        ended_on = london_date(entered) if entered else None
        outstanding = outstanding or ("" if entered else "no record of when it was closed")
    actions = list(Action.objects.filter(outcome__complaint=case).values_list("completed_at", flat=True))
    if not outstanding and any(done is None for done in actions):
        outstanding = "a remedy action is not completed"
    if not outstanding and Correspondence.objects.filter(complaint=case,
                                                         delivery_status=DeliveryStatus.PENDING).exists():
        outstanding = "a letter or email is still waiting to be sent"
    if outstanding or ended_on is None:
        return CaseRetention(case, rule, as_of, ended_on, None, outstanding)
    dates = [ended_on, *ombudsman_later, *(london_date(done) for done in actions)]
    if decided_on is not None:
        dates.append(decided_on)
    return CaseRetention(case, rule, as_of, ended_on, max(dates))


def _cutoff_instant(rule: RetentionRule, as_of: dt.date) -> dt.datetime:
    """An instant safely after every closure that can be past retention on ``as_of`` (a prefilter bound)."""
    return dt.datetime.combine(add_years(as_of, -rule.years) + dt.timedelta(days=2), dt.time(0), LONDON)


def candidate_cases(*, council: Council, rule: RetentionRule, as_of: dt.date) -> QuerySet[Complaint]:
    """Finished, not yet anonymised cases that may be past retention (a superset; ``case_retention`` decides).

    A case's closure (or final Ombudsman decision) comes before anything its
    retention is counted from, so a case whose closure is after the bound cannot be due.
    """
    bound = _cutoff_instant(rule, as_of)
    history = Complaint.history.model.objects.filter(id=OuterRef("pk"), state=OuterRef("state"),
                                                     history_date__lt=bound)
    decided = Decision.objects.filter(case__complaint=OuterRef("pk"), kind=DecisionKind.FINAL,
                                      decided_on__lt=london_date(bound))
    return (Complaint.objects.filter(council=council, retention_record__isnull=True)
            .alias(closed_early=Exists(history), decided_early=Exists(decided))
            .filter(Q(state__in=TERMINAL, closed_early=True) | Q(state=State.OMBUDSMAN, decided_early=True))
            .order_by("received_at", "pk"))


def past_retention(*, council: Council, as_of: dt.date) -> list[CaseRetention]:
    """Every not yet anonymised case of the council past retention on ``as_of``, due or held back."""
    rule = retention_rule(council=council, on=as_of)
    measured = (case_retention(case, rule, as_of) for case in
                candidate_cases(council=council, rule=rule, as_of=as_of).select_related("council"))
    return sorted((m for m in measured if m.past_retention or (m.held_because and _held_but_old(m, rule, as_of))),
                  key=lambda m: (m.retain_until or as_of, m.complaint.reference))


def _held_but_old(measured: CaseRetention, rule: RetentionRule, as_of: dt.date) -> bool:
    """A held-back case is worth reporting when its closure alone is already past the period."""
    return measured.ended_on is not None and as_of > rule.retain_until(measured.ended_on)


@dataclass(frozen=True)
class FeedbackRetention:
    """Compliments, comments and suggestions have no stages: they are final when received."""

    feedback: Feedback
    rule: RetentionRule
    received_on: dt.date

    @property
    def retain_until(self) -> dt.date:
        return self.rule.retain_until(self.received_on)


def feedback_past_retention(*, council: Council, as_of: dt.date) -> list[FeedbackRetention]:
    rule = retention_rule(council=council, on=as_of)
    rows = (Feedback.objects.filter(council=council, retention_record__isnull=True,
                                    received_at__lt=_cutoff_instant(rule, as_of)).order_by("received_at", "pk"))
    measured = (FeedbackRetention(item, rule, london_date(item.received_at)) for item in rows)
    return [m for m in measured if as_of > m.retain_until]
