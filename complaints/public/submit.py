"""Sending the online form: one complaint (or one piece of feedback) per session key.

``complaint_send`` turns the answers into the intake service's dataclasses and
calls ``complaint_create``, the same service officers and the API use. The
``Submission`` row is inserted first, in the same transaction: a second send of
the same key (a double click, a resent POST, two tabs) waits on the unique
constraint and then finds the first one's complaint instead of making another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import Truncator

from complaints.models import Channel, Consent, ServiceArea
from complaints.public import rules
from complaints.public.journey import Journey
from complaints.public.models import Submission
from complaints.public.notices import acknowledgement_queue
from complaints.public.uploads import abandoned_after, discard_pending, pending_exists, pending_upload
from complaints.services.errors import DomainError
from complaints.services.intake import (
    ComplainantDetails,
    ComplaintDetails,
    RepresentativeDetails,
    complaint_create,
    complaint_triage,
)
from complaints.services.people import correspondence_attach
from complaints.services.records import complaint_record_correspondence, feedback_record
from deadlines.calendar import london_date

BEFORE_WORDS = {
    "asked": "Yes: asked the council to do something and unhappy with how it was dealt with",
    "complained": "Yes: already made a complaint about this",
    "first_time": "No: first time telling the council about it",
}


@dataclass
class Sent:
    submission: Submission
    created: bool


class UploadsLost(DomainError):
    """Files the resident uploaded are no longer kept (deleted as abandoned): they must upload them again."""

    def __init__(self, lost: list[dict]):
        self.lost = lost
        names = ", ".join(info["name"] for info in lost)
        hours = int(abandoned_after().total_seconds() // 3600)
        super().__init__(f"We no longer have {'the file' if len(lost) == 1 else 'the files'} you uploaded ({names}): "
                         f"files are deleted {hours} hours after they are uploaded if the form has not been sent. "
                         f"Upload {'it' if len(lost) == 1 else 'them'} again, or continue without.")


def _summary(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(150)


def _area(journey: Journey):
    """The chosen service area, read again from the database (the pages' list is cached per process)."""
    chosen = journey.value("service", "service")
    if not str(chosen or "").isdigit():
        return None
    return ServiceArea.objects.filter(council_id=journey.council.pk, pk=int(chosen)).first()


def _words(journey: Journey) -> str:
    parts = [journey.value("what", "what_happened", "").strip()]
    before = journey.value("before", "before")
    if before in BEFORE_WORDS:
        parts.append(f"Contacted us about this before? {BEFORE_WORDS[before]}")
    if journey.applies("late"):
        parts.append(f"Why I did not complain sooner: {journey.value('late', 'reason', '').strip()}")
    if journey.anonymous and journey.value("anonymous", "reason"):
        parts.append(f"Why I want to stay anonymous: {journey.value('anonymous', 'reason').strip()}")
    return "\n\n".join(part for part in parts if part)


def _representative(journey: Journey, received_on: dt.date) -> RepresentativeDetails | None:
    if not journey.for_someone_else:
        return None
    policy = journey.policy
    rep = journey.answers.get("representative", {})
    labels = dict(rules.role_choices(policy))
    representative = RepresentativeDetails(
        name=rep.get("your_name", ""), relationship=(rep.get("relationship") or labels.get(journey.role, ""))[:60],
        role=journey.role)
    if policy.representatives.consent == "none":
        return representative
    upload = journey.value("consent", "file")
    if upload or not rules.consent_needs_document(policy):
        representative.consent = Consent.RECEIVED
        representative.consent_received_on = received_on
        representative.consent_evidence = (
            f"{rules.consent_words(policy).capitalize()} uploaded with the online form ({upload['name']})"
            if upload else "Declared on the online form by the representative")[:300]
    else:
        representative.consent = Consent.REQUESTED
    return representative


def _complainant(journey: Journey) -> ComplainantDetails:
    adjustments = journey.value("support", "details", "") if journey.value("support", "needs") == "yes" else ""
    if journey.anonymous:
        return ComplainantDetails(reasonable_adjustments=adjustments)
    contact = journey.answers.get("contact", {})
    name = journey.person_name if journey.for_someone_else else contact.get("name", "")
    return ComplainantDetails(name=name, email=contact.get("email", ""), phone=contact.get("phone", ""),
                              address=contact.get("address", ""), contact_preference=contact.get("preference", "email"),
                              reasonable_adjustments=adjustments)


def _attach(case, files: list[dict], subject: str, at: dt.datetime) -> None:
    if not files:
        return
    item = complaint_record_correspondence(complaint=case, by=None, direction="in", kind="email", subject=subject,
                                           occurred_at=at, body="Sent with the online complaint form.")
    for info in files:
        upload = pending_upload(info)
        try:
            correspondence_attach(correspondence=item, by=None, uploaded_file=upload)
        finally:
            upload.close()


def _claim(journey: Journey, kind: str) -> Submission | None:
    """Insert the submission row, or None when this key was already sent."""
    try:
        with transaction.atomic():
            return Submission.objects.create(key=journey.key, council=journey.council, kind=kind)
    except IntegrityError:
        return None


def _pending_files(journey: Journey) -> tuple[list[dict], dict | None]:
    consent_file = journey.value("consent", "file") if journey.applies("consent") else None
    return list(journey.files), consent_file


def complaint_send(*, journey: Journey, received_at: dt.datetime, track_url: str = "") -> Sent:
    """Record the complaint and queue its acknowledgement email, in one transaction.

    ``track_url`` is the placeholder for the resident's private link in that email
    (``tokens.tracking_link_placeholder``). UploadsLost (nothing recorded) when a file the resident
    uploaded was deleted as abandoned before they sent the form.
    """
    evidence, consent_file = _pending_files(journey)
    with transaction.atomic():
        submission = _claim(journey, "complaint")
        if submission is None:  # sent already (its files attached, then deleted)
            return Sent(Submission.objects.get(key=journey.key), created=False)
        lost = [info for info in [*evidence, *([consent_file] if consent_file else [])] if not pending_exists(info)]
        if lost:
            raise UploadsLost(lost)  # the claim is rolled back with the transaction
        policy = journey.policy
        area = _area(journey)
        incident = journey.date("incident")
        details = ComplaintDetails(
            summary=_summary(journey.value("what", "what_happened", "")), channel=Channel.ONLINE,
            complainant_words=_words(journey), desired_outcome=journey.value("outcome", "outcome", ""),
            incident_date=incident, aware_date=journey.date("aware") or incident,
            category=area.category if area else "", service_area_ids=[area.pk] if area else [])
        case = complaint_create(council=journey.council, details=details, complainant=_complainant(journey),
                                received_at=received_at, representative=_representative(journey,
                                                                                       london_date(received_at)),
                                anonymous=journey.anonymous)
        if journey.anonymous and rules.anonymous_is_service_request(policy):
            case = complaint_triage(complaint=case, by=None, route="service_request", at=received_at,
                                    reason=policy.anonymous.text or "anonymous")
        _attach(case, evidence, "Evidence sent with the online complaint form", received_at)
        _attach(case, [consent_file] if consent_file else [],
                f"{rules.consent_words(policy).capitalize()} from the person complained for", received_at)
        acknowledgement_queue(complaint=case, track_url=track_url, at=received_at)
        submission.complaint = case
        submission.save(update_fields=["complaint"])
        pending = [*evidence, *([consent_file] if consent_file else [])]
        transaction.on_commit(lambda: [discard_pending(info) for info in pending])
    return Sent(submission, created=True)


def feedback_send(*, journey: Journey, received_at: dt.datetime) -> Sent:
    with transaction.atomic():
        submission = _claim(journey, "feedback")
        if submission is None:
            return Sent(Submission.objects.get(key=journey.key), created=False)
        contact = journey.answers.get("feedback-contact", {})
        item = feedback_record(council=journey.council, kind=journey.kind, text=journey.value("feedback", "text", ""),
                               received_at=received_at, service_area=_area(journey),
                               name=contact.get("name", ""), email=contact.get("email", ""))
        submission.feedback = item
        submission.save(update_fields=["feedback"])
    return Sent(submission, created=True)
