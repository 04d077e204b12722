"""The OpenAPI contract, fuzzed: Schemathesis generates valid and invalid requests for every
operation from /api/schema/ and sends them to the app in-process (WSGI, the test database).

Checks (all of Schemathesis's but positive_data_acceptance; see schemathesis.toml): no server
error, every status and content type documented, every body matching its schema, invalid
requests refused, and requests without the token refused. The fixture commits real cases so the
generated requests reach them (schemathesis.toml names their references), and one case of
another council that must always be a 404. Examples per operation: schemathesis.toml.

The attachment upload is multipart; its schema lists the accepted types in the part's encoding,
and the strategies registered below give Schemathesis real files of those types (as well as the
random bytes it makes itself), so uploads are accepted as well as refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from complaints.api.models import IntegrationToken
from complaints.models import StaffRole
from complaints.services.intake import RepresentativeDetails
from complaints.services.people import correspondence_attach
from complaints.services.records import complaint_record_correspondence
from ombudsman.services import ombudsman_case_open
from tests.api.conftest import acknowledged_case, answered_case, new_case
from tests.factories import council, service_area, staff

ROOT = Path(__file__).resolve().parents[2]

# Files whose first bytes match their type, for the upload's multipart part.
schemathesis.openapi.media_type("application/pdf", st.binary(max_size=200).map(lambda tail: b"%PDF-1.7\n" + tail))
schemathesis.openapi.media_type("image/png", st.binary(max_size=200).map(lambda tail: b"\x89PNG\r\n\x1a\n" + tail))
schemathesis.openapi.media_type("text/plain", st.text(max_size=200).map(str.encode))
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=SchemathesisConfig.from_path(ROOT / "schemathesis.toml"))


@pytest.fixture
def persistent_connection():
    """Keep one database connection across the in-process requests (the test settings close it after
    every request, and reconnecting is most of a request's time here)."""
    from django.db import connection

    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = None
    connection.close_at = None
    yield
    connection.settings_dict["CONN_MAX_AGE"] = saved


@pytest.fixture
def fuzz_key(django_db_setup, settings, persistent_connection):
    """Committed records (references as in schemathesis.toml) and the lbbd token's key."""
    from django.core.management import call_command

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"integration": "100000/minute"}}
    cache.clear()
    call_command("load_policies", verbosity=0)
    officer = staff("lbbd", username="fuzz-officer")
    staff("lbbd", role=StaffRole.COMPLAINTS_MANAGER, username="fuzz-manager")
    service_area("lbbd")
    new_case("lbbd", "2026-06-01T10:00")                       # LBD-2026-00001: new
    acknowledged = acknowledged_case(officer, "lbbd", "2026-06-02T10:00")  # LBD-2026-00002: Stage 1, acknowledged
    answered = answered_case(officer, "lbbd", "2026-06-03T10:00")  # LBD-2026-00003: Stage 1 answered
    new_case("lbbd", "2026-06-04T10:00",                       # LBD-2026-00004: representative, no consent
             representative=RepresentativeDetails(name="Sam Friend", relationship="friend", role="friend"))
    barnet = new_case("barnet", "2026-06-01T10:00")            # BAR-2026-00001: another council's
    ombudsman_case_open(council=council("lbbd"), by=officer, ombudsman="lgsco", their_reference="LG-1",
                        received_on=answered.received_at.date(), complaint=None)
    ombudsman_case_open(council=council("barnet"), by=officer, ombudsman="lgsco", their_reference="LG-2",
                        received_on=answered.received_at.date(), complaint=None)
    barnet_officer = staff("barnet", username="fuzz-barnet")
    for case, by, pk in [(acknowledged, officer, 1), (barnet, barnet_officer, 2)]:
        letter = complaint_record_correspondence(complaint=case, by=by, direction="in", kind="letter",
                                                 subject="Photos", occurred_at=timezone.now())
        upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")
        attachment = correspondence_attach(correspondence=letter, by=by, uploaded_file=upload)
        assert letter.pk == attachment.pk == pk, "schemathesis.toml's ids: 1 is LBBD's, 2 Barnet's"
    _, key = IntegrationToken.issue(council=council("lbbd"), name="fuzzer")
    return key


def another_councils_case_is_not_found(ctx, response, case):
    """Extra check: Barnet's records, asked for with LBBD's token, are never found (whatever else is wrong):
    its case, and id 2 of anything (its Ombudsman case, correspondence and attachment)."""
    params = case.path_parameters or {}
    barnets = params.get("reference") == "BAR-2026-00001" or 2 in {params.get("id"), params.get("correspondence_id")}
    if barnets and response.status_code not in {400, 401, 404, 405, 406, 415, 429}:
        raise AssertionError(f"{case.method} {case.formatted_path} answered {response.status_code} for "
                             "another council's record; it must be 404")


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
def test_api_contract(case, fuzz_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_key}"},
                           additional_checks=[another_councils_case_is_not_found])
