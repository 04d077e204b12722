"""The complainant's needs and the council's promises: adjustments, actions, attachments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from complaints.models import Action, Attachment, Complaint, Correspondence
from complaints.services.base import locked_case, save_case
from complaints.services.errors import PolicyGuardFailed

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_CONTENT_TYPES = {"application/pdf", "image/jpeg", "image/png", "text/plain",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@transaction.atomic
def complainant_record_adjustments(*, complaint: Complaint, by, adjustments: str, contact_preference: str = "",
                                   at: dt.datetime | None = None) -> Complaint:
    """Record (or confirm on review) the reasonable adjustments a complainant needs."""
    at = at or timezone.now()
    case = locked_case(complaint)
    person = case.complainant
    person.reasonable_adjustments = adjustments.strip()
    person.adjustments_reviewed_at = at
    if contact_preference:
        if contact_preference not in {"email", "phone", "letter"}:
            raise PolicyGuardFailed("Contact preference is email, phone or letter")
        person.contact_preference = contact_preference
    person.save()
    return save_case(case, by=by, reason=adjustments[:100], event="adjustments_reviewed")


@transaction.atomic
def action_complete(*, action: Action, by, at: dt.datetime | None = None, note: str = "") -> Action:
    """Mark a remedy action done; actions stay tracked after the case closes until this is called."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.completed_at is not None:
        raise PolicyGuardFailed("That action was already completed")
    action.completed_at = at or timezone.now()
    action.save()
    return action


# What a file's first bytes say it is: the browser's declared type is not trusted.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}


def _content_matches(uploaded_file, content_type: str) -> bool:
    uploaded_file.seek(0)
    head = uploaded_file.read(2048)
    uploaded_file.seek(0)
    if content_type == "text/plain":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
                return False
        return b"\x00" not in head
    return any(head.startswith(signature) for signature in SIGNATURES.get(content_type, ()))


@transaction.atomic
def correspondence_attach(*, correspondence: Correspondence, by, uploaded_file) -> Attachment:
    content_type = getattr(uploaded_file, "content_type", "") or ""
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise PolicyGuardFailed(f"{uploaded_file.name} is larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    if content_type not in ALLOWED_CONTENT_TYPES:
        raise PolicyGuardFailed(f"{uploaded_file.name}: files of type {content_type or 'unknown'} are not accepted "
                                "(PDF, JPEG, PNG, text or Word documents)")
    if not _content_matches(uploaded_file, content_type):
        raise PolicyGuardFailed(f"{uploaded_file.name} does not contain what its type says ({content_type})")
    return Attachment.objects.create(correspondence=correspondence, file=uploaded_file,
                                     original_name=uploaded_file.name, content_type=content_type,
                                     size=uploaded_file.size)
