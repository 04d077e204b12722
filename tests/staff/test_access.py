"""Who sees which case: sign-in, council scoping, roles, conflicts of interest, the view audit."""

import pytest
from django.contrib.auth import get_user_model

from complaints.models import StaffRole
from complaints.services.lifecycle import complaint_assign
from complaints.staff.models import CaseView, ConflictOfInterest
from tests.factories import staff
from tests.staff.conftest import (
    actions_offered,
    error_summary,
    fresh,
    new_case,
    post_action,
    stage1_case,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def listed(response) -> list[str]:
    import re

    return re.findall(r'data-reference="([A-Z]+-\d{4}-\d{5})"', response.content.decode())


def test_anonymous_users_are_sent_to_sign_in_with_next(client, officer):
    case = new_case()
    for url in ("/cases/", f"/cases/{case.reference}/", f"/cases/{case.reference}/triage/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/sign-in/?next={url}")
    response = client.post(f"/cases/{case.reference}/triage/", {"route": "stage1", "version": case.version})
    assert response["Location"] == f"/sign-in/?next=/cases/{case.reference}/triage/"
    assert fresh(case).state == "new"


def test_a_signed_in_user_with_no_council_is_refused(client, db):
    user = get_user_model().objects.create_user("nobody")
    client.force_login(user)
    assert client.get("/cases/").status_code == 403


def test_another_councils_case_is_a_404_for_every_page_and_never_listed(client, officer):
    barnet_case = new_case("barnet")
    client.force_login(officer)
    assert client.get(f"/cases/{barnet_case.reference}/").status_code == 404
    assert client.get(f"/cases/{barnet_case.reference}/triage/").status_code == 404
    response = post_action(client, barnet_case, "triage", {"route": "stage1"})
    assert response.status_code == 404
    assert fresh(barnet_case).state == "new"
    assert barnet_case.reference not in listed(client.get("/cases/"))
    assert barnet_case.reference not in listed(client.get(f"/cases/?q={barnet_case.reference}&state=new"))
    assert CaseView.objects.count() == 0


@pytest.mark.parametrize("role", [StaffRole.COMPLAINTS_OFFICER, StaffRole.COMPLAINTS_MANAGER,
                                  StaffRole.COUNCIL_ADMIN])
def test_caseworking_roles_see_every_case_of_their_council(client, role):
    user = staff("lbbd", role)
    case = new_case()
    client.force_login(user)
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    assert "triage" in actions_offered(response)
    assert ("conflict" in actions_offered(response)) is (role != StaffRole.COMPLAINTS_OFFICER)
    assert listed(client.get("/cases/?state=new")) == [case.reference]


def test_an_investigating_officer_sees_only_the_cases_assigned_to_them(client, officer, investigator):
    mine, other = stage1_case(officer), stage1_case(officer, received="2026-06-02T10:00")
    complaint_assign(complaint=mine, by=officer, officer=investigator)
    client.force_login(investigator)
    assert client.get(f"/cases/{other.reference}/").status_code == 404
    response = client.get(f"/cases/{mine.reference}/")
    assert response.status_code == 200
    assert actions_offered(response) == ["acknowledge", "respond", "extend", "hold", "note", "correspondence",
                                         "adjustments"]
    assert listed(client.get("/cases/")) == [mine.reference]
    assert listed(client.get("/cases/?queue=team")) == [mine.reference]  # only "my cases" exists for them
    assert client.get(f"/cases/{mine.reference}/withdraw/").status_code == 403
    assert post_action(client, mine, "withdraw", {"reason": "Asked to"}).status_code == 403
    assert fresh(mine).state == "stage1"


def test_a_conflict_of_interest_hides_the_case_from_that_officer(client, officer, manager):
    case = stage1_case(officer)
    other_officer = staff("lbbd", first_name="Cara", last_name="Conflicted")
    client.force_login(manager)
    response = post_action(client, case, "conflict", {"user": other_officer.pk,
                                                      "reason": "Lives next door to the complainant"})
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.complaint, conflict.user, conflict.reason, conflict.recorded_by) == (
        case, other_officer, "Lives next door to the complainant", manager)
    assert "Lives next door to the complainant" in client.get(f"/cases/{case.reference}/").content.decode()
    # Nor can they be assigned it.
    assign_page = client.get(f"/cases/{case.reference}/assign/").content.decode()
    assert f'value="{other_officer.pk}"' not in assign_page
    assert f'value="{officer.pk}"' in assign_page

    client.force_login(other_officer)
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    assert client.get(f"/cases/{case.reference}/note/").status_code == 404
    assert case.reference not in listed(client.get("/cases/"))
    client.force_login(officer)
    assert client.get(f"/cases/{case.reference}/").status_code == 200


def test_only_managers_record_conflicts_and_not_their_own(client, officer, manager):
    case = stage1_case(officer)
    client.force_login(officer)
    assert client.get(f"/cases/{case.reference}/conflict/").status_code == 403
    client.force_login(manager)
    response = post_action(client, case, "conflict", {"user": manager.pk, "reason": "My cousin"})
    assert response.status_code == 200
    assert error_summary(response) == ["Ask another manager to record a conflict of interest of your own"]
    assert ConflictOfInterest.objects.count() == 0


def test_every_view_of_a_case_is_recorded_for_the_access_audit(client, officer, manager, clock):
    case = new_case()
    client.force_login(officer)
    client.get(f"/cases/{case.reference}/")
    client.get(f"/cases/{case.reference}/")
    client.get(f"/cases/{case.reference}/note/")  # an action page is not a view of the whole case
    client.get("/cases/")
    client.force_login(manager)
    client.get(f"/cases/{case.reference}/")
    views = list(CaseView.objects.order_by("pk").values_list("complaint__reference", "user__username"))
    assert views == [(case.reference, "olu"), (case.reference, "olu"), (case.reference, "mina")]
    assert CaseView.objects.first().viewed_at.date() == clock.date()


def test_a_case_that_does_not_exist_is_a_404(officer_client):
    assert officer_client.get("/cases/LBD-2026-99999/").status_code == 404
    assert officer_client.get("/cases/LBD-2026-99999/triage/").status_code == 404


def test_an_unknown_action_is_a_404(officer_client):
    case = new_case()
    assert officer_client.get(f"/cases/{case.reference}/delete/").status_code == 404
