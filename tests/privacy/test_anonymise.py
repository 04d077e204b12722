"""What anonymisation removes (everywhere, history included) and what it keeps for the reports."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from complaints.models import Attachment, Complaint, Correspondence, Deadline, Extension, Feedback, Note
from complaints.privacy.anonymise import REMOVED, Identifiers
from complaints.privacy.models import Trigger
from complaints.privacy.rectification import complainant_rectify
from complaints.privacy.retention import retention_apply
from complaints.services.lifecycle import complaint_refuse
from complaints.services.records import feedback_record
from ombudsman.models import DecisionKind, Enquiry
from ombudsman.services import (
    RemedyDetails,
    ombudsman_case_open,
    ombudsman_decision_record,
    ombudsman_enquiry_answer,
    ombudsman_enquiry_record,
    remedy_comply,
)
from tests.factories import council, make_complaint
from tests.privacy.conftest import ADDRESS, EMAIL, NAME, PHONE, REPRESENTATIVE, at, closed_case, officer_of

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
TRACES = [NAME, "Morwenna", "Quillfeather", EMAIL, "900123", "Larkspur", REPRESENTATIVE]


def tables_containing(text: str) -> list[str]:
    """Every table with a row whose text contains ``text`` (case-insensitive): the whole database is searched."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT count(*) FROM "{table}" AS t WHERE t::text ILIKE %s', [f"%{text}%"])
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def run(slug: str, as_of: str):
    return retention_apply(council=council(slug), trigger=Trigger.COMMAND, as_of=D(as_of))


@pytest.fixture
def rich_case(clock, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = closed_case(clock, "barnet", D("2026-03-03"), rich=True, representative=REPRESENTATIVE)
    return case


def test_nothing_personal_is_left_anywhere_in_the_database(rich_case, django_capture_on_commit_callbacks):
    from complaints.staff.audit import case_access_record

    attachment = Attachment.objects.get(correspondence__complaint=rich_case)
    case_access_record(complaint=rich_case, user=officer_of("barnet"), action="downloaded",
                       detail=attachment.original_name)  # the audit names the file: "Morwenna-photo.png"
    assert all(tables_containing(trace) for trace in TRACES)  # the case really held them
    assert "staff_caseview" in tables_containing("Morwenna")
    with django_capture_on_commit_callbacks(execute=True):
        assert run("barnet", "2036-03-04").anonymised == 1
    assert {trace: tables_containing(trace) for trace in TRACES} == {trace: [] for trace in TRACES}


def test_history_rows_no_longer_hold_the_name_or_the_officers_free_text(rich_case):
    history = Complaint.history.model.objects.filter(id=rich_case.pk)
    assert any(NAME in (row.summary + (row.history_change_reason or "")) for row in history)
    run("barnet", "2036-03-04")
    rows = list(history.order_by("history_date", "history_id"))
    assert {row.summary for row in rows} == {REMOVED}
    assert not any(NAME in (row.history_change_reason or "") for row in rows)
    assert [row.history_change_reason for row in rows][-3:] == [
        "responded:stage1:2026-02-09", "closed",
        "anonymised: 10 years after the case is closed (Barnet Council policy 2024.1, 1.70), kept until 2036-03-03"]


def test_the_complainant_and_representative_are_blanked(rich_case):
    run("barnet", "2036-03-04")
    case = Complaint.objects.select_related("complainant").get(pk=rich_case.pk)
    person = case.complainant
    assert (person.name, person.email, person.phone, person.address, person.reasonable_adjustments) == ("",) * 5
    assert (case.representative_name, case.representative_relationship, case.consent_evidence) == (REMOVED,) * 3
    assert (case.representative_role, case.consent, person.complainant_type) == ("relative", "received", "resident")
    assert str(person) == "Anonymous"


def test_free_text_is_replaced_and_attachment_files_deleted(rich_case, media, django_capture_on_commit_callbacks):
    stored = Path(media) / Attachment.objects.get(correspondence__complaint=rich_case).file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record = run("barnet", "2036-03-04").records.get()
    assert record.files_deleted == 1 and not stored.exists()
    assert not Attachment.objects.filter(correspondence__complaint=rich_case).exists()
    assert set(Note.objects.filter(complaint=rich_case).values_list("text", flat=True)) == {REMOVED}
    item = Correspondence.objects.get(complaint=rich_case, direction="in")
    assert (item.subject, item.body, item.recipient) == (REMOVED, REMOVED, "")
    assert Extension.objects.get(deadline__complaint=rich_case).reason == REMOVED
    explanations = list(Deadline.objects.filter(complaint=rich_case).values_list("explanation", flat=True))
    explanations += Deadline.history.model.objects.filter(complaint_id=rich_case.pk).values_list("explanation",
                                                                                                 flat=True)
    assert not any("photos" in text for text in explanations)
    assert any(f"Extended to" in text and REMOVED in text for text in explanations)


def test_statistics_are_kept(rich_case):
    before = Complaint.objects.filter(pk=rich_case.pk).values(
        "reference", "state", "stage", "closed_after_stage", "received_at", "channel", "is_anonymous").get()
    outcome_before = rich_case.outcomes.values("stage", "outcome", "responded_at", "remedy_apology",
                                               "compensation_amount", "learning_points").get()
    deadlines_before = list(Deadline.objects.filter(complaint=rich_case).values(
        "stage", "kind", "due_date", "met_at", "cancelled_at", "extensions", "late_working_days").order_by("pk"))
    run("barnet", "2036-03-04")
    assert Complaint.objects.filter(pk=rich_case.pk).values(*before).get() == before
    assert rich_case.outcomes.values(*outcome_before).get() == outcome_before
    assert rich_case.outcomes.get().findings == REMOVED
    assert rich_case.outcomes.get().remedy_action == REMOVED  # still counted as "an action was promised"
    assert list(Deadline.objects.filter(complaint=rich_case).values(*deadlines_before[0]).order_by("pk")) \
        == deadlines_before


def test_text_the_reports_list_keeps_its_words_without_the_identifiers(clock):
    clock.set(at(D("2026-03-02")))
    case = make_complaint("bucks", "2026-03-02T10:00")
    case.complainant.name = "Ifeoma Adeyemi-Okafor"
    case.complainant.save()
    complaint_refuse(complaint=case, by=officer_of("bucks"), reason="Insurance claim by Ifeoma Adeyemi-Okafor",
                     signposting="Contact the insurers")
    run("bucks", "2032-03-03")
    case = Complaint.objects.get(pk=case.pk)
    assert (case.refusal_reason, case.signposting) == ("Insurance claim by [removed]", REMOVED)


def test_a_person_with_another_case_still_kept_keeps_their_details_there(clock):
    old = closed_case(clock, "bucks", D("2026-03-03"))
    recent = closed_case(clock, "bucks", D("2026-06-01"))
    Complaint.objects.filter(pk=recent.pk).update(complainant=old.complainant)
    person = old.complainant
    run("bucks", "2032-03-04")
    old, recent = Complaint.objects.get(pk=old.pk), Complaint.objects.get(pk=recent.pk)
    assert old.complainant_id != person.pk and old.complainant.name == ""
    assert recent.complainant.name == NAME  # still inside retention
    assert set(Complaint.history.model.objects.filter(id=old.pk).values_list("complainant_id", flat=True)) == {
        old.complainant_id}


def test_a_rectification_reason_of_an_anonymised_complainant_is_removed(clock):
    case = closed_case(clock, "bucks", D("2026-03-03"))
    clock.set(at(D("2026-03-10")))
    complainant_rectify(complainant=case.complainant, by=officer_of("bucks"), changes={"phone": "07700 900999"},
                        reason=f"{NAME} rang with a new number")
    run("bucks", "2032-03-11")
    assert list(case.complainant.rectifications.values_list("reason", flat=True)) == [REMOVED]


def test_the_ombudsman_cases_of_the_complaint_are_anonymised_too(clock):
    case = closed_case(clock, "lbbd", D("2026-03-03"))
    officer = officer_of("lbbd")
    clock.set(at(D("2026-04-01")))
    ombudsman = ombudsman_case_open(council=case.council, by=officer, ombudsman="lgsco", their_reference="25 001 234",
                                    received_on=D("2026-04-01"), complaint=case)
    enquiry = ombudsman_enquiry_record(case=ombudsman, by=officer, received_on=D("2026-04-01"),
                                       description=f"Send {NAME}'s file", respond_within=20, unit="working_days")
    clock.set(at(D("2026-04-10")))
    ombudsman_enquiry_answer(enquiry=enquiry, by=officer, at=at(D("2026-04-10")))
    decision = ombudsman_decision_record(
        case=ombudsman, by=officer, kind=DecisionKind.FINAL, outcome="upheld", decided_on=D("2026-06-01"),
        summary=f"Fault causing {NAME} injustice",
        remedies=[RemedyDetails(kind="payment", description=f"Pay {NAME} 200", due_date=D("2026-07-01"))])
    clock.set(at(D("2026-06-20")))
    remedy_comply(remedy=decision.remedies.get(), by=officer, evidence=f"Paid to {NAME}", at=at(D("2026-06-20")))
    run("lbbd", "2033-06-21")
    assert Enquiry.objects.get().description == REMOVED
    decision.refresh_from_db()
    assert decision.summary == REMOVED and decision.outcome == "upheld"
    remedy = decision.remedies.get()
    assert (remedy.description, remedy.evidence, str(remedy.amount)) == (REMOVED, REMOVED, "0.00")
    ombudsman.refresh_from_db()
    assert ombudsman.their_reference == "25 001 234"
    assert tables_containing("Quillfeather") == []


def test_feedback_past_retention_loses_the_senders_details(clock):
    barnet = council("barnet")
    item = feedback_record(council=barnet, kind="compliment", text=f"Thanks, from {NAME} ({EMAIL})",
                           received_at=at(D("2026-03-03")), name=NAME, email=EMAIL)
    kept = feedback_record(council=barnet, kind="compliment", text="Thanks", received_at=at(D("2026-03-05")),
                           name=NAME, email=EMAIL)
    result = run("barnet", "2036-03-04")
    item.refresh_from_db()
    assert (item.name, item.email, item.text, item.kind) == ("", "", "Thanks, from [removed] ([removed])",
                                                            "compliment")
    assert Feedback.objects.get(pk=kept.pk).name == NAME
    assert list(result.records.values_list("reference", "rule")) == [(f"feedback {item.pk}",
                                                                      "10 years after receipt")]


def test_identifiers_cover_the_name_words_email_phone_and_address():
    from complaints.models import Complainant

    ids = Identifiers.of(Complainant(name=NAME, email=EMAIL, phone=PHONE, address=ADDRESS), REPRESENTATIVE)
    text = f"Mrs Quillfeather ({EMAIL}, 07700-900-123) of 12 Larkspur Close asked Tamsin; morwenna agreed"
    assert ids.redact(text) == "Mrs [removed] ([removed], [removed]) of [removed] asked [removed]; [removed] agreed"
    assert ids.redact("Quillfeathers") == "Quillfeathers"  # whole words only
