"""Paging the case list: every page, put together, is exactly the list ``case_list`` defines.

``page_of`` does not sort the whole list: it reads the cases with a deadline
running from the deadlines in due-date order and the cases with none in
received order, and merges the two at the page. These tests check that this
gives the same cases in the same order as the definition, for each queue and
filter, on pages small enough to cut through ties, the boundary between the two
parts, and cases that must not be listed (another council's, a conflict of
interest, closed, on hold, answered).

Today is Wed 10 Jun 2026 (the clock fixture).
"""

import pytest

from complaints.models import StaffMember
from complaints.services.holds import complaint_hold
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_assign, complaint_close
from complaints.staff import queries
from complaints.staff.services import conflict_of_interest_record
from tests.factories import london, service_area, staff
from tests.staff.conftest import D, acknowledged_case, answered_case, new_case, review_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def caseload(officer, manager):
    """Seventeen LBBD cases in every kind of position in the list, and one Barnet case."""
    waste = service_area("lbbd", "Waste and recycling")
    housing = service_area("lbbd", "Housing repairs", "social_housing")

    def triaged(received, name, **kwargs):
        case = new_case(received=received, name=name, **kwargs)
        return complaint_triage(complaint=case, by=officer, route="stage1", at=london(received))

    made = {
        # Two received the same minute: the same acknowledgement date, ordered by received then id.
        "tie_a": triaged("2026-06-01T10:00", "Tia Tie", areas=[waste]),
        "tie_b": triaged("2026-06-01T10:00", "Tim Tie", areas=[housing]),
        "early": triaged("2026-05-29T09:00", "Ed Early"),
        "today": triaged("2026-06-03T10:00", "Tom Today"),
        "later": triaged("2026-06-08T10:00", "Lou Later", areas=[waste]),
        "acked": acknowledged_case(officer, received="2026-05-20T10:00", name="Ann Acked"),
        "new_old": new_case(received="2026-06-02T10:00", name="Nia New"),
        "new_young": new_case(received="2026-06-09T10:00", name="Ned New"),
        "new_2": new_case(received="2026-06-05T10:00", name="Nell New"),
        "new_3": new_case(received="2026-06-05T10:00", name="Nat New"),
        "new_4": new_case(received="2026-05-30T10:00", name="Noa New"),
        "answered": answered_case(officer, received="2026-05-26T10:00", name="Ali Answered"),
    }
    made["held"] = complaint_hold(complaint=triaged("2026-06-02T12:00", "Hal Held"), by=officer,
                                  reason="Waiting for the complainant's documents")
    made["closed"] = complaint_close(complaint=answered_case(officer, received="2026-05-27T10:00", name="Cal Closed"),
                                     by=officer)
    made["mine"] = complaint_assign(complaint=triaged("2026-06-05T10:00", "Mo Mine"), by=officer, officer=officer)
    made["barred"] = triaged("2026-06-01T11:00", "Bo Barred")
    conflict_of_interest_record(complaint=made["barred"], user=officer, reason="Neighbour", by=manager)
    made["review"] = review_case(officer, manager, received="2026-05-22T10:00", name="Rev Review")
    made["barnet"] = new_case("barnet", received="2026-06-01T10:00", name="Bea Barnet")
    return made


def member_of(user) -> StaffMember:
    return StaffMember.objects.select_related("council").get(user=user)


def paged(search: queries.CaseSearch, size: int) -> list[str]:
    """Every page of ``size`` in turn, until a page says there is no next one."""
    references, number = [], 1
    while True:
        page = queries.page_of(search, number, size=size)
        references += [row.case.reference for row in page.rows]
        assert len(page.rows) <= size
        if not page.has_next:
            assert len(page.rows) > 0 or number == 1
            return references
        assert len(page.rows) == size
        number += 1
        assert number < 50


def defined(search: queries.CaseSearch) -> list[str]:
    return list(search.queryset().values_list("reference", flat=True))


FILTERS = [
    {},
    {"overdue": True},
    {"due_within": 3},
    {"due_within": 0},
    {"stage": "stage1"},
    {"stage": "stage1", "overdue": True},
    {"q": "new"},
    {"q": "LBD-2026-0000"},
    {"state": "new"},
    {"state": "closed"},
    {"state": "on_hold"},
    {"received_from": D("2026-06-01"), "received_to": D("2026-06-03")},
]


def test_every_page_together_is_the_defined_list(caseload, officer):
    member = member_of(officer)
    checked = 0
    for queue in ("team", "mine", "unassigned"):
        for filters in FILTERS:
            search = queries.CaseSearch(member, queue, filters, D("2026-06-10"))
            expected = defined(search)
            for size in (1, 2, 3, 25):
                assert paged(search, size) == expected, (queue, filters, size)
            checked += bool(expected)
    assert checked >= 20  # most combinations list something


def test_the_defined_list_has_the_cases_it_should(caseload, officer):
    search = queries.CaseSearch(member_of(officer), "team", {}, D("2026-06-10"))
    listed = defined(search)
    ref = {key: case.reference for key, case in caseload.items()}
    # Deadlines first, earliest due; the same-minute pair by id; then no deadline running, oldest received first.
    assert listed.index(ref["tie_a"]) + 1 == listed.index(ref["tie_b"])
    with_deadline = [ref[k] for k in ("early", "tie_a", "tie_b", "today", "mine", "review", "later")]
    assert all(r in listed for r in with_deadline + [ref["acked"]])
    idle = [ref[k] for k in ("answered", "new_4", "new_old", "held", "new_2", "new_3", "new_young")]
    assert listed[-len(idle):] == idle
    for hidden in ("closed", "barred", "barnet"):
        assert ref[hidden] not in listed
    assert len(listed) == 15


def test_an_investigator_pages_through_only_their_own_cases(caseload, officer, investigator):
    complaint_assign(complaint=caseload["later"], by=officer, officer=investigator)
    complaint_assign(complaint=caseload["new_old"], by=officer, officer=investigator)
    search = queries.CaseSearch(member_of(investigator), "mine", {}, D("2026-06-10"))
    assert paged(search, 1) == defined(search) == [caseload["later"].reference, caseload["new_old"].reference]


def test_a_filter_on_service_area_or_officer_pages_the_same(caseload, officer):
    member = member_of(officer)
    waste = service_area("lbbd", "Waste and recycling")
    for filters in ({"service_area": waste}, {"officer": officer}):
        search = queries.CaseSearch(member, "team", filters, D("2026-06-10"))
        assert paged(search, 1) == defined(search) != []
    colleague = staff("lbbd")
    search = queries.CaseSearch(member, "team", {"officer": colleague}, D("2026-06-10"))
    assert paged(search, 2) == defined(search) == []
