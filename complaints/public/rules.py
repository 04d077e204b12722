"""What a council's policy means for the resident, in plain words.

Every rule the public journey applies is read from the policy file (``policies.schema.Policy``):
which kinds of feedback it records, its time limit, anonymous handling, who may
complain for someone else, what it excludes. Nothing here names a council.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deadlines.engine import UNIT_WORDS, complaint_time_limit
from policies.schema import Policy, TimeRule

KIND_LABELS = {
    "complaint": "Make a complaint",
    "compliment": "Pay a compliment",
    "comment": "Make a comment",
    "suggestion": "Make a suggestion",
}
KIND_HINTS = {
    "complaint": "Tell us we got something wrong, did not do something, or treated you unfairly.",
    "compliment": "Tell us about something we did well or someone who helped you.",
    "comment": "Tell us what you think about a service, without asking us to investigate.",
    "suggestion": "Tell us how we could do something better.",
}
KIND_NOUNS = {"complaint": "complaint", "compliment": "compliment", "comment": "comment", "suggestion": "suggestion"}

# Roles a representative may have; a policy may name more (shown with their key made readable).
ROLE_LABELS = {
    "relative": "A relative",
    "friend": "A friend",
    "carer": "A carer",
    "support_worker": "A support worker",
    "advocate": "An advocate",
    "solicitor": "A solicitor",
    "advice_agency": "An advice agency, for example Citizens Advice",
    "councillor": "A councillor",
    "mp": "A Member of Parliament (MP)",
    "other": "Someone else",
}

ANCHOR_PHRASES = {
    "receipt": "of receiving your complaint",
    "request": "of receiving your request",
    "confirmation": "of confirming your request",
    "acknowledgement": "of acknowledging your complaint",
    "meeting": "of the panel meeting",
    "response": "of our response",
}


def feedback_kinds(policy: Policy) -> list[str]:
    """The kinds of contact this council's policy says it records, complaints first."""
    kinds = ["complaint"]
    for kind, attribute in (("compliment", "compliments"), ("comment", "comments"), ("suggestion", "suggestions")):
        if getattr(policy.feedback, attribute):
            kinds.append(kind)
    return kinds


def other_kinds_phrase(kinds: list[str]) -> str:
    """``pay a compliment, make a comment or make a suggestion`` (the kinds besides complaints)."""
    words = [KIND_LABELS[kind][0].lower() + KIND_LABELS[kind][1:] for kind in kinds if kind != "complaint"]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def role_choices(policy: Policy) -> list[tuple[str, str]]:
    rules = policy.representatives
    keys = list(ROLE_LABELS)
    for role in [*rules.permitted_roles, *rules.excluded_roles]:
        if role not in keys:
            keys.insert(-1, role)
    return [(key, ROLE_LABELS.get(key, key.replace("_", " ").capitalize())) for key in keys]


def role_phrase(policy: Policy, role: str) -> str:
    """``a Member of Parliament (MP)``: the role's label inside a sentence."""
    label = dict(role_choices(policy)).get(role, role)
    return label[:1].lower() + label[1:]


def role_is_excluded(policy: Policy, role: str) -> bool:
    return role in policy.representatives.excluded_roles


def consent_needs_document(policy: Policy) -> bool:
    return policy.representatives.consent in {"written", "written_signed"}


def consent_words(policy: Policy) -> str:
    """How the policy asks for consent: ``written, signed permission`` / ``written permission`` / ``permission``."""
    return {"written_signed": "written, signed permission", "written": "written permission"}.get(
        policy.representatives.consent, "permission")


def amount_words(amount: int, unit: str) -> str:
    singular, plural = UNIT_WORDS[unit]
    return f"{amount} {singular if amount == 1 else plural}"


def rule_words(rule: TimeRule) -> str:
    """``within 5 working days of receiving your complaint``."""
    return f"within {amount_words(rule.amount, rule.unit)} {ANCHOR_PHRASES[rule.from_]}"


def time_limit_words(policy: Policy) -> str:
    limit = policy.time_limit
    counted = "it happened" if limit.counted_from == "incident" else "you found out about it"
    text = f"within {amount_words(limit.amount, limit.unit)} of when {counted}"
    if limit.preferred_amount and limit.preferred_unit:
        text = (f"within {amount_words(limit.preferred_amount, limit.preferred_unit)} of when {counted} if you can, "
                f"and at most {amount_words(limit.amount, limit.unit)}")
    return text


@dataclass(frozen=True)
class TimeCheck:
    out_of_time: bool
    matter_date: dt.date | None
    last_day: dt.date | None
    counted_from: str


def time_check(policy: Policy, incident: dt.date | None, aware: dt.date | None, on: dt.date) -> TimeCheck:
    """Whether a complaint made on ``on`` is after the policy's time limit (as ``complaint_create`` decides)."""
    counted_from = policy.time_limit.counted_from
    matter = aware if counted_from == "awareness" else incident
    if matter is None:
        return TimeCheck(False, None, None, counted_from)
    last_day = complaint_time_limit(policy, matter)
    return TimeCheck(on > last_day, matter, last_day, counted_from)


def anonymous_message(policy: Policy) -> str:
    """What happens to an anonymous complaint under this policy, for the resident."""
    handling = policy.anonymous.handling
    if handling == "service_request":
        return (f"{policy.short_name} does not investigate anonymous complaints. If you do not give your name and "
                "contact details, we will log what you tell us as a service request instead, unless it raises "
                "wider concerns we can look into without asking you anything else. We cannot reply to you.")
    if handling == "exceptional_only":
        return (f"{policy.short_name} only looks into anonymous complaints in exceptional circumstances, case by "
                "case. If you stay anonymous we may not be able to investigate, and we cannot reply to you.")
    return "If you stay anonymous, we can still look into what you tell us, but we cannot reply to you or tell you " \
           "what we found."


def anonymous_is_service_request(policy: Policy) -> bool:
    return policy.anonymous.handling == "service_request"


def anonymous_needs_reason(policy: Policy) -> bool:
    return policy.anonymous.handling == "exceptional_only"
