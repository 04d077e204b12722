"""The case screens' own writes: the view audit, conflicts of interest, and thin wrappers.

Changes to a case itself go through ``complaints.services``; these functions
record what the screens add beside it (who viewed a case, who is barred from
it), add the optimistic version check to the record services that take no
``expected_version`` (notes, correspondence, links, adjustments), and record
correspondence and its attachment in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from complaints.models import Complaint, Correspondence
from complaints.services.errors import PolicyGuardFailed, StaleCase
from complaints.services.people import complainant_record_adjustments, correspondence_attach
from complaints.services.records import (
    complaint_add_note,
    complaint_record_correspondence,
    complaints_link,
)
from complaints.staff.audit import case_access_record
from complaints.staff.models import CaseAccess, CaseView, ConflictOfInterest


def case_view_record(*, complaint: Complaint, user) -> CaseView:
    """Someone opened the case (LBBD's access audit): who and when (complaints.staff.audit)."""
    return case_access_record(complaint=complaint, user=user, action=CaseAccess.VIEWED)


def version_check(*, complaint: Complaint, expected_version: int | None) -> None:
    """StaleCase if the case changed since the form was opened.

    For the case services that take no ``expected_version`` (notes, correspondence,
    links, adjustments). Called inside the caller's transaction: the row stays
    locked until the service has run, so no other change can slip in between.
    """
    if expected_version is None:
        return
    current = (Complaint.objects.select_for_update().filter(pk=complaint.pk)
               .values_list("version", flat=True).get())
    if current != expected_version:
        raise StaleCase(
            f"{complaint.reference} was changed by someone else since you opened it "
            f"(version {expected_version}, now {current}); reload the case and try again"
        )


@transaction.atomic
def conflict_of_interest_record(*, complaint: Complaint, user, reason: str, by,
                                expected_version: int | None = None) -> ConflictOfInterest:
    """Bar an officer from a case: from now on it is hidden from them."""
    version_check(complaint=complaint, expected_version=expected_version)
    if not reason.strip():
        raise PolicyGuardFailed("A conflict of interest needs a reason (what the conflict is)")
    member = getattr(user, "staff_member", None)
    if member is None or member.council_id != complaint.council_id:
        raise PolicyGuardFailed(f"{user.get_full_name() or user.username} does not work for "
                                f"{complaint.council.short_name}")
    if user.pk == by.pk:
        raise PolicyGuardFailed("Ask another manager to record a conflict of interest of your own")
    if ConflictOfInterest.objects.filter(complaint=complaint, user=user).exists():
        raise PolicyGuardFailed(f"A conflict of interest is already recorded for "
                                f"{user.get_full_name() or user.username} on {complaint.reference}")
    return ConflictOfInterest.objects.create(complaint=complaint, user=user, reason=reason.strip(), recorded_by=by)


@transaction.atomic
def correspondence_record(*, complaint: Complaint, by, direction: str, kind: str, subject: str,
                          occurred_at: dt.datetime, body: str = "", uploaded_file=None,
                          expected_version: int | None = None) -> Correspondence:
    """Record a letter, email, call or meeting and its attachment together: a refused file records nothing."""
    version_check(complaint=complaint, expected_version=expected_version)
    item = complaint_record_correspondence(complaint=complaint, by=by, direction=direction, kind=kind,
                                           subject=subject, occurred_at=occurred_at, body=body)
    if uploaded_file is not None:
        correspondence_attach(correspondence=item, by=by, uploaded_file=uploaded_file)
    return item


@transaction.atomic
def note_add(*, complaint: Complaint, by, text: str, expected_version: int | None = None):
    version_check(complaint=complaint, expected_version=expected_version)
    return complaint_add_note(complaint=complaint, by=by, text=text)


@transaction.atomic
def cases_link(*, complaint: Complaint, other: Complaint, kind: str, by, expected_version: int | None = None):
    version_check(complaint=complaint, expected_version=expected_version)
    return complaints_link(first=complaint, second=other, kind=kind, by=by)


@transaction.atomic
def adjustments_record(*, complaint: Complaint, by, adjustments: str, contact_preference: str,
                       expected_version: int | None = None) -> Complaint:
    version_check(complaint=complaint, expected_version=expected_version)
    return complainant_record_adjustments(complaint=complaint, by=by, adjustments=adjustments,
                                          contact_preference=contact_preference)
