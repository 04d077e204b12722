"""The case list: queues, filters, search, order by next deadline, red/amber/green, paging without COUNT(*).

Today is Wed 10 Jun 2026 (the clock fixture). LBBD acknowledges within 5
working days of receipt; June 2026 has no bank holidays:
  received Mon 1 Jun -> acknowledge by Mon 8 Jun: 2 working days overdue (Tue 9, Wed 10), red
  received Wed 3 Jun -> acknowledge by Wed 10 Jun: due today, amber
  received Fri 5 Jun -> acknowledge by Fri 12 Jun: 2 working days left (Thu 11, Fri 12), amber
  received Wed 10 Jun -> acknowledge by Wed 17 Jun: 5 working days left, green
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_assign
from complaints.staff import queries
from tests.dates import date_query
from tests.factories import london, service_area, staff
from tests.staff.conftest import error_summary, new_case, review_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def rows(response) -> list[tuple[str, ...]]:
    """(reference, complainant, stage, next deadline, RAG colour, status text) per row."""
    html = response.content.decode()
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.DOTALL)
    if body is None:
        return []
    out = []
    for row in re.findall(r"<tr [^>]*>(.*?)</tr>", body.group(1), re.DOTALL):
        cells = [re.sub(r"\s+", " ", re.sub(r"<br>", " / ", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        text = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
        rag = re.search(r'data-rag="(\w+)"', row)
        out.append((*text, rag.group(1) if rag else ""))
    return out


def refs(response) -> list[str]:
    return [row[0] for row in rows(response)]


@pytest.fixture
def cases(officer):
    """Five LBBD cases: four at Stage 1 with acknowledgement deadlines, one new and untriaged."""
    def triaged(received, name):
        case = new_case(received=received, name=name)
        return complaint_triage(complaint=case, by=officer, route="stage1", at=london(received))
    red = triaged("2026-06-01T10:00", "Ruth Red")
    today = triaged("2026-06-03T10:00", "Tom Today")
    amber = triaged("2026-06-05T10:00", "Amy Amber")
    green = triaged("2026-06-10T09:00", "Greg Green")
    untriaged = new_case(received="2026-06-09T10:00", name="Nina New")
    return {"red": red, "today": today, "amber": amber, "green": green, "new": untriaged}


def test_rows_are_sorted_by_next_deadline_with_rag_and_working_days(officer_client, cases):
    response = officer_client.get("/cases/")
    assert response.status_code == 200
    assert rows(response) == [
        (cases["red"].reference, "Ruth Red", "Stage 1", "Acknowledge / Mon 8 Jun 2026",
         "Overdue / 2 working days overdue", "red"),
        (cases["today"].reference, "Tom Today", "Stage 1", "Acknowledge / Wed 10 Jun 2026",
         "Due soon / Due today", "amber"),
        (cases["amber"].reference, "Amy Amber", "Stage 1", "Acknowledge / Fri 12 Jun 2026",
         "Due soon / 2 working days left", "amber"),
        (cases["green"].reference, "Greg Green", "Stage 1", "Acknowledge / Wed 17 Jun 2026",
         "On track / 5 working days left", "green"),
        (cases["new"].reference, "Nina New", "Not started / New, awaiting triage", "None open",
         "No deadline running", ""),
    ]
    html = response.content.decode()
    assert 'class="app-rag--red" data-rag="red">Overdue' in html


def test_queues_my_cases_team_and_unassigned(client, officer, cases):
    complaint_assign(complaint=cases["amber"], by=officer, officer=officer)
    colleague = staff("lbbd")
    complaint_assign(complaint=cases["red"], by=officer, officer=colleague)
    client.force_login(officer)
    assert refs(client.get("/cases/?queue=mine")) == [cases["amber"].reference]
    assert refs(client.get("/cases/?queue=unassigned")) == [
        cases["today"].reference, cases["green"].reference, cases["new"].reference]
    assert len(refs(client.get("/cases/?queue=team"))) == 5
    assert len(refs(client.get("/cases/"))) == 5  # the team queue is the officers' default


def test_filters(client, officer, manager, cases):
    client.force_login(officer)
    get = lambda query: refs(client.get(f"/cases/?{query}"))
    assert get("overdue=on") == [cases["red"].reference]
    assert get("due_within=2") == [cases["today"].reference, cases["amber"].reference]
    assert get("due_within=0") == [cases["today"].reference]
    assert get("state=new") == [cases["new"].reference]
    assert get(date_query(received_from="2026-06-04", received_to="2026-06-09")) == [
        cases["amber"].reference, cases["new"].reference]
    complaint_assign(complaint=cases["green"], by=officer, officer=manager)
    assert get(f"officer={manager.pk}") == [cases["green"].reference]
    assert get("stage=stage1&overdue=on") == [cases["red"].reference]


def test_stage_and_service_area_filters(client, officer, manager):
    waste = service_area("lbbd", "Waste and recycling")
    review = review_case(officer, manager, areas=[waste])
    stage1 = complaint_triage(complaint=new_case(received="2026-06-04T10:00"), by=officer, route="stage1")
    client.force_login(officer)
    assert refs(client.get("/cases/?stage=stage2")) == [review.reference]
    assert refs(client.get("/cases/?stage=stage1")) == [stage1.reference]
    assert refs(client.get(f"/cases/?service_area={waste.pk}")) == [review.reference]
    assert rows(client.get("/cases/?stage=stage2"))[0][2] == "Review / Stage 2"


def test_search_by_reference_or_complainant_name(officer_client, cases):
    assert refs(officer_client.get(f"/cases/?q={cases['amber'].reference}")) == [cases["amber"].reference]
    assert refs(officer_client.get(f"/cases/?q={cases['amber'].reference.lower()}")) == [cases["amber"].reference]
    assert refs(officer_client.get("/cases/?q=greg")) == [cases["green"].reference]
    assert refs(officer_client.get("/cases/?q=nobody+by+that+name")) == []
    assert "No cases match." in officer_client.get("/cases/?q=nobody").content.decode()


def test_bad_filters_are_reported_in_the_error_summary_and_the_rest_still_apply(officer_client, cases):
    dates = date_query(received_from="2026-06-01", received_to="2025-01-01")
    response = officer_client.get(f"/cases/?due_within=soon&{dates}&q=ruth")
    assert error_summary(response) == [
        "Enter a whole number of working days, like 5",
        "Received on or before must be the same as or after received on or after",
    ]
    assert "<title>Error: Cases" in response.content.decode()
    assert refs(response) == [cases["red"].reference]


def test_pages_have_next_and_previous_without_counting(officer_client, cases, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    with CaptureQueriesContext(connection) as captured:
        first = officer_client.get("/cases/")
    assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    list_queries = [q["sql"] for q in captured.captured_queries if 'FROM "complaints_complaint"' in q["sql"]]
    assert len(list_queries) == 1 and "LIMIT 3" in list_queries[0]  # page size + 1, no OFFSET on page 1
    assert refs(first) == [cases["red"].reference, cases["today"].reference]
    html = first.content.decode()
    assert 'rel="next"' in html and 'rel="prev"' not in html

    third = officer_client.get("/cases/?page=3")
    assert refs(third) == [cases["new"].reference]
    html = third.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert 'href="?page=2"' in html
    assert refs(officer_client.get("/cases/?page=2&q=green")) == []  # one match: page 2 is empty
    assert refs(officer_client.get("/cases/?page=nonsense")) == refs(first)
    assert refs(officer_client.get(f"/cases/?page={10**30}")) == []  # past the end, not a server error


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_page_holds(officer_client, cases,
                                                                          django_assert_max_num_queries):
    officer_client.get("/cases/")  # the first page a process shows reads the policy snapshot once
    with CaptureQueriesContext(connection) as one_row:
        officer_client.get(f"/cases/?q={cases['red'].reference}")
    with CaptureQueriesContext(connection) as five_rows:
        officer_client.get("/cases/")
    assert len(five_rows.captured_queries) == len(one_row.captured_queries)
    with django_assert_max_num_queries(10):
        officer_client.get("/cases/")


def test_the_case_page_shows_each_deadline_with_its_status_and_explanation(officer_client, officer):
    """Received Mon 1 Jun, acknowledged late on Tue 9 Jun (due Mon 8 Jun): 1 working day late."""
    from complaints.services.stage_work import complaint_acknowledge

    case = complaint_acknowledge(complaint=cases_stage1(officer), by=officer, at=london("2026-06-09T10:00"))
    html = officer_client.get(f"/cases/{case.reference}/").content.decode()
    table = html[html.index('id="deadlines"'):html.index("</table>", html.index('id="deadlines"'))]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
             for row in re.findall(r'<tr class="govuk-table__row" data-deadline[^>]*>(.*?)</tr>', table, re.DOTALL)]
    assert cells[0].startswith("Stage 1: acknowledge Mon 8 Jun 2026 Met late Acknowledged late by 1 working day "
                               "Acknowledge by Mon 8 Jun 2026: 5 working days after receipt on Mon 1 Jun 2026")
    # Respond within 10 working days of Tue 9 Jun: Tue 23 Jun, 9 working days from today (Wed 10 Jun).
    assert cells[1].startswith("Stage 1: respond Tue 23 Jun 2026 On track 9 working days left "
                               "Respond by Tue 23 Jun 2026: 10 working days after acknowledgement on Tue 9 Jun 2026")
    assert 'class="app-rag--green" data-rag="green">On track' in table


def test_a_late_response_says_by_how_many_working_days(officer_client, officer, monkeypatch):
    """Acknowledged Wed 3 Jun: respond by Wed 17 Jun; answered Fri 19 Jun is 2 working days late."""
    from django.utils import timezone

    from complaints.services.stage_work import (
        ResponseDetails,
        complaint_acknowledge,
        complaint_respond,
    )

    # The response is recorded on Mon 22 Jun, after it was sent (services refuse future dates);
    # then the module's stopped clock (Wed 10 Jun) is put back for the page view.
    stopped_clock = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: london("2026-06-22T10:00"))
    case = complaint_acknowledge(complaint=cases_stage1(officer), by=officer, at=london("2026-06-03T10:00"))
    case = complaint_respond(complaint=case, by=officer, at=london("2026-06-19T10:00"),
                             details=ResponseDetails(outcome="upheld", findings="Missed"))
    monkeypatch.setattr(timezone, "now", stopped_clock)
    response = officer_client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200, response
    html = response.content.decode()
    assert "Responded late by 2 working days" in html
    assert "Open to the complainant" in html  # the 28-day review window: the complainant's, no colour


def cases_stage1(officer):
    return complaint_triage(complaint=new_case(), by=officer, route="stage1", at=london("2026-06-01T11:00"))
