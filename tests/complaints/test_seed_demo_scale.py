"""seed_demo at scale: worker processes, the two writers, deferred indexes, and the shape of a real caseload."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from complaints.models import OPEN, Action, CaseStage, Complaint, Deadline, Note, StageOutcome
from complaints.services.seeding import SeedOptions, seed_demo
from deadlines.calendar import london_date
from policies.models import PolicyVersion
from policies.selectors import policy_version_in_force
from tests.complaints.test_seed_demo import TODAY, delete_cases

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def everything() -> dict[str, list]:
    """Every seeded value that matters, keyed by reference rather than by id."""
    references = dict(Complaint.objects.values_list("id", "reference"))
    return {
        "cases": list(Complaint.objects.order_by("council__slug", "sequence").values_list(
            "reference", "state", "stage", "received_at", "version", "summary", "complainant__name",
            "assigned_officer__username", "representative_name", "consent", "refusal_reason", "out_of_time")),
        "areas": sorted(Complaint.objects.values_list("reference", "service_areas__name")),
        "stages": sorted(CaseStage.objects.values_list(
            "complaint__reference", "stage", "started_at", "acknowledged_at", "responded_at",
            "handled_by__username")),
        "deadlines": sorted(Deadline.objects.values_list(
            "complaint__reference", "stage", "kind", "due_date", "cap_date", "met_at", "cancelled_at", "paused",
            "explanation", "rule_source")),
        "outcomes": sorted(StageOutcome.objects.values_list(
            "complaint__reference", "stage", "outcome", "compensation_amount", "learning_points")),
        "actions": sorted(Action.objects.values_list("outcome__complaint__reference", "due_date", "completed_at")),
        "notes": sorted(Note.objects.values_list("complaint__reference", "author__username", "text")),
        "history": sorted(
            [("case", *row) for row in Complaint.history.filter(id__in=references).values_list(
                "reference", "state", "history_date", "history_change_reason", "history_user__username",
                "history_type")]
            + [("stage", references[row[0]], *row[1:]) for row in CaseStage.history.filter(complaint_id__in=references).values_list(
                "complaint_id", "stage", "responded_at", "history_date", "history_user__username", "history_type")]
            + [("deadline", references[row[0]], *row[1:]) for row in Deadline.history.filter(complaint_id__in=references).values_list(
                "complaint_id", "stage", "kind", "due_date", "met_at", "history_date", "history_change_reason",
                "history_type")]),
        "history counts": [Complaint.history.filter(id__in=references).count(),
                           CaseStage.history.filter(complaint_id__in=references).count(),
                           Deadline.history.filter(complaint_id__in=references).count()],
    }


def seeded(**options) -> dict[str, list]:
    seed_demo(SeedOptions(complaints=150, seed=9, today=TODAY, **options))
    return everything()


def test_worker_processes_tell_the_same_cases_as_one_process(loaded_policies):
    alone = seeded(workers=0, batch_size=40)
    delete_cases()
    assert seeded(workers=2, batch_size=40) == alone
    assert len(alone["cases"]) == 150 and alone["history counts"][2] == len(alone["deadlines"])


def test_copy_and_bulk_create_write_the_same_rows(loaded_policies):
    copied = seeded(writer="copy", workers=0)
    delete_cases()
    assert seeded(writer="orm", workers=0) == copied


def definitions() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'complaints_%%' "
                       "ORDER BY 1, 2")
        indexes = cursor.fetchall()
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, "
                       "condeferred, convalidated FROM pg_constraint WHERE conrelid::regclass::text LIKE "
                       "'complaints_%%' ORDER BY 1, 2")
        return indexes + cursor.fetchall()


def test_indexes_and_constraints_dropped_for_a_big_load_come_back_exactly(loaded_policies):
    before = definitions()
    seed_demo(SeedOptions(complaints=60, seed=2, today=TODAY, defer_indexes=True, workers=0))
    after = definitions()
    assert [d for d in after if d not in before] == [] and [d for d in before if d not in after] == []
    assert after == before
    assert Complaint.objects.count() == 60
    with connection.cursor() as cursor:  # and the foreign keys were checked when they came back
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'complaints_deadline'::regclass "
                       "AND contype = 'f' AND convalidated")
        assert cursor.fetchone()[0] >= 2


def test_ten_years_with_five_percent_open_backdates_each_councils_first_policy(loaded_policies):
    out = io.StringIO()
    call_command("seed_demo", "--complaints=1500", "--seed=4", f"--today={TODAY.isoformat()}", "--years=10",
                 "--open-percent=5", "--backdate-policies", "--workers=0", stdout=out)
    cases = Complaint.objects.count()
    still_open = Complaint.objects.filter(state__in=OPEN).count()
    # 5% drawn, plus the one case forced for each state of each council so that every state appears.
    assert 0.03 * cases < still_open < 0.10 * cases
    received = sorted(london_date(at) for at in Complaint.objects.values_list("received_at", flat=True))
    assert received[0] < TODAY - dt.timedelta(days=9 * 365) and received[-1] <= TODAY
    assert received[len(received) // 2] < TODAY - dt.timedelta(days=3 * 365)  # spread, not bunched near today
    copies = PolicyVersion.objects.filter(version_id__contains="-demo-")
    assert copies.count() == 5
    assert {v.effective_from for v in copies} == {TODAY - dt.timedelta(days=3650)}
    for copy in copies:
        original = PolicyVersion.objects.filter(council=copy.council).exclude(pk=copy.pk).earliest("effective_from")
        assert copy.policy.stage_keys == original.policy.stage_keys and copy.policy.version.id == copy.version_id
    for case in Complaint.objects.select_related("council", "policy_version")[:300]:
        assert case.policy_version == policy_version_in_force(council=case.council, on=london_date(case.received_at))
    assert "Demo policy versions recorded" in out.getvalue()


def test_seeding_makes_every_cached_dashboard_stale(loaded_policies):
    from complaints.reports import dashboard_cache
    from policies.models import Council

    councils = list(Council.objects.values_list("pk", flat=True))
    before = dashboard_cache._generations([dashboard_cache.ALL, *councils])
    seed_demo(SeedOptions(complaints=30, seed=3, today=TODAY, workers=0))
    after = dashboard_cache._generations([dashboard_cache.ALL, *councils])
    assert all(old != new for old, new in zip(before, after))


def test_remedy_actions_that_fell_due_are_mostly_done_long_after_the_case_closed(loaded_policies):
    seed_demo(SeedOptions(complaints=1500, seed=4, today=TODAY, years=10, open_percent=5,
                          backdate_policies=True, workers=0))
    due = Action.objects.filter(due_date__lte=TODAY - dt.timedelta(days=365))
    assert due.count() > 50
    assert due.filter(completed_at__isnull=True).count() < 0.2 * due.count()


def test_the_demo_mix_keeps_about_half_the_cases_open(loaded_policies):
    seed_demo(SeedOptions(complaints=400, seed=4, today=TODAY, workers=0))
    assert Complaint.objects.filter(state__in=OPEN).count() > 0.35 * 400
    assert not PolicyVersion.objects.filter(version_id__contains="-demo-").exists()


@pytest.mark.parametrize("arguments", [
    ["--open-percent=0"], ["--open-percent=100"], ["--open-percent=lots"], ["--years=0"], ["--workers=-1"],
])
def test_bad_scale_arguments_are_refused(loaded_policies, arguments):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--complaints=5", "--seed=1", *arguments, stdout=io.StringIO())
    assert not Complaint.objects.exists()
