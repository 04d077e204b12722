"""The mechanics every lifecycle service shares: lock, transition, save, record, notify.

A service function opens a transaction, calls ``locked_case`` (row lock plus
the optimistic version check), makes its changes, and finishes with
``save_case``, which bumps the version, writes history with the acting user
and reason, and queues side effects to run only after the commit.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_fsm import TransitionNotAllowed

from complaints.models import Complaint, State
from complaints.services.errors import StaleCase, TransitionRefused

logger = logging.getLogger(__name__)


def locked_case(complaint: Complaint, expected_version: int | None = None) -> Complaint:
    """The case re-read under a row lock; StaleCase if it changed since ``expected_version``."""
    # of=("self",): lock the case row only, not the council and policy rows joined for reading,
    # so work on one case never queues behind work on another case of the same council.
    case = (Complaint.objects.select_for_update(of=("self",)).select_related("policy_version", "council")
            .get(pk=complaint.pk))
    if expected_version is not None and case.version != expected_version:
        raise StaleCase(
            f"{case.reference} was changed by someone else since you opened it "
            f"(version {expected_version}, now {case.version}); reload the case and try again"
        )
    return case


def run_transition(case: Complaint, name: str, action: str) -> None:
    method = getattr(case, name)
    try:
        method()
    except TransitionNotAllowed:
        raise TransitionRefused(
            f"Cannot {action}: {case.reference} is {State(case.state).label.lower()}"
        ) from None


def save_case(case: Complaint, *, by, reason: str, event: str) -> Complaint:
    case.version += 1
    case._history_user = by
    case._change_reason = f"{event}: {reason}" if reason else event
    case.save()
    reference, pk = case.reference, case.pk
    transaction.on_commit(lambda: enqueue_case_event(pk, reference, event))
    return case


def enqueue_case_event(pk: int, reference: str, event: str) -> None:
    """Queue side effects (notifications, letters). The database is the truth: a broker
    failure is logged, never raised to the user; the sweeps catch up from state."""
    try:
        from complaints.tasks import case_event

        case_event.apply_async(args=[pk, event], retry=False, ignore_result=True)
    except Exception as exc:  # broker down or misconfigured
        logger.warning("could not queue case event", extra={"complaint": reference, "event": event,
                                                             "error": type(exc).__name__})
