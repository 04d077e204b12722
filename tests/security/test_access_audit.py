"""The access audit (LBBD policy section 9): every way a person sees a case's data is recorded, and a
council administrator searches the records of their own council in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from complaints.models import StaffRole
from complaints.staff.audit import case_access_record, case_exports_record
from complaints.staff.models import CaseAccess, CaseView
from tests.factories import make_complaint, staff
from tests.security.world import B, build_world

pytestmark = pytest.mark.django_db
AUDIT = "/admin/staff/caseview/"


@pytest.fixture
def world():
    cache.clear()
    yield build_world()
    cache.clear()


def records(world, **filters) -> list[tuple]:
    return list(CaseView.objects.filter(complaint=world.case, **filters).order_by("pk")
                .values_list("user__username", "action", "detail"))


def signed_in(client, user):
    client.force_login(user)
    return client


def test_opening_a_case_is_recorded_as_viewed(client, world):
    officer = world.user(B, StaffRole.COMPLAINTS_OFFICER)
    CaseView.objects.all().delete()
    assert signed_in(client, officer).get(f"/cases/{world.case.reference}/").status_code == 200
    assert records(world) == [(officer.username, CaseAccess.VIEWED, "")]


def test_downloading_a_file_is_recorded_with_its_name(client, world):
    officer = world.user(B, StaffRole.COMPLAINTS_OFFICER)
    CaseView.objects.all().delete()
    response = signed_in(client, officer).get(f"/cases/{world.case.reference}/files/{world.attachment.pk}/")
    assert response.status_code == 200
    assert records(world) == [(officer.username, CaseAccess.DOWNLOADED, "damp.txt")]


def test_a_refused_request_records_nothing(client, world):
    CaseView.objects.all().delete()
    outsider = world.user("lbbd", StaffRole.COMPLAINTS_MANAGER)
    assert signed_in(client, outsider).get(f"/cases/{world.case.reference}/").status_code == 404
    assert signed_in(client, world.barred[StaffRole.COMPLAINTS_OFFICER]).get(
        f"/cases/{world.case.reference}/files/{world.attachment.pk}/").status_code == 404
    assert records(world) == []


def test_reading_a_case_through_the_api_is_recorded_with_the_client(client, world):
    CaseView.objects.all().delete()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token_keys[B]}"}
    assert client.get(f"/api/v1/complaints/{world.case.reference}/", **headers).status_code == 200
    assert client.get(f"/api/v1/complaints/{world.case.reference}/notes/", **headers).status_code == 200
    assert records(world) == [(f"api:{B}", CaseAccess.API_READ, "case via API (token 'crm-barnet-group')"),
                              (f"api:{B}", CaseAccess.API_READ, "notes via API (token 'crm-barnet-group')")]


def test_a_downloaded_quarterly_report_records_each_case_it_names(client, world, monkeypatch):
    from complaints.reports import views

    manager = world.user(B, StaffRole.COMPLAINTS_MANAGER)
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    monkeypatch.setattr(views, "report_today", lambda: today)
    CaseView.objects.all().delete()
    url = f"/reports/{B}/{today.year}/q{quarter}/"
    assert signed_in(client, manager).get(url).status_code == 200
    assert records(world) == []  # the page itself is not a download
    response = client.get(url + "?format=csv")
    assert response.status_code == 200 and world.case.reference in response.content.decode("utf-8-sig")
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert records(world) == [(manager.username, CaseAccess.EXPORTED, name)]


def test_an_export_records_each_case_once(world):
    officer = world.user(B, StaffRole.COMPLAINTS_OFFICER)
    CaseView.objects.all().delete()
    assert case_exports_record(complaints=[world.case, world.case], user=officer, detail="list.csv") == 1
    assert records(world) == [(officer.username, CaseAccess.EXPORTED, "list.csv")]


# --- searching the audit in the admin ---------------------------------------------------


@pytest.fixture
def audit_client(client, world):
    return signed_in(client, world.user(B, StaffRole.COUNCIL_ADMIN))


def listed(response) -> list[CaseView]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_administrator_finds_records_by_case_reference(audit_client, world):
    other = make_complaint(B, "2026-06-02T10:00")
    case_access_record(complaint=other, user=world.user(B, StaffRole.COMPLAINTS_OFFICER))
    found = listed(audit_client.get(AUDIT, {"q": world.case.reference}))
    assert found and {row.complaint_id for row in found} == {world.case.pk}


def test_the_administrator_finds_records_by_user_name(audit_client, world):
    manager = world.user(B, StaffRole.COMPLAINTS_MANAGER)
    case_access_record(complaint=world.case, user=manager, action=CaseAccess.EXPORTED, detail="q2.csv")
    found = listed(audit_client.get(AUDIT, {"q": manager.username}))
    assert [(row.user_id, row.action) for row in found] == [(manager.pk, CaseAccess.EXPORTED)]
    by_name = listed(audit_client.get(AUDIT, {"q": f"{manager.first_name} {manager.last_name}"}))
    assert [row.user_id for row in by_name] == [manager.pk]


def test_the_administrator_filters_by_date_range_and_action(audit_client, world):
    officer = world.user(B, StaffRole.COMPLAINTS_OFFICER)
    old = case_access_record(complaint=world.case, user=officer, action=CaseAccess.DOWNLOADED, detail="a.pdf")
    CaseView.objects.filter(pk=old.pk).update(viewed_at=timezone.now() - dt.timedelta(days=40))
    day = timezone.localdate(timezone.now() - dt.timedelta(days=40)).isoformat()
    found = listed(audit_client.get(AUDIT, {"viewed_at_from": day, "viewed_at_to": day}))
    assert [row.pk for row in found] == [old.pk]
    recent = listed(audit_client.get(AUDIT, {"viewed_at_from": timezone.localdate().isoformat()}))
    assert old.pk not in {row.pk for row in recent} and recent
    downloads = listed(audit_client.get(AUDIT, {"action__exact": CaseAccess.DOWNLOADED}))
    assert {row.action for row in downloads} == {CaseAccess.DOWNLOADED}


def test_a_date_that_is_not_a_date_is_ignored_with_a_message(audit_client, world):
    response = audit_client.get(AUDIT, {"viewed_at_from": "31/02/2026"}, follow=True)
    assert len(listed(response)) == CaseView.objects.filter(complaint=world.case).count()
    assert "must be a real date as YYYY-MM-DD" in response.content.decode()


def test_the_administrator_sees_only_their_own_councils_records(audit_client, world):
    lbbd_case = make_complaint("lbbd", "2026-06-02T10:00")
    case_access_record(complaint=lbbd_case, user=world.user("lbbd", StaffRole.COMPLAINTS_OFFICER))
    everything = listed(audit_client.get(AUDIT, {"q": lbbd_case.reference}))
    assert everything == []
    assert {row.complaint.council_id for row in listed(audit_client.get(AUDIT))} == {world.b.pk}


def test_the_audit_is_paginated(audit_client, world):
    officer = staff(B, StaffRole.COMPLAINTS_OFFICER, username="busy")
    CaseView.objects.bulk_create([CaseView(complaint=world.case, user=officer) for _ in range(60)])
    first, second = audit_client.get(AUDIT, {"q": "busy"}), audit_client.get(AUDIT, {"q": "busy", "p": 2})
    assert len(listed(first)) == 50 and len(listed(second)) == 10
    assert first.context["cl"].result_count == 60


def test_the_audit_cannot_be_changed_or_deleted(audit_client, world):
    url = f"{AUDIT}{world.case_view.pk}/"
    assert audit_client.get(url + "change/").status_code == 200  # read-only view
    assert audit_client.post(url + "change/", {"action": "viewed"}).status_code == 403
    assert audit_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert audit_client.get(f"{AUDIT}add/").status_code == 403
    assert CaseView.objects.filter(pk=world.case_view.pk).exists()


def test_an_officer_cannot_open_the_audit(client, world):
    response = signed_in(client, world.user(B, StaffRole.COMPLAINTS_MANAGER)).get(AUDIT)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
