"""The OpenAPI contract at /api/schema/ and the docs page at /api/docs/ (no third-party assets)."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from complaints.api.actions import ACTIONS
from tests.factories import staff

pytestmark = pytest.mark.django_db

# A script, image or stylesheet from another host (a plain link to a web page is fine).
EXTERNAL_ASSET = re.compile(r"""(src=["']?(https?:)?//|<link[^>]+href=["']?(https?:)?//)""")


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3_and_public(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert APIClient().get("/api/schema/?format=json").json()["info"]["title"] == schema["info"]["title"]


def test_every_action_and_resource_is_in_the_schema(schema):
    paths = set(schema["paths"])
    for spec in ACTIONS:
        assert f"/api/v1/complaints/{{reference}}/{spec.name}/" in paths
    assert paths >= {"/api/v1/complaints/", "/api/v1/complaints/{reference}/", "/api/v1/deadlines/",
                     "/api/v1/complaints/{reference}/notes/", "/api/v1/complaints/{reference}/correspondence/",
                     "/api/v1/councils/", "/api/v1/councils/{slug}/", "/api/v1/ombudsman-cases/",
                     "/api/v1/ombudsman-cases/{id}/", "/api/v1/feedback/", "/api/v1/dashboard/"}


def test_every_operation_documents_its_errors_and_needs_the_token(schema):
    assert schema["components"]["securitySchemes"]["integrationToken"] == {
        "type": "http", "scheme": "bearer", "description": pytest.approx(
            schema["components"]["securitySchemes"]["integrationToken"]["description"])}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
            if method == "post":
                assert {"409", "415"} <= codes, path
            assert {"integrationToken": []} in operation["security"] and {} not in operation["security"]


def test_action_bodies_carry_the_version(schema):
    bodies = schema["components"]["schemas"]
    for spec in ACTIONS:
        name = spec.serializer.__name__.removesuffix("Serializer") + "Request"
        assert "version" in bodies[name]["required"], name


def test_docs_page_lists_every_operation_and_loads_nothing_from_elsewhere(schema):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    operations = sum(len(item) for item in schema["paths"].values())
    assert html.count('<section id="') == operations
    assert "/api/v1/complaints/{reference}/refer-to-ombudsman/" in html
    assert not EXTERNAL_ASSET.search(html)


def test_browsable_api_for_staff_uses_only_local_assets(loaded_policies):
    client = APIClient()
    client.force_login(staff("lbbd"))
    response = client.get("/api/v1/councils/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not EXTERNAL_ASSET.search(response.content.decode())


def test_options_and_unknown_methods_are_405_json(lbbd_api):
    for method in ("options", "delete", "put"):
        response = getattr(lbbd_api, method)("/api/v1/complaints/")
        assert response.status_code == 405, method
        assert response.json()["error"] == "method_not_allowed"
        assert "GET" in response["Allow"]


def test_unknown_urls_are_json_404s_even_for_a_post_without_a_csrf_token(loaded_policies):
    """A path parameter of the wrong type matches no endpoint: a JSON 404, not Django's HTML CSRF page."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff("lbbd"))
    for url in ["/api/v1/complaints/LBD-2026-00001/correspondence/not-a-number/attachments/", "/api/nowhere/"]:
        response = client.post(url, {}, format="json")
        assert response.status_code == 404, url
        assert response.json()["error"] == "not_found"
