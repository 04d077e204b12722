"""Ombudsman cases: premature referrals, enquiry deadlines swept like any other, remedies to compliance."""

import datetime as dt
from decimal import Decimal

import pytest

from complaints.models import Deadline, Notification, NotificationKind, State
from complaints.services.errors import PolicyGuardFailed, StaleCase
from complaints.services.intake import complaint_triage
from complaints.services.sweeps import deadlines_flag_breaches, deadlines_warn_due_soon
from complaints.selectors import complaint_timeline
from ombudsman.models import DecisionOutcome
from ombudsman.selectors import ombudsman_year_figures
from ombudsman.services import (
    RemedyDetails,
    ombudsman_case_open,
    ombudsman_decision_inform,
    ombudsman_decision_record,
    ombudsman_enquiry_answer,
    ombudsman_enquiry_record,
    remedy_comply,
)
from tests.factories import council, london, make_complaint, staff

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_a_referral_before_the_procedure_ends_is_premature_and_moves_the_complaint():
    officer = staff("barnet")
    case = complaint_triage(complaint=make_complaint("barnet"), by=officer, route="stage1")
    referral = ombudsman_case_open(council=council("barnet"), by=officer, ombudsman="lgsco", their_reference="25 001 234",
                                   received_on=D("2026-06-10"), complaint=case)
    case.refresh_from_db()
    assert referral.premature is True
    assert case.state == State.OMBUDSMAN
    assert any(entry.text.startswith("ombudsman: lgsco 25 001 234") for entry in
               complaint_timeline(council=council("barnet"), complaint=case))


def test_the_councils_stage_deadlines_stop_counting_once_the_ombudsman_takes_the_case():
    officer = staff("barnet")
    case = complaint_triage(complaint=make_complaint("barnet"), by=officer, route="stage1")
    assert Deadline.objects.filter(complaint=case, met_at__isnull=True, cancelled_at__isnull=True).exists()
    ombudsman_case_open(council=council("barnet"), by=officer, ombudsman="lgsco", their_reference="25 001 235",
                        received_on=D("2026-06-10"), complaint=case)
    still_counting = Deadline.objects.filter(complaint=case, met_at__isnull=True, cancelled_at__isnull=True)
    assert list(still_counting.exclude(stage="ombudsman")) == []


def test_the_ombudsman_can_come_first_with_no_complaint_on_record():
    contact = staff("lbbd")
    referral = ombudsman_case_open(council=council("lbbd"), by=contact, ombudsman="housing", their_reference="202612345",
                                   received_on=D("2026-06-10"), council_contact=contact)
    assert referral.complaint is None and referral.premature is True


def test_another_councils_complaint_is_refused():
    officer = staff("barnet")
    with pytest.raises(PolicyGuardFailed, match="is not a complaint of"):
        ombudsman_case_open(council=council("barnet"), by=officer, ombudsman="lgsco", their_reference="X1",
                            received_on=D("2026-06-10"), complaint=make_complaint("lbbd"))


def test_enquiry_deadline_in_working_days_skips_christmas():
    contact = staff("lbbd")
    referral = ombudsman_case_open(council=council("lbbd"), by=contact, ombudsman="lgsco", their_reference="A1",
                                   received_on=D("2026-12-21"), council_contact=contact)
    # Mon 21 Dec + 5 working days: 22, 23, 24, (25, 28 holidays) 29, 30.
    enquiry = ombudsman_enquiry_record(case=referral, by=contact, received_on=D("2026-12-21"),
                                       description="Send the case file", respond_within=5, unit="working_days")
    assert enquiry.deadline.due_date == D("2026-12-30")
    assert "Thu 24 Dec" not in enquiry.deadline.explanation and "Wed 30 Dec 2026" in enquiry.deadline.explanation


def test_enquiry_deadline_in_calendar_days():
    contact = staff("lbbd")
    referral = ombudsman_case_open(council=council("lbbd"), by=contact, ombudsman="lgsco", their_reference="A2",
                                   received_on=D("2026-12-21"), council_contact=contact)
    enquiry = ombudsman_enquiry_record(case=referral, by=contact, received_on=D("2026-12-21"),
                                       description="Comments on the draft", respond_within=28, unit="calendar_days")
    assert enquiry.deadline.due_date == D("2027-01-18")


def test_an_enquiry_deadline_is_warned_and_breached_by_the_sweeps_and_its_contact_told():
    contact = staff("lbbd")
    referral = ombudsman_case_open(council=council("lbbd"), by=contact, ombudsman="lgsco", their_reference="A3",
                                   received_on=D("2026-06-01"), council_contact=contact)
    enquiry = ombudsman_enquiry_record(case=referral, by=contact, received_on=D("2026-06-01"),
                                       description="Information request", respond_within=10, unit="working_days")
    assert enquiry.deadline.due_date == D("2026-06-15")
    assert deadlines_warn_due_soon(now=london("2026-06-11T09:00"), working_days=2).flagged == 1
    assert Notification.objects.get(kind=NotificationKind.OMBUDSMAN_ENQUIRY_DUE).recipient_ids == [contact.pk]
    assert deadlines_flag_breaches(now=london("2026-06-16T09:00")).flagged == 1
    breach = Notification.objects.get(kind=NotificationKind.BREACHED)
    assert breach.deadline_id == enquiry.deadline_id and contact.pk in breach.recipient_ids


def test_answering_an_enquiry_meets_its_deadline_late_by_working_days():
    officer = staff("bucks")
    case = complaint_triage(complaint=make_complaint("bucks"), by=officer, route="stage1")
    referral = ombudsman_case_open(council=council("bucks"), by=officer, ombudsman="lgsco", their_reference="B1",
                                   received_on=D("2026-06-01"), complaint=case, council_contact=officer)
    enquiry = ombudsman_enquiry_record(case=referral, by=officer, received_on=D("2026-06-01"),
                                       description="Timeline", respond_within=10, unit="working_days")
    ombudsman_enquiry_answer(enquiry=enquiry, by=officer, at=london("2026-06-17T10:00"))
    deadline = Deadline.objects.get(pk=enquiry.deadline_id)
    assert deadline.met_at is not None and deadline.late_working_days == 2
    with pytest.raises(PolicyGuardFailed):
        ombudsman_enquiry_answer(enquiry=enquiry, by=officer)


def test_a_remedy_is_tracked_to_compliance_and_counted_in_the_year_figures():
    officer = staff("brighton-hove")
    referral = ombudsman_case_open(council=council("brighton-hove"), by=officer, ombudsman="lgsco",
                                   their_reference="C1", received_on=D("2026-03-02"), council_contact=officer)
    decision = ombudsman_decision_record(
        case=referral, by=officer, kind="final", outcome=DecisionOutcome.UPHELD, decided_on=D("2026-05-04"),
        summary="Delay in repairs", remedies=[
            RemedyDetails(kind="apology", description="Apologise in writing", due_date=D("2026-06-01")),
            RemedyDetails(kind="payment", description="Pay £150", due_date=D("2026-06-01"), amount="150.00"),
        ])
    ombudsman_decision_inform(decision=decision, by=officer, who="service_manager", at=london("2026-05-05T09:00"))
    ombudsman_decision_inform(decision=decision, by=officer, who="director", at=london("2026-05-05T09:30"))
    apology, payment = decision.remedies.order_by("kind")
    remedy_comply(remedy=apology, by=officer, evidence="Letter sent 20 May", at=london("2026-05-20T10:00"))
    remedy_comply(remedy=payment, by=officer, evidence="Payment ref 991", at=london("2026-06-05T10:00"))
    with pytest.raises(PolicyGuardFailed, match="final decision"):
        ombudsman_decision_record(case=referral, by=officer, kind="final", outcome="not_upheld",
                                  decided_on=D("2026-05-06"), summary="again")
    figures = ombudsman_year_figures(council=council("brighton-hove"), year=2026)
    assert figures["decided"] == 1 and figures["upheld_rate"] == 100.0
    assert figures["decisions"]["upheld"] == 1 and figures["decisions"]["not_upheld"] == 0
    assert figures["remedies"] == {"total": 2, "complied_on_time": 1, "complied_late": 1, "outstanding": 0}
    assert payment.amount == Decimal("150.00")
    decision.refresh_from_db()
    assert decision.service_manager_informed_at and decision.director_informed_at


def test_an_overdue_enquiry_with_no_complaint_is_in_the_overdue_list():
    from complaints.selectors import overdue_deadlines

    contact = staff("lbbd")
    referral = ombudsman_case_open(council=council("lbbd"), by=contact, ombudsman="lgsco", their_reference="A9",
                                   received_on=D("2026-06-01"), council_contact=contact)
    enquiry = ombudsman_enquiry_record(case=referral, by=contact, received_on=D("2026-06-01"),
                                       description="Information request", respond_within=10, unit="working_days")
    rows = list(overdue_deadlines(council=council("lbbd"), today=D("2026-06-16")))
    assert [row.pk for row in rows] == [enquiry.deadline_id]


def referred_with_a_remedy(officer):
    """A Barnet complaint the LGSCO received on Wed 10 Jun 2026 and upheld on Mon 6 Jul: an apology due 20 Jul."""
    case = complaint_triage(complaint=make_complaint("barnet"), by=officer, route="stage1")
    referral = ombudsman_case_open(council=council("barnet"), by=officer, ombudsman="lgsco", their_reference="R7",
                                   received_on=D("2026-06-10"), complaint=case, council_contact=officer)
    decision = ombudsman_decision_record(
        case=referral, by=officer, kind="final", outcome=DecisionOutcome.UPHELD, decided_on=D("2026-07-06"),
        summary="Delay", remedies=[RemedyDetails(kind="apology", description="Apologise", due_date=D("2026-07-20"))])
    return case, decision.remedies.get()


def test_complying_with_a_remedy_of_a_complaint_goes_on_its_timeline():
    officer = staff("barnet")
    case, remedy = referred_with_a_remedy(officer)
    case.refresh_from_db()
    opened = case.version
    remedy_comply(remedy=remedy, by=officer, evidence="Letter of 10 July", at=london("2026-07-10T10:00"),
                  expected_version=opened)
    case.refresh_from_db()
    assert case.version == opened + 1
    assert any(entry.text.startswith("ombudsman_remedy_complied: Apology: Apologise") for entry in
               complaint_timeline(council=council("barnet"), complaint=case))


def test_complying_from_a_stale_page_is_refused_and_records_nothing():
    officer = staff("barnet")
    case, remedy = referred_with_a_remedy(officer)
    case.refresh_from_db()
    with pytest.raises(StaleCase):
        remedy_comply(remedy=remedy, by=officer, evidence="Letter", expected_version=case.version - 1)
    remedy.refresh_from_db()
    assert (remedy.complied_at, remedy.evidence) == (None, "")


def test_compliance_cannot_be_dated_before_the_decision():
    officer = staff("barnet")
    _, remedy = referred_with_a_remedy(officer)
    with pytest.raises(PolicyGuardFailed, match=r"before the Ombudsman's decision \(Mon 6 Jul 2026\)"):
        remedy_comply(remedy=remedy, by=officer, evidence="Letter", at=london("2026-07-03T10:00"))
