"""Reads are scoped by council, and the timeline merges everything that happened."""

import datetime as dt

import pytest

from complaints.models import Complaint
from complaints.selectors import complaint_get, complaint_timeline, overdue_deadlines
from complaints.services.intake import complaint_triage
from complaints.services.records import complaint_add_note, complaint_record_correspondence
from complaints.services.stage_work import complaint_acknowledge
from tests.factories import council, london, make_complaint, staff

pytestmark = pytest.mark.django_db


def test_a_case_is_not_found_through_another_councils_scope():
    case = make_complaint("barnet")
    assert complaint_get(council=council("barnet"), reference=case.reference) == case
    with pytest.raises(Complaint.DoesNotExist):
        complaint_get(council=council("lbbd"), reference=case.reference)
    with pytest.raises(Complaint.DoesNotExist):
        complaint_timeline(council=council("lbbd"), complaint=case)


def test_overdue_lists_open_council_deadlines_past_due_only():
    officer = staff("bucks")
    late = complaint_triage(complaint=make_complaint("bucks", "2026-08-28T10:00"), by=officer, route="stage1")
    acknowledged = complaint_triage(complaint=make_complaint("bucks", "2026-08-28T11:00"), by=officer, route="stage1")
    complaint_acknowledge(complaint=acknowledged, by=officer, at=london("2026-09-01T09:00"))
    # On 8 Sep 2026 both acknowledgement deadlines (7 Sep) have passed; only the unacknowledged one is overdue.
    rows = list(overdue_deadlines(council=council("bucks"), today=dt.date(2026, 9, 8)))
    assert [(row.complaint_id, row.kind) for row in rows] == [(late.pk, "acknowledge")]
    assert list(overdue_deadlines(council=council("barnet"), today=dt.date(2026, 9, 8))) == []


def test_timeline_merges_state_changes_notes_correspondence_and_deadlines_newest_first():
    officer = staff("lbbd", first_name="Sam", last_name="Officer")
    case = complaint_triage(complaint=make_complaint("lbbd", "2026-11-02T10:00"), by=officer, route="stage1")
    complaint_add_note(complaint=case, by=officer, text="Called the resident")
    complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="email",
                                    subject="Photos of the bins", occurred_at=london("2026-11-03T09:00"))
    complaint_acknowledge(complaint=case, by=officer, at=london("2026-11-04T10:00"))
    entries = complaint_timeline(council=council("lbbd"), complaint=case)
    kinds = {entry.kind for entry in entries}
    assert kinds == {"state", "note", "correspondence", "deadline"}
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    texts = [e.text for e in entries]
    assert "Called the resident" in texts
    assert "Received email: Photos of the bins" in texts
    assert any(t.startswith("acknowledged:stage1") for t in texts)
    assert any("stage1 acknowledge deadline changed: met" in t for t in texts)
    assert {e.actor for e in entries if e.kind == "note"} == {"Sam Officer"}
