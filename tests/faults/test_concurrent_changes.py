"""Two people changing a case at the same moment: the second is told, and nothing is lost.

The sequential cases (a form opened before someone else's change) are in
tests/staff/test_moves_and_stale.py, tests/staff/test_actions_records.py and
tests/api/test_actions.py (``test_a_stale_version_is_a_409_stale_and_changes_nothing``).
Here the two requests really overlap, each on its own database connection: the
first is held inside its service, holding the case's row lock, until the second
is seen waiting for that lock (``hold_inside``); then both finish.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from complaints.models import Note, StageOutcome
from complaints.services import stage_work
from complaints.staff import services as staff_services
from tests.api.conftest import acknowledged_case as api_acknowledged_case
from tests.api.conftest import token_client
from tests.dates import date_parts
from tests.factories import staff
from tests.faults.conftest import at_once
from tests.staff.conftest import acknowledged_case, error_summary, fresh, stale_message

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_version(client, case, slug) -> int:
    """The version the officer's form was opened at (its hidden field)."""
    html = client.get(f"/cases/{case.reference}/{slug}/").content.decode()
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def test_two_officers_adding_notes_at_once_the_second_is_told_and_keeps_their_text(officer, clock, hold_inside):
    case = acknowledged_case(officer)
    colleague = staff("lbbd", username="colleague")
    first, second = signed_in(officer), signed_in(colleague)
    opened = form_version(first, case, "note")
    assert form_version(second, case, "note") == opened
    held = hold_inside(staff_services, "complaint_add_note")

    mine, theirs = at_once(
        hold_inside.entered,
        lambda: first.post(f"/cases/{case.reference}/note/", {"version": opened, "text": "Spoke to the crew"}),
        lambda: second.post(f"/cases/{case.reference}/note/",
                            {"version": opened, "text": "Complainant rang: bins still missed"}))

    assert held == [True]  # the second request really waited on the case while the first held it
    assert mine.status_code == 302
    assert theirs.status_code == 200
    assert error_summary(theirs) == [stale_message(case, opened)]
    assert "Complainant rang: bins still missed</textarea>" in theirs.content.decode()
    assert list(Note.objects.values_list("text", "author__username")) == [("Spoke to the crew", officer.username)]


def test_a_response_and_an_extension_at_once_the_extension_is_refused_and_kept(officer, clock, hold_inside):
    case = acknowledged_case(officer)
    colleague = staff("lbbd", username="colleague")
    first, second = signed_in(officer), signed_in(colleague)
    opened = form_version(first, case, "respond")
    held = hold_inside(stage_work, "deadlines_mark_met")

    response, extension = at_once(
        hold_inside.entered,
        lambda: first.post(f"/cases/{case.reference}/respond/", {
            "version": opened, **date_parts("on", "2026-06-10"), "outcome": "upheld",
            "findings": "Three collections were missed.", "compensation_amount": "0",
            "compensation_offset_against_arrears": "0"}),
        lambda: second.post(f"/cases/{case.reference}/extend/", {
            "version": opened, **date_parts("new_date", "2026-06-24"), "reason": "Waiting for the crew's report",
            **date_parts("told_on", "2026-06-10")}))

    assert held == [True]
    assert response.status_code == 302
    assert extension.status_code == 200
    assert error_summary(extension) == [stale_message(case, opened)]
    assert "Waiting for the crew&#x27;s report</textarea>" in extension.content.decode()
    assert fresh(case).state == "stage1_responded"
    assert StageOutcome.objects.filter(complaint=case).count() == 1
    assert not case.deadlines.filter(extensions__gt=0).exists()


def test_two_integrations_acknowledging_at_once_one_is_a_409_stale(officer, hold_inside):
    from tests.api.conftest import stage1_case

    case = stage1_case(officer)
    crm, portal = token_client("lbbd", "housing-crm"), token_client("lbbd", "portal")
    held = hold_inside(stage_work, "deadlines_mark_met")

    def acknowledge(client):
        return lambda: client.post(f"/api/v1/complaints/{case.reference}/acknowledge/",
                                   {"version": case.version}, format="json")

    first, second = at_once(hold_inside.entered, acknowledge(crm), acknowledge(portal))

    assert held == [True]
    assert first.status_code == 200 and first.json()["version"] == case.version + 1
    assert second.status_code == 409
    assert second.json()["error"] == "stale"
    assert fresh(case).version == case.version + 1
    assert case.history.filter(history_change_reason__startswith="acknowledged").count() == 1


def test_an_api_action_racing_an_officers_screen_is_refused_with_the_screen_keeping_its_text(
        officer, clock, hold_inside):
    case = api_acknowledged_case(officer)
    screen = signed_in(officer)
    opened = form_version(screen, case, "note")
    crm = token_client("lbbd")
    held = hold_inside(stage_work, "deadlines_mark_met")

    api, note = at_once(
        hold_inside.entered,
        lambda: crm.post(f"/api/v1/complaints/{case.reference}/respond/",
                         {"version": opened, "outcome": "not_upheld", "findings": "Collected on time."},
                         format="json"),
        lambda: screen.post(f"/cases/{case.reference}/note/", {"version": opened, "text": "My careful note"}))

    assert held == [True]
    assert api.status_code == 200
    assert error_summary(note) == [stale_message(case, opened)]
    assert "My careful note</textarea>" in note.content.decode()
    assert not Note.objects.exists()
