"""Only the moves possible now are offered; a form opened before someone else's change is refused."""

import datetime as dt

import pytest

from complaints.models import Deadline
from complaints.services.holds import complaint_hold
from complaints.services.lifecycle import complaint_close
from complaints.services.stage_work import complaint_extend
from tests.dates import date_parts, typed_parts
from tests.factories import london
from tests.staff.conftest import (
    acknowledged_case,
    actions_offered,
    answered_case,
    error_summary,
    fresh,
    new_case,
    post_action,
    row_of,
    stage1_case,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
RECORDS = ["assign", "note", "correspondence", "adjustments", "link"]


def offered(client, case):
    return actions_offered(client.get(f"/cases/{case.reference}/"))


def test_a_new_contact_offers_triage_refusal_and_the_exits(officer_client):
    assert offered(officer_client, new_case()) == ["triage", "refuse", "withdraw", "ombudsman", "transfer", *RECORDS]


def test_stage1_before_acknowledgement(officer_client, officer):
    assert offered(officer_client, stage1_case(officer)) == [
        "refuse", "acknowledge", "respond", "extend", "hold", "withdraw", "ombudsman", "transfer", *RECORDS]


def test_on_hold_offers_resume_not_stage_work(officer_client, officer):
    case = complaint_hold(complaint=stage1_case(officer), by=officer, reason="Waiting for CCTV")
    assert offered(officer_client, case) == ["resume", "withdraw", "ombudsman", "transfer", *RECORDS]


def test_answered_offers_escalation_and_closing(officer_client, officer):
    assert offered(officer_client, answered_case(officer)) == [
        "escalate", "close", "withdraw", "ombudsman", "transfer", *RECORDS]


def test_closed_after_stage1_offers_reopening_and_the_ombudsman(officer_client, officer):
    case = complaint_close(complaint=answered_case(officer), by=officer)
    assert offered(officer_client, case) == ["reopen", "ombudsman", "note", "correspondence", "adjustments", "link"]


def test_a_manager_also_records_conflicts(client, manager):
    client.force_login(manager)
    assert offered(client, new_case())[-1] == "conflict"


def test_a_move_not_possible_now_redirects_to_the_case_with_the_reason(officer_client, officer):
    case = stage1_case(officer)
    response = officer_client.get(f"/cases/{case.reference}/close/", follow=True)
    assert response.redirect_chain == [(f"/cases/{case.reference}/", 302)]
    assert "Close is not possible now: LBD-2026-00001 is stage 1." in response.content.decode()


# --- stale forms ---------------------------------------------------------------
def test_a_stale_extension_is_refused_with_a_reload_link_and_nothing_typed_is_lost(officer_client, officer):
    case = acknowledged_case(officer)
    page = officer_client.get(f"/cases/{case.reference}/extend/")
    opened = case.version
    assert f'name="version" value="{opened}"' in page.content.decode()
    # Meanwhile a colleague extends it.
    complaint_extend(complaint=case, by=officer, new_date=dt.date(2026, 6, 19),
                     reason="Colleague's extension", complainant_told_at=london("2026-06-10T09:00"))
    before = row_of(case)
    response = post_action(officer_client, case, "extend", {
        **date_parts("new_date", "2026-06-24"), "reason": "My own reason, typed at length",
        **date_parts("told_on", "2026-06-10")},
        version=opened)
    now = fresh(case).version
    assert error_summary(response) == [
        (f"{case.reference} was changed by someone else since you opened it (version {opened}, now {now}); "
        "reload the case and try again")]
    assert row_of(case) == before
    assert Deadline.objects.get(complaint=case, stage="stage1", kind="respond").due_date.isoformat() == "2026-06-19"
    html = response.content.decode()
    assert f'<li><a href="/cases/{case.reference}/extend/">{case.reference} was changed' in html
    assert 'id="reload-link"' in html
    assert "My own reason, typed at length</textarea>" in html
    assert typed_parts(html, "new_date") == ("24", "6", "2026")
    assert f'name="version" value="{opened}"' in html  # still stale: resubmitting cannot overwrite the change

    reloaded = officer_client.get(f"/cases/{case.reference}/extend/")
    assert f'name="version" value="{now}"' in reloaded.content.decode()


def test_a_second_acknowledgement_from_an_old_page_is_refused(officer_client, officer):
    case = stage1_case(officer)
    opened = case.version
    response = post_action(officer_client, case, "acknowledge", date_parts("on", "2026-06-09"), version=opened)
    assert response.status_code == 302
    before = row_of(case)
    response = post_action(officer_client, case, "acknowledge", date_parts("on", "2026-06-10"), version=opened)
    assert error_summary(response) == [
        (f"LBD-2026-00001 was changed by someone else since you opened it (version {opened}, now {opened + 1}); "
        "reload the case and try again")]
    assert row_of(case) == before


def test_a_post_without_a_version_is_a_form_error(officer_client, officer):
    case = stage1_case(officer)
    response = officer_client.post(f"/cases/{case.reference}/acknowledge/", date_parts("on", "2026-06-09"))
    assert response.status_code == 200
    assert error_summary(response) == ["This page was incomplete: go back to the case and try again"]
    assert fresh(case).version == case.version
