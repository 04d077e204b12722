"""Known cases built through the services, with every date counted by hand.

England's bank holidays used: 25 and 26 Dec 2025, 1 Jan 2026, Good Friday 3 Apr and
Easter Monday 6 Apr 2026, 4 May, 25 May, 31 Aug, 25 Dec and 28 Dec 2026. "Within N working
days of D": D is day 0, the N-th working day after it is the deadline. Times are London.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from complaints.models import Action
from complaints.services.intake import RepresentativeDetails, complaint_triage
from complaints.services.lifecycle import (
    complaint_assign,
    complaint_close,
    complaint_escalate,
    complaint_refer_to_ombudsman,
    complaint_refuse,
    complaint_resolve_informally,
    complaint_withdraw,
)
from complaints.services.people import action_complete
from complaints.services.records import feedback_record
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_extend, complaint_respond
from tests.factories import council, london, make_complaint, service_area, staff

D = dt.date.fromisoformat
LEARNING = "Check the round sheet before closing a missed collection"


@dataclass
class Barnet2026:
    """Barnet's year 2026 (and one case from December 2025 answered in January)."""

    officer: object = None
    investigator: object = None
    manager: object = None
    reviewer: object = None
    waste: object = None
    benefits: object = None
    cases: dict = field(default_factory=dict)


def _stage1(slug, received, by, *, areas=(), ack=None):
    case = make_complaint(slug, received, areas=areas)
    case = complaint_triage(complaint=case, by=by, route="stage1", at=london(received))
    if ack:
        case = complaint_acknowledge(complaint=case, by=by, at=london(ack))
    return case


def build_barnet_2026() -> Barnet2026:
    s = Barnet2026()
    s.officer = staff("barnet", first_name="Olu", last_name="Officer")
    s.investigator = staff("barnet", role="investigating_officer", first_name="Ira", last_name="Investigator")
    s.manager = staff("barnet", role="complaints_manager", first_name="Mo", last_name="Manager")
    s.reviewer = staff("barnet", role="complaints_manager", first_name="Rae", last_name="Reviewer")
    s.waste = service_area("barnet", "Waste and recycling")
    s.benefits = service_area("barnet", "Housing benefit")
    o, i, m, r = s.officer, s.investigator, s.manager, s.reviewer

    # A (waste): received Mon 2 Feb, acknowledged Wed 4 Feb; respond by Wed 18 Feb; answered Tue 17 Feb
    # (9 working days after acknowledgement, 11 after receipt): upheld, apology, GBP 100 less 25 offset.
    a = _stage1("barnet", "2026-02-02T10:00", o, areas=[s.waste], ack="2026-02-04T09:00")
    a = complaint_respond(complaint=a, by=i, at=london("2026-02-17T15:00"), details=ResponseDetails(
        outcome="upheld", findings="The crew missed the road.", remedy_apology=True,
        compensation_amount=Decimal("100.00"), compensation_offset_against_arrears=Decimal("25.00"),
        learning_points=LEARNING, actions=[("Retrain crews on missed bins", m, D("2026-03-31"))]))
    action_complete(action=Action.objects.get(description="Retrain crews on missed bins"), by=m,
                    at=london("2026-03-20T12:00"))
    # Review asked Mon 2 Mar, acknowledged Wed 4 Mar; respond by Wed 1 Apr; answered Tue 7 Apr, after
    # Easter: 2 working days late, 22 after acknowledgement, 24 after the request. Partly upheld, GBP 50.
    a = complaint_escalate(complaint=a, by=o, requested_at=london("2026-03-02T10:00"), reviewer=r)
    a = complaint_acknowledge(complaint=a, by=r, at=london("2026-03-04T09:00"))
    a = complaint_respond(complaint=a, by=r, at=london("2026-04-07T16:00"), details=ResponseDetails(
        outcome="partly_upheld", findings="Partly.", remedy_explanation=True, compensation_amount=Decimal("50.00")))
    a = complaint_refer_to_ombudsman(complaint=a, by=m, at=london("2026-05-01T10:00"))

    # B (benefits): received Mon 9 Mar, acknowledged Fri 13 Mar; respond by Fri 27 Mar, extended to Fri 10 Apr;
    # answered Thu 9 Apr (on time after the extension; 17 working days after acknowledgement, 21 after receipt).
    b = _stage1("barnet", "2026-03-09T10:00", o, areas=[s.benefits], ack="2026-03-13T09:00")
    complaint_extend(complaint=b, by=m, new_date=D("2026-04-10"), reason="Waiting for records",
                     complainant_told_at=london("2026-03-25T10:00"))
    b = complaint_respond(complaint=b, by=i, at=london("2026-04-09T12:00"),
                          details=ResponseDetails(outcome="not_upheld", findings="Paid correctly."))
    b = complaint_close(complaint=b, by=m, at=london("2026-05-20T10:00"))

    # C (waste and benefits): received Mon 11 May, acknowledged Mon 18 May (5 working days); respond by
    # Tue 2 Jun (25 May is a bank holiday); answered Thu 4 Jun: 2 late, 12 after acknowledgement, 17 after receipt.
    c = _stage1("barnet", "2026-05-11T10:00", o, areas=[s.waste, s.benefits], ack="2026-05-18T09:00")
    complaint_respond(complaint=c, by=i, at=london("2026-06-04T12:00"), details=ResponseDetails(
        outcome="upheld", findings="Bin was damaged by the crew.", remedy_action="Replace the bin",
        learning_points=LEARNING, actions=[("Replace the damaged bin", m, D("2026-06-30"))]))

    # D1-D3 (benefits): refused from new, two for one reason and one for another.
    for day, reason in (("01", "Insurance claim"), ("02", "Insurance claim"), ("03", "Legal proceedings")):
        d = make_complaint("barnet", f"2026-06-{day}T10:00", areas=[s.benefits])
        complaint_refuse(complaint=d, by=o, reason=reason, signposting="Elsewhere", at=london(f"2026-06-{day}T11:00"))
    # E (no area): a service request. F (waste): Stage 1 started, then withdrawn.
    complaint_triage(complaint=make_complaint("barnet", "2026-07-06T10:00"), by=o, route="service_request")
    f = _stage1("barnet", "2026-07-13T10:00", o, areas=[s.waste])
    complaint_withdraw(complaint=f, by=o, reason="Sorted", at=london("2026-07-15T10:00"))

    # G (waste): received Mon 15 Dec 2025, acknowledged Wed 17 Dec; respond by Mon 5 Jan 2026;
    # answered Tue 6 Jan: 1 late, 11 after acknowledgement, 13 after receipt. Not upheld.
    g = _stage1("barnet", "2025-12-15T10:00", o, areas=[s.waste], ack="2025-12-17T09:00")
    complaint_respond(complaint=g, by=i, at=london("2026-01-06T12:00"),
                      details=ResponseDetails(outcome="not_upheld", findings="No fault."))

    # H (waste): informal, received Tue 1 Sep 09:00 and resolved the same day (48 hours allowed).
    h = make_complaint("barnet", "2026-09-01T09:00", areas=[s.waste])
    h = complaint_triage(complaint=h, by=o, route="informal", at=london("2026-09-01T09:30"))
    complaint_resolve_informally(complaint=h, by=o, reason="Collected", at=london("2026-09-01T15:00"))

    # Feedback: two compliments, a suggestion, and a comment from 2025 (outside the year).
    barnet = council("barnet")
    feedback_record(council=barnet, kind="compliment", text="The crew were helpful", service_area=s.waste,
                    received_at=london("2026-03-01T10:00"))
    feedback_record(council=barnet, kind="compliment", text="Thank you", received_at=london("2026-04-01T10:00"))
    feedback_record(council=barnet, kind="suggestion", text="=Put benefit forms online", service_area=s.benefits,
                    received_at=london("2026-05-05T10:00"))
    feedback_record(council=barnet, kind="comment", text="Old comment", received_at=london("2025-12-31T10:00"))

    # Another council's answered complaint in the same year: never in Barnet's figures.
    lbbd_officer = staff("lbbd")
    other = _stage1("lbbd", "2026-03-02T10:00", lbbd_officer, ack="2026-03-03T10:00")
    complaint_respond(complaint=other, by=lbbd_officer, at=london("2026-03-05T10:00"), details=ResponseDetails(
        outcome="upheld", findings="Yes.", compensation_amount=Decimal("999.00"), learning_points="LBBD only"))
    s.cases = {"A": a, "B": b, "C": c, "G": g, "H": h, "F": f}
    return s


@dataclass
class Lbbd10June:
    """LBBD's open cases on Wed 10 June 2026."""

    today: dt.date = dt.date(2026, 6, 10)
    first: object = None  # officer O1
    second: object = None  # officer O2
    east: object = None
    west: object = None
    cases: dict = field(default_factory=dict)


def build_lbbd_open_cases() -> Lbbd10June:
    s = Lbbd10June()
    s.first = staff("lbbd", first_name="Ola", last_name="First")
    s.second = staff("lbbd", first_name="Sam", last_name="Second")
    investigator = staff("lbbd", role="investigating_officer")
    s.east, s.west = service_area("lbbd", "East housing"), service_area("lbbd", "West housing")

    def assigned(case, officer):
        return complaint_assign(complaint=case, by=investigator, officer=officer) if officer else case

    # P (east, O1): received Mon 1 Jun, not acknowledged: acknowledge by Mon 8 Jun, 2 working days overdue.
    p = assigned(_stage1("lbbd", "2026-06-01T10:00", investigator, areas=[s.east]), s.first)
    # Q (west, O2): received Mon 18 May, acknowledged Wed 20 May: respond by Thu 4 Jun, 4 working days overdue.
    q = assigned(_stage1("lbbd", "2026-05-18T10:00", investigator, areas=[s.west], ack="2026-05-20T09:00"),
                 s.second)
    # R (east, nobody): received Wed 3 Jun: acknowledge by Wed 10 Jun, due today.
    r = _stage1("lbbd", "2026-06-03T10:00", investigator, areas=[s.east])
    # S (west, O1): received Fri 5 Jun: acknowledge by Fri 12 Jun, the 2nd working day from today.
    sc = assigned(_stage1("lbbd", "2026-06-05T10:00", investigator, areas=[s.west]), s.first)
    # V (east, O2 reviewing): Stage 1 answered Fri 24 Apr; Review asked Mon 27 Apr, not acknowledged:
    # acknowledge by Tue 5 May (4 May is a bank holiday), 25 working days overdue; respond by Wed 3 Jun.
    v = _stage1("lbbd", "2026-04-13T10:00", investigator, areas=[s.east], ack="2026-04-14T10:00")
    v = complaint_respond(complaint=v, by=investigator, at=london("2026-04-24T10:00"),
                          details=ResponseDetails(outcome="upheld", findings="Yes."))
    v = complaint_escalate(complaint=v, by=investigator, requested_at=london("2026-04-27T10:00"), reviewer=s.second)
    # T: a representative without consent, so on hold from the start: paused deadlines are not overdue.
    t = make_complaint("lbbd", "2026-06-01T10:00", areas=[s.east],
                       representative=RepresentativeDetails(name="Kim Relative", relationship="daughter"))
    t = complaint_triage(complaint=t, by=investigator, route="stage1", at=london("2026-06-01T10:00"))
    # U: withdrawn on Tue 9 Jun, so its deadlines stopped.
    u = _stage1("lbbd", "2026-06-01T10:00", investigator, areas=[s.east])
    complaint_withdraw(complaint=u, by=investigator, reason="Sorted", at=london("2026-06-09T10:00"))
    # Barnet: one overdue case (received Mon 1 Jun, acknowledge by Mon 8 Jun), never in LBBD's figures.
    barnet = _stage1("barnet", "2026-06-01T10:00", staff("barnet"))
    s.cases = {"P": p, "Q": q, "R": r, "S": sc, "V": v, "T": t, "U": u, "barnet": barnet}
    return s
