"""Each action page: its form, the one service it calls, and what the officer is told.

``perform`` functions get the case, the valid form and the user, call exactly
one service with the form's version as ``expected_version`` and return the
success message. A DomainError from the service propagates to the view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from complaints.models import State
from complaints.services import holds, intake, lifecycle, stage_work
from complaints.staff import forms as f
from complaints.staff import services as staff_services
from complaints.staff.access import display_name
from complaints.staff.forms_response import ResponseForm
from complaints.staff.moves import Situation
from deadlines.engine import format_date


@dataclass(frozen=True)
class ActionSpec:
    title: str
    form_class: type
    perform: Callable
    submit: str = "Save"
    form_kwargs: Callable[[Situation, bool], dict] = field(default=lambda s, posting: {})
    facts: Callable[[Situation], list[tuple[str, str]]] = field(default=lambda s: [])


def _v(form) -> int:
    return form.cleaned_data["version"]


# --- triage ------------------------------------------------------------------
def _routes(s: Situation, posting: bool) -> dict:
    """Offered routes; on POST every route, so a stale or refused move gets the service's own message."""
    policy, t = s.policy, s.transitions
    informal = policy.stage("informal")
    candidates = [
        ("stage1", f"Formal complaint: {policy.stage('stage1').name}", "start_stage1",
         "Counted from the date it was received."),
        ("informal", informal.name if informal else "Informal", "start_informal",
         informal.description if informal else ""),
        ("service_request", "Not a complaint: a service request", "make_service_request",
         "Passed to the service to deal with; no complaint deadlines."),
    ]
    return {"routes": [(key, label, hint) for key, label, transition, hint in candidates
                       if (key != "informal" or informal is not None) and (posting or transition in t)]}


def _triage(case, form, user):
    route = form.cleaned_data["route"]
    done = intake.complaint_triage(complaint=case, by=user, route=route, reason=form.cleaned_data["reason"],
                                   expected_version=_v(form))
    return f"{done.reference} triaged: now {State(done.state).label.lower()}"


def _refuse(case, form, user):
    reason, signposting = form.reason_and_signposting()
    lifecycle.complaint_refuse(complaint=case, by=user, reason=reason, signposting=signposting,
                               expected_version=_v(form))
    return f"{case.reference} refused"


# --- stage work --------------------------------------------------------------
def _acknowledge(case, form, user):
    stage_work.complaint_acknowledge(complaint=case, by=user, at=f.instant_on(form.cleaned_data["on"]),
                                     expected_version=_v(form))
    return f"{case.reference} acknowledged"


def _respond(case, form, user):
    done = stage_work.complaint_respond(complaint=case, by=user, details=form.details(),
                                        at=f.instant_on(form.cleaned_data["on"]), expected_version=_v(form))
    return f"Response recorded: {done.reference} is now {State(done.state).label.lower()}"


def _extend(case, form, user):
    d = form.cleaned_data
    deadline = stage_work.complaint_extend(
        complaint=case, by=user, new_date=d["new_date"], reason=d["reason"],
        complainant_told_at=f.instant_on(d["told_on"]), complainant_agreed=d["complainant_agreed"],
        expected_version=_v(form))
    return f"Response deadline extended to {format_date(deadline.due_date)}"


def _extend_facts(s: Situation) -> list[tuple[str, str]]:
    row = s.case.deadlines.filter(stage=s.case.stage, kind="respond").first()
    rule = s.stage_rule.extension if s.stage_rule else None
    facts = []
    if row is not None:
        facts.append(("Respond by now", format_date(row.due_date)))
        facts.append(("Latest without the complainant's agreement",
                      format_date(row.cap_date) if row.cap_date else "No limit in the policy"))
    if rule is not None and rule.notice:
        facts.append(("The policy says", rule.notice))
    return facts


def _meeting(case, form, user):
    stage_work.complaint_record_meeting(complaint=case, by=user, meeting_on=form.cleaned_data["meeting_on"],
                                        expected_version=_v(form))
    return "Panel meeting recorded"


def _notify_department(case, form, user):
    stage_work.complaint_notify_department(complaint=case, by=user, at=f.instant_on(form.cleaned_data["on"]),
                                           expected_version=_v(form))
    return "Department notification recorded"


# --- holds and consent -------------------------------------------------------
def _hold(case, form, user):
    holds.complaint_hold(complaint=case, by=user, reason=form.cleaned_data["reason"], expected_version=_v(form))
    return f"{case.reference} is on hold: its deadlines are paused"


def _resume(case, form, user):
    holds.complaint_resume(complaint=case, by=user, reason=form.cleaned_data["reason"], expected_version=_v(form))
    return f"{case.reference} resumed"


def _consent(case, form, user):
    d = form.cleaned_data
    holds.complaint_record_consent(complaint=case, by=user, received_on=d["received_on"], evidence=d["evidence"],
                                   expected_version=_v(form))
    return "Consent recorded"


# --- moving between stages and out ------------------------------------------
def _escalate(case, form, user):
    d = form.cleaned_data
    done = lifecycle.complaint_escalate(
        complaint=case, by=user, requested_at=f.instant_on(d["requested_on"]), reviewer=d["reviewer"],
        discretion_reason=d["discretion_reason"], expected_version=_v(form))
    return f"{done.reference} escalated: now {State(done.state).label.lower()}"


def _escalate_facts(s: Situation) -> list[tuple[str, str]]:
    facts = [("Next stage", s.next_stage.name)] if s.next_stage else []
    window = s.case.deadlines.filter(stage=s.case.stage, kind="escalate").first()
    if window is not None:
        facts.append(("Last day to ask", format_date(window.due_date)))
    return facts


def _simple(service, message: str):
    def perform(case, form, user):
        service(complaint=case, by=user, reason=form.cleaned_data["reason"], expected_version=_v(form))
        return message.format(ref=case.reference)
    return perform


def _transfer(case, form, user):
    d = form.cleaned_data
    receiving = intake.complaint_transfer(complaint=case, by=user, to_council=d["to_council"], reason=d["reason"],
                                          expected_version=_v(form))
    return f"{case.reference} transferred to {d['to_council'].short_name} as {receiving.reference}"


def _ombudsman_facts(s: Situation) -> list[tuple[str, str]]:
    names = {"lgsco": "Local Government and Social Care Ombudsman", "housing": "Housing Ombudsman"}
    return [("Usual Ombudsman for this body", names[s.policy.ombudsman.default])]


def _assign(case, form, user):
    officer = form.cleaned_data["officer"]
    lifecycle.complaint_assign(complaint=case, by=user, officer=officer, expected_version=_v(form))
    return f"{case.reference} assigned to {display_name(officer)}"


# --- records -------------------------------------------------------------------
def _note(case, form, user):
    staff_services.note_add(complaint=case, by=user, text=form.cleaned_data["text"], expected_version=_v(form))
    return "Note added"


def _correspondence(case, form, user):
    d = form.cleaned_data
    staff_services.correspondence_record(
        complaint=case, by=user, direction=d["direction"], kind=d["kind"], subject=d["subject"], body=d["body"],
        occurred_at=f.instant_on(d["on"]), uploaded_file=d["attachment"], expected_version=_v(form))
    return "Correspondence recorded"


def _adjustments(case, form, user):
    d = form.cleaned_data
    staff_services.adjustments_record(complaint=case, by=user, adjustments=d["adjustments"],
                                      contact_preference=d["contact_preference"], expected_version=_v(form))
    return "Reasonable adjustments reviewed"


def _link(case, form, user):
    staff_services.cases_link(complaint=case, other=form.other, kind=form.cleaned_data["kind"], by=user,
                              expected_version=_v(form))
    return f"{case.reference} linked to {form.other.reference}"


def _conflict(case, form, user):
    barred = form.cleaned_data["user"]
    staff_services.conflict_of_interest_record(complaint=case, user=barred, reason=form.cleaned_data["reason"],
                                               by=user, expected_version=_v(form))
    return f"Conflict of interest recorded: {display_name(barred)} can no longer see {case.reference}"


def _dated(label: str):
    return lambda s, posting: {"date_label": label}


ACTIONS: dict[str, ActionSpec] = {
    "triage": ActionSpec("Triage the contact", f.TriageForm, _triage, "Save triage", _routes),
    "refuse": ActionSpec("Refuse the complaint", f.RefuseForm, _refuse, "Refuse the complaint"),
    "acknowledge": ActionSpec("Acknowledge the complaint", f.DatedForm, _acknowledge, "Record acknowledgement",
                              _dated("Date the acknowledgement was sent")),
    "respond": ActionSpec("Record the stage response", ResponseForm, _respond, "Record the response"),
    "resolve-informally": ActionSpec("Resolve informally", f.ReasonForm,
                                     _simple(lifecycle.complaint_resolve_informally, "{ref} resolved informally"),
                                     "Resolve informally"),
    "make-formal": ActionSpec("Make the complaint formal", f.OptionalReasonForm,
                              _simple(lifecycle.complaint_make_formal, "{ref} is now a formal complaint"),
                              "Start Stage 1"),
    "extend": ActionSpec("Extend the response deadline", f.ExtendForm, _extend, "Extend the deadline",
                         facts=_extend_facts),
    "meeting": ActionSpec("Record the panel meeting", f.MeetingForm, _meeting, "Record the meeting"),
    "notify-department": ActionSpec("Record that the department was notified", f.DatedForm, _notify_department,
                                    "Record notification", _dated("Date the department was notified")),
    "hold": ActionSpec("Put the case on hold", f.ReasonForm, _hold, "Put on hold"),
    "resume": ActionSpec("Resume the case", f.OptionalReasonForm, _resume, "Resume"),
    "consent": ActionSpec("Record the complainant's consent", f.ConsentForm, _consent, "Record consent"),
    "escalate": ActionSpec("Escalate to the next stage", f.EscalateForm, _escalate, "Escalate",
                           facts=_escalate_facts),
    "close": ActionSpec("Close the case", f.OptionalReasonForm, _simple(lifecycle.complaint_close, "{ref} closed"),
                        "Close the case"),
    "reopen": ActionSpec("Reopen the case", f.ReasonForm, _simple(lifecycle.complaint_reopen, "{ref} reopened"),
                         "Reopen the case"),
    "withdraw": ActionSpec("Withdraw the complaint", f.ReasonForm,
                           _simple(lifecycle.complaint_withdraw, "{ref} withdrawn"), "Withdraw"),
    "ombudsman": ActionSpec("Refer to the Ombudsman", f.OptionalReasonForm,
                            _simple(lifecycle.complaint_refer_to_ombudsman, "{ref} is with the Ombudsman"),
                            "Record the referral", facts=_ombudsman_facts),
    "transfer": ActionSpec("Transfer to another body", f.TransferForm, _transfer, "Transfer"),
    "assign": ActionSpec("Assign the case", f.AssignForm, _assign, "Assign"),
    "note": ActionSpec("Add a note", f.NoteForm, _note, "Add note"),
    "correspondence": ActionSpec("Record correspondence", f.CorrespondenceForm, _correspondence,
                                 "Record correspondence"),
    "adjustments": ActionSpec("Review reasonable adjustments", f.AdjustmentsForm, _adjustments, "Save"),
    "link": ActionSpec("Link cases", f.LinkForm, _link, "Link cases"),
    "conflict": ActionSpec("Record a conflict of interest", f.ConflictForm, _conflict, "Record conflict"),
}
