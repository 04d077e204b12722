"""Promises kept: marking remedy and learning actions completed, and Ombudsman remedies complied with.

Today is Wed 10 Jun 2026 (the clock fixture). The LBBD case was answered on
Mon 8 Jun 2026 at 15:00 with two actions: a learning action owned by the
investigator, due Tue 9 Jun (1 working day overdue), and a remedy owned by the
manager, due Fri 10 Jul.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Action, Complaint
from complaints.services.lifecycle import complaint_assign, complaint_close
from complaints.services.people import action_complete
from complaints.services.stage_work import ResponseDetails, complaint_respond
from deadlines.calendar import london_date
from ombudsman.models import DecisionOutcome, Remedy
from ombudsman.services import RemedyDetails, ombudsman_case_open, ombudsman_decision_record
from tests.dates import date_parts
from tests.factories import council, london, make_complaint
from tests.staff.conftest import (
    acknowledged_case,
    assert_done,
    error_summary,
    fresh,
    row_of,
    someone_else_changes,
    stale_message,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
D = dt.date.fromisoformat
RETRAIN = "Retrain the crew on assisted collections"
ADD_STREET = "Add the street to the assisted collection list"


@pytest.fixture
def case(officer, manager, investigator) -> Complaint:
    return complaint_respond(
        complaint=acknowledged_case(officer), by=officer, at=london("2026-06-08T15:00"),
        details=ResponseDetails(outcome="upheld", findings="Three collections were missed.",
                                actions=[(ADD_STREET, manager, D("2026-07-10")),
                                         (RETRAIN, investigator, D("2026-06-09"))]))


def action(description: str) -> Action:
    return Action.objects.get(description=description)


def card(html: str, attribute: str, pk: int) -> str:
    """One summary card of the case page, by its data attribute."""
    match = re.search(rf'<div class="govuk-summary-card" {attribute}="{pk}".*?(?=<div class="govuk-summary-card"|'
                      r'<h2 class="govuk-heading-m")', html, re.DOTALL)
    assert match is not None, f"no card {attribute}={pk}"
    return match.group(0)


def complete(client, case, item: Action, data: dict, version: int | None = None):
    prefix = f"action-{item.pk}"
    payload = {f"{prefix}-version": fresh(case).version if version is None else version,
               **{f"{prefix}-{key}": value for key, value in data.items()}}
    return client.post(f"/cases/{case.reference}/actions/{item.pk}/complete/", payload)


def completed_on(day: str) -> dict:
    return {**date_parts("on", day), "evidence": "Crew briefed on 9 June; briefing sheet on file"}


# --- the case page ---------------------------------------------------------------
def test_the_case_page_lists_open_actions_soonest_first_each_with_a_mark_as_completed_form(officer_client, case):
    html = officer_client.get(f"/cases/{case.reference}/").content.decode()
    section = html[html.index('id="promised-actions"'):]
    assert section.index(RETRAIN) < section.index(ADD_STREET)  # due first, listed first
    retrain = card(html, "data-action-id", action(RETRAIN).pk)
    assert 'data-rag="red"' in retrain and "1 working day overdue" in retrain
    assert "Ivo Investigator" in retrain and "Stage 1 response, 8 June 2026" in retrain
    pk = action(RETRAIN).pk
    assert f'action="/cases/{case.reference}/actions/{pk}/complete/"' in retrain
    assert f'name="action-{pk}-version" value="{case.version}"' in retrain
    assert f'id="id_action-{pk}-on-day" name="action-{pk}-on_day" type="text" inputmode="numeric" value="10"' in retrain
    assert f'name="action-{pk}-evidence"' in retrain
    assert f"Mark as completed<span class=\"govuk-visually-hidden\">: {RETRAIN}</span></button>" in retrain


def test_marking_an_action_completed_keeps_the_date_and_evidence_and_shows_on_the_timeline(officer_client, case):
    response = complete(officer_client, case, action(RETRAIN), completed_on("2026-06-09"))
    assert_done(officer_client, response, case, f"Action completed: {RETRAIN}")
    assert london_date(action(RETRAIN).completed_at) == D("2026-06-09")
    assert action(ADD_STREET).completed_at is None
    html = officer_client.get(f"/cases/{case.reference}/").content.decode()
    done = card(html, "data-action-id", action(RETRAIN).pk)
    assert 'data-completed="yes"' in done and "9 June 2026" in done and "<form" not in done
    timeline = html[html.index('id="timeline"'):]
    assert f"action_completed: {RETRAIN}" in timeline
    assert (f"Action completed on Tue 9 Jun 2026: {RETRAIN}\n\nCrew briefed on 9 June; briefing sheet on file"
            in fresh(case).notes.values_list("text", flat=True))


def test_an_action_can_be_completed_after_the_case_is_closed(officer_client, officer, case):
    complaint_close(complaint=case, by=officer)
    response = complete(officer_client, case, action(ADD_STREET), completed_on("2026-06-10"))
    assert_done(officer_client, response, case, f"Action completed: {ADD_STREET}")
    assert action(ADD_STREET).completed_at is not None


def test_a_half_typed_date_and_no_evidence_are_form_errors_linked_to_their_boxes(officer_client, case):
    before = row_of(case)
    item = action(RETRAIN)
    response = complete(officer_client, case, item, {"on_day": "9", "on_month": "", "on_year": "2026",
                                                     "evidence": ""})
    assert error_summary(response) == ["The date it was completed must include a month",
                                       "Enter the evidence that it was done"]
    html = response.content.decode()
    assert f'<a href="#id_action-{item.pk}-on-day">The date it was completed must include a month</a>' in html
    assert f'<a href="#id_action-{item.pk}-evidence">Enter the evidence that it was done</a>' in html
    assert "<title>Error: Mark the action as completed" in html
    assert (row_of(case), action(RETRAIN).completed_at) == (before, None)


def test_a_date_before_the_response_is_refused_with_the_reason(officer_client, case):
    before = row_of(case)
    response = complete(officer_client, case, action(RETRAIN), completed_on("2026-06-05"))
    assert error_summary(response) == [
        "An action cannot be completed before the response that promised it (Mon 8 Jun 2026)"]
    assert (row_of(case), action(RETRAIN).completed_at) == (before, None)


def test_a_date_in_the_future_is_a_form_error(officer_client, case):
    response = complete(officer_client, case, action(RETRAIN), completed_on("2026-06-11"))
    assert error_summary(response) == ["The date it was completed must be today or in the past"]
    assert action(RETRAIN).completed_at is None


def test_a_stale_page_is_refused_with_a_reload_link_and_nothing_is_recorded(officer_client, case):
    opened = case.version
    someone_else_changes(case)
    before = row_of(case)
    item = action(RETRAIN)
    response = complete(officer_client, case, item, completed_on("2026-06-09"), version=opened)
    assert error_summary(response) == [stale_message(case, opened)]
    html = response.content.decode()
    assert f'<a class="govuk-link" href="/cases/{case.reference}/actions/{item.pk}/complete/" id="reload-link">' in html
    assert "Crew briefed on 9 June; briefing sheet on file</textarea>" in html  # nothing typed is lost
    assert (row_of(case), action(RETRAIN).completed_at) == (before, None)


def test_an_action_already_completed_is_not_completed_twice(officer_client, officer, case):
    action_complete(action=action(RETRAIN), by=officer, at=london("2026-06-09T12:00"))
    page = officer_client.get(f"/cases/{case.reference}/actions/{action(RETRAIN).pk}/complete/", follow=True)
    assert page.redirect_chain == [(f"/cases/{case.reference}/", 302)]
    assert "That action was already completed on Tue 9 Jun 2026" in page.content.decode()
    response = complete(officer_client, case, action(RETRAIN), completed_on("2026-06-10"))
    assert error_summary(response) == ["That action was already completed on Tue 9 Jun 2026"]


def test_an_investigating_officer_completes_only_their_own_actions(client, officer, investigator, case):
    complaint_assign(complaint=case, by=officer, officer=investigator)
    client.force_login(investigator)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert "<form" in card(html, "data-action-id", action(RETRAIN).pk)
    theirs = card(html, "data-action-id", action(ADD_STREET).pk)
    assert "<form" not in theirs and "The owner, or a complaints officer or manager" in theirs
    assert complete(client, case, action(ADD_STREET), completed_on("2026-06-10")).status_code == 403
    assert action(ADD_STREET).completed_at is None
    response = complete(client, case, action(RETRAIN), completed_on("2026-06-10"))
    assert_done(client, response, case, f"Action completed: {RETRAIN}")


def test_an_action_of_another_case_or_council_is_not_found(officer_client, officer, case):
    other = acknowledged_case(officer, name="Sam Other")
    assert complete(officer_client, other, action(RETRAIN), completed_on("2026-06-10")).status_code == 404
    barnet = make_complaint("barnet")
    assert officer_client.get(f"/cases/{barnet.reference}/actions/{action(RETRAIN).pk}/complete/").status_code == 404
    assert action(RETRAIN).completed_at is None


# --- Ombudsman remedies ---------------------------------------------------------
@pytest.fixture
def remedy(officer, manager, case) -> Remedy:
    return apology_recommended(case, officer, manager)


def apology_recommended(case, officer, manager) -> Remedy:
    """The LGSCO took the case on Tue 9 Jun and decided on Wed 10 Jun: an apology by Tue 30 Jun, £150 by Fri 3 Jul."""
    referral = ombudsman_case_open(council=council("lbbd"), by=officer, ombudsman="lgsco", their_reference="26 004 321",
                                   received_on=D("2026-06-09"), complaint=case, council_contact=manager)
    decision = ombudsman_decision_record(
        case=referral, by=officer, kind="final", outcome=DecisionOutcome.UPHELD, decided_on=D("2026-06-10"),
        summary="Fault in missed collections", remedies=[
            RemedyDetails(kind="apology", description="Apologise in writing", due_date=D("2026-06-30")),
            RemedyDetails(kind="payment", description="Pay £150", due_date=D("2026-07-03"), amount="150.00")])
    return decision.remedies.get(kind="apology")


def comply(client, case, item: Remedy, data: dict, version: int | None = None):
    prefix = f"remedy-{item.pk}"
    payload = {f"{prefix}-version": fresh(case).version if version is None else version,
               **{f"{prefix}-{key}": value for key, value in data.items()}}
    return client.post(f"/cases/{case.reference}/ombudsman-remedies/{item.pk}/comply/", payload)


def test_the_case_page_shows_the_ombudsman_case_its_decision_and_a_compliance_form_per_remedy(officer_client, case,
                                                                                               remedy):
    html = officer_client.get(f"/cases/{case.reference}/").content.decode()
    section = html[html.index('id="ombudsman"'):]
    assert "Local Government and Social Care Ombudsman 26 004 321" in section
    assert "Final decision" in section and "Upheld: maladministration and injustice" in section
    apology = card(html, "data-remedy-id", remedy.pk)
    assert "Apologise in writing" in apology and "30 June 2026" in apology and 'data-rag="green"' in apology
    assert f'action="/cases/{case.reference}/ombudsman-remedies/{remedy.pk}/comply/"' in apology
    assert f'id="id_remedy-{remedy.pk}-on-day"' in apology
    assert "Pay £150 (£150.00)" in section


def test_recording_compliance_keeps_the_evidence_and_shows_on_the_timeline(officer_client, case, remedy):
    response = comply(officer_client, case, remedy, {**date_parts("on", "2026-06-10"),
                                                      "evidence": "Apology letter sent 10 June"})
    assert_done(officer_client, response, case, "Compliance recorded: Apology")
    remedy.refresh_from_db()
    assert (london_date(remedy.complied_at), remedy.evidence) == (D("2026-06-10"), "Apology letter sent 10 June")
    html = officer_client.get(f"/cases/{case.reference}/").content.decode()
    done = card(html, "data-remedy-id", remedy.pk)
    assert "10 June 2026: Apology letter sent 10 June" in done and "<form" not in done
    assert "ombudsman_remedy_complied: Apology: Apologise in writing" in html[html.index('id="timeline"'):]


def test_compliance_without_evidence_or_before_the_decision_is_refused(officer_client, case, remedy):
    response = comply(officer_client, case, remedy, {**date_parts("on", "2026-06-10"), "evidence": " "})
    assert error_summary(response) == ["Enter the evidence of compliance"]
    response = comply(officer_client, case, remedy, {**date_parts("on", "2026-06-09"), "evidence": "Letter"})
    assert error_summary(response) == ["Compliance cannot be dated before the Ombudsman's decision (Wed 10 Jun 2026)"]
    remedy.refresh_from_db()
    assert remedy.complied_at is None


def test_only_the_council_contact_or_a_caseworker_records_compliance(client, officer, manager, investigator, case):
    complaint_assign(complaint=case, by=officer, officer=investigator)
    remedy = apology_recommended(case, officer, manager)
    client.force_login(investigator)
    assert "<form" not in card(client.get(f"/cases/{case.reference}/").content.decode(), "data-remedy-id", remedy.pk)
    response = comply(client, case, remedy, {**date_parts("on", "2026-06-10"), "evidence": "Letter"})
    assert response.status_code == 403
    remedy.refresh_from_db()
    assert remedy.complied_at is None
    # A second Ombudsman case on the complaint names the investigator as the council's contact.
    theirs = ombudsman_case_open(council=council("lbbd"), by=officer, ombudsman="housing", their_reference="H-1",
                                 received_on=D("2026-06-10"), complaint=fresh(case), council_contact=investigator)
    decision = ombudsman_decision_record(case=theirs, by=officer, kind="final", outcome=DecisionOutcome.UPHELD,
                                         decided_on=D("2026-06-10"), summary="Fault", remedies=[
                                             RemedyDetails(kind="apology", description="Say sorry",
                                                           due_date=D("2026-06-30"))])
    own = decision.remedies.get()
    assert "<form" in card(client.get(f"/cases/{case.reference}/").content.decode(), "data-remedy-id", own.pk)
    response = comply(client, case, own, {**date_parts("on", "2026-06-10"), "evidence": "Letter"})
    assert_done(client, response, case, "Compliance recorded: Apology")



def test_the_case_page_reads_actions_and_remedies_in_the_same_number_of_queries_however_many(officer_client, officer,
                                                                                                 manager, case, remedy):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(f"/cases/{case.reference}/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    outcome = Action.objects.get(description=RETRAIN).outcome
    for n in range(3):
        Action.objects.create(outcome=outcome, description=f"Extra action {n}", owner=officer, due_date=D("2026-07-01"))
    Remedy.objects.create(decision=remedy.decision, kind="service_improvement", description="Review the rounds",
                          due_date=D("2026-08-01"))
    assert queries() == before
