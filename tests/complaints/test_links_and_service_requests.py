"""Joint and multi-service links; service requests kept and turned into complaints later."""

import pytest

from complaints.models import ComplaintLink, LinkKind, State
from complaints.services.errors import PolicyGuardFailed
from complaints.services.intake import complaint_triage
from complaints.services.records import complaints_link
from tests.factories import london, make_complaint, staff

pytestmark = pytest.mark.django_db


def test_several_complainants_on_one_issue_are_linked_for_one_joint_investigation():
    officer = staff("brighton-hove")
    first = make_complaint("brighton-hove", "2026-10-19T10:00")
    second = make_complaint("brighton-hove", "2026-10-19T11:00")
    link = complaints_link(first=first, second=second, kind=LinkKind.JOINT, by=officer)
    assert ComplaintLink.objects.get() == link
    assert complaints_link(first=first, second=second, kind=LinkKind.JOINT, by=officer) == link  # idempotent


def test_links_stay_within_one_body():
    officer = staff("barnet")
    with pytest.raises(PolicyGuardFailed, match="same body"):
        complaints_link(first=make_complaint("barnet"), second=make_complaint("lbbd"), kind=LinkKind.JOINT, by=officer)


def test_a_service_request_is_kept_and_can_become_a_complaint_with_the_clock_from_then():
    officer = staff("barnet")
    case = complaint_triage(complaint=make_complaint("barnet", "2026-06-01T10:00"), by=officer,
                            route="service_request")
    assert case.state == State.SERVICE_REQUEST and case.deadlines.count() == 0
    # The resident comes back on Mon 8 Jun: Stage 1 starts then; acknowledge by Mon 15 Jun (5 working days).
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-08T09:00"),
                            reason="Still not collected")
    assert case.state == State.STAGE1
    assert case.deadlines.get(kind="acknowledge").due_date.isoformat() == "2026-06-15"
