"""Notes, correspondence, links and feedback: records on a case that do not move it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from complaints.models import Complaint, ComplaintLink, Correspondence, Feedback, FeedbackKind, LinkKind, Note
from complaints.services.base import locked_case, save_case
from complaints.services.errors import PolicyGuardFailed
from deadlines.calendar import london_date
from policies.selectors import policy_version_in_force


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, by, text: str) -> Note:
    if not text.strip():
        raise PolicyGuardFailed("A note cannot be empty")
    case = locked_case(complaint)
    note = Note.objects.create(complaint=case, author=by, text=text)
    save_case(case, by=by, reason="", event="note_added")
    return note


@transaction.atomic
def complaint_record_correspondence(*, complaint: Complaint, by, direction: str, kind: str, subject: str,
                                    occurred_at: dt.datetime, body: str = "") -> Correspondence:
    if direction not in {"in", "out"}:
        raise PolicyGuardFailed("Correspondence is either in (from the complainant) or out (from us)")
    if not subject.strip():
        raise PolicyGuardFailed("Correspondence needs a subject")
    case = locked_case(complaint)
    item = Correspondence.objects.create(complaint=case, direction=direction, kind=kind, subject=subject, body=body,
                                         occurred_at=occurred_at, recorded_by=by)
    save_case(case, by=by, reason=subject, event=f"correspondence_{direction}")
    return item


@transaction.atomic
def complaints_link(*, first: Complaint, second: Complaint, kind: str, by) -> ComplaintLink:
    """Several complainants on one issue (joint) or several services (one co-ordinated response)."""
    if kind not in {LinkKind.JOINT, LinkKind.MULTI_SERVICE}:
        raise PolicyGuardFailed("Link cases as joint or multi_service; transfers link themselves")
    if first.pk == second.pk:
        raise PolicyGuardFailed("A case cannot be linked to itself")
    if first.council_id != second.council_id:
        raise PolicyGuardFailed("Only cases of the same body can be linked; transfer the complaint instead")
    case = locked_case(first)
    link, created = ComplaintLink.objects.get_or_create(from_complaint=case, to_complaint=second, kind=kind,
                                                        defaults={"created_by": by})
    if created:
        save_case(case, by=by, reason=f"{second.reference} ({LinkKind(kind).label.lower()})", event="linked")
    return link


def feedback_record(*, council, kind: str, text: str, received_at: dt.datetime, service_area=None,
                    name: str = "", email: str = "") -> Feedback:
    if not text.strip():
        raise PolicyGuardFailed("Feedback cannot be empty")
    policy = policy_version_in_force(council=council, on=london_date(received_at)).policy
    if kind not in FeedbackKind.values or not getattr(policy.feedback, f"{kind}s"):
        raise PolicyGuardFailed(f"{council.short_name} does not record {kind}s ({policy.feedback.source})")
    return Feedback.objects.create(council=council, kind=kind, text=text, received_at=received_at,
                                   service_area=service_area, name=name, email=email)
