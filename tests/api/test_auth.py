"""Tokens (created once, stored hashed, revocable, last use recorded), sessions, and throttling."""

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from complaints.api.models import IntegrationToken
from complaints.models import StaffRole
from tests.api.conftest import new_case, token_client
from tests.factories import staff

pytestmark = pytest.mark.django_db


def create_token(slug="lbbd", name="housing-crm") -> str:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", council=slug, name=name, stdout=out, stderr=err)
    assert "cannot be shown again" in err.getvalue()
    return out.getvalue().strip()


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_create_api_token_prints_the_key_once_and_stores_only_its_sha256(loaded_policies):
    key = create_token()
    token = IntegrationToken.objects.get(name="housing-crm")
    assert token.council.slug == "lbbd" and token.revoked_at is None and token.last_used_at is None
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(IntegrationToken.objects.values().get())
    assert bearer(key).get("/api/v1/complaints/").status_code == 200


def test_one_live_token_per_integration_and_unknown_councils_are_refused(loaded_policies):
    create_token()
    with pytest.raises(CommandError, match="already has a live token"):
        create_token()
    with pytest.raises(CommandError, match="unknown council"):
        create_token(slug="nowhere")
    create_token(slug="barnet")  # the same integration name in another council is another token


def test_revoked_token_gets_401_and_a_new_one_can_be_issued(loaded_policies):
    key = create_token()
    out = StringIO()
    call_command("revoke_api_token", council="lbbd", name="housing-crm", stdout=out)
    assert "Revoked" in out.getvalue()
    response = bearer(key).get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response.json() == {"error": "authentication_failed", "detail": "Invalid or revoked token"}
    assert bearer(create_token()).get("/api/v1/complaints/").status_code == 200
    with pytest.raises(CommandError, match="no live token"):
        call_command("revoke_api_token", council="barnet", name="housing-crm")


def test_last_use_is_recorded(loaded_policies):
    key = create_token()
    bearer(key).get("/api/v1/dashboard/")
    assert IntegrationToken.objects.get().last_used_at is not None


def test_no_credentials_or_a_bad_token_is_a_json_401_with_the_bearer_challenge(loaded_policies):
    response = APIClient().get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"] == "not_authenticated"
    assert bearer("cms_not-a-real-key").get("/api/v1/complaints/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert client.get("/api/v1/complaints/").status_code == 401


def test_a_token_acts_as_the_councils_inactive_system_user_recorded_in_history(lbbd_api):
    case = new_case()
    response = lbbd_api.post(f"/api/v1/complaints/{case.reference}/triage/",
                             {"version": case.version, "route": "stage1"}, format="json")
    assert response.status_code == 200
    user = get_user_model().objects.get(username="api:lbbd")
    assert not user.is_active and not user.has_usable_password()
    assert (user.staff_member.council.slug, user.staff_member.role) == ("lbbd", StaffRole.COMPLAINTS_OFFICER)
    assert case.history.order_by("-history_id").first().history_user == user


def test_staff_session_sees_its_own_council(loaded_policies):
    client = APIClient()
    client.force_login(staff("lbbd"))
    response = client.get("/api/v1/councils/")
    assert response.status_code == 200 and [c["slug"] for c in response.json()] == ["lbbd"]


def test_session_without_a_council_is_403_and_investigators_see_only_their_cases(loaded_policies):
    client = APIClient()
    client.force_login(get_user_model().objects.create(username="nobody"))
    assert client.get("/api/v1/complaints/").status_code == 403
    investigator = staff("lbbd", role=StaffRole.INVESTIGATING_OFFICER)
    case = new_case()
    client.force_login(investigator)
    assert client.get(f"/api/v1/complaints/{case.reference}/").status_code == 404
    assert client.get("/api/v1/complaints/").json()["results"] == []


def test_session_posts_need_the_csrf_token(loaded_policies):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff("lbbd"))
    response = client.post("/api/v1/feedback/", {"kind": "compliment", "text": "Thanks"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_throttling_counts_each_token_separately(loaded_policies, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"integration": "3/minute"}}
    first, second = token_client("lbbd", "one"), token_client("lbbd", "two")
    assert [first.get("/api/v1/dashboard/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = first.get("/api/v1/dashboard/")
    assert throttled.status_code == 429 and throttled.json()["error"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert second.get("/api/v1/dashboard/").status_code == 200


def every_operation():
    """(method, url) for every operation in the schema, its path parameters filled in."""
    import yaml

    schema = yaml.safe_load(APIClient().get("/api/schema/").content)
    values = {"reference": "LBD-2026-00001", "id": "1", "slug": "lbbd", "correspondence_id": "1"}
    for path, item in schema["paths"].items():
        url = path
        for name, value in values.items():
            url = url.replace(f"{{{name}}}", value)
        assert "{" not in url, path
        yield from ((method, url) for method in item)


def test_every_operation_without_credentials_is_a_401_and_with_a_councilless_session_a_403(loaded_policies):
    """Whatever exists at the URL: authentication and the council come before any lookup or body."""
    case = new_case()
    assert case.reference == "LBD-2026-00001"
    operations = list(every_operation())
    assert len(operations) > 40
    anonymous, councilless = APIClient(), APIClient()
    councilless.force_login(get_user_model().objects.create(username="nobody"))
    for method, url in operations:
        response = getattr(anonymous, method)(url, {}, format="json")
        assert (response.status_code, response.json()["error"]) == (401, "not_authenticated"), (method, url)
        response = getattr(councilless, method)(url, {}, format="json")
        assert (response.status_code, response.json()["error"]) == (403, "permission_denied"), (method, url)
