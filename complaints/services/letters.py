"""Letters and emails to the complainant: written from per-council templates, kept on the case.

Templates are plain-text Django templates under ``templates/letters/``; a
council's own ``letters/<slug>/<kind>.txt`` is used where it exists, otherwise
``letters/default/<kind>.txt``. The first line is ``Subject: ...``; the rest is
the body. Everything the complainant or an officer wrote (the summary, the
findings, the extension reason) is passed as data in the context, so it is
printed as written and never read as template syntax.

Sending records the letter as outgoing correspondence. An email is queued for
delivery when the transaction commits (see ``complaints.services.delivery``);
a letter to a complainant who asked for post, or has no email address, is
recorded for printing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.template import Context
from django.template.loader import select_template
from django.utils import timezone

from complaints.models import (
    Complaint,
    Correspondence,
    Deadline,
    DeadlineKind,
    DeliveryStatus,
    Extension,
    LetterKind,
    Outcome,
    StageOutcome,
)
from complaints.services.base import locked_case, save_case
from complaints.services.delivery import correspondence_enqueue_delivery
from complaints.services.errors import PolicyGuardFailed
from ombudsman.contacts import OmbudsmanRouting, has_route, ombudsman_for
from policies.schema import STAGE_ORDER, Policy, Stage

SUBJECT_MAX = Correspondence._meta.get_field("subject").max_length

# Subject lines for a policy file that names none of its own.
DEFAULT_LABELS = {
    LetterKind.ACKNOWLEDGEMENT: "Acknowledgement of your complaint",
    LetterKind.HOLDING: "Update on your complaint",
    LetterKind.STAGE_RESPONSE: "Our response to your complaint",
}

# The policy rule behind each stored deadline kind (its own words go in the letter).
RULE_OF_KIND = {
    DeadlineKind.ACKNOWLEDGE: "acknowledge",
    DeadlineKind.RESPOND: "respond",
    DeadlineKind.TARGET: "target",
    DeadlineKind.MEETING: "meeting",
    DeadlineKind.ESCALATE: "escalation_window",
}


def date_words(day: dt.date) -> str:
    """``Monday 20 April 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class LetterDate:
    """A stored deadline as a letter states it."""

    date: dt.date
    words: str
    explanation: str
    promise: str = ""

    def __str__(self) -> str:
        return self.words


def _stored_date(case: Complaint, stage: Stage, kind: str) -> LetterDate | None:
    row = Deadline.objects.filter(complaint=case, stage=stage.key, kind=kind, cancelled_at__isnull=True).first()
    if row is None:
        return None
    rule = getattr(stage, RULE_OF_KIND.get(kind, ""), None)
    return LetterDate(date=row.due_date, words=date_words(row.due_date), explanation=row.explanation,
                      promise=getattr(rule, "text", "") or "")


def case_ombudsman(case: Complaint) -> OmbudsmanRouting:
    """The Ombudsman for this case: the first of its categories the policy routes, else the default."""
    policy = case.policy
    categories = [case.category, *case.service_areas.order_by("name").values_list("category", flat=True)]
    categories = [category for category in categories if category]
    for category in categories:
        if has_route(policy, category):
            return ombudsman_for(policy, category)
    return ombudsman_for(policy, categories[0] if categories else "")


def _eligible(case: Complaint, stage: Stage) -> bool:
    rule = stage.eligibility
    if rule is None:
        return True
    categories = set(case.service_areas.values_list("category", flat=True)) | {case.category}
    return bool(categories & set(rule.categories)) and (
        case.complainant.complainant_type not in rule.excluded_complainant_types)


def next_stage_for(case: Complaint, policy: Policy, stage_key: str, routing: OmbudsmanRouting) -> Stage | None:
    """The stage the complainant may ask for next; None when the Ombudsman is the next step."""
    following = policy.next_stage(stage_key)
    if following is None:
        return None
    if routing.after_stage is not None and STAGE_ORDER.index(stage_key) >= STAGE_ORDER.index(routing.after_stage):
        return None
    return following if _eligible(case, following) else None


def _current_stage(case: Complaint, kind: str) -> Stage:
    stage = case.policy.stage(case.stage) if case.stage else None
    if stage is None:
        raise PolicyGuardFailed(
            f"{case.reference} is not at a stage of the complaints procedure, so no {kind.replace('_', ' ')} "
            "letter can be written")
    return stage


def _holding_context(case: Complaint, stage: Stage) -> dict:
    deadline = Deadline.objects.filter(complaint=case, stage=stage.key, kind=DeadlineKind.RESPOND).first()
    extension = (Extension.objects.filter(deadline=deadline).order_by("-granted_at", "-pk").first()
                 if deadline is not None else None)
    if extension is None:
        raise PolicyGuardFailed(
            f"A holding letter gives the complainant the new date: record the extension of {case.reference}'s "
            f"{stage.name} response first")
    return {
        "new_date": LetterDate(date=deadline.due_date, words=date_words(deadline.due_date),
                               explanation=deadline.explanation, promise=stage.respond.text),
        "previous_date": LetterDate(date=extension.from_date, words=date_words(extension.from_date), explanation=""),
        "reason": extension.reason,
    }


def _response_context(case: Complaint, stage: Stage) -> dict:
    outcome = StageOutcome.objects.filter(complaint=case, stage=stage.key).first()
    if outcome is None:
        raise PolicyGuardFailed(
            f"{case.reference} has no {stage.name} response recorded: record the outcome and findings first")
    policy = case.policy
    routing = case_ombudsman(case)
    following = next_stage_for(case, policy, stage.key, routing)
    return {
        "outcome": Outcome(outcome.outcome).label,
        "outcome_key": outcome.outcome,
        "findings": outcome.findings,
        "remedy_action": outcome.remedy_action,
        "compensation_amount": outcome.compensation_amount,
        "next_stage": following,
        "escalate_by": _stored_date(case, stage, DeadlineKind.ESCALATE) if following is not None else None,
        "final": following is None,
        "ombudsman": routing.contact,
        "ombudsman_route": routing,
        "may_go_early": policy.ombudsman.may_go_early,
    }


def letter_context(*, complaint: Complaint, kind: str) -> dict:
    """Everything a letter template may use, from the case, its stored deadlines and its policy."""
    if kind not in LetterKind.values:
        raise PolicyGuardFailed(f"Unknown letter {kind!r}: use {', '.join(LetterKind.values)}")
    case = complaint
    policy = case.policy
    stage = _current_stage(case, kind)
    name = "" if case.is_anonymous else case.complainant.name.strip()
    context = {
        "reference": case.reference,
        "complainant_name": name or "Sir or Madam",
        "salutation": f"Dear {name}" if name else "Dear Sir or Madam",
        "sign_off": "Yours sincerely" if name else "Yours faithfully",
        "signed_by": "The Complaints Team",
        "summary": case.summary,
        "council_name": policy.name,
        "council_short_name": policy.short_name,
        "stage_key": stage.key,
        "stage_name": stage.name,
        "stage_label": stage.letter_label,
        "labels": {**{str(k): v for k, v in DEFAULT_LABELS.items()}, **policy.letter_labels},
        "acknowledge_by": _stored_date(case, stage, DeadlineKind.ACKNOWLEDGE),
        "respond_by": _stored_date(case, stage, DeadlineKind.RESPOND),
        "target_by": _stored_date(case, stage, DeadlineKind.TARGET),
        "meeting_by": _stored_date(case, stage, DeadlineKind.MEETING),
    }
    if kind == LetterKind.HOLDING:
        context.update(_holding_context(case, stage))
    elif kind == LetterKind.STAGE_RESPONSE:
        context.update(_response_context(case, stage))
    return context


def letter_template_names(*, slug: str, kind: str) -> list[str]:
    return [f"letters/{slug}/{kind}.txt", f"letters/default/{kind}.txt"]


def _split(text: str) -> tuple[str, str]:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if not lines or not lines[0].startswith("Subject:"):
        raise ValueError("A letter template must start with a 'Subject: ...' line")
    subject = lines[0].removeprefix("Subject:").strip()
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines[1:])).strip() + "\n"
    return subject, body


def letter_render(*, complaint: Complaint, kind: str, extra: dict | None = None) -> tuple[str, str]:
    """(subject, body) of a letter of this kind for this case, from the council's template or the default."""
    context = letter_context(complaint=complaint, kind=kind)
    context.update(extra or {})
    template = select_template(letter_template_names(slug=complaint.council.slug, kind=kind))
    # Plain text: no HTML escaping. The context is data, so nothing in it is rendered as a template.
    return _split(template.template.render(Context(context, autoescape=False)))


def _recipient(case: Complaint) -> tuple[str, str, str]:
    """(correspondence kind, recipient, delivery status) for the complainant's preference."""
    person = case.complainant
    if person.contact_preference == "email" and person.email.strip():
        return "email", person.email.strip(), DeliveryStatus.PENDING
    return "letter", person.address.strip(), DeliveryStatus.NOT_APPLICABLE


@transaction.atomic
def complaint_send_letter(*, complaint: Complaint, by, kind: str, subject: str | None = None,
                          body: str | None = None, at: dt.datetime | None = None) -> Correspondence:
    """Write a letter to the complainant and keep it on the case; an email is delivered after commit.

    ``subject`` and ``body`` are the officer's edited text; either left out is
    rendered from the template.
    """
    at = at or timezone.now()
    if kind not in LetterKind.values:
        raise PolicyGuardFailed(f"Unknown letter {kind!r}: use {', '.join(LetterKind.values)}")
    case = locked_case(complaint)
    if subject is None or body is None:
        signed_by = (by.get_full_name() or by.username) if by is not None else "The Complaints Team"
        rendered_subject, rendered_body = letter_render(complaint=case, kind=kind, extra={"signed_by": signed_by})
        subject = rendered_subject if subject is None else subject
        body = rendered_body if body is None else body
    subject = subject.strip()
    if not subject or not body.strip():
        raise PolicyGuardFailed("A letter needs a subject and a body")
    if len(subject) > SUBJECT_MAX:
        raise PolicyGuardFailed(f"A letter's subject can be at most {SUBJECT_MAX} characters")
    channel, recipient, status = _recipient(case)
    item = Correspondence.objects.create(
        complaint=case, direction="out", kind=channel, subject=subject, body=body, occurred_at=at, recorded_by=by,
        letter_kind=kind, recipient=recipient, delivery_status=status,
        next_attempt_at=at if status == DeliveryStatus.PENDING else None)
    if status == DeliveryStatus.PENDING:
        reference = case.reference
        transaction.on_commit(lambda: correspondence_enqueue_delivery(reference))
    save_case(case, by=by, reason=subject, event=f"letter_sent:{kind}")
    return item
