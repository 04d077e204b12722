"""Each complaint action: its body, the one service it calls with the body's version, and who may.

``perform(case, data, request)`` calls exactly one service (``expected_version=data["version"]``);
a DomainError from it becomes a 409. The actions are the case screens' moves (``move`` names the
staff screen's move, whose roles a signed-in caller needs; a token acts as a complaints officer).
Two actions also follow the stage, for integrations written before ``make-formal`` and
``resolve-informally`` were exposed: ``escalate`` on an informal complaint makes it formal
(Stage 1), and ``close`` on an informal complaint resolves it informally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from complaints.api import serializers_actions as s
from complaints.api.scoping import REFERENCE, visible_complaints
from complaints.models import Complaint, State
from complaints.services import holds, intake, lifecycle, stage_work
from complaints.staff import services as staff_services
from policies.models import Council


@dataclass(frozen=True)
class ActionSpec:
    name: str
    serializer: type[serializers.Serializer]
    perform: Callable[[Complaint, dict, object], None]
    summary: str
    move: str  # the staff screens' move (complaints.staff.moves): the roles allowed to make it


def council_officer(council_id: int, username: str, field: str):
    """An active user of the council; a 400 on ``field`` otherwise."""
    user = (get_user_model().objects.filter(username=username, is_active=True,
                                            staff_member__council=council_id).first())
    if user is None:
        raise serializers.ValidationError({field: [f"No officer {username!r} works for this council."]})
    return user


# --- triage and stage work ------------------------------------------------------------
def _triage(case, d, request):
    intake.complaint_triage(complaint=case, by=request.user, route=d["route"], at=d.get("at"), reason=d["reason"],
                            expected_version=d["version"])


def _acknowledge(case, d, request):
    stage_work.complaint_acknowledge(complaint=case, by=request.user, at=d.get("at"),
                                     expected_version=d["version"])


def _extend(case, d, request):
    stage_work.complaint_extend(
        complaint=case, by=request.user, new_date=d["new_date"], reason=d["reason"],
        complainant_told_at=d.get("complainant_told_at") or timezone.now(),
        complainant_agreed=d["complainant_agreed"], expected_version=d["version"])


def _respond(case, d, request):
    actions = [(a["description"], council_officer(case.council_id, a["owner"], "actions"), a["due_date"])
               for a in d["actions"]]
    details = stage_work.ResponseDetails(
        outcome=d["outcome"], findings=d["findings"], remedy_apology=d["remedy_apology"],
        remedy_explanation=d["remedy_explanation"], remedy_action=d["remedy_action"],
        compensation_amount=d["compensation_amount"],
        compensation_offset_against_arrears=d["compensation_offset_against_arrears"],
        learning_points=d["learning_points"], actions=actions)
    stage_work.complaint_respond(complaint=case, by=request.user, details=details, at=d.get("at"),
                                 expected_version=d["version"])


def _meeting(case, d, request):
    stage_work.complaint_record_meeting(complaint=case, by=request.user, meeting_on=d["meeting_on"],
                                        expected_version=d["version"])


def _notify_department(case, d, request):
    stage_work.complaint_notify_department(complaint=case, by=request.user, at=d.get("at"),
                                           expected_version=d["version"])


# --- moving between stages and out ----------------------------------------------------------
def _escalate(case, d, request):
    requested_at = d.get("requested_at") or timezone.now()
    if case.state == State.INFORMAL:
        lifecycle.complaint_make_formal(complaint=case, by=request.user, at=requested_at,
                                        reason=d["discretion_reason"], expected_version=d["version"])
        return
    reviewer = council_officer(case.council_id, d["reviewer"], "reviewer") if d["reviewer"] else None
    lifecycle.complaint_escalate(complaint=case, by=request.user, requested_at=requested_at, reviewer=reviewer,
                                 discretion_reason=d["discretion_reason"], expected_version=d["version"])


def _close(case, d, request):
    service = lifecycle.complaint_resolve_informally if case.state == State.INFORMAL else lifecycle.complaint_close
    service(complaint=case, by=request.user, at=d.get("at"), reason=d["reason"], expected_version=d["version"])


def _reason(service):
    def perform(case, d, request):
        service(complaint=case, by=request.user, at=d.get("at"), reason=d["reason"],
                expected_version=d["version"])
    return perform


def _refuse(case, d, request):
    lifecycle.complaint_refuse(complaint=case, by=request.user, reason=d["reason"], signposting=d["signposting"],
                               at=d.get("at"), expected_version=d["version"])


def _transfer(case, d, request):
    body = Council.objects.filter(slug=d["to_council"]).first()
    if body is None:
        raise serializers.ValidationError({"to_council": [f"No body {d['to_council']!r} on this service."]})
    intake.complaint_transfer(complaint=case, by=request.user, to_council=body, at=d.get("at"), reason=d["reason"],
                              expected_version=d["version"])


# --- people and records -----------------------------------------------------------------------
def _assign(case, d, request):
    officer = council_officer(case.council_id, d["officer"], "officer")
    lifecycle.complaint_assign(complaint=case, by=request.user, officer=officer, expected_version=d["version"])


def _consent(case, d, request):
    holds.complaint_record_consent(complaint=case, by=request.user, received_on=d["received_on"],
                                   evidence=d["evidence"], at=d.get("at"), expected_version=d["version"])


def _link(case, d, request):
    """The other case is looked up among the caller's own: another council's reference is not found."""
    reference = d["reference"].strip().upper()
    other = visible_complaints(request).filter(reference=reference).first() if REFERENCE.match(reference) else None
    if other is None:
        raise serializers.ValidationError({"reference": [f"No complaint {reference!r} in your council."]})
    staff_services.cases_link(complaint=case, other=other, kind=d["kind"], by=request.user,
                              expected_version=d["version"])


def _adjustments(case, d, request):
    staff_services.adjustments_record(complaint=case, by=request.user, adjustments=d["adjustments"],
                                      contact_preference=d["contact_preference"], expected_version=d["version"])


ACTIONS = [
    ActionSpec("triage", s.TriageSerializer, _triage,
               "Triage a new contact: informal, Stage 1 or a service request", "triage"),
    ActionSpec("acknowledge", s.AcknowledgeSerializer, _acknowledge, "Acknowledge the current stage", "acknowledge"),
    ActionSpec("extend", s.ExtendSerializer, _extend,
               "Extend the current stage's response deadline (within the policy's cap)", "extend"),
    ActionSpec("respond", s.RespondSerializer, _respond, "Record the stage response (outcome, remedies)", "respond"),
    ActionSpec("record-meeting", s.MeetingSerializer, _meeting,
               "Record the stage's meeting (e.g. the panel's), where the policy has one", "meeting"),
    ActionSpec("notify-department", s.NotifyDepartmentSerializer, _notify_department,
               "Record that the department concerned was told of the complaint", "notify-department"),
    ActionSpec("escalate", s.EscalateSerializer, _escalate,
               "Escalate to the next stage (an informal complaint is made formal)", "escalate"),
    ActionSpec("make-formal", s.MakeFormalSerializer, _reason(lifecycle.complaint_make_formal),
               "Make an informal complaint formal: Stage 1, counted from the original receipt", "make-formal"),
    ActionSpec("resolve-informally", s.ResolveInformallySerializer, _reason(lifecycle.complaint_resolve_informally),
               "Close an informal complaint as resolved", "resolve-informally"),
    ActionSpec("hold", s.HoldSerializer, _reason(holds.complaint_hold), "Put the case on hold (deadlines pause)",
               "hold"),
    ActionSpec("resume", s.ResumeSerializer, _reason(holds.complaint_resume), "Resume a case on hold", "resume"),
    ActionSpec("withdraw", s.WithdrawSerializer, _reason(lifecycle.complaint_withdraw), "Record a withdrawal",
               "withdraw"),
    ActionSpec("refuse", s.RefuseSerializer, _refuse, "Refuse the complaint, with signposting", "refuse"),
    ActionSpec("close", s.CloseSerializer, _close,
               "Close an answered case (an informal complaint is resolved informally)", "close"),
    ActionSpec("reopen", s.ReopenSerializer, _reason(lifecycle.complaint_reopen), "Reopen a closed case", "reopen"),
    ActionSpec("refer-to-ombudsman", s.ReferSerializer, _reason(lifecycle.complaint_refer_to_ombudsman),
               "Record that the Ombudsman has taken the case", "ombudsman"),
    ActionSpec("transfer", s.TransferSerializer, _transfer,
               "Transfer to another body: closed here, received there now (see transferred_to)", "transfer"),
    ActionSpec("assign", s.AssignSerializer, _assign, "Assign the case to an officer", "assign"),
    ActionSpec("record-consent", s.ConsentSerializer, _consent,
               "Record the complainant's consent to a representative (resumes a case held for it)", "consent"),
    ActionSpec("link", s.LinkSerializer, _link,
               "Link another case of the council: joint investigation or one co-ordinated response", "link"),
    ActionSpec("record-adjustments", s.AdjustmentsSerializer, _adjustments,
               "Record (or confirm on review) the complainant's reasonable adjustments and contact preference",
               "adjustments"),
]
