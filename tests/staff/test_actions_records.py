"""Records that do not move the case: notes, correspondence with attachments, adjustments, links."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Attachment, ComplaintLink, Correspondence, Note
from tests.dates import date_parts
from tests.staff.conftest import (
    assert_done,
    assert_refused,
    error_summary,
    fresh,
    new_case,
    row_of,
    someone_else_changes,
    stage1_case,
    stale_message,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def post(client, case, slug, data, version=None):
    return client.post(f"/cases/{case.reference}/{slug}/",
                       {"version": fresh(case).version if version is None else version, **data})


def test_add_a_note_shows_it_on_the_timeline(officer_client, officer):
    case = stage1_case(officer)
    response = post(officer_client, case, "note", {"text": "Spoke to the crew supervisor"})
    assert_done(officer_client, response, case, "Note added")
    assert list(Note.objects.values_list("text", "author")) == [("Spoke to the crew supervisor", officer.pk)]
    page = officer_client.get(f"/cases/{case.reference}/").content.decode()
    assert '<h3 class="moj-timeline__title">Spoke to the crew supervisor</h3>' in page
    assert "note, by Olu Officer" in page


def test_a_note_on_a_stale_page_is_refused_and_the_text_is_kept(officer_client, officer):
    case = stage1_case(officer)
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    response = post(officer_client, case, "note", {"text": "My careful note"}, version=opened)
    assert_refused(response, stale_message(case, opened), case, before)
    assert Note.objects.filter(text="My careful note").count() == 0
    assert "My careful note</textarea>" in response.content.decode()


def test_record_correspondence_with_an_attachment(officer_client, officer):
    case = stage1_case(officer)
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 a letter", content_type="application/pdf")
    page = officer_client.get(f"/cases/{case.reference}/correspondence/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = post(officer_client, case, "correspondence", {
        "direction": "in", "kind": "letter", "subject": "Photos of the bins", "body": "Three photos",
        **date_parts("on", "2026-06-09"), "attachment": letter})
    assert_done(officer_client, response, case, "Correspondence recorded")
    item = Correspondence.objects.get()
    assert (item.direction, item.kind, item.subject, item.body, item.recorded_by) == (
        "in", "letter", "Photos of the bins", "Three photos", officer)
    attachment = Attachment.objects.get()
    assert (attachment.correspondence, attachment.original_name, attachment.content_type, attachment.size) == (
        item, "letter.pdf", "application/pdf", 17)
    assert "Received letter: Photos of the bins" in officer_client.get(f"/cases/{case.reference}/").content.decode()


def test_correspondence_with_a_refused_file_records_nothing(officer_client, officer):
    case = stage1_case(officer)
    before = row_of(case)
    program = SimpleUploadedFile("evil.exe", b"MZ", content_type="application/x-msdownload")
    response = post(officer_client, case, "correspondence", {
        "direction": "in", "kind": "email", "subject": "See attached", **date_parts("on", "2026-06-09"),
        "attachment": program})
    assert_refused(response, "evil.exe: files of type application/x-msdownload are not accepted "
                             "(PDF, JPEG, PNG, text or Word documents)", case, before)
    assert (Correspondence.objects.count(), Attachment.objects.count()) == (0, 0)
    assert 'value="See attached"' in response.content.decode()


def test_reasonable_adjustments_are_recorded_and_shown_prominently(officer_client, officer):
    case = stage1_case(officer)
    response = post(officer_client, case, "adjustments", {
        "adjustments": "Large print letters; phone before 11am", "contact_preference": "letter"})
    assert_done(officer_client, response, case, "Reasonable adjustments reviewed")
    person = fresh(case).complainant
    assert (person.reasonable_adjustments, person.contact_preference) == (
        "Large print letters; phone before 11am", "letter")
    page = officer_client.get(f"/cases/{case.reference}/").content.decode()
    block = page[page.index('<div class="app-adjustments" id="adjustments">'):]
    assert block.index("Large print letters; phone before 11am") < block.index("</div>")
    assert "Contact by letter. Last reviewed 10 June 2026." in block
    # Above the summary: the first thing after the heading.
    assert page.index('id="adjustments"') < page.index('id="case-summary"')


def test_adjustments_on_a_stale_page_are_refused(officer_client, officer):
    case = stage1_case(officer, adjustments="Large print")
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    response = post(officer_client, case, "adjustments", {"adjustments": "", "contact_preference": "email"},
                    version=opened)
    assert_refused(response, stale_message(case, opened), case, before)
    assert fresh(case).complainant.reasonable_adjustments == "Large print"


def test_link_two_cases_of_the_same_council(officer_client, officer):
    case, other = new_case(), new_case(received="2026-06-02T10:00", name="Bo Neighbour")
    response = post(officer_client, case, "link", {"reference": other.reference.lower(), "kind": "joint"})
    assert_done(officer_client, response, case, "LBD-2026-00001 linked to LBD-2026-00002")
    assert list(ComplaintLink.objects.values_list("from_complaint", "to_complaint", "kind")) == [
        (case.pk, other.pk, "joint")]
    for page, shown in ((case, other), (other, case)):
        html = officer_client.get(f"/cases/{page.reference}/").content.decode()
        assert (f'<a class="govuk-link" href="/cases/{shown.reference}/">{shown.reference}</a>: '
                "same issue, joint investigation") in html


def test_linking_a_case_to_itself_is_refused(officer_client):
    case = new_case()
    before = row_of(case)
    response = post(officer_client, case, "link", {"reference": case.reference, "kind": "joint"})
    assert_refused(response, "A case cannot be linked to itself", case, before)


def test_linking_to_another_councils_case_is_a_form_error(officer_client):
    case, barnet = new_case(), new_case("barnet")
    response = post(officer_client, case, "link", {"reference": barnet.reference, "kind": "joint"})
    assert error_summary(response) == ["There is no case BAR-2026-00001 in Barking and Dagenham Council"]
    assert ComplaintLink.objects.count() == 0
