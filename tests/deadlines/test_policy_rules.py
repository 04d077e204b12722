"""One test per policy rule, named after it, with dates worked out by hand.

Each expected date below was counted on a calendar: "within N working days
of D" is the N-th working day after D, skipping weekends and England's bank
holidays (policy-readings.md, "Working days and the clock").
"""

import datetime as dt

import pytest

from deadlines.engine import Events, UnknownStage, complaint_time_limit, compute_stage_deadlines

D = dt.date.fromisoformat


def stage(policies, slug, key, received, **later):
    events = Events(received=D(received), **{k: D(v) for k, v in later.items()})
    return compute_stage_deadlines(policies[slug], key, events)


def instant(policies, slug, key, received_at):
    return compute_stage_deadlines(policies[slug], key, Events.from_instant(dt.datetime.fromisoformat(received_at)))


# --- The clock -------------------------------------------------------------
def test_receipt_date_is_the_london_date_so_2330_utc_on_29_march_2026_is_monday_30_march(policies):
    result = instant(policies, "barnet", "stage1", "2026-03-29T23:30:00+00:00")
    assert result.events.received == D("2026-03-30")


def test_a_complaint_received_on_saturday_has_monday_as_working_day_1(policies):
    # Sat 6 Jun 2026: Mon 8 is day 1 ... Fri 12 is day 5.
    assert stage(policies, "barnet", "stage1", "2026-06-06").get("acknowledge_by") == D("2026-06-12")


# --- barnet ------------------------------------------------------------------
def test_barnet_1_24_informal_resolution_within_48_hours_of_receipt(policies):
    assert instant(policies, "barnet", "informal", "2026-06-01T10:00:00+01:00").get("respond_by") == D("2026-06-03")


def test_barnet_1_25_acknowledge_within_5_working_days_of_receipt_across_easter(policies):
    # Mon 30 Mar 2026; Good Friday 3 Apr and Easter Monday 6 Apr are skipped.
    result = stage(policies, "barnet", "stage1", "2026-03-30")
    assert result.get("acknowledge_by") == D("2026-04-08")
    assert "Good Friday" in " ".join(result.explanation())


def test_barnet_1_28_stage1_response_within_10_working_days_of_acknowledgement(policies):
    result = stage(policies, "barnet", "stage1", "2026-03-30", acknowledged="2026-04-02")
    assert result.get("respond_by") == D("2026-04-20")


def test_barnet_1_28_before_acknowledgement_the_response_counts_from_the_acknowledgement_deadline(policies):
    result = stage(policies, "barnet", "stage1", "2026-03-30")
    assert result.get("respond_by") == D("2026-04-22")
    assert "provisional" in result.dates["respond_by"].explain(result.policy, result.calendar)


def test_barnet_1_43_review_requested_within_one_month_of_the_stage1_decision_clamped_to_month_end(policies):
    result = stage(policies, "barnet", "stage1", "2026-01-05", responded="2026-01-31")
    assert result.get("escalate_by") == D("2026-02-28")


def test_barnet_1_25_and_1_31_review_acknowledged_in_5_and_answered_in_20_working_days(policies):
    result = stage(policies, "barnet", "stage2", "2026-06-01", acknowledged="2026-06-03")
    assert result.get("acknowledge_by") == D("2026-06-08")
    assert result.get("respond_by") == D("2026-07-01")


def test_barnet_1_35_extensions_have_no_cap(policies):
    assert stage(policies, "barnet", "stage1", "2026-06-01").get("respond_by_max") is None


def test_barnet_1_42_complaints_accepted_up_to_12_months_from_the_incident(policies):
    assert complaint_time_limit(policies["barnet"], D("2024-02-29")) == D("2025-02-28")


def test_barnet_has_no_panel(policies):
    with pytest.raises(UnknownStage):
        stage(policies, "barnet", "panel", "2026-06-01")


# --- lbbd ----------------------------------------------------------------------
def test_lbbd_stage1_response_10_working_days_after_acknowledgement_extension_to_20(policies):
    result = stage(policies, "lbbd", "stage1", "2026-11-02", acknowledged="2026-11-04")
    assert result.get("acknowledge_by") == D("2026-11-09")
    assert result.get("respond_by") == D("2026-11-18")
    assert result.get("respond_by_max") == D("2026-12-02")


def test_lbbd_review_20_working_days_after_acknowledgement_extension_to_40_across_christmas(policies):
    result = stage(policies, "lbbd", "stage2", "2026-11-02", acknowledged="2026-11-04")
    assert result.get("respond_by") == D("2026-12-02")
    # 25 Dec, 28 Dec (Boxing Day substitute) and 1 Jan 2027 are skipped.
    assert result.get("respond_by_max") == D("2027-01-04")


def test_lbbd_review_requested_within_28_days_of_the_stage1_response(policies):
    result = stage(policies, "lbbd", "stage1", "2026-11-02", acknowledged="2026-11-04", responded="2026-11-18")
    assert result.get("escalate_by") == D("2026-12-16")


def test_lbbd_has_no_informal_stage(policies):
    with pytest.raises(UnknownStage):
        stage(policies, "lbbd", "informal", "2026-06-01")


# --- barnet-group ----------------------------------------------------------------
def test_barnet_group_stage1_acknowledge_in_2_reply_in_10_extend_to_20_working_days_of_receipt(policies):
    # Wed 23 Dec 2026: Christmas Day and the Boxing Day substitute (Mon 28) are skipped.
    result = stage(policies, "barnet-group", "stage1", "2026-12-23")
    assert result.get("acknowledge_by") == D("2026-12-29")
    assert result.get("respond_by") == D("2027-01-11")
    assert result.get("respond_by_max") == D("2027-01-25")


def test_barnet_group_stage2_reply_in_10_extend_to_20_working_days_of_request_ack_5_from_the_code(policies):
    # Requested on the early May bank holiday, Mon 4 May 2026; spring bank holiday 25 May skipped.
    result = stage(policies, "barnet-group", "stage2", "2026-05-04")
    assert result.get("acknowledge_by") == D("2026-05-11")
    assert result.dates["acknowledge_by"].rule.source == "code"
    assert result.get("respond_by") == D("2026-05-18")
    assert result.get("respond_by_max") == D("2026-06-02")


def test_barnet_group_panel_meets_within_20_working_days_of_confirmation(policies):
    assert stage(policies, "barnet-group", "panel", "2026-06-01").get("meeting_by") == D("2026-06-29")


def test_barnet_group_panel_responds_10_working_days_after_the_meeting_extension_to_20(policies):
    result = stage(policies, "barnet-group", "panel", "2026-06-01", meeting="2026-06-15")
    assert result.get("respond_by") == D("2026-06-29")
    assert result.get("respond_by_max") == D("2026-07-13")


def test_barnet_group_panel_is_only_for_homelessness_and_allocations_from_non_tenants(policies):
    eligibility = policies["barnet-group"].stage("panel").eligibility
    assert set(eligibility.categories) == {"homelessness", "housing_allocations"}
    assert set(eligibility.excluded_complainant_types) == {"tenant", "leaseholder"}


# --- bucks -----------------------------------------------------------------------
def test_bucks_stage1_acknowledge_5_target_10_respond_20_working_days_of_receipt(policies):
    # Fri 28 Aug 2026; the summer bank holiday Mon 31 Aug is skipped.
    result = stage(policies, "bucks", "stage1", "2026-08-28")
    assert result.get("acknowledge_by") == D("2026-09-07")
    assert result.get("target_by") == D("2026-09-14")
    assert result.get("respond_by") == D("2026-09-28")
    assert result.get("respond_by_max") is None


def test_bucks_stage2_decision_within_5_and_response_20_working_days_after_the_decision(policies):
    result = stage(policies, "bucks", "stage2", "2026-09-01", acknowledged="2026-09-03")
    assert result.get("acknowledge_by") == D("2026-09-08")
    assert result.get("respond_by") == D("2026-10-01")


def test_bucks_timeliness_no_longer_than_12_weeks_from_receipt_to_resolution(policies):
    assert stage(policies, "bucks", "stage1", "2026-08-28").get("overall_by") == D("2026-11-20")


# --- brighton-hove -----------------------------------------------------------------
def test_brighton_hove_informal_24_hours_is_elapsed_time_across_the_clock_change(policies):
    # Sat 28 Mar 2026 23:30 GMT + 24 hours = Mon 30 Mar 00:30 BST.
    result = instant(policies, "brighton-hove", "informal", "2026-03-28T23:30:00+00:00")
    assert result.get("respond_by") == D("2026-03-30")


def test_brighton_hove_stage1_acknowledge_in_2_and_reply_in_10_working_days_of_receipt(policies):
    result = stage(policies, "brighton-hove", "stage1", "2026-12-24")
    assert result.get("acknowledge_by") == D("2026-12-30")
    assert result.get("respond_by") == D("2027-01-12")


def test_brighton_hove_stage2_acknowledge_2_notify_department_5_conclude_20_working_days_of_request(policies):
    result = stage(policies, "brighton-hove", "stage2", "2026-10-19")
    assert result.get("acknowledge_by") == D("2026-10-21")
    assert result.get("notify_department_by") == D("2026-10-26")
    assert result.get("respond_by") == D("2026-11-16")


def test_brighton_hove_time_limit_runs_from_when_the_complainant_knew(policies):
    limit = policies["brighton-hove"].time_limit
    assert (limit.amount, limit.unit, limit.counted_from, limit.discretion) == (12, "months", "awareness", True)
