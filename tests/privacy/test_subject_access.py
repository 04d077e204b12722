"""Subject access: search within one's own council, export everything as a ZIP, audited; who may do it."""

import datetime as dt
import io
import json
import zipfile

import pytest

from complaints.models import StaffRole
from complaints.services.records import feedback_record
from complaints.staff.models import CaseView
from ombudsman.models import DecisionKind
from ombudsman.services import ombudsman_case_open, ombudsman_decision_record
from tests.factories import staff
from tests.privacy.conftest import EMAIL, NAME, PHONE, at, closed_case, officer_of

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
SEARCH, EXPORT = "/data-protection/subject-access/", "/data-protection/subject-access/export/"


@pytest.fixture
def held(clock, media):
    """A Barnet person with two cases (one with a note, an email and its attachment, one with the Ombudsman)."""
    first = closed_case(clock, "barnet", D("2026-03-03"), rich=True)
    second = closed_case(clock, "barnet", D("2026-04-07"), email=EMAIL.upper())
    clock.set(at(D("2026-05-01")))
    ombudsman = ombudsman_case_open(council=second.council, by=officer_of("barnet"), ombudsman="lgsco",
                                    their_reference="25 000 777", received_on=D("2026-05-01"), complaint=second)
    ombudsman_decision_record(case=ombudsman, by=officer_of("barnet"), kind=DecisionKind.FINAL,
                              outcome="not_upheld", decided_on=D("2026-06-01"), summary="No fault found")
    feedback_record(council=first.council, kind="comment", text="Bins are better now", name=NAME, email=EMAIL,
                    received_at=at(D("2026-06-02")))
    other = closed_case(clock, "lbbd", D("2026-03-03"))  # same person at another council: never included
    return first, second, other


@pytest.fixture
def manager_client(client):
    client.force_login(staff("barnet", StaffRole.COMPLAINTS_MANAGER, username="mina"))
    return client


def export(client, *complainants):
    return client.post(EXPORT, {"complainants": [c.pk for c in complainants]})


def unzip(response) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("subject-access.json")), files


def test_search_finds_the_persons_records_in_the_own_council_only(held, manager_client):
    first, second, other = held
    page = manager_client.post(SEARCH, {"q": EMAIL})
    assert [p.pk for p in page.context["found"]] == [first.complainant_id, second.complainant_id]
    assert f"value=\"{other.complainant_id}\"" not in page.content.decode()
    by_name = manager_client.post(SEARCH, {"q": "quillfeath"})
    assert len(by_name.context["found"]) == 2


def test_the_search_is_posted_so_names_never_reach_a_url(held, manager_client):
    page = manager_client.get(SEARCH, {"q": EMAIL})
    assert page.context["found"] is None
    assert 'method="post"' in page.content.decode()


def test_a_short_search_is_refused_with_a_clear_message(held, manager_client):
    page = manager_client.post(SEARCH, {"q": "ab"})
    assert page.context["form"].errors == {"q": ["Enter at least 3 characters"]}


def test_the_export_holds_everything_about_the_person(held, manager_client):
    first, second, _ = held
    response = export(manager_client, first.complainant, second.complainant)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-barnet-')
    data, files = unzip(response)
    [record, _] = data["complainant_records"]
    assert (record["name"], record["email"], record["phone"], record["cases"]) == (NAME, EMAIL, PHONE,
                                                                                 [first.reference])
    assert [case["reference"] for case in data["cases"]] == [first.reference, second.reference]
    case = data["cases"][0]
    assert case["complainant_words"].startswith(f"I am {NAME}")
    assert [n["text"] for n in case["notes"]] == [f"Spoke to {NAME} on {PHONE}"]
    assert [s["stage"] for s in case["stages"]] == ["stage1"]
    assert {d["kind"] for d in case["deadlines"]} >= {"acknowledge", "respond"}
    assert [x["reason"] for d in case["deadlines"] for x in d["extensions"]] == [f"Waiting for {NAME}'s photos"]
    assert [o["findings"] for o in case["outcomes"]] == [f"{NAME}'s bins were missed"]
    assert any(h["change"].startswith("closed") for h in case["history"])
    [email] = [c for c in case["correspondence"] if c["direction"] == "in"]
    [attachment] = email["attachments"]
    assert files[attachment["file"]].startswith(b"\x89PNG")
    assert data["cases"][1]["ombudsman_cases"][0]["decisions"][0]["summary"] == "No fault found"
    assert [f["text"] for f in data["feedback"]] == ["Bins are better now"]


def test_the_export_is_recorded_in_the_access_audit_of_each_case(held, manager_client):
    first, second, _ = held
    export(manager_client, first.complainant, second.complainant)
    assert sorted(CaseView.objects.filter(action="exported").values_list("complaint__reference", "user__username",
                                                                          "detail")) == [
        (first.reference, "mina", "subject access export (ZIP)"),
        (second.reference, "mina", "subject access export (ZIP)")]


def test_another_councils_record_cannot_be_exported(held, manager_client):
    _, _, other = held
    response = export(manager_client, other.complainant)
    assert response.status_code == 302
    assert not CaseView.objects.filter(action="exported").exists()


@pytest.mark.parametrize(("role", "status"), [
    (StaffRole.COMPLAINTS_OFFICER, 403), (StaffRole.INVESTIGATING_OFFICER, 403),
    (StaffRole.COMPLAINTS_MANAGER, 200), (StaffRole.COUNCIL_ADMIN, 200),
])
def test_only_managers_and_administrators_may_export(held, client, role, status):
    first, _, _ = held
    client.force_login(staff("barnet", role))
    assert client.get(SEARCH).status_code == status
    assert export(client, first.complainant).status_code == status
    assert CaseView.objects.filter(action="exported").exists() == (status == 200)


def test_signed_out_visitors_are_sent_to_sign_in(client, loaded_policies):
    for url in (SEARCH, "/data-protection/retention/", "/data-protection/complainants/1/correct/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/sign-in/?next={url}")
    response = client.post(EXPORT, {"complainants": [1]})
    assert (response.status_code, response["Location"]) == (302, f"/sign-in/?next={EXPORT}")


def test_a_manager_barred_from_a_case_cannot_find_export_or_correct_its_complainant(held, manager_client):
    from complaints.staff.models import ConflictOfInterest

    first, second, _ = held
    mina = manager_client.get(SEARCH).wsgi_request.user
    ConflictOfInterest.objects.create(complaint=first, user=mina, reason="Neighbour",
                                      recorded_by=officer_of("barnet"))
    page = manager_client.post(SEARCH, {"q": EMAIL})
    assert [p.pk for p in page.context["found"]] == [second.complainant_id]
    assert first.reference not in page.content.decode()
    assert export(manager_client, first.complainant).status_code == 302
    assert not CaseView.objects.filter(action="exported").exists()
    assert manager_client.get(f"/data-protection/complainants/{first.complainant_id}/correct/").status_code == 404
