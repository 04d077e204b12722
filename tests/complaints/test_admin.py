"""The admin: everything for a system administrator; for a council administrator, their own council only.

Policies and cases are read-only there. A council administrator (role
council_admin, is_staff) manages their council's people and service areas,
reads its policies and the letter templates its letters use, and never sees
another council's rows; an officer without is_staff cannot enter at all.
"""

import pytest
from django.contrib.auth import get_user_model

from complaints.models import ServiceArea, StaffMember, StaffRole
from complaints.staff.letter_files import letters_dir
from complaints.staff.models import CaseView
from policies.models import Council, PolicyVersion
from tests.factories import council, make_complaint, service_area, staff

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.invalid", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture
def lbbd_admin(db):
    return staff("lbbd", StaffRole.COUNCIL_ADMIN, username="ada", first_name="Ada", last_name="Admin", is_staff=True)


@pytest.fixture
def council_admin_client(client, lbbd_admin):
    client.force_login(lbbd_admin)
    return client


@pytest.fixture
def two_councils(db):
    """Staff and service areas in LBBD and Barnet."""
    return {
        "lbbd_officer": staff("lbbd", StaffRole.COMPLAINTS_OFFICER, username="olu", first_name="Olu"),
        "barnet_officer": staff("barnet", StaffRole.COMPLAINTS_OFFICER, username="bea", first_name="Bea"),
        "barnet_admin": staff("barnet", StaffRole.COUNCIL_ADMIN, username="bart", is_staff=True),
        "lbbd_area": service_area("lbbd", "Housing repairs", "social_housing"),
        "barnet_area": service_area("barnet", "Parking", "council_services"),
    }


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def form_errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


# --- the system administrator ---------------------------------------------------------
@pytest.mark.parametrize("path", ["/admin/policies/council/", "/admin/policies/policyversion/",
                                  "/admin/complaints/complaint/", "/admin/complaints/staffmember/",
                                  "/admin/complaints/servicearea/", "/admin/staff/caseview/",
                                  "/admin/staff/conflictofinterest/", "/admin/staff/lettertemplate/"])
def test_changelists_open(admin_client, path):
    make_complaint("barnet")
    assert admin_client.get(path).status_code == 200


def test_policies_cannot_be_added_or_edited_in_the_admin(admin_client):
    make_complaint("barnet")
    assert admin_client.get("/admin/policies/policyversion/add/").status_code == 403
    response = admin_client.get("/admin/policies/council/")
    assert b"Add council" not in response.content


def test_complaints_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/complaints/complaint/add/").status_code == 403


def test_the_system_administrator_sees_every_council(admin_client, two_councils, lbbd_admin):
    members = listed(admin_client.get("/admin/complaints/staffmember/"))
    assert {m.user.username for m in members} == {"olu", "bea", "bart", "ada"}
    areas = listed(admin_client.get("/admin/complaints/servicearea/"))
    assert {a.name for a in areas} == {"Housing repairs", "Parking"}
    barnet_area = two_councils["barnet_area"]
    assert admin_client.get(f"/admin/complaints/servicearea/{barnet_area.pk}/change/").status_code == 200


# --- a council administrator: scope -------------------------------------------------
def test_a_council_admin_sees_only_their_councils_staff_and_service_areas(council_admin_client, two_councils):
    response = council_admin_client.get("/admin/complaints/staffmember/")
    assert response.status_code == 200
    assert {m.user.username for m in listed(response)} == {"olu", "ada"}
    assert b"bea" not in response.content
    response = council_admin_client.get("/admin/complaints/servicearea/")
    assert [a.name for a in listed(response)] == ["Housing repairs"]
    assert b"Parking" not in response.content
    # Filtering by another council's id through the URL finds nothing either.
    barnet = council("barnet")
    assert listed(council_admin_client.get(f"/admin/complaints/servicearea/?council__id__exact={barnet.pk}")) == []


def test_a_council_admin_cannot_open_or_change_another_councils_service_area(council_admin_client, two_councils):
    area = two_councils["barnet_area"]
    response = council_admin_client.get(f"/admin/complaints/servicearea/{area.pk}/change/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # the admin's "does not exist"
    response = council_admin_client.post(f"/admin/complaints/servicearea/{area.pk}/change/",
                                         {"council": area.council_id, "name": "Renamed", "category": "x"})
    assert response.status_code == 302
    assert ServiceArea.objects.get(pk=area.pk).name == "Parking"
    member = StaffMember.objects.get(user=two_councils["barnet_officer"])
    response = council_admin_client.get(f"/admin/complaints/staffmember/{member.pk}/change/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_council_admin_adds_a_service_area_to_their_own_council(council_admin_client, two_councils):
    lbbd, barnet = council("lbbd"), council("barnet")
    form = council_admin_client.get("/admin/complaints/servicearea/add/")
    assert form.status_code == 200
    field = form.context["adminform"].form.fields["council"]
    assert list(field.queryset) == [lbbd]
    assert form.context["adminform"].form.initial["council"] == lbbd.pk

    response = council_admin_client.post("/admin/complaints/servicearea/add/",
                                         {"council": lbbd.pk, "name": "Parks", "category": "council_services"})
    assert response.status_code == 302
    assert ServiceArea.objects.get(name="Parks").council == lbbd

    # Posting another council's id is refused, not saved there.
    response = council_admin_client.post("/admin/complaints/servicearea/add/",
                                         {"council": barnet.pk, "name": "Libraries", "category": "council_services"})
    assert response.status_code == 200
    assert "council" in form_errors(response)
    assert not ServiceArea.objects.filter(name="Libraries").exists()

    # The council's unique names are still checked.
    response = council_admin_client.post("/admin/complaints/servicearea/add/",
                                         {"council": lbbd.pk, "name": "Parks", "category": "council_services"})
    assert response.status_code == 200
    assert ServiceArea.objects.filter(name="Parks").count() == 1


def test_a_council_admin_cannot_edit_policies(council_admin_client, loaded_policies):
    lbbd, barnet = council("lbbd"), council("barnet")
    ours = PolicyVersion.objects.filter(council=lbbd).first()
    theirs = PolicyVersion.objects.filter(council=barnet).first()
    assert council_admin_client.get("/admin/policies/policyversion/add/").status_code == 403
    response = council_admin_client.get(f"/admin/policies/policyversion/{ours.pk}/change/")
    assert response.status_code == 200  # read-only view
    assert b'name="_save"' not in response.content
    before = PolicyVersion.objects.values().get(pk=ours.pk)
    response = council_admin_client.post(f"/admin/policies/policyversion/{ours.pk}/change/",
                                         {"version_id": "hacked", "effective_from": "2020-01-01"})
    assert response.status_code == 403
    assert PolicyVersion.objects.values().get(pk=ours.pk) == before
    assert council_admin_client.post(f"/admin/policies/policyversion/{ours.pk}/delete/").status_code == 403
    assert council_admin_client.get(f"/admin/policies/policyversion/{theirs.pk}/change/").status_code == 302
    assert {p.council_id for p in listed(council_admin_client.get("/admin/policies/policyversion/"))} == {lbbd.pk}
    assert listed(council_admin_client.get("/admin/policies/council/")) == [lbbd]
    assert council_admin_client.post(f"/admin/policies/council/{lbbd.pk}/change/",
                                     {"name": "Renamed"}).status_code == 403
    assert Council.objects.get(pk=lbbd.pk).name != "Renamed"


def test_a_council_admin_sees_no_cases_users_or_groups_in_the_admin(council_admin_client, two_councils):
    make_complaint("lbbd")
    for path in ("/admin/complaints/complaint/", "/admin/auth/user/", "/admin/auth/group/"):
        assert council_admin_client.get(path).status_code == 403, path
    index = council_admin_client.get("/admin/")
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert models == {"StaffMember", "ServiceArea", "Council", "PolicyVersion", "CaseView", "ConflictOfInterest",
                      "LetterTemplate"}


def test_a_council_admins_audit_shows_only_their_councils_cases(council_admin_client, two_councils):
    ours, theirs = make_complaint("lbbd"), make_complaint("barnet")
    CaseView.objects.create(complaint=ours, user=two_councils["lbbd_officer"])
    CaseView.objects.create(complaint=theirs, user=two_councils["barnet_officer"])
    assert [v.complaint for v in listed(council_admin_client.get("/admin/staff/caseview/"))] == [ours]


# --- a council administrator: people -----------------------------------------------------
def test_a_council_admin_creates_a_user_of_their_council(council_admin_client, two_councils):
    lbbd = council("lbbd")
    response = council_admin_client.post("/admin/complaints/staffmember/add/", {
        "username": "nina", "first_name": "Nina", "last_name": "New", "email": "nina@example.invalid",
        "council": lbbd.pk, "role": StaffRole.COMPLAINTS_OFFICER, "password1": "", "password2": ""})
    assert response.status_code == 302, form_errors(response)
    nina = User.objects.get(username="nina")
    assert (nina.staff_member.council, nina.staff_member.role) == (lbbd, StaffRole.COMPLAINTS_OFFICER)
    assert (nina.get_full_name(), nina.is_active, nina.is_staff, nina.is_superuser) == ("Nina New", True, False, False)
    assert not nina.has_usable_password()  # sets their own with "Forgotten your password?"

    # Another council's id is refused; a taken username too.
    response = council_admin_client.post("/admin/complaints/staffmember/add/", {
        "username": "olu", "first_name": "X", "last_name": "Y", "email": "x@example.invalid",
        "council": council("barnet").pk, "role": StaffRole.COMPLAINTS_OFFICER})
    assert set(form_errors(response)) == {"username", "council"}


def test_a_council_admin_edits_a_user_and_makes_another_administrator(council_admin_client, two_councils):
    member = StaffMember.objects.get(user=two_councils["lbbd_officer"])
    url = f"/admin/complaints/staffmember/{member.pk}/change/"
    form = council_admin_client.get(url)
    assert form.context["adminform"].form.initial["username"] == "olu"
    response = council_admin_client.post(url, {
        "username": "olu", "first_name": "Olu", "last_name": "Okafor", "email": "olu@example.invalid",
        "is_active": "on", "council": member.council_id, "role": StaffRole.COUNCIL_ADMIN,
        "password1": "a-new-long-password-1", "password2": "a-new-long-password-1"})
    assert response.status_code == 302, form_errors(response)
    olu = User.objects.get(pk=member.user_id)
    assert (olu.last_name, olu.is_staff, olu.staff_member.role) == ("Okafor", True, StaffRole.COUNCIL_ADMIN)
    assert olu.check_password("a-new-long-password-1")

    # Back to officer: the admin is closed to them again; deactivated, they cannot sign in.
    response = council_admin_client.post(url, {
        "username": "olu", "first_name": "Olu", "last_name": "Okafor", "email": "olu@example.invalid",
        "council": member.council_id, "role": StaffRole.COMPLAINTS_OFFICER})
    assert response.status_code == 302, form_errors(response)
    olu.refresh_from_db()
    assert (olu.is_staff, olu.is_active, olu.check_password("a-new-long-password-1")) == (False, False, True)


def test_a_council_admin_cannot_demote_or_deactivate_themselves(council_admin_client, lbbd_admin):
    member = lbbd_admin.staff_member
    response = council_admin_client.post(f"/admin/complaints/staffmember/{member.pk}/change/", {
        "username": "ada", "first_name": "Ada", "last_name": "Admin", "email": "ada@example.invalid",
        "council": member.council_id, "role": StaffRole.COMPLAINTS_MANAGER})
    assert response.status_code == 200
    assert set(form_errors(response)) == {"role", "is_active"}
    lbbd_admin.refresh_from_db()
    assert (lbbd_admin.is_staff, lbbd_admin.is_active, lbbd_admin.staff_member.role) == (
        True, True, StaffRole.COUNCIL_ADMIN)


def test_a_weak_or_mismatched_password_is_refused(council_admin_client):
    lbbd = council("lbbd")
    data = {"username": "pat", "first_name": "Pat", "last_name": "Person", "email": "pat@example.invalid",
            "council": lbbd.pk, "role": StaffRole.COMPLAINTS_OFFICER}
    response = council_admin_client.post("/admin/complaints/staffmember/add/",
                                         {**data, "password1": "short", "password2": "short"})
    assert "password1" in form_errors(response)
    response = council_admin_client.post("/admin/complaints/staffmember/add/",
                                         {**data, "password1": "a-long-password-one", "password2": "another-one!"})
    assert "password2" in form_errors(response)
    assert not User.objects.filter(username="pat").exists()


# --- who may enter --------------------------------------------------------------------------
def test_a_complaints_officer_without_is_staff_cannot_enter_the_admin(client, two_councils):
    officer = two_councils["lbbd_officer"]
    assert not officer.is_staff
    client.force_login(officer)
    for path in ("/admin/", "/admin/complaints/staffmember/", "/admin/complaints/servicearea/add/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path


def test_an_officer_given_is_staff_by_mistake_still_sees_nothing(client, two_councils):
    officer = two_councils["lbbd_officer"]
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get("/admin/").context["app_list"] == []
    for path in ("/admin/complaints/staffmember/", "/admin/complaints/servicearea/", "/admin/staff/lettertemplate/"):
        assert client.get(path).status_code == 403, path


# --- letter templates (a read-only admin page over the files) ---------------------------
def test_letter_templates_list_the_files_each_council_uses(admin_client, loaded_policies):
    group = council("barnet-group").name
    files = _letter_rows(admin_client.get("/admin/staff/lettertemplate/"))
    assert files["barnet-group/stage_response"] == (group,)
    assert group not in files["default/stage_response"] and council("lbbd").name in files["default/stage_response"]
    assert group in files["default/acknowledgement"]

    barnet_group_admin = staff("barnet-group", StaffRole.COUNCIL_ADMIN, username="bg", is_staff=True)
    admin_client.force_login(barnet_group_admin)
    rows = _letter_rows(admin_client.get("/admin/staff/lettertemplate/"))
    # Their own stage response, the default one it extends, and the defaults of the kinds they have none of.
    assert set(rows) == {"barnet-group/stage_response", "default/stage_response", "default/acknowledgement",
                         "default/holding"}
    assert rows["default/stage_response"] == ()
    page = admin_client.get("/admin/staff/lettertemplate/barnet-group/stage_response/")
    assert page.status_code == 200
    text = (letters_dir() / "barnet-group" / "stage_response.txt").read_text(encoding="utf-8")
    assert page.context["file"].text() == text
    assert "You can contact the Housing Ombudsman directly" in page.content.decode()
    assert page.context["file"].subject == _subject(letters_dir() / "default" / "stage_response.txt")
    assert admin_client.get("/admin/staff/lettertemplate/default/stage_response/").status_code == 200
    assert admin_client.get("/admin/staff/lettertemplate/barnet-group/nothing/").status_code == 404
    assert admin_client.get("/admin/staff/lettertemplate/add/").status_code == 404  # nothing to add or change


def test_a_council_admin_cannot_read_another_councils_letter_templates(council_admin_client, loaded_policies):
    rows = _letter_rows(council_admin_client.get("/admin/staff/lettertemplate/"))
    assert set(rows) == {"default/acknowledgement", "default/holding", "default/stage_response"}
    assert council_admin_client.get("/admin/staff/lettertemplate/barnet-group/stage_response/").status_code == 404
    assert council_admin_client.get("/admin/staff/lettertemplate/default/nothing/").status_code == 404
    assert council_admin_client.get("/admin/staff/lettertemplate/..%2Fsettings/x/").status_code == 404


def _subject(path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].removeprefix("Subject:").strip()


def _letter_rows(response) -> dict[str, tuple[str, ...]]:
    assert response.status_code == 200
    return {f"{f.folder}/{f.kind}": f.used_by for f in response.context["files"]}
