"""Rectification: a complainant's details corrected with a reason, recorded on every case; the form."""

import datetime as dt

import pytest

from complaints.models import Complaint, StaffRole
from complaints.privacy.models import Rectification, Trigger
from complaints.privacy.rectification import complainant_rectify
from complaints.privacy.retention import retention_apply
from complaints.services.errors import PolicyGuardFailed
from tests.factories import council, staff
from tests.privacy.conftest import EMAIL, NAME, at, closed_case, officer_of

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def case(clock):
    case = closed_case(clock, "lbbd", D("2026-03-03"))
    clock.set(at(D("2026-04-01")))
    return case


def url(person) -> str:
    return f"/data-protection/complainants/{person.pk}/correct/"


def test_a_correction_changes_the_details_and_is_recorded_with_its_reason(case):
    person = case.complainant
    version = case.version
    result = complainant_rectify(complainant=person, by=officer_of("lbbd"), reason="She wrote to us on 30 March",
                                 changes={"email": "m.quill@example.net", "name": NAME})
    person.refresh_from_db()
    assert (person.email, person.name) == ("m.quill@example.net", NAME)
    assert (result.fields, result.reason) == (["email"], "She wrote to us on 30 March")
    latest = Complaint.objects.get(pk=case.pk).history.first()
    assert latest.history_change_reason == "rectified: email address corrected (She wrote to us on 30 March)"
    assert Complaint.objects.get(pk=case.pk).version == version + 1


@pytest.mark.parametrize(("changes", "reason", "message"), [
    ({"email": "new@example.org"}, " ", "Give the reason for the correction"),
    ({"email": EMAIL}, "Checked", "Nothing was changed: the details entered are the ones already recorded"),
    ({"email": "not-an-email"}, "Typo", "Enter the email address in the right format, like name@example.com"),
    ({"complainant_type": "tenant"}, "Typo", "Only name, email address, phone number, postal address can be"),
    ({"name": "x" * 201}, "Typo", "The name can be at most 200 characters"),
])
def test_a_bad_correction_is_refused_and_changes_nothing(case, changes, reason, message):
    before = Complaint.objects.filter(pk=case.pk).values().get()
    with pytest.raises(PolicyGuardFailed, match=message.replace("(", r"\(")):
        complainant_rectify(complainant=case.complainant, by=officer_of("lbbd"), changes=changes, reason=reason)
    assert Complaint.objects.filter(pk=case.pk).values().get() == before
    assert not Rectification.objects.exists()


def test_anonymised_details_cannot_be_corrected(case, clock):
    retention_apply(council=council("lbbd"), trigger=Trigger.COMMAND, as_of=D("2033-03-04"))
    with pytest.raises(PolicyGuardFailed, match="anonymised at the end of the retention period"):
        complainant_rectify(complainant=Complaint.objects.get(pk=case.pk).complainant, by=officer_of("lbbd"),
                            changes={"name": "Someone"}, reason="Asked")


def test_the_form_corrects_the_details(case, client):
    client.force_login(staff("lbbd", StaffRole.COUNCIL_ADMIN))
    page = client.get(url(case.complainant))
    assert page.status_code == 200 and f'value="{EMAIL}"' in page.content.decode()
    response = client.post(url(case.complainant), {"name": NAME, "email": EMAIL, "phone": "020 7946 0958",
                                                   "address": case.complainant.address, "reason": "Rang us"})
    assert (response.status_code, response["Location"]) == (302, "/data-protection/subject-access/")
    case.complainant.refresh_from_db()
    assert case.complainant.phone == "020 7946 0958"
    assert Rectification.objects.get().fields == ["phone"]


def test_the_form_names_each_problem_and_keeps_what_was_typed(case, client):
    client.force_login(staff("lbbd", StaffRole.COMPLAINTS_MANAGER))
    response = client.post(url(case.complainant), {"name": NAME, "email": "wrong@", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Enter an email address in the right format, like name@example.com"],
        "reason": ["Enter why the details are being corrected"]}
    assert 'value="wrong@"' in response.content.decode()
    case.complainant.refresh_from_db()
    assert case.complainant.email == EMAIL


def test_another_councils_complainant_is_not_found_and_officers_may_not_correct(case, client):
    client.force_login(staff("barnet", StaffRole.COUNCIL_ADMIN))
    assert client.get(url(case.complainant)).status_code == 404
    client.force_login(staff("lbbd", StaffRole.COMPLAINTS_OFFICER))
    assert client.get(url(case.complainant)).status_code == 403
