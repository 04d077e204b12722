"""Dates that do not exist or cannot be meant, bytes that are not UTF-8, and NUL characters.

Each is a message on the field, a clear 400 (a 404 for an address with a NUL in its
path: it names nothing), never a server error, and nothing is saved. The date input's own messages are tested in tests/config/test_date_fields.py
and the residents' date page in tests/public/test_page_validation.py (31 February,
"tenth", a two-digit year); here: year 0, the far future, digits of other scripts and
NUL through each way in (the residents' form, the case screens, the API).
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from complaints.models import Complaint, Deadline, Note
from tests.api.conftest import new_case as api_new_case
from tests.dates import date_parts
from tests.public.conftest import answers
from tests.staff.conftest import acknowledged_case, error_summary, fresh, row_of, stage1_case

pytestmark = pytest.mark.django_db

NUL = "\x00"
ARABIC_INDIC_TWELVE = "\u0661\u0662"  # "١٢": digits, but not the ASCII ones the boxes ask for


def parts(prefix: str, day: str, month: str, year: str) -> dict:
    return {f"{prefix}_day": day, f"{prefix}_month": month, f"{prefix}_year": year}


# --- dates on the residents' form ---------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "message"), [
    (("1", "1", "0000"), "The date it happened must be a real date"),
    (("31", "12", "9999"), "The date it happened must be today or in the past"),
    (("1", "1", "20260"), "Year must include 4 numbers"),
    ((ARABIC_INDIC_TWELVE, "5", "2026"), "The date it happened must be a real date"),
    (("1" + NUL, "5", "2026"), "The date it happened must be a real date"),
    (("1", "5", "2026" + NUL), "The date it happened must be a real date"),
    (("0", "5", "2026"), "The date it happened must be a real date"),
    (("29", "2", "2025"), "The date it happened must be a real date"),
])
def test_impossible_dates_on_the_residents_form(resident, fixed_now, typed, message):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="when")
    response = walker.post("when", {**parts("incident", *typed), **date_parts("aware", "")})
    assert response.status_code == 200
    assert response.context["form"].errors["incident"] == [message]


# --- dates on the case screens --------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "message"), [
    (("31", "2", "2026"), "The date the acknowledgement was sent must be a real date"),
    (("1", "1", "0000"), "The date the acknowledgement was sent must be a real date"),
    (("1", "1", "0001"), "The date the acknowledgement was sent must be the same as or after 1 January 1990"),
    (("31", "12", "9999"), "The date the acknowledgement was sent must be today or in the past"),
    ((ARABIC_INDIC_TWELVE, "6", "2026"), "The date the acknowledgement was sent must be a real date"),
    ((NUL, "6", "2026"), "The date the acknowledgement was sent must be a real date"),
])
def test_impossible_dates_on_an_officers_form_change_nothing(officer_client, officer, clock, typed, message):
    case = stage1_case(officer)
    before = row_of(case)
    response = officer_client.post(f"/cases/{case.reference}/acknowledge/",
                                   {"version": case.version, **parts("on", *typed)})
    assert error_summary(response) == [message]
    assert row_of(case) == before


def test_an_extension_to_the_far_future_is_refused_at_the_calendars_end(officer_client, officer, clock):
    case = acknowledged_case(officer)
    before = list(Deadline.objects.filter(complaint=case).values())
    response = officer_client.post(f"/cases/{case.reference}/extend/", {
        "version": case.version, **parts("new_date", "31", "12", "9999"), "reason": "Waiting for the report",
        **date_parts("told_on", "2026-06-10")})
    assert error_summary(response) == ["The new response date must be the same as or before 31 December 2099"]
    assert list(Deadline.objects.filter(complaint=case).values()) == before


def test_impossible_dates_in_the_case_list_filter_are_reported_and_the_list_still_shows(officer_client, officer,
                                                                                         clock):
    stage1_case(officer)
    response = officer_client.get("/cases/", {**parts("received_from", "31", "2", "2026"),
                                              **parts("received_to", "1", "1", "0000")})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"received_from", "received_to"}
    assert "LBD-2026-00001" in response.content.decode()


# --- dates in the API ----------------------------------------------------------------------------------------
def create(client, **fields):
    body = {"summary": "Bins not collected", "complainant": {"name": "Alex"}, **fields}
    return client.post("/api/v1/complaints/", body, format="json")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("incident_date", "2026-02-31", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    ("incident_date", "0000-01-01", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    ("incident_date", "9999-12-31", "Give a date between 2000-01-01 and 2090-12-31."),
    ("incident_date", "31/05/2026", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    ("incident_date", "2026-05-01" + NUL, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    ("received_at", "2026-02-30T10:00:00Z", "Datetime has wrong format."),
    ("received_at", "2026-06-01T25:00:00+01:00", "Datetime has wrong format."),
    ("received_at", "2026-06-01T10:00:00", "Datetime has wrong format."),
    ("received_at", "9999-12-31T23:59:59Z", "This date-time cannot be in the future."),
])
def test_impossible_dates_in_the_api_are_a_400_on_the_field(lbbd_api, field, value, message):
    response = create(lbbd_api, **{field: value})
    assert response.status_code == 400
    (error,) = response.json()["fields"][field]
    assert list(response.json()["fields"]) == [field] and error.startswith(message)
    assert not Complaint.objects.exists()


def test_impossible_dates_in_an_api_filter_are_a_400(lbbd_api):
    response = lbbd_api.get("/api/v1/complaints/", {"received_from": "2026-02-31", "due_before": "0000-01-01"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"received_from", "due_before"}


# --- bytes that are not UTF-8 ------------------------------------------------------------------------------------
def test_invalid_utf8_in_a_residents_answer_is_kept_as_replacement_characters(resident, fixed_now, client):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="what")
    response = client.post(walker.url("what"), b"what_happened=Bins+%FF%FE+not+collected",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert client.session["public:barnet"]["answers"]["what"]["what_happened"] == "Bins \ufffd\ufffd not collected"


def test_invalid_utf8_in_an_officers_note_is_saved_as_valid_text(officer_client, officer, clock):
    """Raw bytes (a browser percent-encodes them) make Django read the body as Latin-1; the percent-encoded
    ones that are not UTF-8 become replacement characters. Text either way: nothing fails."""
    case = stage1_case(officer)
    body = f"version={case.version}&text=Rang+them+".encode() + b"\xff\xfe%C3%28"
    response = officer_client.post(f"/cases/{case.reference}/note/", body,
                                   content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Note.objects.get().text == "Rang them \u00ff\u00fe\ufffd("


def test_invalid_utf8_in_query_strings_is_not_an_error(officer_client, officer, clock, lbbd_api):
    stage1_case(officer)
    assert officer_client.get("/cases/?q=%FF%FE&stage=%C3%28").status_code == 200
    api = lbbd_api.get("/api/v1/complaints/?stage=%FF")
    assert api.status_code == 400 and list(api.json()["fields"]) == ["stage"]


def test_invalid_utf8_or_a_lone_surrogate_in_api_json_is_a_400(lbbd_api):
    raw = lbbd_api.post("/api/v1/complaints/", b'{"summary": "Bins \xff\xfe", "complainant": {}}',
                        content_type="application/json")
    assert raw.status_code == 400 and raw.json()["error"] == "parse_error"
    surrogate = lbbd_api.post("/api/v1/complaints/", b'{"summary": "Bins \\ud800", "complainant": {}}',
                              content_type="application/json")
    assert surrogate.status_code == 400
    assert surrogate.json()["fields"] == {"summary": ["Surrogate characters are not allowed: U+D800."]}
    assert not Complaint.objects.exists()


def test_api_json_nested_too_deeply_is_a_400_not_a_server_error(lbbd_api):
    deep = b'{"summary": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    lbbd_api.raise_request_exception = False
    response = lbbd_api.post("/api/v1/complaints/", deep, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


def test_an_api_body_over_2_5_mb_is_a_json_400_saying_so(lbbd_api):
    body = json.dumps({"summary": "x" * (3 * 1024 * 1024), "complainant": {}})
    response = lbbd_api.post("/api/v1/complaints/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "too_large",
                               "detail": "What was sent is larger than the 2.5 MB a request may be (files apart)."}
    assert not Complaint.objects.exists()


# --- NUL characters ----------------------------------------------------------------------------------------------
def test_nul_in_a_residents_answer_is_a_message_on_the_field(resident, fixed_now):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="what")
    response = walker.post("what", {"what_happened": "Bins" + NUL + "not collected"})
    assert response.context["form"].errors["what_happened"] == ["Null characters are not allowed."]


def test_nul_in_an_officers_note_is_a_message_on_the_field(officer_client, officer, clock):
    case = stage1_case(officer)
    response = officer_client.post(f"/cases/{case.reference}/note/", {"version": case.version,
                                                                      "text": "Rang" + NUL})
    assert error_summary(response) == ["Null characters are not allowed."]
    assert (Note.objects.count(), fresh(case).version) == (0, case.version)


def test_nul_in_api_json_is_a_400_on_each_field(lbbd_api):
    response = create(lbbd_api, summary="Bins" + NUL, complainant={"name": NUL, "email": "a\u0000@example.org"})
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "summary": ["Null characters are not allowed."],
        "complainant": {"name": ["Null characters are not allowed."],
                        "email": ["Null characters are not allowed.", "Enter a valid email address."]}}


@pytest.mark.parametrize(("url", "status"), [
    ("/cases/%00/", 404),                       # a case reference looked up in the database
    ("/cases/LBD-2026-00001%00/note/", 404),
    ("/barnet/track/%00/", 404),
    ("/cases/?q=%00", 400),                     # a search
    ("/dashboard/?council=%00", 400),           # a council looked up for a system administrator
    ("/admin/complaints/complaint/?state=%00", 400),  # an admin list filter
])
def test_nul_in_an_address_is_refused_not_a_server_error(client, loaded_policies, url, status):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client.force_login(root)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    if status == 400:
        assert "Sorry, there is a problem with the request" in response.content.decode()


def test_nul_in_an_api_address_is_a_json_error(lbbd_api, officer):
    api_new_case()
    lbbd_api.raise_request_exception = False
    for url, status, code in [("/api/v1/complaints/LBD-2026-00001%00/", 404, "not_found"),
                              ("/api/v1/complaints/LBD-2026-00001%00/notes/", 404, "not_found"),
                              ("/api/v1/complaints/?stage=%00", 400, "bad_request"),
                              ("/api/v1/deadlines/?kind=x%00", 400, "bad_request")]:
        response = lbbd_api.get(url)
        assert (response.status_code, response.json()["error"]) == (status, code), url


def test_nul_in_the_session_cookie_is_a_400_not_a_server_error(client, loaded_policies):
    client.cookies["sessionid"] = "abcdefghijkl" + NUL
    client.raise_request_exception = False
    assert client.get("/barnet/complain/").status_code == 400
    assert client.get("/api/v1/complaints/").status_code == 400  # the API reads the session of a signed-in officer
