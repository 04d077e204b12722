"""seed_demo: deterministic demo cases in every state, stored as the services would have stored them."""

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from complaints.models import (
    OPEN,
    CaseStage,
    Complainant,
    Complaint,
    Deadline,
    DeadlineKind,
    Feedback,
    StageOutcome,
    State,
)
from complaints.services.deadlines import ENGINE_KEYS, stage_events
from deadlines.calendar import london_date
from deadlines.engine import compute_stage_deadlines
from policies.models import Council
from policies.selectors import policy_version_in_force
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)
COUNCIL_DEADLINES = [kind for kind in DeadlineKind.values if kind != DeadlineKind.ESCALATE]


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True  # demo data is refused with DEBUG off


def seed(count: int, seed: int = 1, *extra: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", f"--complaints={count}", f"--seed={seed}", f"--today={TODAY.isoformat()}", *extra,
                 stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    cases = Complaint.objects.order_by("council__slug", "sequence")
    return list(cases.values_list("reference", "state", "received_at"))


def delete_cases() -> None:
    Complaint.objects.all().delete()
    Complainant.objects.all().delete()
    Feedback.objects.all().delete()


@pytest.fixture
def seeded(loaded_policies):
    """A run of 400 cases, the size the run command's demo is of."""
    seed(400)


def test_the_same_seed_and_today_give_the_same_cases_and_another_seed_does_not(loaded_policies):
    seed(120, 7)
    first = snapshot()
    delete_cases()
    seed(120, 7)
    assert snapshot() == first
    delete_cases()
    seed(120, 8)
    assert snapshot() != first
    assert len(first) == 120


def test_every_state_appears_for_every_council_whose_policy_has_it(seeded):
    assert set(Complaint.objects.values_list("state", flat=True)) == set(State.values)
    states = defaultdict(set)
    for slug, state in Complaint.objects.values_list("council__slug", "state"):
        states[slug].add(state)
    assert set(states) == {"barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"}
    for slug, seen in states.items():
        policy = Council.objects.get(slug=slug).policy_versions.first().policy
        expected = set(State.values)
        if policy.stage("informal") is None:
            expected.discard(State.INFORMAL)
        if policy.stage("panel") is None:
            expected -= {State.PANEL, State.PANEL_RESPONDED}
        assert seen == expected, slug


def test_some_open_cases_are_overdue_and_receipts_span_two_years_of_policy_in_force(seeded):
    overdue = Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True, paused=False,
                                      due_date__lt=TODAY, kind__in=COUNCIL_DEADLINES, complaint__state__in=OPEN)
    assert overdue.count() >= 10
    assert {row.complaint.state for row in overdue.select_related("complaint")} >= {State.STAGE1, State.STAGE2}
    received = [london_date(at) for at in Complaint.objects.values_list("received_at", flat=True)]
    assert max(received) <= TODAY
    assert min(received) < TODAY - dt.timedelta(days=365)
    assert min(received) >= TODAY - dt.timedelta(days=731)
    for case in Complaint.objects.select_related("council", "policy_version"):
        assert case.policy_version == policy_version_in_force(council=case.council, on=london_date(case.received_at))


def test_stored_deadlines_are_what_the_engine_gives_for_the_stage_events(seeded):
    cases = Complaint.objects.filter(stages__isnull=False).distinct().select_related("policy_version")
    sample = list(cases.order_by("pk"))[::4]
    assert len(sample) >= 50
    for case in sample:
        policy = case.policy_version.policy
        rows = {(row.stage, row.kind): row for row in case.deadlines.all()}
        expected = set()
        for stage in case.stages.all():
            result = compute_stage_deadlines(policy, stage.stage, stage_events(stage))
            cap = result.get("respond_by_max")
            for key, kind in ENGINE_KEYS.items():
                computed = result.dates.get(key)
                if computed is None or (kind == DeadlineKind.ESCALATE and stage.responded_at is None):
                    continue
                expected.add((stage.stage, kind))
                row = rows[(stage.stage, kind)]
                assert (row.due_date, row.original_due_date) == (computed.date, computed.date), (case, key)
                assert row.provisional == computed.anchor_is_deadline
                assert row.cap_date == (cap if kind == DeadlineKind.RESPOND else None)
                assert row.explanation == computed.explain(policy, result.calendar)
            if stage.responded_at is not None and stage.stage != "informal":
                assert rows[(stage.stage, DeadlineKind.RESPOND)].met_at == stage.responded_at
        assert set(rows) == expected, case
        open_rows = [row for row in rows.values() if row.met_at is None and row.cancelled_at is None]
        if case.state in (State.CLOSED, State.REFUSED, State.WITHDRAWN, State.OMBUDSMAN):
            assert open_rows == [], case
        if case.state == State.ON_HOLD:
            assert all(row.paused for row in open_rows) and case.held_from and case.held_since
        for row in rows.values():
            assert row.met_at is None or london_date(row.met_at) <= TODAY


def test_responded_stages_have_outcomes_and_every_case_its_first_history_row(seeded):
    responded = CaseStage.objects.filter(responded_at__isnull=False).exclude(stage="informal")
    outcomes = set(StageOutcome.objects.values_list("complaint_id", "stage"))
    assert responded.count() > 50
    assert set(responded.values_list("complaint_id", "stage")) == outcomes
    assert Complaint.history.count() == Complaint.objects.count()
    assert CaseStage.history.count() == CaseStage.objects.count()
    assert Deadline.history.count() == Deadline.objects.count()
    assert set(Feedback.objects.values_list("council__slug", flat=True)) <= {"barnet", "barnet-group", "bucks",
                                                                              "brighton-hove"}
    assert set(Feedback.objects.filter(council__slug="brighton-hove").values_list("kind", flat=True)) <= {
        "compliment"}


def test_references_follow_each_councils_sequence_in_order_of_receipt_and_continue(loaded_policies):
    seed(150, 3)
    for council in Council.objects.all():
        rows = list(Complaint.objects.filter(council=council).order_by("sequence")
                    .values_list("sequence", "reference", "received_at"))
        assert [sequence for sequence, _, _ in rows] == list(range(1, len(rows) + 1))
        for sequence, reference, received_at in rows:
            assert reference == f"{council.reference_prefix}-{london_date(received_at).year}-{sequence:05d}"
        assert [at for _, _, at in rows] == sorted(at for _, _, at in rows)
    first_run = set(Complaint.objects.values_list("reference", flat=True))
    seed(40, 4)
    for council in Council.objects.all():  # the second run carried on from each council's last number
        sequences = sorted(council.complaints.values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
    assert set(Complaint.objects.values_list("reference", flat=True)) > first_run
    assert Complaint.objects.values("reference").distinct().count() == Complaint.objects.count()
    case = make_complaint("barnet", "2026-06-30T10:00")  # the services carry on after the seeded cases
    assert case.sequence == Complaint.objects.filter(council=case.council).count()


def test_if_empty_is_a_no_op_once_complaints_exist(loaded_policies):
    assert "Seeded 20 complaints" in seed(20, 1, "--if-empty")
    assert "nothing seeded" in seed(20, 2, "--if-empty")
    assert Complaint.objects.count() == 20


def test_the_summary_counts_cases_by_council_and_state(loaded_policies):
    out = seed(70, 5)
    assert out.startswith("Seeded 70 complaints (seed 5, today 2026-06-30) in ")
    assert "complaints/s" in out and "rows/s" in out
    total = next(line for line in out.splitlines() if line.startswith("total"))
    assert total.split()[-1] == "70"


@pytest.mark.parametrize("arguments", [
    ["--complaints=0", "--seed=1"],
    ["--complaints=-5", "--seed=1"],
    ["--complaints=many", "--seed=1"],
    ["--complaints=5", "--seed=1", "--batch-size=0"],
    ["--complaints=5", "--seed=1", "--today=2026-02-30"],
])
def test_bad_arguments_are_refused(loaded_policies, arguments):
    with pytest.raises(CommandError):
        call_command("seed_demo", *arguments, stdout=io.StringIO())
    assert not Complaint.objects.exists()


def test_bad_keyword_arguments_are_refused_too(loaded_policies):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", complaints=3, seed=1, batch_size=0, stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("seed_demo", complaints=3, seed=1, today="30/06/2026", stdout=io.StringIO())


def test_refused_without_policies_or_with_debug_off(settings):
    with pytest.raises(CommandError, match="load_policies"):
        seed(5)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        seed(5)
