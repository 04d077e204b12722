"""When a case has passed its retention period: the rule, the date it counts from, and what holds it back."""

import datetime as dt

import pytest

from complaints.models import Action
from complaints.privacy.retention_rules import past_retention, retention_rule
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_refer_to_ombudsman, complaint_reopen, complaint_withdraw
from complaints.services.people import action_complete
from deadlines.calendar import add_years
from ombudsman.models import DecisionKind
from ombudsman.services import RemedyDetails, ombudsman_case_open, ombudsman_decision_record, remedy_comply
from tests.factories import council, make_complaint
from tests.privacy.conftest import at, closed_case, officer_of

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def listed(slug: str, as_of: dt.date) -> dict[str, str]:
    """Reference -> "due" or the reason it is held back."""
    return {m.complaint.reference: ("due" if m.due else m.held_because)
            for m in past_retention(council=council(slug), as_of=as_of)}


@pytest.mark.parametrize(("slug", "years", "counted_from", "source"), [
    ("barnet", 10, "closure", "1.70"),
    ("lbbd", 7, "finalised", "section 11"),
    ("barnet-group", 6, "closure", "default"),
    ("bucks", 6, "closure", "default"),
    ("brighton-hove", 6, "closure", "default"),
])
def test_the_rule_is_the_policy_files_retention(slug, years, counted_from, source):
    rule = retention_rule(council=council(slug), on=D("2036-01-01"))
    assert (rule.years, rule.counted_from, rule.source) == (years, counted_from, source)


def test_a_case_is_kept_through_the_anniversary_and_due_the_day_after(clock):
    case = closed_case(clock, "barnet", D("2026-03-03"))
    assert listed("barnet", D("2036-03-03")) == {}
    assert listed("barnet", D("2036-03-04")) == {case.reference: "due"}


def test_the_rule_counts_from_the_last_closure_after_a_reopening(clock):
    case = closed_case(clock, "bucks", D("2026-03-03"))
    clock.set(at(D("2026-04-01")))
    case = complaint_reopen(complaint=case, by=officer_of("bucks"), reason="Asked again")
    from complaints.services.lifecycle import complaint_close

    clock.set(at(D("2026-05-01")))
    complaint_close(complaint=case, by=officer_of("bucks"), at=at(D("2026-05-01")))
    assert listed("bucks", D("2032-04-02")) == {}
    assert listed("bucks", D("2032-05-02")) == {case.reference: "due"}


def test_lbbd_counts_from_finalised_so_a_later_completed_action_moves_the_date(clock):
    case = closed_case(clock, "lbbd", D("2026-03-03"))
    outcome = case.outcomes.get()
    clock.set(at(D("2026-09-01")))
    action = Action.objects.create(outcome=outcome, description="Fix the bin store", owner=officer_of("lbbd"),
                                   due_date=D("2026-09-30"))
    assert listed("lbbd", D("2033-03-04")) == {case.reference: "a remedy action is not completed"}
    clock.set(at(D("2026-09-20")))
    action_complete(action=action, by=officer_of("lbbd"), at=at(D("2026-09-20")))
    assert listed("lbbd", D("2033-03-04")) == {}  # closed 7 years ago, but finalised on 20 Sep 2026
    assert listed("lbbd", D("2033-09-21")) == {case.reference: "due"}


def test_barnet_counts_from_closure_but_still_holds_back_an_open_action(clock):
    case = closed_case(clock, "barnet", D("2026-03-03"))
    Action.objects.create(outcome=case.outcomes.get(), description="Fix the bin store", owner=officer_of("barnet"),
                          due_date=D("2026-09-30"))
    assert listed("barnet", D("2036-03-04")) == {case.reference: "a remedy action is not completed"}


def test_open_cases_are_never_candidates(clock):
    clock.set(at(D("2026-03-02")))
    case = make_complaint("bucks", "2026-03-02T10:00")
    complaint_triage(complaint=case, by=officer_of("bucks"), route="stage1", at=at(D("2026-03-02")))
    assert listed("bucks", D("2099-01-01")) == {}


def test_withdrawn_refused_and_service_requests_count_from_when_they_ended(clock):
    clock.set(at(D("2026-03-02")))
    withdrawn = make_complaint("bucks", "2026-03-02T10:00")
    triaged = complaint_triage(complaint=withdrawn, by=officer_of("bucks"), route="stage1", at=at(D("2026-03-02")))
    clock.set(at(D("2026-03-10")))
    complaint_withdraw(complaint=triaged, by=officer_of("bucks"), reason="Sorted")
    clock.set(at(D("2026-03-12")))
    request = complaint_triage(complaint=make_complaint("bucks", "2026-03-12T09:00"), by=officer_of("bucks"),
                               route="service_request")
    assert listed("bucks", D("2032-03-11")) == {withdrawn.reference: "due"}
    assert listed("bucks", D("2032-03-13")) == {withdrawn.reference: "due", request.reference: "due"}


def test_an_ombudsman_case_ends_with_the_final_decision_and_is_finalised_when_remedies_are_done(clock):
    case = closed_case(clock, "lbbd", D("2026-03-03"))
    clock.set(at(D("2026-04-01")))
    ombudsman = ombudsman_case_open(council=case.council, by=officer_of("lbbd"), ombudsman="lgsco",
                                    their_reference="25 001 234", received_on=D("2026-04-01"), complaint=case)
    assert listed("lbbd", D("2040-01-01")) == {}  # no final decision: not closed at all
    clock.set(at(D("2026-08-03")))
    decision = ombudsman_decision_record(
        case=ombudsman, by=officer_of("lbbd"), kind=DecisionKind.FINAL, outcome="upheld", decided_on=D("2026-08-03"),
        summary="Fault", remedies=[RemedyDetails(kind="payment", description="Pay 200", due_date=D("2026-09-01"))])
    assert listed("lbbd", D("2040-01-01")) == {case.reference: "an Ombudsman remedy is not complied with"}
    clock.set(at(D("2026-08-20")))
    remedy_comply(remedy=decision.remedies.get(), by=officer_of("lbbd"), evidence="Paid", at=at(D("2026-08-20")))
    assert listed("lbbd", D("2033-08-20")) == {}
    assert listed("lbbd", D("2033-08-21")) == {case.reference: "due"}


def test_a_case_referred_to_the_ombudsman_without_an_ombudsman_case_is_held_back(clock):
    case = closed_case(clock, "barnet", D("2026-03-03"))
    clock.set(at(D("2026-04-01")))
    complaint_refer_to_ombudsman(complaint=case, by=officer_of("barnet"))
    assert listed("barnet", D("2040-01-01")) == {}


def test_a_policy_without_a_period_uses_the_default_and_says_so():
    rule = retention_rule(council=council("bucks"), on=D("2036-01-01"))
    assert rule.words == "6 years after the case is closed"
    assert "deployment default" in rule.citation
    lbbd = retention_rule(council=council("lbbd"), on=D("2036-01-01"))
    assert (lbbd.words, lbbd.citation.endswith("section 11")) == ("7 years after the case is finalised", True)
    assert add_years(D("2028-02-29"), 6) == D("2034-02-28")
