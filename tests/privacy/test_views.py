"""The retention report page: the dry run and the audit of runs, for a council administrator, own council only."""

import datetime as dt

import pytest

from complaints.models import Action, StaffRole
from complaints.privacy.models import Trigger
from complaints.privacy.retention import retention_apply
from tests.factories import council, staff
from tests.privacy.conftest import at, closed_case, officer_of

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
URL = "/data-protection/retention/"


@pytest.fixture
def cases(clock):
    due = closed_case(clock, "bucks", D("2026-03-03"))
    held = closed_case(clock, "bucks", D("2026-03-04"))
    Action.objects.create(outcome=held.outcomes.get(), description="Mend the gate", owner=officer_of("bucks"),
                          due_date=D("2026-04-01"))
    inside = closed_case(clock, "bucks", D("2026-06-01"))
    other_council = closed_case(clock, "brighton-hove", D("2026-03-03"))
    clock.set(at(D("2032-03-10")))  # the page shows the plan for today
    return due, held, inside, other_council


def test_the_administrator_sees_what_would_be_anonymised_and_why(cases, client):
    due, held, inside, other_council = cases
    client.force_login(staff("bucks", StaffRole.COUNCIL_ADMIN))
    page = client.get(URL)
    html = page.content.decode()
    plan = page.context["plan"]
    assert [m.complaint.reference for m in plan.due] == [due.reference]
    assert [(m.complaint.reference, m.held_because) for m in plan.held] == [
        (held.reference, "a remedy action is not completed")]
    assert "6 years after the case is closed" in html and "deployment default" in html
    assert inside.reference not in html and other_council.reference not in html
    assert "The retention task has not run yet." in html


def test_the_page_lists_the_latest_runs_with_each_case(cases, client):
    due = cases[0]
    retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=D("2032-03-10"))
    client.force_login(staff("bucks", StaffRole.COUNCIL_ADMIN))
    html = client.get(URL).content.decode()
    assert f"{due.reference}: anonymised, 6 years after the case is closed" in html
    assert "1 anonymised, 1 held back, 0 busy (management command)" in html


@pytest.mark.parametrize("role", [StaffRole.COMPLAINTS_OFFICER, StaffRole.INVESTIGATING_OFFICER,
                                  StaffRole.COMPLAINTS_MANAGER])
def test_only_council_administrators_see_the_retention_report(cases, client, role):
    client.force_login(staff("bucks", role))
    assert client.get(URL).status_code == 403


def test_managers_find_the_data_protection_pages_in_the_menu(cases, client):
    client.force_login(staff("bucks", StaffRole.COMPLAINTS_MANAGER))
    assert ">Data protection</a>" in client.get("/cases/").content.decode()
    client.force_login(staff("bucks", StaffRole.COMPLAINTS_OFFICER))
    assert ">Data protection</a>" not in client.get("/cases/").content.decode()
