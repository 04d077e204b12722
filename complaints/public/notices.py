"""What the resident is told after sending a complaint: dates, next steps, the Ombudsman.

The dates come from the deadline engine (Stage 1, counted from the instant the
complaint was received) under the policy version the case was received under,
so the confirmation page, the email and the officers' stored deadlines agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string

from complaints.models import Complaint, Consent, State
from complaints.public import clock, rules
from complaints.public.fields import long_date
from complaints.public.tokens import lifetime
from complaints.services.delivery import complaint_queue_email
from deadlines.calendar import london_date
from deadlines.engine import Events, compute_stage_deadlines
from ombudsman.contacts import ombudsman_for
from policies.schema import Policy


@dataclass(frozen=True)
class PromisedDate:
    key: str
    label: str
    date: dt.date
    how: str
    policy_words: str

    @property
    def words(self) -> str:
        return long_date(self.date)


def first_dates(complaint: Complaint) -> list[PromisedDate]:
    """When the council will acknowledge and answer a new complaint, from its policy."""
    policy = complaint.policy
    result = compute_stage_deadlines(policy, "stage1", Events.from_instant(complaint.received_at))
    stage = result.stage
    dates = []
    wanted = [
        ("acknowledge_by", stage.acknowledge, "We will acknowledge your complaint by"),
        ("target_by", stage.target, "We aim to send you our response by"),
        ("respond_by", stage.respond, "We will send you our response by"),
        ("overall_by", policy.overall_limit, "We aim to resolve your complaint completely by"),
    ]
    for key, rule, label in wanted:
        computed = result.dates.get(key)
        if computed is None or rule is None:
            continue
        if key == "respond_by" and stage.target is not None:
            label = "At the latest, we will send you our response by"
        how = rules.rule_words(rule)
        if computed.anchor_is_deadline:
            how += " (if we acknowledge it sooner, this date comes sooner too)"
        dates.append(PromisedDate(key=key, label=label, date=computed.date, how=how, policy_words=rule.text))
    return dates


@dataclass(frozen=True)
class OmbudsmanInfo:
    name: str
    website: str
    phone: str
    when: str
    policy_words: str


def ombudsman_info(policy: Policy, category: str) -> OmbudsmanInfo:
    routing = ombudsman_for(policy, category)
    stage = policy.stage(routing.after_stage) if routing.after_stage else policy.stages[-1]
    when = f"If you're still unhappy after our {stage.name} response"
    if policy.ombudsman.may_go_early:
        when += " (or earlier, if the Ombudsman agrees to look at it sooner)"
    return OmbudsmanInfo(name=routing.contact.name, website=routing.contact.website, phone=routing.contact.phone,
                         when=when, policy_words=routing.text)


def case_category(complaint: Complaint) -> str:
    if complaint.category:
        return complaint.category
    return complaint.service_areas.values_list("category", flat=True).first() or ""


def next_steps(complaint: Complaint) -> list[str]:
    """What happens next, in plain words, for this case under its policy."""
    policy = complaint.policy
    if complaint.state == State.SERVICE_REQUEST:
        return [rules.anonymous_message(policy),
                "We have logged what you told us as a service request, so the service concerned can deal with it."]
    steps = []
    informal = policy.stage("informal")
    if informal is not None:
        steps.append(f"We may first try to put things right quickly. {informal.description}")
    stage1 = policy.stage("stage1")
    steps.append(f"A complaints officer will check your complaint and it will be dealt with at {stage1.name}. "
                 f"{stage1.description}")
    if complaint.out_of_time:
        steps.append(
            f"Your complaint is about something from longer ago than our time limit: we ask people to complain "
            f"{rules.time_limit_words(policy)}. We have still received your complaint, and a complaints officer "
            "will decide whether we can look into it. We will tell you what they decide.")
    if complaint.representative_name and complaint.consent != Consent.RECEIVED \
            and policy.representatives.hold_until_consent:
        steps.append(f"We need {rules.consent_words(policy)} from {complaint.complainant.name} before we can "
                     "continue. You can send it to us using the link to follow your complaint, or by post.")
    if complaint.is_anonymous:
        steps.append("You did not give us your contact details, so we cannot reply to you.")
    following = policy.next_stage("stage1")
    if following is not None:
        window = stage1.escalation_window
        when = f" You need to ask {rules.rule_words(window)}." if window else ""
        steps.append(f"If you're unhappy with our response, you can ask for {following.name}.{when}")
    return steps


def confirmation_context(complaint: Complaint) -> dict:
    policy = complaint.policy
    return {
        "complaint": complaint,
        "policy": policy,
        "is_service_request": complaint.state == State.SERVICE_REQUEST,
        "dates": [] if complaint.state == State.SERVICE_REQUEST else first_dates(complaint),
        "next_steps": next_steps(complaint),
        "ombudsman": ombudsman_info(policy, case_category(complaint)),
        "received_words": long_date(london_date(complaint.received_at)),
    }


def acknowledgement_queue(*, complaint: Complaint, track_url: str = "", at: dt.datetime) -> bool:
    """Queue the email that gives the resident their reference, dates and next steps; it is kept on
    the case and delivered by a worker after the commit, so a slow or broken mail server never holds
    up or fails a complaint. ``track_url`` is the placeholder for their private link
    (``tokens.tracking_link_placeholder``), issued as the email is sent. False: no email address."""
    if not complaint.complainant.email.strip():
        return False
    context = {**confirmation_context(complaint), "track_url": track_url, "link_days": lifetime().days}
    subject = f"{complaint.policy.short_name}: we have received your complaint {complaint.reference}"
    body = render_to_string("public/email/acknowledgement.txt", context)
    complaint_queue_email(complaint=complaint, by=None, subject=subject, body=body, at=at)
    return True


def tracking_link_queue(*, complaint: Complaint, track_url: str) -> None:
    """Queue an email with a new private link to follow the case (issued as the email is sent)."""
    subject = f"{complaint.policy.short_name}: your link to follow complaint {complaint.reference}"
    body = render_to_string("public/email/tracking_link.txt", {"complaint": complaint, "policy": complaint.policy,
                                                               "track_url": track_url,
                                                               "link_days": lifetime().days})
    complaint_queue_email(complaint=complaint, by=None, subject=subject, body=body, at=clock.now())
