"""Refused moves change nothing; stale and concurrent changes are caught.

Every service refuses with a DomainError subclass (TransitionRefused,
PolicyGuardFailed, StaleCase) and leaves the case exactly as it was: the
Complaint row (state, version and every other column), its deadline rows,
its stage rows, its history and everything hanging off it.

Dates: Mon 1 Jun 2026 is a Monday; June and July 2026 have no bank holidays.
A Barnet case received Mon 1 Jun 10:00 must be acknowledged by Mon 8 Jun (5 wd);
answered on Tue 16 Jun, its review must be asked by Thu 16 Jul (one month).
"""

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from complaints.models import (
    Action,
    CaseStage,
    Complainant,
    Complaint,
    ComplaintLink,
    Deadline,
    Extension,
    Note,
    StageOutcome,
    State,
)
from complaints.services import base, stage_work
from complaints.services.errors import DomainError, PolicyGuardFailed, StaleCase, TransitionRefused
from complaints.services.holds import complaint_hold, complaint_record_consent, complaint_resume
from complaints.services.intake import (
    ComplainantDetails,
    ComplaintDetails,
    RepresentativeDetails,
    complaint_create,
    complaint_transfer,
    complaint_triage,
)
from complaints.services.lifecycle import (
    complaint_assign,
    complaint_close,
    complaint_escalate,
    complaint_make_formal,
    complaint_refer_to_ombudsman,
    complaint_refuse,
    complaint_reopen,
    complaint_resolve_informally,
    complaint_withdraw,
)
from complaints.services.records import complaint_add_note
from complaints.services.stage_work import (
    ResponseDetails,
    complaint_acknowledge,
    complaint_extend,
    complaint_notify_department,
    complaint_record_meeting,
    complaint_respond,
)
from tests.factories import council, london, make_complaint, service_area, staff

D = dt.date.fromisoformat
ANSWER = ResponseDetails(outcome="upheld", findings="Three collections were missed.")
TOLD = london("2026-06-10T10:00")


def snapshot(case):
    """Everything a move could touch, read fresh from the database."""
    through = CaseStage.handled_by.through
    return {
        "case": Complaint.objects.filter(pk=case.pk).values().get(),
        "deadlines": list(Deadline.objects.filter(complaint_id=case.pk).order_by("pk").values()),
        "deadline_history": Deadline.history.filter(complaint_id=case.pk).count(),
        "stages": list(CaseStage.objects.filter(complaint_id=case.pk).order_by("pk").values()),
        "handlers": sorted(through.objects.filter(casestage__complaint_id=case.pk)
                           .values_list("casestage_id", "user_id")),
        "history": Complaint.history.filter(id=case.pk).count(),
        "outcomes": StageOutcome.objects.filter(complaint_id=case.pk).count(),
        "actions": Action.objects.filter(outcome__complaint_id=case.pk).count(),
        "extensions": Extension.objects.filter(deadline__complaint_id=case.pk).count(),
        "notes": Note.objects.filter(complaint_id=case.pk).count(),
        "links": ComplaintLink.objects.count(),
        "complaints": Complaint.objects.count(),
        "complainants": Complainant.objects.count(),
    }


# --- cases in every state the moves start from -----------------------------------
def people():
    return {
        "officer": staff("barnet", first_name="Olive", last_name="Officer"),
        "investigator": staff("barnet", first_name="Ian", last_name="Investigator"),
        "reviewer": staff("barnet", first_name="Sue", last_name="Senior"),
        "outsider": staff("lbbd"),
        "lbbd": staff("lbbd"),
        "tbg": staff("barnet-group"),
        "tbg_reviewer": staff("barnet-group"),
        "bucks": staff("bucks"),
    }


def barnet_new(p):
    return make_complaint("barnet", "2026-06-01T10:00")


def barnet_stage1(p):
    return complaint_triage(complaint=barnet_new(p), by=p["officer"], route="stage1", at=london("2026-06-01T11:00"))


def barnet_acknowledged(p):
    return complaint_acknowledge(complaint=barnet_stage1(p), by=p["officer"], at=london("2026-06-03T09:00"))


def barnet_stage1_responded(p):
    return complaint_respond(complaint=barnet_acknowledged(p), by=p["investigator"], details=ANSWER,
                             at=london("2026-06-16T15:00"))


def barnet_stage2(p):
    return complaint_escalate(complaint=barnet_stage1_responded(p), by=p["officer"],
                              requested_at=london("2026-07-01T10:00"), reviewer=p["reviewer"])


def barnet_stage2_responded(p):
    return complaint_respond(complaint=barnet_stage2(p), by=p["reviewer"], details=ANSWER,
                             at=london("2026-07-20T10:00"))


def barnet_closed_after_stage2(p):
    return complaint_close(complaint=barnet_stage2_responded(p), by=p["officer"], at=london("2026-07-21T10:00"))


def barnet_closed_after_stage1(p):
    return complaint_close(complaint=barnet_stage1_responded(p), by=p["officer"], at=london("2026-06-17T10:00"))


def barnet_informal(p):
    return complaint_triage(complaint=barnet_new(p), by=p["officer"], route="informal", at=london("2026-06-01T10:30"))


def barnet_refused(p):
    return complaint_refuse(complaint=barnet_new(p), by=p["officer"], reason="Parking ticket",
                            signposting="Appeal the Penalty Charge Notice", at=london("2026-06-02T10:00"))


def barnet_on_hold(p):
    return complaint_hold(complaint=barnet_acknowledged(p), by=p["officer"], reason="Waiting for CCTV",
                          at=london("2026-06-04T10:00"))


def barnet_transferred_at_stage1(p):
    case = barnet_stage1(p)
    complaint_transfer(complaint=case, by=p["officer"], to_council=council("barnet-group"),
                       at=london("2026-06-03T14:00"), reason="Barnet Homes matter (1.57)")
    case.refresh_from_db()
    return case


def barnet_transferred_when_new(p):
    case = barnet_new(p)
    complaint_transfer(complaint=case, by=p["officer"], to_council=council("barnet-group"),
                       at=london("2026-06-01T12:00"), reason="Barnet Homes matter (1.57)")
    case.refresh_from_db()
    return case


def barnet_from_a_councillor(p):
    return make_complaint("barnet", "2026-06-01T10:00", representative=RepresentativeDetails(
        name="Cllr Kim", relationship="ward councillor", role="councillor", consent="received",
        consent_received_on=D("2026-05-30"), consent_evidence="Signed form"))


def lbbd_new(p):
    return make_complaint("lbbd", "2026-05-18T10:00")


def lbbd_acknowledged(p):
    case = make_complaint("lbbd", "2026-05-18T10:00")
    case = complaint_triage(complaint=case, by=p["lbbd"], route="stage1", at=london("2026-05-18T11:00"))
    # Acknowledged Wed 20 May: respond Thu 4 Jun, cap 20 wd -> Thu 18 Jun (Mon 25 May is a holiday).
    return complaint_acknowledge(complaint=case, by=p["lbbd"], at=london("2026-05-20T09:00"))


def lbbd_on_hold_for_consent(p):
    case = make_complaint("lbbd", "2026-06-01T10:00",
                          representative=RepresentativeDetails(name="Sam Friend", relationship="friend", role="friend"))
    return complaint_triage(complaint=case, by=p["lbbd"], route="stage1", at=london("2026-06-01T11:00"))


def bucks_anonymous(p):
    return make_complaint("bucks", "2026-06-01T10:00", anonymous=True)


def tbg_stage1(p):
    case = make_complaint("barnet-group", "2026-06-01T10:00")
    # Cap: 20 wd of receipt Mon 1 Jun -> Mon 29 Jun.
    return complaint_triage(complaint=case, by=p["tbg"], route="stage1", at=london("2026-06-01T11:00"))


def tbg_stage2_responded_tenant(p):
    area = service_area("barnet-group", "Housing options and homelessness", "homelessness")
    case = make_complaint("barnet-group", "2026-06-01T10:00", areas=[area], complainant_type="tenant")
    case = complaint_triage(complaint=case, by=p["tbg"], route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=p["tbg"], details=ANSWER, at=london("2026-06-11T10:00"))
    case = complaint_escalate(complaint=case, by=p["tbg"], requested_at=london("2026-06-22T10:00"),
                              reviewer=p["tbg_reviewer"])
    return complaint_respond(complaint=case, by=p["tbg_reviewer"], details=ANSWER, at=london("2026-07-02T10:00"))


def tbg_panel(p):
    area = service_area("barnet-group", "Housing options and homelessness", "homelessness")
    case = make_complaint("barnet-group", "2026-06-01T10:00", areas=[area], complainant_type="resident")
    case = complaint_triage(complaint=case, by=p["tbg"], route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=p["tbg"], details=ANSWER, at=london("2026-06-11T10:00"))
    case = complaint_escalate(complaint=case, by=p["tbg"], requested_at=london("2026-06-22T10:00"),
                              reviewer=p["tbg_reviewer"])
    case = complaint_respond(complaint=case, by=p["tbg_reviewer"], details=ANSWER, at=london("2026-07-02T10:00"))
    return complaint_escalate(complaint=case, by=p["tbg"], requested_at=london("2026-07-06T10:00"),
                              reviewer=staff("barnet-group"))


@dataclass
class Move:
    id: str
    setup: Callable
    act: Callable
    error: type[DomainError]
    message: str


def _details(**kwargs):
    kwargs.setdefault("summary", "Bins not collected")
    return ComplaintDetails(**kwargs)


def _who():
    return ComplainantDetails(name="Alex Resident")


MOVES = [
    # -- receiving and triage
    Move("create: LBBD refuses an MP on a constituent's behalf", lbbd_acknowledged,
         lambda c, p: complaint_create(council=council("lbbd"), details=_details(), complainant=_who(),
                                       received_at=london("2026-06-01T10:00"),
                                       representative=RepresentativeDetails(name="Jo MP", relationship="MP",
                                                                            role="mp")),
         PolicyGuardFailed, "does not accept formal complaints from a mp"),
    Move("create: a complaint needs a summary", barnet_new,
         lambda c, p: complaint_create(council=council("barnet"), details=_details(summary="  "), complainant=_who(),
                                       received_at=london("2026-06-01T10:00")),
         PolicyGuardFailed, "A complaint needs a summary"),
    Move("create: a service area of another council is refused and the half-made case rolled back", barnet_new,
         lambda c, p: complaint_create(council=council("barnet"), complainant=_who(),
                                       details=_details(service_area_ids=[service_area("lbbd").pk]),
                                       received_at=london("2026-06-01T10:00")),
         PolicyGuardFailed, "A service area given does not belong to this council"),
    Move("triage: LBBD has no informal stage", lbbd_new,
         lambda c, p: complaint_triage(complaint=c, by=p["lbbd"], route="informal"),
         PolicyGuardFailed, "has no informal stage"),
    Move("triage: unknown route", barnet_new,
         lambda c, p: complaint_triage(complaint=c, by=p["officer"], route="stage2"),
         PolicyGuardFailed, "Unknown triage route 'stage2'"),
    Move("triage: a case already at Stage 1", barnet_stage1,
         lambda c, p: complaint_triage(complaint=c, by=p["officer"], route="stage1"),
         TransitionRefused, "Cannot start Stage 1"),
    Move("triage: Bucks anonymous to Stage 1 without a wider concern", bucks_anonymous,
         lambda c, p: complaint_triage(complaint=c, by=p["bucks"], route="stage1", reason=" "),
         PolicyGuardFailed, "logs anonymous complaints as service requests"),
    # -- stage work
    Move("acknowledge: a case not yet triaged", barnet_new,
         lambda c, p: complaint_acknowledge(complaint=c, by=p["officer"], at=london("2026-06-02T10:00")),
         TransitionRefused, "no stage is being worked"),
    Move("acknowledge: twice", barnet_acknowledged,
         lambda c, p: complaint_acknowledge(complaint=c, by=p["officer"], at=london("2026-06-04T10:00")),
         TransitionRefused, "stage1 was already acknowledged"),
    Move("acknowledge: dated before the stage started", barnet_stage1,
         lambda c, p: complaint_acknowledge(complaint=c, by=p["officer"], at=london("2026-06-01T09:00")),
         PolicyGuardFailed, "cannot be dated before the stage started"),
    Move("respond: an informal complaint", barnet_informal,
         lambda c, p: complaint_respond(complaint=c, by=p["officer"], details=ANSWER),
         TransitionRefused, "resolved or made formal"),
    Move("respond: without findings", barnet_acknowledged,
         lambda c, p: complaint_respond(complaint=c, by=p["officer"], at=london("2026-06-10T10:00"),
                                        details=ResponseDetails(outcome="upheld", findings="  ")),
         PolicyGuardFailed, "needs the findings"),
    Move("respond: arrears offset larger than the compensation", barnet_acknowledged,
         lambda c, p: complaint_respond(complaint=c, by=p["officer"], at=london("2026-06-10T10:00"),
                                        details=ResponseDetails(outcome="upheld", findings="Missed",
                                                                compensation_amount=Decimal("50"),
                                                                compensation_offset_against_arrears=Decimal("80"),
                                                                actions=[("Apologise", None, D("2026-06-20"))])),
         PolicyGuardFailed, "arrears offset cannot be more"),
    Move("respond: twice", barnet_stage1_responded,
         lambda c, p: complaint_respond(complaint=c, by=p["officer"], details=ANSWER, at=london("2026-06-17T10:00")),
         TransitionRefused, "no stage is being worked"),
    Move("respond: dated before the stage started", barnet_acknowledged,
         lambda c, p: complaint_respond(complaint=c, by=p["officer"], details=ANSWER, at=london("2026-05-29T10:00")),
         PolicyGuardFailed, "cannot be dated before the stage started"),
    Move("respond: LBBD case on hold for consent", lbbd_on_hold_for_consent,
         lambda c, p: complaint_respond(complaint=c, by=p["lbbd"], details=ANSWER, at=london("2026-06-05T10:00")),
         TransitionRefused, "is on hold"),
    Move("extend: to a date that is not later", barnet_acknowledged,
         lambda c, p: complaint_extend(complaint=c, by=p["officer"], new_date=D("2026-06-17"),
                                       complainant_told_at=TOLD, reason="More time"),
         PolicyGuardFailed, "2026-06-17 is not after 2026-06-17"),
    Move("extend: without a reason", barnet_acknowledged,
         lambda c, p: complaint_extend(complaint=c, by=p["officer"], new_date=D("2026-06-30"),
                                       complainant_told_at=TOLD, reason=" "),
         PolicyGuardFailed, "An extension needs a reason"),
    Move("extend: LBBD past the cap without agreement", lbbd_acknowledged,
         lambda c, p: complaint_extend(complaint=c, by=p["lbbd"], new_date=D("2026-06-19"),
                                       complainant_told_at=TOLD, reason="More time"),
         PolicyGuardFailed, "record the complainant's agreement"),
    Move("extend: Barnet Group past the cap even with agreement", tbg_stage1,
         lambda c, p: complaint_extend(complaint=c, by=p["tbg"], new_date=D("2026-06-30"), complainant_agreed=True,
                                       complainant_told_at=TOLD, reason="More time"),
         PolicyGuardFailed, "the policy allows no more"),
    Move("extend: the informal stage has no extension", barnet_informal,
         lambda c, p: complaint_extend(complaint=c, by=p["officer"], new_date=D("2026-06-30"),
                                       complainant_told_at=TOLD, reason="More time"),
         PolicyGuardFailed, "allows no extension at informal"),
    Move("meeting: Barnet Stage 1 has no meeting", barnet_acknowledged,
         lambda c, p: complaint_record_meeting(complaint=c, by=p["officer"], meeting_on=D("2026-06-10")),
         PolicyGuardFailed, "has no meeting"),
    Move("meeting: dated before the panel was confirmed", tbg_panel,
         lambda c, p: complaint_record_meeting(complaint=c, by=p["tbg"], meeting_on=D("2026-07-01")),
         PolicyGuardFailed, "cannot be dated before the stage started"),
    Move("notify department: a case not yet triaged", barnet_new,
         lambda c, p: complaint_notify_department(complaint=c, by=p["officer"]),
         TransitionRefused, "no stage is being worked"),
    # -- moving between stages
    Move("escalate: outside the window without a reason", barnet_stage1_responded,
         lambda c, p: complaint_escalate(complaint=c, by=p["officer"], requested_at=london("2026-07-17T10:00"),
                                         reviewer=p["reviewer"]),
         PolicyGuardFailed, "after the last day to ask, 2026-07-16 (1.43)"),
    Move("escalate: Barnet has no stage after the review", barnet_stage2_responded,
         lambda c, p: complaint_escalate(complaint=c, by=p["officer"], requested_at=london("2026-07-22T10:00")),
         PolicyGuardFailed, "has no stage after stage2"),
    Move("escalate: a case not yet triaged", barnet_new,
         lambda c, p: complaint_escalate(complaint=c, by=p["officer"], requested_at=london("2026-06-10T10:00")),
         PolicyGuardFailed, "has no stage after this one"),
    Move("escalate: Stage 1 not yet answered", barnet_acknowledged,
         lambda c, p: complaint_escalate(complaint=c, by=p["officer"], requested_at=london("2026-06-10T10:00"),
                                         reviewer=p["reviewer"]),
         TransitionRefused, "Cannot escalate to Review"),
    Move("escalate: reviewer handled Stage 1", barnet_stage1_responded,
         lambda c, p: complaint_escalate(complaint=c, by=p["officer"], requested_at=london("2026-07-01T10:00"),
                                         reviewer=p["investigator"]),
         PolicyGuardFailed, "Ian Investigator handled stage1"),
    Move("escalate: panel refused to a tenant", tbg_stage2_responded_tenant,
         lambda c, p: complaint_escalate(complaint=c, by=p["tbg"], requested_at=london("2026-07-06T10:00")),
         PolicyGuardFailed, "The panel is not open to a tenant"),
    Move("make formal: not informal", barnet_stage1,
         lambda c, p: complaint_make_formal(complaint=c, by=p["officer"]),
         TransitionRefused, "Cannot make the complaint formal"),
    Move("resolve informally: not informal", barnet_stage1,
         lambda c, p: complaint_resolve_informally(complaint=c, by=p["officer"], reason="Sorted"),
         TransitionRefused, "Cannot resolve informally"),
    Move("close: Stage 1 not answered", barnet_acknowledged,
         lambda c, p: complaint_close(complaint=c, by=p["officer"]),
         TransitionRefused, "Cannot close the case"),
    Move("close: already closed", barnet_closed_after_stage2,
         lambda c, p: complaint_close(complaint=c, by=p["officer"]),
         TransitionRefused, "is closed"),
    Move("reopen: after the final stage (1.33)", barnet_closed_after_stage2,
         lambda c, p: complaint_reopen(complaint=c, by=p["officer"], reason="Unhappy"),
         PolicyGuardFailed, "cannot be reopened on the same matters (1.33)"),
    Move("reopen: without a reason", barnet_closed_after_stage1,
         lambda c, p: complaint_reopen(complaint=c, by=p["officer"], reason=" "),
         PolicyGuardFailed, "Reopening a case needs a reason"),
    Move("reopen: an open case", barnet_stage1,
         lambda c, p: complaint_reopen(complaint=c, by=p["officer"], reason="Unhappy"),
         TransitionRefused, "Cannot reopen the case"),
    Move("reopen: a case transferred at Stage 1 (it continues at the other body)", barnet_transferred_at_stage1,
         lambda c, p: complaint_reopen(complaint=c, by=p["officer"], reason="Unhappy"),
         PolicyGuardFailed, "was transferred to TBG-2026-00001"),
    Move("reopen: a case transferred before triage", barnet_transferred_when_new,
         lambda c, p: complaint_reopen(complaint=c, by=p["officer"], reason="Unhappy"),
         PolicyGuardFailed, "was transferred to TBG-2026-00001"),
    Move("refuse: without signposting", barnet_stage1,
         lambda c, p: complaint_refuse(complaint=c, by=p["officer"], reason="Out of scope", signposting=""),
         PolicyGuardFailed, "needs a reason and signposting"),
    Move("refuse: a case already answered", barnet_stage1_responded,
         lambda c, p: complaint_refuse(complaint=c, by=p["officer"], reason="Out of scope", signposting="Elsewhere"),
         TransitionRefused, "Cannot refuse the complaint"),
    Move("withdraw: a closed case", barnet_closed_after_stage2,
         lambda c, p: complaint_withdraw(complaint=c, by=p["officer"], reason="Changed mind"),
         TransitionRefused, "Cannot withdraw the complaint"),
    Move("withdraw: a refused case", barnet_refused,
         lambda c, p: complaint_withdraw(complaint=c, by=p["officer"], reason="Changed mind"),
         TransitionRefused, "is refused"),
    Move("ombudsman: a refused case", barnet_refused,
         lambda c, p: complaint_refer_to_ombudsman(complaint=c, by=p["officer"]),
         TransitionRefused, "Cannot record an Ombudsman referral"),
    Move("assign: an officer of another council", barnet_stage1,
         lambda c, p: complaint_assign(complaint=c, by=p["officer"], officer=p["outsider"]),
         PolicyGuardFailed, "does not work for Barnet Council"),
    Move("assign: a Stage 1 handler to the review", barnet_stage2,
         lambda c, p: complaint_assign(complaint=c, by=p["reviewer"], officer=p["investigator"]),
         PolicyGuardFailed, "so cannot review it at stage2"),
    Move("transfer: without a reason", barnet_stage1,
         lambda c, p: complaint_transfer(complaint=c, by=p["officer"], to_council=council("barnet-group"), reason=""),
         PolicyGuardFailed, "A transfer needs a reason"),
    Move("transfer: to the same body", barnet_stage1,
         lambda c, p: complaint_transfer(complaint=c, by=p["officer"], to_council=council("barnet"), reason="Oops"),
         PolicyGuardFailed, "to a different body"),
    Move("transfer: a closed case (the receiving case is rolled back)", barnet_closed_after_stage2,
         lambda c, p: complaint_transfer(complaint=c, by=p["officer"], to_council=council("barnet-group"),
                                         reason="Barnet Homes matter"),
         TransitionRefused, "Cannot transfer"),
    Move("transfer: a councillor's complaint to LBBD, which does not take them", barnet_from_a_councillor,
         lambda c, p: complaint_transfer(complaint=c, by=p["officer"], to_council=council("lbbd"),
                                         reason="Wrong council"),
         PolicyGuardFailed, "does not accept formal complaints from a councillor"),
    # -- holds and consent
    Move("hold: without a reason", barnet_acknowledged,
         lambda c, p: complaint_hold(complaint=c, by=p["officer"], reason=" "),
         PolicyGuardFailed, "needs a reason"),
    Move("hold: a case not yet triaged", barnet_new,
         lambda c, p: complaint_hold(complaint=c, by=p["officer"], reason="Waiting"),
         TransitionRefused, "Cannot put the case on hold"),
    Move("resume: a case not on hold", barnet_acknowledged,
         lambda c, p: complaint_resume(complaint=c, by=p["officer"]),
         TransitionRefused, "Cannot resume the case"),
    Move("resume: LBBD still waiting for consent", lbbd_on_hold_for_consent,
         lambda c, p: complaint_resume(complaint=c, by=p["lbbd"]),
         PolicyGuardFailed, "cannot proceed until the complainant's consent is recorded"),
    Move("consent: without evidence", lbbd_on_hold_for_consent,
         lambda c, p: complaint_record_consent(complaint=c, by=p["lbbd"], received_on=D("2026-06-05"), evidence=""),
         PolicyGuardFailed, "Record what the consent evidence is"),
    Move("consent: no representative", barnet_on_hold,
         lambda c, p: complaint_record_consent(complaint=c, by=p["officer"], received_on=D("2026-06-05"),
                                               evidence="Email"),
         PolicyGuardFailed, "has no representative"),
    Move("note: empty", barnet_stage1,
         lambda c, p: complaint_add_note(complaint=c, by=p["officer"], text=" "),
         PolicyGuardFailed, "A note cannot be empty"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("move", MOVES, ids=[m.id for m in MOVES])
def test_a_refused_move_changes_nothing(move):
    p = people()
    case = move.setup(p)
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        move.act(case, p)
    assert type(refused.value) is move.error
    assert move.message in refused.value.message
    after = snapshot(case)
    assert (after["case"]["state"], after["case"]["version"]) == (before["case"]["state"], before["case"]["version"])
    assert after == before


# --- optimistic lock ------------------------------------------------------------
STALE = [
    ("triage", barnet_new, lambda c, p, v: complaint_triage(complaint=c, by=p["officer"], route="stage1",
                                                            expected_version=v)),
    ("acknowledge", barnet_stage1, lambda c, p, v: complaint_acknowledge(
        complaint=c, by=p["officer"], at=london("2026-06-03T09:00"), expected_version=v)),
    ("respond", barnet_acknowledged, lambda c, p, v: complaint_respond(
        complaint=c, by=p["officer"], details=ANSWER, at=london("2026-06-10T09:00"), expected_version=v)),
    ("extend", barnet_acknowledged, lambda c, p, v: complaint_extend(
        complaint=c, by=p["officer"], new_date=D("2026-06-30"), complainant_told_at=TOLD, reason="More time",
        expected_version=v)),
    ("escalate", barnet_stage1_responded, lambda c, p, v: complaint_escalate(
        complaint=c, by=p["officer"], requested_at=london("2026-07-01T10:00"), reviewer=p["reviewer"],
        expected_version=v)),
    ("close", barnet_stage1_responded, lambda c, p, v: complaint_close(complaint=c, by=p["officer"],
                                                                       expected_version=v)),
    ("withdraw", barnet_stage1, lambda c, p, v: complaint_withdraw(complaint=c, by=p["officer"], reason="Done",
                                                                   expected_version=v)),
    ("hold", barnet_stage1, lambda c, p, v: complaint_hold(complaint=c, by=p["officer"], reason="Waiting",
                                                           expected_version=v)),
    ("assign", barnet_stage1, lambda c, p, v: complaint_assign(complaint=c, by=p["officer"], officer=p["reviewer"],
                                                               expected_version=v)),
    ("transfer", barnet_stage1, lambda c, p, v: complaint_transfer(
        complaint=c, by=p["officer"], to_council=council("barnet-group"), reason="Barnet Homes", expected_version=v)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "setup", "act"), STALE, ids=[s[0] for s in STALE])
def test_a_stale_expected_version_raises_stale_case_and_changes_nothing(name, setup, act):
    p = people()
    case = setup(p)
    before = snapshot(case)
    loaded = case.version - 1  # the user opened the case before its last change
    with pytest.raises(StaleCase) as stale:
        act(case, p, loaded)
    assert stale.value.message == (
        f"{case.reference} was changed by someone else since you opened it "
        f"(version {loaded}, now {case.version}); reload the case and try again"
    )
    assert snapshot(case) == before


@pytest.mark.django_db
def test_the_current_expected_version_is_accepted():
    p = people()
    case = barnet_stage1(p)
    case = complaint_acknowledge(complaint=case, by=p["officer"], at=london("2026-06-03T09:00"),
                                 expected_version=case.version)
    assert case.version == 3


# --- two officers at once ---------------------------------------------------------
def race(monkeypatch, pk, attempts):
    """Run each attempt in its own thread and connection, released together by a barrier.

    The winner sleeps inside its transaction (while holding the row lock) so the other
    really waits on the lock rather than running after the winner has finished.
    """
    real_sync = stage_work.stage_deadlines_sync
    # When each thread had done its work while holding the row lock: the lock is released only
    # after this, so a rival answered later was really waiting. (The time after the service returns
    # is no measure: the rival can be answered between the commit and that reading of the clock.)
    held_until = {}

    def slow_sync(**kwargs):
        time.sleep(0.5)
        rows = real_sync(**kwargs)
        held_until[threading.get_ident()] = time.monotonic()
        return rows

    monkeypatch.setattr(stage_work, "stage_deadlines_sync", slow_sync)
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, attempt):
        from django.db import connection

        try:
            barrier.wait(timeout=10)
            started = time.monotonic()
            attempt(Complaint.objects.get(pk=pk))
            results[index] = ("ok", started, held_until.get(threading.get_ident(), time.monotonic()))
        except DomainError as exc:
            results[index] = (exc, started, time.monotonic())
        except Exception as exc:  # anything else is a failure of the test
            results[index] = (exc, 0.0, 0.0)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def queued(monkeypatch):
    """Side effects queued on commit, recorded instead of sent to the broker."""
    events = []
    monkeypatch.setattr(base, "enqueue_case_event", lambda pk, reference, event: events.append(event))
    return events


def one_winner(results):
    winners = [r for r in results if r[0] == "ok"]
    losers = [r for r in results if r[0] != "ok"]
    assert len(winners) == 1 and len(losers) == 1, results
    (_, _, won_at), (error, lost_started, lost_at) = winners[0], losers[0]
    # They overlapped: the loser started before the winner let go of the lock, and was answered after.
    assert lost_started < won_at <= lost_at
    return error


@pytest.mark.django_db(transaction=True)
def test_two_officers_acknowledging_at_once_exactly_one_succeeds(monkeypatch, queued):
    first = staff("barnet")
    second = staff("barnet")
    case = barnet_stage1({"officer": staff("barnet")})
    version, history = case.version, case.history.count()
    queued.clear()

    results = race(monkeypatch, case.pk, [
        lambda c: complaint_acknowledge(complaint=c, by=first, at=london("2026-06-03T09:00")),
        lambda c: complaint_acknowledge(complaint=c, by=second, at=london("2026-06-04T09:00")),
    ])
    error = one_winner(results)
    assert type(error) is TransitionRefused
    assert error.message == f"{case.reference} stage1 was already acknowledged"

    winner = first if results[0][0] == "ok" else second
    winner_at = london("2026-06-03T09:00") if winner == first else london("2026-06-04T09:00")
    case.refresh_from_db()
    assert (case.state, case.version, case.history.count()) == (State.STAGE1, version + 1, history + 1)
    stage = CaseStage.objects.get(complaint=case, stage="stage1")
    assert stage.acknowledged_at == winner_at
    assert winner in stage.handled_by.all() and (first if winner == second else second) not in stage.handled_by.all()
    assert Deadline.objects.get(complaint=case, stage="stage1", kind="acknowledge").met_at == winner_at
    assert queued == ["acknowledged:stage1"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("with_version", "expected"), [(False, TransitionRefused), (True, StaleCase)])
def test_two_officers_responding_at_once_exactly_one_succeeds(monkeypatch, queued, with_version, expected):
    first = staff("barnet")
    second = staff("barnet")
    case = barnet_acknowledged({"officer": staff("barnet")})
    version = case.version
    loaded = version if with_version else None
    queued.clear()

    results = race(monkeypatch, case.pk, [
        lambda c: complaint_respond(complaint=c, by=first, details=ANSWER, at=london("2026-06-10T10:00"),
                                    expected_version=loaded),
        lambda c: complaint_respond(complaint=c, by=second, details=ANSWER, at=london("2026-06-11T10:00"),
                                    expected_version=loaded),
    ])
    error = one_winner(results)
    assert type(error) is expected
    case.refresh_from_db()
    assert (case.state, case.version) == (State.STAGE1_RESPONDED, version + 1)
    assert StageOutcome.objects.filter(complaint=case).count() == 1
    assert len(queued) == 1 and queued[0].startswith("responded:stage1:")
