"""The admin opens for a system administrator; policies and cases are read-only there."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.invalid", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/admin/policies/council/", "/admin/policies/policyversion/",
                                  "/admin/complaints/complaint/", "/admin/complaints/staffmember/",
                                  "/admin/complaints/servicearea/"])
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
