"""Each complaint action: its body, and the one service it calls with the body's version.

``perform(case, data, user)`` calls exactly one service (``expected_version=data["version"]``);
a DomainError from it becomes a 409. Two actions depend on the stage, as the staff screens do:
``escalate`` on an informal complaint makes it formal (Stage 1), and ``close`` on an informal
complaint resolves it informally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from complaints.api import serializers_actions as s
from complaints.models import Complaint, State
from complaints.services import holds, intake, lifecycle, stage_work


@dataclass(frozen=True)
class ActionSpec:
    name: str
    serializer: type[serializers.Serializer]
    perform: Callable[[Complaint, dict, object], None]
    summary: str


def council_officer(council_id: int, username: str, field: str):
    """An active user of the council; a 400 on ``field`` otherwise."""
    user = (get_user_model().objects.filter(username=username, is_active=True,
                                            staff_member__council=council_id).first())
    if user is None:
        raise serializers.ValidationError({field: [f"No officer {username!r} works for this council."]})
    return user


def _acknowledge(case, d, user):
    stage_work.complaint_acknowledge(complaint=case, by=user, at=d.get("at"), expected_version=d["version"])


def _extend(case, d, user):
    stage_work.complaint_extend(
        complaint=case, by=user, new_date=d["new_date"], reason=d["reason"],
        complainant_told_at=d.get("complainant_told_at") or timezone.now(),
        complainant_agreed=d["complainant_agreed"], expected_version=d["version"])


def _respond(case, d, user):
    actions = [(a["description"], council_officer(case.council_id, a["owner"], "actions"), a["due_date"])
               for a in d["actions"]]
    details = stage_work.ResponseDetails(
        outcome=d["outcome"], findings=d["findings"], remedy_apology=d["remedy_apology"],
        remedy_explanation=d["remedy_explanation"], remedy_action=d["remedy_action"],
        compensation_amount=d["compensation_amount"],
        compensation_offset_against_arrears=d["compensation_offset_against_arrears"],
        learning_points=d["learning_points"], actions=actions)
    stage_work.complaint_respond(complaint=case, by=user, details=details, at=d.get("at"),
                                 expected_version=d["version"])


def _escalate(case, d, user):
    requested_at = d.get("requested_at") or timezone.now()
    if case.state == State.INFORMAL:
        lifecycle.complaint_make_formal(complaint=case, by=user, at=requested_at, reason=d["discretion_reason"],
                                        expected_version=d["version"])
        return
    reviewer = council_officer(case.council_id, d["reviewer"], "reviewer") if d["reviewer"] else None
    lifecycle.complaint_escalate(complaint=case, by=user, requested_at=requested_at, reviewer=reviewer,
                                 discretion_reason=d["discretion_reason"], expected_version=d["version"])


def _close(case, d, user):
    service = lifecycle.complaint_resolve_informally if case.state == State.INFORMAL else lifecycle.complaint_close
    service(complaint=case, by=user, at=d.get("at"), reason=d["reason"], expected_version=d["version"])


def _reason(service):
    def perform(case, d, user):
        service(complaint=case, by=user, at=d.get("at"), reason=d["reason"], expected_version=d["version"])
    return perform


def _refuse(case, d, user):
    lifecycle.complaint_refuse(complaint=case, by=user, reason=d["reason"], signposting=d["signposting"],
                               at=d.get("at"), expected_version=d["version"])


def _triage(case, d, user):
    intake.complaint_triage(complaint=case, by=user, route=d["route"], at=d.get("at"), reason=d["reason"],
                            expected_version=d["version"])


def _assign(case, d, user):
    officer = council_officer(case.council_id, d["officer"], "officer")
    lifecycle.complaint_assign(complaint=case, by=user, officer=officer, expected_version=d["version"])


def _consent(case, d, user):
    holds.complaint_record_consent(complaint=case, by=user, received_on=d["received_on"], evidence=d["evidence"],
                                   at=d.get("at"), expected_version=d["version"])


ACTIONS = [
    ActionSpec("triage", s.TriageSerializer, _triage,
               "Triage a new contact: informal, Stage 1 or a service request"),
    ActionSpec("acknowledge", s.AcknowledgeSerializer, _acknowledge, "Acknowledge the current stage"),
    ActionSpec("extend", s.ExtendSerializer, _extend,
               "Extend the current stage's response deadline (within the policy's cap)"),
    ActionSpec("respond", s.RespondSerializer, _respond, "Record the stage response (outcome, remedies)"),
    ActionSpec("escalate", s.EscalateSerializer, _escalate,
               "Escalate to the next stage (an informal complaint is made formal)"),
    ActionSpec("hold", s.HoldSerializer, _reason(holds.complaint_hold), "Put the case on hold (deadlines pause)"),
    ActionSpec("resume", s.ResumeSerializer, _reason(holds.complaint_resume), "Resume a case on hold"),
    ActionSpec("withdraw", s.WithdrawSerializer, _reason(lifecycle.complaint_withdraw), "Record a withdrawal"),
    ActionSpec("refuse", s.RefuseSerializer, _refuse, "Refuse the complaint, with signposting"),
    ActionSpec("close", s.CloseSerializer, _close,
               "Close an answered case (an informal complaint is resolved informally)"),
    ActionSpec("reopen", s.ReopenSerializer, _reason(lifecycle.complaint_reopen), "Reopen a closed case"),
    ActionSpec("refer-to-ombudsman", s.ReferSerializer, _reason(lifecycle.complaint_refer_to_ombudsman),
               "Record that the Ombudsman has taken the case"),
    ActionSpec("assign", s.AssignSerializer, _assign, "Assign the case to an officer"),
    ActionSpec("record-consent", s.ConsentSerializer, _consent,
               "Record the complainant's consent to a representative (resumes a case held for it)"),
]
