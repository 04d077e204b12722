"""Fixtures for the API tests: tokens and clients per council, and cases in known states."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints.api.models import IntegrationToken
from complaints.services.intake import complaint_triage
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_respond
from tests.factories import council, london, make_complaint, staff


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the (LocMem) cache, keyed by token id: start each test at zero."""
    cache.clear()
    yield
    cache.clear()


def token_client(slug: str, name: str = "housing-crm") -> APIClient:
    _, key = IntegrationToken.issue(council=council(slug), name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.key = key
    return client


@pytest.fixture
def lbbd_api(loaded_policies) -> APIClient:
    return token_client("lbbd")


@pytest.fixture
def barnet_api(loaded_policies) -> APIClient:
    return token_client("barnet")


@pytest.fixture
def officer(loaded_policies):
    return staff("lbbd", first_name="Olu", last_name="Officer")


def new_case(slug: str = "lbbd", received: str = "2026-06-01T10:00", **kwargs):
    return make_complaint(slug, received, **kwargs)


def stage1_case(officer, slug: str = "lbbd", received: str = "2026-06-01T10:00", **kwargs):
    case = new_case(slug, received, **kwargs)
    return complaint_triage(complaint=case, by=officer, route="stage1", at=london(received))


def acknowledged_case(officer, slug: str = "lbbd", received: str = "2026-06-01T10:00"):
    case = stage1_case(officer, slug, received)
    return complaint_acknowledge(complaint=case, by=officer, at=london(received.replace("T10", "T15")))


def answered_case(officer, slug: str = "lbbd", received: str = "2026-06-01T10:00", responder=None):
    case = acknowledged_case(officer, slug, received)
    details = ResponseDetails(outcome="upheld", findings="The bins were missed; collections restored.")
    return complaint_respond(complaint=case, by=responder or officer, details=details,
                             at=london(received.replace("T10", "T16")))


# --- posting an action ---------------------------------------------------------------------
def post(client, case, action, **body):
    """POST the action with the case's current version unless the body gives one."""
    body.setdefault("version", case.version)
    return client.post(f"/api/v1/complaints/{case.reference}/{action}/", body, format="json")


def ok(response, state):
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == state
    return data


def refused(response, code="transition_not_allowed"):
    assert response.status_code == 409, response.json()
    assert response.json()["error"] == code
    assert response.json()["detail"]
    return response.json()
