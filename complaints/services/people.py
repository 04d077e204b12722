"""The complainant's needs and the council's promises: adjustments, actions, attachments."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from complaints.models import Action, Attachment, Complaint, Correspondence, Note
from complaints.services.base import locked_case, save_case
from complaints.services.errors import PolicyGuardFailed
from complaints.services.stage_work import FUTURE_TOLERANCE
from deadlines.calendar import london_date
from deadlines.engine import format_date

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
def action_complete(*, action: Action, by, at: dt.datetime | None = None, note: str = "",
                    expected_version: int | None = None) -> Action:
    """Mark a remedy or learning action done; actions stay tracked after the case closes until this is called.

    The case is locked first (and checked against ``expected_version``), as every
    case service does, and the completion goes on the case's history, so the
    timeline shows who completed what. ``note`` (what was done, the evidence) is
    kept as a note on the case. The date is when it was done: not in the future
    and not before the response that promised it.
    """
    now = timezone.now()
    at = at or now
    case = locked_case(Action.objects.select_related("outcome__complaint").get(pk=action.pk).outcome.complaint,
                       expected_version)
    action = Action.objects.select_for_update(of=("self",)).select_related("outcome").get(pk=action.pk)
    if action.completed_at is not None:
        raise PolicyGuardFailed(f"That action was already completed on {format_date(london_date(action.completed_at))}")
    if at > now + FUTURE_TOLERANCE:
        raise PolicyGuardFailed(f"An action cannot be completed in the future ({format_date(london_date(at))})")
    promised_on = london_date(action.outcome.responded_at)
    if london_date(at) < promised_on:
        raise PolicyGuardFailed(f"An action cannot be completed before the response that promised it "
                                f"({format_date(promised_on)})")
    action.completed_at = at
    action.save(update_fields=["completed_at"])
    if note.strip():
        Note.objects.create(complaint=case, author=by,
                            text=f"Action completed on {format_date(london_date(at))}: {action.description}\n\n"
                                 f"{note.strip()}")
    save_case(case, by=by, reason=history_words(action.description), event="action_completed")
    return action


def history_words(text: str, limit: int = 100) -> str:
    """A description on one line and short enough to read as a timeline title (the note keeps it whole)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[:limit - 1].rstrip()}…"


# What a file's first bytes say it is: the browser's declared type is not trusted.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}


STORED_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


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
    # Stored under a random name with the checked type's extension: nothing the sender named reaches the
    # file system (a name the storage cannot use, such as a 200-character extension, would fail the upload).
    stored = File(uploaded_file, name=f"{uuid.uuid4().hex}{STORED_EXTENSIONS.get(content_type, '')}")
    return Attachment.objects.create(correspondence=correspondence, file=stored,
                                     original_name=uploaded_file.name, content_type=content_type,
                                     size=uploaded_file.size)
