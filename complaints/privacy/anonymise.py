"""Anonymising one case (or one piece of feedback) at the end of its retention period.

What is removed: the complainant's name and contact details, reasonable
adjustments, the representative, every free-text account of the matter (summary,
the complainant's words, notes, correspondence, findings, reasons and evidence,
the Ombudsman's enquiries, decisions and remedies), attachment files (and their names
in the access audit, which otherwise keeps who saw the case and when), and the same
fields in every history row of the case (simple-history keeps full snapshots, and
the change reasons quote officers' free text).

What is kept, so the reports still count the case: the reference, council,
dates, channel, category, service areas, stages and their dates, deadlines,
outcomes and remedy flags and amounts, and who on the staff did what. Text the
reports print in grouped lists and that describes the council's own service (the
refusal reason, learning points, remedy action descriptions) is kept with the
complainant's identifiers redacted from it. A field that was filled keeps a
placeholder (reports count "a remedy action was promised" by a filled field);
an empty field stays empty.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction

from complaints.models import (
    Action,
    Attachment,
    CaseStage,
    Complainant,
    Complaint,
    Correspondence,
    Deadline,
    Extension,
    Feedback,
    Note,
    StageOutcome,
)
from complaints.privacy.models import Rectification
from complaints.public.models import TrackingToken
from complaints.staff.models import CaseView, ConflictOfInterest
from ombudsman.models import Decision, Enquiry, Remedy

logger = logging.getLogger(__name__)

REMOVED = "[removed at the end of the retention period]"
REDACTED = "[removed]"

# Complaint fields replaced whole (in the case and in every history row of it).
CASE_TEXT = ["summary", "complainant_words", "desired_outcome", "discretion_reason", "representative_name",
             "representative_relationship", "consent_evidence", "signposting"]
# Complaint fields kept with identifiers redacted (the reports list them).
CASE_REDACTED = ["refusal_reason"]


def removed(value: str) -> str:
    return REMOVED if value else ""


def event_only(reason: str | None) -> str | None:
    """A history change reason is '<event>: <officer's free text>'; keep the event."""
    return reason.split(": ", 1)[0] if reason else reason


@dataclass
class Identifiers:
    """The complainant's identifiers, as patterns to cut out of text that is kept."""

    patterns: list[re.Pattern] = field(default_factory=list)

    @classmethod
    def of(cls, person: Complainant, representative: str = "") -> Identifiers:
        found: set[str] = set()
        for value in (person.name, representative):
            value = value.strip()
            if value:
                found.add(value)
                found.update(word for word in re.split(r"[\s,]+", value) if len(word) >= 3)
        if person.email.strip():
            found.add(person.email.strip())
        found.update(line.strip() for line in person.address.splitlines() if len(line.strip()) >= 3)
        patterns = [re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)
                    for text in sorted(found, key=len, reverse=True)]
        digits = re.sub(r"\D", "", person.phone)
        if len(digits) >= 6:
            patterns.append(re.compile(r"[\s-]?".join(re.escape(d) for d in digits)))
        return cls(patterns)

    def redact(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.sub(REDACTED, text)
        return text


@dataclass
class Anonymised:
    files: list[str] = field(default_factory=list)


def _update_rows(queryset, **changes) -> None:
    """Set fields row by row (``changes`` maps a field to a function of its old value)."""
    rows = list(queryset)
    for row in rows:
        for name, change in changes.items():
            setattr(row, name, change(getattr(row, name)))
    if rows:
        type(rows[0]).objects.bulk_update(rows, list(changes))


def _complainant(case: Complaint) -> Complainant | None:
    """Scrub the complainant, or give this case a blank one if the person has other cases kept.

    Returns the new complainant when the case was given one (history rows follow it).
    """
    person = case.complainant
    if Complaint.objects.filter(complainant=person).exclude(pk=case.pk).exists():
        blank = Complainant.objects.create(council=case.council, contact_preference=person.contact_preference,
                                           complainant_type=person.complainant_type)
        case.complainant = blank
        return blank
    person.name = person.email = person.phone = person.address = person.reasonable_adjustments = ""
    person.adjustments_reviewed_at = None
    person.save()
    _update_rows(Rectification.objects.filter(complainant=person), reason=removed)
    return None


def _case_history(case: Complaint, ids: Identifiers, complainant: Complainant | None) -> None:
    changes = {name: removed for name in CASE_TEXT}
    changes |= {name: ids.redact for name in CASE_REDACTED}
    changes["history_change_reason"] = event_only
    if complainant is not None:
        changes["complainant_id"] = lambda _old: complainant.pk
    _update_rows(Complaint.history.model.objects.filter(id=case.pk), **changes)


def _records(case: Complaint, ids: Identifiers) -> list[str]:
    """Notes, correspondence, attachments, outcomes, extensions, stages and their history. Returns file names."""
    Note.objects.filter(complaint=case).update(text=REMOVED)
    _update_rows(Correspondence.objects.filter(complaint=case), subject=lambda _old: REMOVED, body=removed,
                 recipient=lambda _old: "", delivery_error=lambda _old: "")
    attachments = Attachment.objects.filter(correspondence__complaint=case)
    files = [name for name in attachments.values_list("file", flat=True) if name]
    file_names = [name for name in attachments.values_list("original_name", flat=True) if name]
    attachments.delete()

    def audit_detail(text: str) -> str:
        """The access audit keeps who saw the case and when; a downloaded file's name can name the person."""
        for name in file_names:
            text = text.replace(name, REDACTED)
        return ids.redact(text)

    _update_rows(CaseView.objects.filter(complaint=case), detail=audit_detail)
    _update_rows(StageOutcome.objects.filter(complaint=case), findings=removed, remedy_action=removed,
                 learning_points=ids.redact)
    _update_rows(Action.objects.filter(outcome__complaint=case), description=ids.redact)
    _update_rows(ConflictOfInterest.objects.filter(complaint=case), reason=ids.redact)
    extensions = Extension.objects.filter(deadline__complaint=case)
    reasons = [reason for reason in extensions.values_list("reason", flat=True) if reason]
    extensions.update(reason=REMOVED)

    def explanation(text: str) -> str:
        for reason in reasons:
            text = text.replace(f": {reason}", f": {REMOVED}")
        return ids.redact(text)

    _update_rows(Deadline.objects.filter(complaint=case), explanation=explanation)
    _update_rows(Deadline.history.model.objects.filter(complaint_id=case.pk), explanation=explanation)
    _update_rows(CaseStage.objects.filter(complaint=case), escalation_discretion_reason=removed)
    _update_rows(CaseStage.history.model.objects.filter(complaint_id=case.pk), escalation_discretion_reason=removed)
    TrackingToken.objects.filter(complaint=case).delete()
    return files


def _ombudsman(case: Complaint) -> None:
    Enquiry.objects.filter(case__complaint=case).update(description=REMOVED)
    Decision.objects.filter(case__complaint=case).update(summary=REMOVED)
    _update_rows(Remedy.objects.filter(decision__case__complaint=case), description=removed, evidence=removed)


def complaint_anonymise(*, case: Complaint, by, reason: str) -> Anonymised:
    """Anonymise a case the caller has locked (``select_for_update``) inside its transaction.

    Attachment files are deleted from storage only after the commit, so a rollback
    never leaves a case whose files are gone.
    """
    ids = Identifiers.of(case.complainant, case.representative_name)
    new_person = _complainant(case)
    _case_history(case, ids, new_person)
    files = _records(case, ids)
    _ombudsman(case)
    for name in CASE_TEXT:
        setattr(case, name, removed(getattr(case, name)))
    for name in CASE_REDACTED:
        setattr(case, name, ids.redact(getattr(case, name)))
    case.version += 1
    case._history_user = by
    case._change_reason = f"anonymised: {reason}"
    case.save()
    transaction.on_commit(lambda: delete_files(files))
    return Anonymised(files=files)


def delete_files(names: list[str]) -> int:
    """Delete stored files; a failure is logged by count only (file names can carry personal data)."""
    failed = 0
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            failed += 1
    if failed:
        logger.error("attachment files not deleted", extra={"failed": failed})
    return len(names) - failed


def feedback_anonymise(*, feedback: Feedback) -> Feedback:
    ids = Identifiers.of(Complainant(name=feedback.name, email=feedback.email))
    feedback.text = ids.redact(feedback.text)
    feedback.name = feedback.email = ""
    feedback.save(update_fields=["text", "name", "email"])
    return feedback
