"""Subject access: finding a person's records and exporting everything held about them.

Every complaint creates its own complainant record, so one person is usually
several records. The officer searches (exact email, or part of the name) within
their own council, ticks the records that are the requester, and exports them:
one ZIP with ``subject-access.json`` and the attachment files under
``attachments/``. Every case exported is written to the access audit.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.models import Complainant, Complaint, Feedback
from complaints.privacy.models import Rectification
from complaints.staff.audit import case_exports_record
from ombudsman.models import OmbudsmanCase
from policies.models import Council

MIN_SEARCH = 3


def complainants_for(member) -> QuerySet[Complainant]:
    """The complainant records this member may handle: their council's, less any with a case they are
    barred from by a conflict of interest (that request goes to another manager)."""
    return (Complainant.objects.filter(council=member.council)
            .exclude(complaints__conflicts_of_interest__user=member.user_id))


def complainants_matching(*, member, text: str) -> QuerySet[Complainant]:
    """Records whose email is ``text`` or whose name contains it; empty for short input."""
    text = text.strip()
    if len(text) < MIN_SEARCH:
        return Complainant.objects.none()
    return (complainants_for(member).filter(Q(email__iexact=text) | Q(name__icontains=text))
            .prefetch_related("complaints").order_by("name", "pk"))


def _person(user) -> str | None:
    return None if user is None else (user.get_full_name() or user.username)


def _values(obj, names: list[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


def _ombudsman(case: Complaint) -> list[dict]:
    found = []
    for item in OmbudsmanCase.objects.filter(complaint=case).prefetch_related("enquiries", "decisions__remedies"):
        found.append({
            **_values(item, ["ombudsman", "their_reference", "received_on", "premature"]),
            "enquiries": [_values(e, ["received_on", "description", "respond_within", "respond_unit", "answered_at"])
                          for e in item.enquiries.all()],
            "decisions": [{**_values(d, ["kind", "outcome", "decided_on", "summary"]),
                           "remedies": [_values(r, ["kind", "description", "amount", "due_date", "complied_at",
                                                    "evidence"]) for r in d.remedies.all()]}
                          for d in item.decisions.all()],
        })
    return found


def _case(case: Complaint, files: list[tuple[str, str]]) -> dict:
    """One case and everything recorded on it; adds its attachments to ``files`` as (stored name, zip name)."""
    correspondence = []
    for item in case.correspondence.prefetch_related("attachments").order_by("occurred_at", "pk"):
        attached = []
        for attachment in item.attachments.all():
            zip_name = f"attachments/{attachment.pk}-{safe_name(attachment.original_name)}"
            files.append((attachment.file.name, zip_name))
            attached.append({"file": zip_name, **_values(attachment, ["original_name", "content_type", "size"])})
        correspondence.append({**_values(item, ["direction", "kind", "subject", "body", "occurred_at", "recipient",
                                                "letter_kind", "delivery_status", "delivered_at"]),
                               "attachments": attached})
    deadlines = [{**_values(d, ["stage", "kind", "due_date", "original_due_date", "met_at", "cancelled_at",
                                "explanation", "rule_source"]),
                  "extensions": [_values(x, ["from_date", "to_date", "reason", "agreed_by_complainant",
                                             "complainant_told_at"]) for x in d.extension_records.all()]}
                 for d in case.deadlines.prefetch_related("extension_records").order_by("due_date", "pk")]
    outcomes = [{**_values(o, ["stage", "outcome", "findings", "responded_at", "remedy_apology", "remedy_explanation",
                               "remedy_action", "compensation_amount", "compensation_offset_against_arrears",
                               "learning_points"]),
                 "actions": [_values(a, ["description", "due_date", "completed_at"]) for a in o.actions.all()]}
                for o in case.outcomes.prefetch_related("actions").order_by("responded_at")]
    return {
        **_values(case, ["reference", "received_at", "channel", "summary", "complainant_words", "desired_outcome",
                         "incident_date", "aware_date", "category", "is_anonymous", "out_of_time",
                         "discretion_reason", "representative_name", "representative_relationship",
                         "representative_role", "consent", "consent_received_on", "consent_evidence", "stage",
                         "refusal_reason", "signposting", "closed_after_stage"]),
        "state": case.get_state_display(),
        "council": case.council.name,
        "service_areas": [area.name for area in case.service_areas.all()],
        "assigned_officer": _person(case.assigned_officer),
        "stages": [_values(s, ["stage", "started_at", "acknowledged_at", "meeting_on", "responded_at",
                               "escalation_discretion_reason"]) for s in case.stages.order_by("started_at")],
        "deadlines": deadlines,
        "notes": [{"written_at": n.created_at, "by": _person(n.author), "text": n.text}
                  for n in case.notes.select_related("author").order_by("created_at", "pk")],
        "correspondence": correspondence,
        "outcomes": outcomes,
        "linked_cases": [link.to_complaint.reference for link in case.links_out.select_related("to_complaint")]
        + [link.from_complaint.reference for link in case.links_in.select_related("from_complaint")],
        "history": [{"at": h.history_date, "change": h.history_change_reason or "changed",
                     "state": h.get_state_display(), "by": _person(h.history_user)}
                    for h in case.history.select_related("history_user").order_by("history_date", "history_id")],
        "ombudsman_cases": _ombudsman(case),
    }


def safe_name(name: str) -> str:
    """A file name safe inside a ZIP: no folders, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    return re.sub(r"[^\w.() -]", "_", base).strip(". ") or "file"


@dataclass
class SubjectAccessExport:
    data: dict
    files: list[tuple[str, str]]  # (stored name, name in the ZIP)
    cases: list[Complaint]


def subject_access_collect(*, council: Council, complainant_ids: list[int]) -> SubjectAccessExport:
    """Everything held about the chosen records of this council (ids of another council are ignored)."""
    people = list(Complainant.objects.filter(council=council, pk__in=complainant_ids).order_by("pk"))
    files: list[tuple[str, str]] = []
    cases = list(Complaint.objects.filter(complainant__in=people).select_related("council", "assigned_officer")
                 .order_by("received_at", "pk"))
    emails = {p.email.strip().lower() for p in people if p.email.strip()}
    by_email = Q()
    for email in emails:
        by_email |= Q(email__iexact=email)
    feedback = Feedback.objects.filter(council=council).filter(by_email) if emails else Feedback.objects.none()
    data = {
        "council": council.name,
        "complainant_records": [
            {**_values(p, ["name", "email", "phone", "address", "contact_preference", "complainant_type",
                           "reasonable_adjustments", "adjustments_reviewed_at"]),
             "rectifications": [{"at": r.at, "fields": r.fields, "reason": r.reason, "by": _person(r.by)}
                                for r in Rectification.objects.filter(complainant=p).select_related("by")],
             "cases": [c.reference for c in cases if c.complainant_id == p.pk]}
            for p in people],
        "cases": [_case(case, files) for case in cases],
        "feedback": [_values(f, ["kind", "text", "received_at", "name", "email"])
                     | {"service_area": f.service_area.name if f.service_area else None}
                     for f in feedback.select_related("service_area").order_by("received_at", "pk")],
    }
    return SubjectAccessExport(data=data, files=files, cases=cases)


@transaction.atomic
def subject_access_export(*, council: Council, complainant_ids: list[int],
                          by) -> tuple[tempfile.SpooledTemporaryFile, int]:
    """The ZIP (a rewound temporary file) and the number of cases in it; each case's export is audited."""
    export = subject_access_collect(council=council, complainant_ids=complainant_ids)
    export.data = {"exported_at": timezone.now(), "exported_by": _person(by), **export.data}
    case_exports_record(complaints=export.cases, user=by, detail="subject access export (ZIP)")
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", json.dumps(export.data, cls=DjangoJSONEncoder, indent=2,
                                                           ensure_ascii=False))
        missing = []
        for stored, zip_name in export.files:
            try:
                with default_storage.open(stored, "rb") as source, archive.open(zip_name, "w") as target:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
            except OSError:
                missing.append(zip_name)
        if missing:
            archive.writestr("missing-files.txt", "These attachments are recorded but their files could not be "
                                                  "read from storage:\n" + "\n".join(missing) + "\n")
    out.seek(0)
    return out, len(export.cases)

