"""Applying the retention rules: the dry-run report and the real run.

The real run takes each candidate in its own transaction, locks the case row with
``SKIP LOCKED`` (a case an officer or another run is working on is left for the
next night), measures it again under the lock, and anonymises it only if it is
still due. The one-to-one ``RetentionRecord`` makes a second anonymisation of the
same case impossible, so overlapping runs and re-runs are harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from complaints.models import Complainant, Complaint, Feedback
from complaints.privacy.anonymise import complaint_anonymise, feedback_anonymise
from complaints.privacy.models import RetentionRecord, RetentionRun
from complaints.privacy.retention_rules import (
    CaseRetention,
    FeedbackRetention,
    case_retention,
    feedback_past_retention,
    past_retention,
    retention_rule,
)
from deadlines.calendar import london_date
from policies.models import Council

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionPlan:
    """What a run on ``as_of`` would do: the dry-run report."""

    council: Council
    as_of: dt.date
    cases: list[CaseRetention]
    feedback: list[FeedbackRetention]

    @property
    def due(self) -> list[CaseRetention]:
        return [m for m in self.cases if m.due]

    @property
    def held(self) -> list[CaseRetention]:
        return [m for m in self.cases if not m.due]


def retention_plan(*, council: Council, as_of: dt.date | None = None) -> RetentionPlan:
    """The dry run: reads only, writes nothing."""
    as_of = as_of or london_date(timezone.now())
    return RetentionPlan(council, as_of, past_retention(council=council, as_of=as_of),
                         feedback_past_retention(council=council, as_of=as_of))


def _anonymise_case(run: RetentionRun, case_id: int, as_of: dt.date, by) -> str:
    """'anonymised', 'held', 'locked', 'failed' or 'done' (already anonymised or no longer due).

    One case that cannot be anonymised (an unexpected error) is rolled back and
    logged by id; the run carries on with the others.
    """
    try:
        return _anonymise_locked_case(run, case_id, as_of, by)
    except Exception as error:  # noqa: BLE001 - one bad case must not stop the night's run
        logger.error("retention could not anonymise a case",
                     extra={"complaint_id": case_id, "run": run.pk, "error": type(error).__name__})
        return "failed"


def _anonymise_locked_case(run: RetentionRun, case_id: int, as_of: dt.date, by) -> str:
    with transaction.atomic():
        case = (Complaint.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("council", "complainant").filter(pk=case_id).first())
        # The complainant row too, without waiting: a rectification holding it is left for the next run.
        if case is None or not Complainant.objects.select_for_update(skip_locked=True).filter(
                pk=case.complainant_id).exists():
            return "locked"
        if RetentionRecord.objects.filter(complaint=case).exists():
            return "done"
        measured = case_retention(case, retention_rule(council=case.council, on=as_of), as_of)
        if not measured.past_retention:
            return "done"
        if not measured.due:
            return "held"
        reason = f"{measured.rule.words} ({measured.rule.citation}), kept until {measured.retain_until.isoformat()}"
        result = complaint_anonymise(case=case, by=by, reason=reason)
        RetentionRecord.objects.create(
            run=run, complaint=case, reference=case.reference, rule=measured.rule.words,
            source=measured.rule.citation, counted_from=measured.counted_from, retain_until=measured.retain_until,
            files_deleted=len(result.files))
        return "anonymised"


def _anonymise_feedback(run: RetentionRun, measured: FeedbackRetention) -> str:
    with transaction.atomic():
        item = Feedback.objects.select_for_update(skip_locked=True).filter(pk=measured.feedback.pk).first()
        if item is None:
            return "locked"
        if RetentionRecord.objects.filter(feedback=item).exists():
            return "done"
        feedback_anonymise(feedback=item)
        RetentionRecord.objects.create(
            run=run, feedback=item, reference=f"feedback {item.pk}",
            rule=f"{measured.rule.years} years after receipt", source=measured.rule.citation,
            counted_from=measured.received_on, retain_until=measured.retain_until)
        return "anonymised"


def retention_apply(*, council: Council, trigger: str, by=None, as_of: dt.date | None = None) -> RetentionRun:
    """The real run for one council; always leaves an audit row (``finished_at`` blank if it crashed)."""
    plan = retention_plan(council=council, as_of=as_of)
    run = RetentionRun.objects.create(council=council, as_of=plan.as_of, trigger=trigger, run_by=by,
                                      started_at=timezone.now())
    outcomes = [_anonymise_case(run, m.complaint.pk, plan.as_of, by) for m in plan.cases]
    outcomes += [_anonymise_feedback(run, m) for m in plan.feedback]
    run.anonymised = outcomes.count("anonymised")
    run.held = outcomes.count("held")
    run.skipped_locked = outcomes.count("locked")
    run.failed = outcomes.count("failed")
    run.finished_at = timezone.now()
    run.save(update_fields=["anonymised", "held", "skipped_locked", "failed", "finished_at"])
    return run


def retention_apply_all(*, trigger: str, by=None, as_of: dt.date | None = None,
                        councils: list[Council] | None = None) -> list[RetentionRun]:
    """Every council with a policy in force (or the ones given), one run each."""
    as_of = as_of or london_date(timezone.now())
    if councils is None:
        councils = Council.objects.filter(policy_versions__effective_from__lte=as_of).distinct().order_by("slug")
    return [retention_apply(council=council, trigger=trigger, by=by, as_of=as_of) for council in councils]
