"""Letters to complainants: per-council templates, the stored dates in words, the next step, the Ombudsman.

Dates are counted by hand on a 2026 calendar (see the journey tests for the counting):
LBBD, received Mon 18 May and acknowledged Wed 20 May, responds by Thu 4 Jun; a Stage 1
response on Wed 3 Jun leaves until Wed 1 Jul (28 days) to ask for the Review.
"""

import datetime as dt

import pytest
from django.core import mail

from complaints.models import Complainant, Correspondence, Deadline, DeliveryStatus, State
from complaints.selectors import TimelineEntry, complaint_timeline
from complaints.services.delivery import correspondence_deliver_pending
from complaints.services.errors import PolicyGuardFailed
from complaints.services.intake import ComplainantDetails, ComplaintDetails, complaint_create, complaint_triage
from complaints.services.letters import complaint_send_letter, date_words, letter_render, letter_template_names
from complaints.services.lifecycle import complaint_escalate
from complaints.services.stage_work import (
    ResponseDetails,
    complaint_acknowledge,
    complaint_extend,
    complaint_record_meeting,
    complaint_respond,
)
from ombudsman.contacts import CONTACTS, ombudsman_for
from tests.factories import council, london, make_complaint, service_area, staff

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def respond_row(case, stage):
    return Deadline.objects.get(complaint=case, stage=stage, kind="respond")


def lbbd_acknowledged(officer, **kwargs):
    case = make_complaint("lbbd", "2026-05-18T10:00", **kwargs)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    return complaint_acknowledge(complaint=case, by=officer, at=london("2026-05-20T09:00"))


def lbbd_stage1_answered(officer, findings="The letter went to the wrong address; we have corrected it."):
    case = lbbd_acknowledged(officer)
    return complaint_respond(complaint=case, by=officer, details=ResponseDetails(outcome="upheld", findings=findings),
                             at=london("2026-06-03T15:00"))


def lbbd_review_answered(officer, reviewer):
    case = lbbd_stage1_answered(officer)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    case = complaint_acknowledge(complaint=case, by=reviewer, at=london("2026-06-17T09:00"))
    return complaint_respond(complaint=case, by=reviewer, at=london("2026-07-14T12:00"),
                             details=ResponseDetails(outcome="partly_upheld", findings="The review found a delay."))


def barnet_group_stage2_answered(*, areas, complainant_type="resident"):
    """Received Mon 1 Jun, Stage 1 answered Thu 11 Jun, Stage 2 asked Mon 22 Jun and answered Thu 2 Jul."""
    officer, manager = staff("barnet-group"), staff("barnet-group")
    case = make_complaint("barnet-group", "2026-06-01T10:00", areas=areas, complainant_type=complainant_type)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, at=london("2026-06-11T10:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="Stage 1 findings."))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=manager)
    case = complaint_respond(complaint=case, by=manager, at=london("2026-07-02T10:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="Stage 2 findings."))
    return case, officer


HOUSING_DIRECT = "You can contact the Housing Ombudsman directly as soon as our complaints procedure has finished."
LGSCO_DETAILS = ("Local Government and Social Care Ombudsman\n"
                 "Looks at complaints about councils and adult social care providers, usually once the council's own "
                 "complaints procedure has finished.\n"
                 "Website: www.lgo.org.uk\n"
                 "Phone: 0300 061 0614\n")
HOUSING_DETAILS = ("Housing Ombudsman Service\n"
                   "Looks at complaints about social housing landlords; residents can go to it directly once the "
                   "landlord's complaints procedure has finished.\n"
                   "Website: www.housing-ombudsman.org.uk\n"
                   "Phone: 0300 111 3000\n")


# --- Ombudsman contacts as data ----------------------------------------------------------
def test_ombudsman_contacts_are_the_published_ones():
    assert [(c.key, c.name, c.website, c.phone) for c in CONTACTS.values()] == [
        ("lgsco", "Local Government and Social Care Ombudsman", "www.lgo.org.uk", "0300 061 0614"),
        ("housing", "Housing Ombudsman Service", "www.housing-ombudsman.org.uk", "0300 111 3000"),
    ]


def test_ombudsman_for_picks_the_policys_route_for_the_category_or_its_default(policies):
    group = policies["barnet-group"]
    social = ombudsman_for(group, "social_housing")
    assert (social.key, social.after_stage, social.is_default, social.source) == (
        "housing", "stage2", False, "Complaints related to social housing")
    homeless = ombudsman_for(group, "homelessness")
    assert (homeless.key, homeless.after_stage, homeless.is_default) == ("lgsco", "panel", False)
    assert (ombudsman_for(group, "adult_social_care").key, ombudsman_for(group, "adult_social_care").after_stage) == (
        "lgsco", "stage2")
    fallback = ombudsman_for(group, "parking")
    assert (fallback.key, fallback.after_stage, fallback.is_default) == ("housing", None, True)
    assert ombudsman_for(policies["lbbd"], "social_housing").key == "housing"
    assert ombudsman_for(policies["lbbd"], "council_services").key == "lgsco"
    assert ombudsman_for(policies["lbbd"], "").key == "lgsco"
    assert ombudsman_for(policies["bucks"], "social_housing").key == "lgsco"  # no route: Bucks' default


# --- acknowledgement -------------------------------------------------------------------------
def test_date_words():
    assert date_words(D("2026-04-20")) == "Monday 20 April 2026"
    assert date_words(D("2026-06-04")) == "Thursday 4 June 2026"


def test_acknowledgement_shows_the_stored_respond_by_date_in_words_with_its_explanation():
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    explanation = respond_row(case, "stage1").explanation
    assert explanation.startswith("Respond by Thu 4 Jun 2026: 10 working days after acknowledgement on Wed 20 May")
    subject, body = letter_render(complaint=case, kind="acknowledgement")
    assert subject == "Acknowledgement of your complaint: LBD-2026-00001"
    assert body == (
        "Dear Alex Resident,\n"
        "\n"
        "Your reference: LBD-2026-00001\n"
        "Stage 1 complaint\n"
        "\n"
        "Thank you for your complaint. We have received it and it is being dealt with at this stage of our "
        "complaints procedure: Stage 1.\n"
        "\n"
        "What your complaint is about, as we understand it:\n"
        "Bins not collected for three weeks\n"
        "\n"
        "We will send you our full response by Thursday 4 June 2026.\n"
        "We aim to send you a full response within 10 working days after we acknowledge your complaint.\n"
        f"How we worked out this date: {explanation}\n"
        "\n"
        "If we need more time, we will write to you before that date to explain why and to give you a new date.\n"
        "\n"
        "Please quote LBD-2026-00001 whenever you contact us about this complaint.\n"
        "\n"
        "Yours sincerely,\n"
        "\n"
        "The Complaints Team\n"
        "London Borough of Barking and Dagenham\n"
    )


def test_lbbd_review_acknowledgement_calls_stage2_the_review_and_gives_its_date():
    officer, reviewer = staff("lbbd"), staff("lbbd")
    case = lbbd_stage1_answered(officer)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    case = complaint_acknowledge(complaint=case, by=reviewer, at=london("2026-06-17T09:00"))
    subject, body = letter_render(complaint=case, kind="acknowledgement")
    assert subject == "Acknowledgement of your complaint: LBD-2026-00001"
    assert "\nReview\n" in body
    assert "being dealt with at this stage of our complaints procedure: Review.\n" in body
    # Acknowledged Wed 17 Jun: 20 working days -> Wed 15 Jul.
    assert "We will send you our full response by Wednesday 15 July 2026.\n" in body
    assert "We aim to send you the full review response within 20 working days.\n" in body
    assert "Stage 2" not in body


def test_acknowledgement_shows_a_target_date_where_the_policy_has_one():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    subject, body = letter_render(complaint=case, kind="acknowledgement")
    assert subject == "Acknowledgement of your complaint: BCC-2026-00001"
    # From receipt Mon 1 Jun: 20 working days -> Mon 29 Jun; target 10 -> Mon 15 Jun.
    assert "We will send you our full response by Monday 29 June 2026.\n" in body
    assert "We aim to reply sooner, by Monday 15 June 2026.\n" in body
    assert body.endswith("The Complaints Team\nBuckinghamshire County Council\n")


def test_anonymous_complainant_is_sir_or_madam_and_user_text_is_data_not_template_syntax():
    officer = staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00", anonymous=True,
                          summary="{{ council_name }} {% now 'Y' %} <b>Fish & chips</b> {# hidden #}")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"),
                            reason="Wider concern: public safety")
    _, body = letter_render(complaint=case, kind="acknowledgement")
    assert body.startswith("Dear Sir or Madam,\n")
    assert "\n{{ council_name }} {% now 'Y' %} <b>Fish & chips</b> {# hidden #}\n" in body
    assert "Yours faithfully,\n" in body and "Yours sincerely" not in body


def test_letter_for_a_case_not_at_a_stage_is_refused_with_a_reason():
    officer = staff("lbbd")
    case = make_complaint("lbbd", "2026-05-18T10:00")
    with pytest.raises(PolicyGuardFailed) as refused:
        letter_render(complaint=case, kind="acknowledgement")
    assert refused.value.message == (
        "LBD-2026-00001 is not at a stage of the complaints procedure, so no acknowledgement letter can be written")
    with pytest.raises(PolicyGuardFailed, match="Unknown letter 'apology'"):
        complaint_send_letter(complaint=case, by=officer, kind="apology")
    assert not Correspondence.objects.exists()


# --- holding letter ------------------------------------------------------------------------
def test_holding_letter_shows_the_extended_date_and_the_reason():
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    complaint_extend(complaint=case, by=officer, new_date=D("2026-06-18"),
                     complainant_told_at=london("2026-06-01T10:00"),
                     reason="We are waiting for the benefits team's records")
    subject, body = letter_render(complaint=case, kind="holding")
    assert subject == "Update on your complaint: LBD-2026-00001"
    assert ("We are sorry, but we need more time to send you our full response. We now expect to reply by "
            "Thursday 18 June 2026 instead of Thursday 4 June 2026.\n") in body
    assert "Why we need more time: We are waiting for the benefits team's records\n" in body
    assert f"How we worked out this date: {respond_row(case, 'stage1').explanation}\n" in body


def test_brighton_and_hove_holding_reply_uses_its_own_label_and_the_latest_extension():
    officer = staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    told = london("2026-06-12T10:00")
    complaint_extend(complaint=case, by=officer, new_date=D("2026-06-26"), complainant_told_at=told,
                     reason="Waiting for the contractor")
    complaint_extend(complaint=case, by=officer, new_date=D("2026-07-10"), complainant_told_at=told,
                     reason="The contractor's report is late")
    subject, body = letter_render(complaint=case, kind="holding")
    assert subject == "Holding reply: update on your complaint: BHC-2026-00001"
    assert "We now expect to reply by Friday 10 July 2026 instead of Friday 26 June 2026.\n" in body
    assert "Why we need more time: The contractor's report is late\n" in body


def test_holding_letter_without_an_extension_is_refused():
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_send_letter(complaint=case, by=officer, kind="holding")
    assert refused.value.message == ("A holding letter gives the complainant the new date: record the extension of "
                                     "LBD-2026-00001's Stage 1 response first")
    assert not Correspondence.objects.exists()


# --- stage responses: the next step and the Ombudsman ------------------------------------
def test_lbbd_stage1_response_offers_the_review_by_the_stored_last_day_and_the_right_to_the_ombudsman():
    officer = staff("lbbd")
    case = lbbd_stage1_answered(officer)
    escalate = Deadline.objects.get(complaint=case, stage="stage1", kind="escalate")
    assert escalate.due_date == D("2026-07-01")
    subject, body = letter_render(complaint=case, kind="stage_response")
    assert subject == "Our response to your complaint: LBD-2026-00001"
    assert "Our decision: your complaint is upheld.\n" in body
    assert "What we found:\nThe letter went to the wrong address; we have corrected it.\n" in body
    assert ("If you are not satisfied with our response, you can ask for your complaint to go to the next stage of "
            "our procedure: Review.\n"
            "The last day to ask is Wednesday 1 July 2026. You must ask for a review within 28 days of getting your "
            "Stage 1 response.\n"
            f"How we worked out this date: {escalate.explanation}\n") in body
    assert ("You also have the right to complain to the Local Government and Social Care Ombudsman once our "
            "complaints procedure has finished. The Ombudsman may sometimes agree to look at a complaint sooner.\n"
            ) in body
    assert "This is our final response" not in body
    assert "www.lgo.org.uk" not in body


def test_lbbd_review_response_is_final_and_signposts_the_ombudsman_with_contact_details():
    officer, reviewer = staff("lbbd"), staff("lbbd")
    case = lbbd_review_answered(officer, reviewer)
    subject, body = letter_render(complaint=case, kind="stage_response")
    assert subject == "Our response to your complaint: LBD-2026-00001"
    assert "Review: our response\n" in body
    assert "Our decision: your complaint is partly upheld.\n" in body
    assert ("This is our final response: our complaints procedure has now finished. If you are not satisfied, you "
            "have the right to ask the Local Government and Social Care Ombudsman to look at your complaint. It is "
            "independent and free to use.\n\n" + LGSCO_DETAILS) in body
    assert "next stage of our procedure" not in body
    assert HOUSING_DIRECT not in body


@pytest.mark.parametrize(("slug", "next_name"), [("lbbd", "Review"), ("barnet", "Review"), ("bucks", "Stage 2"),
                                                 ("brighton-hove", "Stage 2")])
def test_stage1_response_names_the_next_stage_as_the_policy_calls_it(slug, next_name):
    officer = staff(slug)
    case = make_complaint(slug, "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, at=london("2026-06-10T10:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="Collected on time."))
    _, body = letter_render(complaint=case, kind="stage_response")
    assert (f"you can ask for your complaint to go to the next stage of our procedure: {next_name}.\n") in body


def test_barnet_group_social_housing_final_letter_after_stage2_names_the_housing_ombudsman_directly():
    case, _ = barnet_group_stage2_answered(areas=[service_area("barnet-group", "Tenancy management",
                                                               "social_housing")])
    subject, body = letter_render(complaint=case, kind="stage_response")
    assert subject == "Our response to your complaint: TBG-2026-00001"
    assert ("you have the right to ask the Housing Ombudsman Service to look at your complaint. It is independent "
            "and free to use.\n\n" + HOUSING_DETAILS + "\n" + HOUSING_DIRECT + " You no longer need to ask an MP, a "
            "councillor or a tenant panel (a \"designated person\") to refer your complaint, and you do not need to "
            "wait eight weeks.\n") in body
    assert "Local Government and Social Care Ombudsman" not in body
    assert "Stage 3 Panel" not in body


def test_barnet_group_homelessness_goes_to_the_panel_then_the_lgsco():
    officer_areas = [service_area("barnet-group", "Housing options and homelessness", "homelessness")]
    case, officer = barnet_group_stage2_answered(areas=officer_areas, complainant_type="homeless_applicant")
    _, body = letter_render(complaint=case, kind="stage_response")
    assert "you can ask for your complaint to go to the next stage of our procedure: Stage 3 Panel.\n" in body
    # The leaflet sets no time to ask for the Panel: no date is invented.
    assert "Please contact us as soon as you can if you want to ask.\n" in body
    assert ("You also have the right to complain to the Local Government and Social Care Ombudsman once our "
            "complaints procedure has finished.\n") in body  # Barnet Group: may_go_early is false
    assert "www.lgo.org.uk" not in body and "Housing Ombudsman" not in body

    chair = staff("barnet-group")
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"), reviewer=chair)
    case = complaint_record_meeting(complaint=case, by=chair, meeting_on=D("2026-07-22"))
    case = complaint_respond(complaint=case, by=chair, at=london("2026-08-03T15:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="Panel findings."))
    subject, body = letter_render(complaint=case, kind="stage_response")
    assert subject == "Our response to your complaint: TBG-2026-00001"
    assert "Stage 3 Panel: our response\n" in body
    assert "This is our final response" in body
    assert LGSCO_DETAILS in body
    assert "Housing Ombudsman" not in body  # the override's paragraph is for the Housing Ombudsman only


def test_barnet_group_homelessness_from_a_tenant_skips_the_panel_to_the_lgsco():
    areas = [service_area("barnet-group", "Housing options and homelessness", "homelessness")]
    case, _ = barnet_group_stage2_answered(areas=areas, complainant_type="tenant")
    _, body = letter_render(complaint=case, kind="stage_response")
    assert "Stage 3 Panel" not in body
    assert "This is our final response" in body and LGSCO_DETAILS in body


def test_stage_response_without_a_recorded_outcome_is_refused():
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    with pytest.raises(PolicyGuardFailed) as refused:
        letter_render(complaint=case, kind="stage_response")
    assert refused.value.message == (
        "LBD-2026-00001 has no Stage 1 response recorded: record the outcome and findings first")


# --- per-council templates --------------------------------------------------------------------
def test_template_lookup_order_is_council_then_default():
    assert letter_template_names(slug="barnet-group", kind="stage_response") == [
        "letters/barnet-group/stage_response.txt", "letters/default/stage_response.txt"]


def test_the_barnet_group_override_is_used_for_that_council_only():
    """LBBD also routes social housing to the Housing Ombudsman, but gets the default letter."""
    officer, reviewer = staff("lbbd"), staff("lbbd")
    case = make_complaint("lbbd", "2026-05-18T10:00", areas=[service_area("lbbd", "Housing", "social_housing")])
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    case = complaint_respond(complaint=case, by=officer, at=london("2026-06-03T15:00"),
                             details=ResponseDetails(outcome="upheld", findings="Repair was late."))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    case = complaint_respond(complaint=case, by=reviewer, at=london("2026-07-14T12:00"),
                             details=ResponseDetails(outcome="upheld", findings="Review agreed."))
    _, body = letter_render(complaint=case, kind="stage_response")
    assert HOUSING_DETAILS in body
    assert HOUSING_DIRECT not in body
    assert "designated person" not in body


def test_a_council_template_in_the_template_directory_overrides_the_default(settings, tmp_path):
    folder = tmp_path / "letters" / "lbbd"
    folder.mkdir(parents=True)
    (folder / "acknowledgement.txt").write_text(
        "Subject: LBBD says thank you ({{ reference }})\n{{ salutation }},\nReply by {{ respond_by.words }}.\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    assert letter_render(complaint=case, kind="acknowledgement") == (
        "LBBD says thank you (LBD-2026-00001)", "Dear Alex Resident,\nReply by Thursday 4 June 2026.\n")
    other = make_complaint("bucks", "2026-06-01T10:00")
    other = complaint_triage(complaint=other, by=staff("bucks"), route="stage1", at=london("2026-06-01T11:00"))
    subject, _ = letter_render(complaint=other, kind="acknowledgement")
    assert subject == "Acknowledgement of your complaint: BCC-2026-00001"


# --- sending: kept as correspondence ----------------------------------------------------------
def test_sent_letter_is_kept_as_correspondence_and_appears_in_the_timeline():
    officer = staff("lbbd", first_name="Olu", last_name="Officer")
    case = lbbd_acknowledged(officer)
    version = case.version
    at = london("2026-05-20T09:05")
    item = complaint_send_letter(complaint=case, by=officer, kind="acknowledgement", at=at)
    subject, body = letter_render(complaint=case, kind="acknowledgement", extra={"signed_by": "Olu Officer"})
    item.refresh_from_db()
    assert (item.direction, item.kind, item.letter_kind, item.subject, item.body, item.occurred_at,
            item.recorded_by, item.recipient) == (
        "out", "email", "acknowledgement", subject, body, at, officer, "alex@example.org")
    assert body.endswith("Yours sincerely,\n\nOlu Officer\nLondon Borough of Barking and Dagenham\n")
    assert (item.delivery_status, item.delivery_attempts, item.next_attempt_at, item.delivered_at,
            item.delivery_error) == (DeliveryStatus.PENDING, 0, at, None, "")
    case.refresh_from_db()
    assert case.version == version + 1
    last = case.history.order_by("history_id").last()
    assert (last.history_user, last.history_change_reason) == (
        officer, "letter_sent:acknowledgement: Acknowledgement of your complaint: LBD-2026-00001")
    timeline = complaint_timeline(council=council("lbbd"), complaint=case)
    assert TimelineEntry(at, "correspondence", "Olu Officer",
                         "Sent email: Acknowledgement of your complaint: LBD-2026-00001") in timeline


def test_officer_edited_text_is_sent_as_edited():
    officer = staff("lbbd")
    case = lbbd_stage1_answered(officer)
    edited = "Dear Alex,\n\nWe got this wrong and we are sorry. {{ not a template }}\n\nOlu\n"
    item = complaint_send_letter(complaint=case, by=officer, kind="stage_response", body=edited,
                                 at=london("2026-06-03T15:30"))
    assert (item.subject, item.body) == ("Our response to your complaint: LBD-2026-00001", edited)
    assert correspondence_deliver_pending(now=london("2026-06-03T15:31")) == 1
    [message] = mail.outbox
    assert (message.subject, message.body, message.to) == (
        "Our response to your complaint: LBD-2026-00001", edited, ["alex@example.org"])

    item = complaint_send_letter(complaint=case, by=officer, kind="stage_response", subject="Your complaint",
                                 body="Short note.")
    assert (item.subject, item.body) == ("Your complaint", "Short note.")
    with pytest.raises(PolicyGuardFailed, match="A letter needs a subject and a body"):
        complaint_send_letter(complaint=case, by=officer, kind="stage_response", body="   ")


def test_complainant_who_wants_post_gets_a_letter_recorded_for_printing_not_an_email():
    officer = staff("lbbd")
    case = complaint_create(
        council=council("lbbd"), by=officer, received_at=london("2026-05-18T10:00"),
        details=ComplaintDetails(summary="Missed bin collection"),
        complainant=ComplainantDetails(name="Pat Post", email="pat@example.org", address="1 High Road\nDagenham",
                                       contact_preference="letter"))
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    item = complaint_send_letter(complaint=case, by=officer, kind="acknowledgement", at=london("2026-05-18T11:05"))
    assert (item.kind, item.recipient, item.delivery_status, item.next_attempt_at) == (
        "letter", "1 High Road\nDagenham", DeliveryStatus.NOT_APPLICABLE, None)
    assert item.body.startswith("Dear Pat Post,\n")
    assert correspondence_deliver_pending(now=london("2026-06-01T00:00")) == 0
    assert mail.outbox == []


def test_email_preferred_but_no_address_falls_back_to_a_printed_letter():
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    Complainant.objects.filter(pk=case.complainant_id).update(email="")
    item = complaint_send_letter(complaint=case, by=officer, kind="acknowledgement")
    assert (item.kind, item.delivery_status) == ("letter", DeliveryStatus.NOT_APPLICABLE)


def test_sending_an_email_queues_delivery_when_the_transaction_commits(django_capture_on_commit_callbacks,
                                                                        monkeypatch):
    from complaints import tasks

    queued = []
    monkeypatch.setattr(tasks.deliver_correspondence, "apply_async", lambda **kw: queued.append(kw))
    monkeypatch.setattr(tasks.case_event, "apply_async", lambda **kw: None)
    officer = staff("lbbd")
    case = lbbd_acknowledged(officer)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_send_letter(complaint=case, by=officer, kind="acknowledgement")
    assert queued == [{"retry": False, "ignore_result": True}]

    case.complainant.contact_preference = "letter"
    case.complainant.save()
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_send_letter(complaint=case, by=officer, kind="acknowledgement")
    assert queued == []  # a printed letter has nothing to deliver


def test_final_response_email_carries_the_ombudsman_contact_details():
    officer, reviewer = staff("lbbd"), staff("lbbd")
    case = lbbd_review_answered(officer, reviewer)
    assert case.state == State.STAGE2_RESPONDED
    item = complaint_send_letter(complaint=case, by=reviewer, kind="stage_response")
    assert "0300 061 0614" in item.body
