"""Complaints through the API: create (the intake service), validation, list filters, cursor
pages, the case with its deadlines, notes and correspondence."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint, State
from tests.api.conftest import acknowledged_case, new_case, stage1_case
from tests.factories import service_area

pytestmark = pytest.mark.django_db

NEW = {"summary": "Bins not collected", "channel": "phone", "received_at": "2026-06-01T10:00:00+01:00",
       "complainant": {"name": "Pat Resident", "email": "pat@example.org", "complainant_type": "tenant"},
       "incident_date": "2026-05-20"}


def test_create_records_the_complaint_through_the_intake_service(lbbd_api, loaded_policies):
    area = service_area("lbbd")
    response = lbbd_api.post("/api/v1/complaints/", {**NEW, "service_areas": [area.pk]}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["reference"], data["state"], data["version"], data["council"]) == (
        "LBD-2026-00001", "new", 1, "lbbd")
    assert data["service_areas"] == [{"id": area.pk, "name": area.name, "category": area.category}]
    case = Complaint.objects.get(reference="LBD-2026-00001")
    assert (case.channel, case.complainant.name, case.history.get().history_user.username) == (
        "phone", "Pat Resident", "api:lbbd")
    assert "triage" in data["available_actions"]


def test_create_with_a_representative_the_policy_excludes_is_refused(lbbd_api):
    body = {**NEW, "representative": {"name": "A Member", "relationship": "MP", "role": "mp"}}
    response = lbbd_api.post("/api/v1/complaints/", body, format="json")
    assert response.status_code == 409 and response.json()["error"] == "policy_guard"
    assert "separate process" in response.json()["detail"]


def test_create_before_any_policy_was_in_force_is_a_409(lbbd_api):
    response = lbbd_api.post("/api/v1/complaints/", {**NEW, "received_at": "2010-01-04T10:00:00Z"}, format="json")
    assert response.status_code == 409 and response.json()["error"] == "no_policy"


@pytest.mark.parametrize("change, field", [
    ({"summary": 5}, "summary"),
    ({"summary": ""}, "summary"),
    ({"summary": "x" * 301}, "summary"),
    ({"channel": "carrier pigeon"}, "channel"),
    ({"received_at": "2026-06-01 10:00"}, "received_at"),
    ({"received_at": "2026-06-01T10:00:00"}, "received_at"),
    ({"incident_date": "1999-12-31"}, "incident_date"),
    ({"anonymous": "true"}, "anonymous"),
    ({"service_areas": ["1"]}, "service_areas"),
    ({"service_areas": [1.0]}, "service_areas"),
    ({"complainant": "Pat"}, "complainant"),
    ({"complainant": {"email": 7}}, "complainant"),
])
def test_invalid_fields_are_a_400_naming_the_field(lbbd_api, change, field):
    response = lbbd_api.post("/api/v1/complaints/", {**NEW, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and field in body["fields"]
    assert not Complaint.objects.exists()


def test_instants_in_the_future_are_refused(lbbd_api):
    later = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = lbbd_api.post("/api/v1/complaints/", {**NEW, "received_at": later}, format="json")
    assert response.status_code == 400 and "received_at" in response.json()["fields"]


def test_only_json_is_accepted(lbbd_api):
    response = lbbd_api.post("/api/v1/complaints/", {"summary": "x"})  # multipart form
    assert response.status_code == 415 and response.json()["error"] == "unsupported_media_type"
    response = lbbd_api.generic("POST", "/api/v1/complaints/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "parse_error"


def test_retrieve_shows_the_deadlines_with_their_explanations(lbbd_api, officer):
    case = acknowledged_case(officer)
    data = lbbd_api.get(f"/api/v1/complaints/{case.reference}/").json()
    assert data["reference"] == case.reference and data["version"] == case.version
    respond = next(d for d in data["deadlines"] if d["kind"] == "respond")
    assert respond["explanation"].startswith("Respond by") and respond["rule_source"]
    assert lbbd_api.get(f"/api/v1/complaints/{case.reference}/deadlines/").json() == data["deadlines"]


def test_unknown_references_and_urls_are_json_404s(lbbd_api):
    for url in ["/api/v1/complaints/LBD-2026-99999/", "/api/v1/complaints/bad%00ref/", "/api/v1/nothing/",
                "/api/v1/complaints", "/api/"]:
        response = lbbd_api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json") and response.json()["error"] == "not_found"


def refs(response):
    assert response.status_code == 200, response.json()
    return [row["reference"] for row in response.json()["results"]]


@pytest.fixture
def spread(officer):
    """LBD-1 new (June), LBD-2 Stage 1 overdue (June), LBD-3 Stage 1 received now, in an area."""
    area = service_area("lbbd")
    first = new_case(received="2026-06-01T10:00")
    second = stage1_case(officer, received="2026-06-10T10:00")
    now = timezone.localtime().replace(microsecond=0) - dt.timedelta(minutes=1)
    third = stage1_case(officer, received=now.strftime("%Y-%m-%dT%H:%M"), areas=[area])
    return first, second, third, area


def test_list_filters(lbbd_api, spread):
    first, second, third, area = spread

    def get(query):
        return refs(lbbd_api.get(f"/api/v1/complaints/?{query}"))

    assert get("") == [third.reference, second.reference, first.reference]
    assert get("state=new") == [first.reference]
    assert get("stage=stage1") == [third.reference, second.reference]
    assert get("overdue=true") == [second.reference]
    assert get("overdue=false") == [third.reference, first.reference]
    assert get("due_before=2026-06-20") == [second.reference]
    assert get(f"service_area={area.pk}") == [third.reference]
    assert get("received_from=2026-06-10&received_to=2026-06-10") == [second.reference]
    assert get("received_to=2026-06-09") == [first.reference]


@pytest.mark.parametrize("query", ["state=", "state=open", "overdue=yes", "overdue=1", "service_area=1.0",
                                   "service_area=-1", "due_before=tomorrow", "page_size=0", "page_size=x",
                                   "cursor=bm9wZQ"])
def test_bad_filters_are_a_400(lbbd_api, spread, query):
    response = lbbd_api.get(f"/api/v1/complaints/?{query}")
    assert response.status_code == 400 and response.json()["error"] == "invalid"


def test_cursor_pagination_walks_every_case_once(lbbd_api, loaded_policies):
    for day in range(1, 6):
        new_case(received=f"2026-06-0{day}T10:00")
    seen, url = [], "/api/v1/complaints/?page_size=2"
    while url:
        page = lbbd_api.get(url).json()
        seen += [row["reference"] for row in page["results"]]
        url = page["next"]
        assert url is None or "cursor=" in url
    assert seen == [f"LBD-2026-0000{n}" for n in range(5, 0, -1)]


def test_notes(lbbd_api, officer):
    case = stage1_case(officer)
    created = lbbd_api.post(f"/api/v1/complaints/{case.reference}/notes/", {"text": "Called the depot"},
                            format="json")
    assert created.status_code == 201 and created.json()["author"] == "api:lbbd"
    listed = lbbd_api.get(f"/api/v1/complaints/{case.reference}/notes/").json()
    assert [n["text"] for n in listed] == ["Called the depot"]
    empty = lbbd_api.post(f"/api/v1/complaints/{case.reference}/notes/", {"text": "  "}, format="json")
    assert empty.status_code == 409 and empty.json()["error"] == "policy_guard"


def test_correspondence(lbbd_api, officer):
    case = stage1_case(officer)
    body = {"direction": "in", "kind": "email", "subject": "More photos", "body": "Attached",
            "occurred_at": "2026-06-02T09:30:00+01:00"}
    created = lbbd_api.post(f"/api/v1/complaints/{case.reference}/correspondence/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["recorded_by"] == "api:lbbd" and created.json()["letter_kind"] == ""
    listed = lbbd_api.get(f"/api/v1/complaints/{case.reference}/correspondence/").json()
    assert [c["subject"] for c in listed] == ["More photos"]
    bad = lbbd_api.post(f"/api/v1/complaints/{case.reference}/correspondence/", {**body, "direction": "sideways"},
                        format="json")
    assert bad.status_code == 400 and "direction" in bad.json()["fields"]
    case.refresh_from_db()
    assert case.state == State.STAGE1


def test_deadline_list_with_overdue_filter(lbbd_api, spread):
    _, second, third, _ = spread
    rows = lbbd_api.get("/api/v1/deadlines/?overdue=true").json()["results"]
    assert {r["complaint"] for r in rows} == {second.reference} and all(r["overdue"] for r in rows)
    assert [r["due_date"] for r in rows] == sorted(r["due_date"] for r in rows)
    others = lbbd_api.get("/api/v1/deadlines/?overdue=false").json()["results"]
    assert {r["complaint"] for r in others} == {third.reference}
    kinds = lbbd_api.get("/api/v1/deadlines/?kind=acknowledge&stage=stage1&open=true").json()["results"]
    assert {r["kind"] for r in kinds} == {"acknowledge"} and len(kinds) == 2
