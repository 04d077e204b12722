"""A council's closure days (none of the five documents names any) are skipped like bank holidays."""

import datetime as dt

from deadlines.engine import Events, compute_stage_deadlines
from policies.schema import Policy


def with_closures(policy: Policy, *days: tuple[str, str]) -> Policy:
    content = policy.model_dump(mode="json", by_alias=True)
    content["closure_days"] = [{"date": day, "reason": reason, "source": "test"} for day, reason in days]
    return Policy.model_validate(content)


def test_closure_days_are_not_working_days_and_are_named_in_the_explanation(policies):
    # Brighton & Hove acknowledges in 2 working days: received Mon 2 Nov 2026, normally Wed 4 Nov.
    base = compute_stage_deadlines(policies["brighton-hove"], "stage1", Events(received=dt.date(2026, 11, 2)))
    assert base.get("acknowledge_by") == dt.date(2026, 11, 4)
    closed = with_closures(policies["brighton-hove"], ("2026-11-03", "Office move"))
    result = compute_stage_deadlines(closed, "stage1", Events(received=dt.date(2026, 11, 2)))
    assert result.get("acknowledge_by") == dt.date(2026, 11, 5)
    assert "Office move (Tue 3 Nov 2026)" in result.dates["acknowledge_by"].explain(closed, result.calendar)


def test_closure_days_of_one_council_do_not_affect_another(policies):
    with_closures(policies["brighton-hove"], ("2026-11-03", "Office move"))
    result = compute_stage_deadlines(policies["bucks"], "stage1", Events(received=dt.date(2026, 11, 2)))
    assert result.get("acknowledge_by") == dt.date(2026, 11, 9)
