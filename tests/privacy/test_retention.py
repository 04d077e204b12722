"""The retention run end to end: dry run, real run, audit, idempotence, concurrency, reports, command, task."""

import dataclasses
import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from complaints.models import Complaint
from complaints.privacy.models import RetentionRecord, RetentionRun, Trigger
from complaints.privacy.retention import retention_apply, retention_plan
from complaints.privacy.retention_rules import retention_rule
from complaints.reports.selectors import annual_report
from complaints.services.intake import complaint_triage
from deadlines.calendar import add_years
from tests.factories import council, make_complaint
from tests.privacy.conftest import NAME, at, closed_case, officer_of
from tests.reports.scenario import build_barnet_2026

D = dt.date.fromisoformat
SLUGS = ["barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"]
INSIDE_CLOSED_ON = D("2026-05-12")  # closed this day: kept exactly until the anniversary


def as_of_for(slug: str) -> dt.date:
    """The anniversary of INSIDE_CLOSED_ON under the council's rule: its last day of retention."""
    return add_years(INSIDE_CLOSED_ON, retention_rule(council=council(slug), on=D("2036-01-01")).years)


def report_counts(slug: str, year: int = 2026) -> dict:
    report = annual_report(council=council(slug), year=year)
    return {"totals": dataclasses.asdict(report.totals),
            "refusals": [(r["refusal_reason"], r["count"]) for r in report.refusal_reasons],
            "learning": [(r["learning_points"], r["count"]) for r in report.learning_points],
            "actions": [(r["description"], r["count"]) for r in report.completed_actions],
            "feedback": [(f["kind"], f["text"]) for f in report.feedback]}


def names_in_history(case: Complaint) -> bool:
    return any(NAME in f"{row.summary} {row.complainant_words} {row.history_change_reason}"
               for row in Complaint.history.model.objects.filter(id=case.pk))


@pytest.fixture
def seeded(clock, db):
    """Per council: one case closed a day before INSIDE_CLOSED_ON (past retention on as_of), one closed on it."""
    cases = {}
    for slug in SLUGS:
        cases[slug] = (closed_case(clock, slug, INSIDE_CLOSED_ON - dt.timedelta(days=1)),
                       closed_case(clock, slug, INSIDE_CLOSED_ON))
    return cases


@pytest.mark.django_db
def test_each_council_end_to_end_dry_run_then_real_run(seeded):
    before = {slug: report_counts(slug) for slug in SLUGS}
    for slug, (old, inside) in seeded.items():
        as_of = as_of_for(slug)
        plan = retention_plan(council=council(slug), as_of=as_of)
        assert [m.complaint.reference for m in plan.due] == [old.reference], slug
        assert plan.held == [] and plan.feedback == []
        [due] = plan.due
        rule = retention_rule(council=council(slug), on=as_of)
        assert (due.rule.words, due.counted_from, due.retain_until) == (
            rule.words, INSIDE_CLOSED_ON - dt.timedelta(days=1), as_of - dt.timedelta(days=1))
        assert not RetentionRun.objects.filter(council__slug=slug).exists()  # the dry run wrote nothing
        assert names_in_history(old)

        run = retention_apply(council=council(slug), trigger=Trigger.COMMAND, as_of=as_of)
        assert (run.anonymised, run.held, run.skipped_locked, run.failed, run.finished_at is not None) == (
        1, 0, 0, 0, True)
        [record] = run.records.all()
        assert (record.reference, record.rule, record.source) == (old.reference, rule.words, rule.citation)
        old, inside = Complaint.objects.get(pk=old.pk), Complaint.objects.get(pk=inside.pk)
        assert (old.complainant.name, inside.complainant.name) == ("", NAME)
        assert not names_in_history(old) and names_in_history(inside)
    assert {slug: report_counts(slug) for slug in SLUGS} == before


@pytest.mark.django_db
def test_a_second_run_changes_nothing(seeded):
    retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=as_of_for("bucks"))
    old = Complaint.objects.get(pk=seeded["bucks"][0].pk)
    again = retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=as_of_for("bucks"))
    assert (again.anonymised, again.records.count()) == (0, 0)
    assert Complaint.objects.get(pk=old.pk).version == old.version
    assert RetentionRecord.objects.filter(complaint=old).count() == 1


@pytest.mark.django_db
def test_open_cases_and_cases_inside_retention_are_never_touched(clock):
    clock.set(at(D("2026-01-05")))
    still_open = complaint_triage(complaint=make_complaint("bucks", "2026-01-05T10:00"), by=officer_of("bucks"),
                                  route="stage1", at=at(D("2026-01-05")))
    inside = closed_case(clock, "bucks", D("2026-06-01"))
    before = {c.pk: Complaint.objects.filter(pk=c.pk).values().get() for c in (still_open, inside)}
    run = retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=D("2032-06-01"))
    assert run.anonymised == 0
    assert {pk: Complaint.objects.filter(pk=pk).values().get() for pk in before} == before


@pytest.mark.django_db
def test_the_annual_report_of_a_full_year_counts_the_same_after_anonymisation(clock):
    clock.set(at(D("2026-12-01")))
    scenario = build_barnet_2026()  # built on the clock's day: every closure is dated 1 December 2026
    before = report_counts("barnet")
    run = retention_apply(council=council("barnet"), trigger=Trigger.COMMAND, as_of=D("2036-12-02"))
    anonymised = set(run.records.filter(complaint__isnull=False).values_list("reference", flat=True))
    assert run.records.filter(feedback__isnull=False).count() == 4
    # Closed B and H, the three refusals, the service request and withdrawn F; not A (with the Ombudsman,
    # no decision), C and G (answered, still open), nor LBBD's case.
    assert len(anonymised) == 7
    assert {scenario.cases[k].reference for k in "BHF"} <= anonymised
    assert not {scenario.cases[k].reference for k in "ACG"} & anonymised
    assert report_counts("barnet") == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("held_row", ["case", "complainant"])
def test_a_case_locked_by_someone_else_is_left_for_the_next_run(clock, held_row):
    from complaints.models import Complainant

    old = closed_case(clock, "bucks", D("2026-03-03"))
    other = closed_case(clock, "bucks", D("2026-03-04"))
    locked, release, done = threading.Event(), threading.Event(), threading.Event()

    def officer_holds_the_case():
        try:
            with transaction.atomic():
                if held_row == "case":
                    Complaint.objects.select_for_update().get(pk=old.pk)
                else:  # e.g. a rectification in progress
                    Complainant.objects.select_for_update().get(pk=old.complainant_id)
                locked.set()
                release.wait(30)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=officer_holds_the_case)
    thread.start()
    assert locked.wait(30)
    try:
        first = retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=D("2032-03-10"))
    finally:
        release.set()
        thread.join(30)
    assert (first.anonymised, first.skipped_locked) == (1, 1)
    assert list(first.records.values_list("reference", flat=True)) == [other.reference]
    second = retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=D("2032-03-10"))
    assert list(second.records.values_list("reference", flat=True)) == [old.reference]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_anonymise_each_case_once(clock):
    cases = [closed_case(clock, "brighton-hove", D("2026-03-02") + dt.timedelta(days=i)) for i in range(6)]
    runs, errors, start = [], [], threading.Barrier(2)

    def run_retention():
        try:
            start.wait(30)
            runs.append(retention_apply(council=council("brighton-hove"), trigger=Trigger.BEAT,
                                        as_of=D("2032-04-01")))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_retention) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(run.anonymised for run in runs) == len(cases)
    assert sorted(RetentionRecord.objects.values_list("reference", flat=True)) == sorted(c.reference for c in cases)
    for case in cases:
        reasons = Complaint.history.model.objects.filter(id=case.pk).values_list("history_change_reason", flat=True)
        assert sum(1 for reason in reasons if reason.startswith("anonymised")) == 1


@pytest.mark.django_db
def test_a_case_that_cannot_be_anonymised_is_rolled_back_logged_and_the_run_goes_on(clock, monkeypatch, caplog):
    from complaints.privacy import retention

    broken = closed_case(clock, "bucks", D("2026-03-03"))
    fine = closed_case(clock, "bucks", D("2026-03-04"))
    real = retention.complaint_anonymise

    def anonymise(*, case, by, reason):
        result = real(case=case, by=by, reason=reason)
        if case.pk == broken.pk:
            raise RuntimeError("storage unavailable")
        return result

    monkeypatch.setattr(retention, "complaint_anonymise", anonymise)
    run = retention_apply(council=council("bucks"), trigger=Trigger.COMMAND, as_of=D("2032-03-10"))
    assert (run.anonymised, run.failed) == (1, 1)
    assert list(run.records.values_list("reference", flat=True)) == [fine.reference]
    assert Complaint.objects.get(pk=broken.pk).complainant.name == NAME  # rolled back whole
    [logged] = [r for r in caplog.records if r.getMessage() == "retention could not anonymise a case"]
    assert (logged.complaint_id, logged.error) == (broken.pk, "RuntimeError")


@pytest.mark.django_db
def test_the_command_dry_run_lists_and_the_real_run_reports(seeded, capsys):
    old, inside = seeded["lbbd"]
    call_command("apply_retention", "--council", "lbbd", "--dry-run", "--as-of", as_of_for("lbbd").isoformat())
    out = capsys.readouterr().out
    assert (f"  {old.reference}: 7 years after the case is finalised (Barking and Dagenham Council policy 2024.1, "
            f"section 11); counted from 2026-05-11, kept until 2033-05-11") in out.splitlines()
    assert inside.reference not in out
    assert not RetentionRun.objects.exists()
    call_command("apply_retention", "--council", "lbbd", "--as-of", as_of_for("lbbd").isoformat())
    assert "lbbd: anonymised 1, held back 0" in capsys.readouterr().out
    assert RetentionRun.objects.get().trigger == Trigger.COMMAND


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_council_or_date(loaded_policies):
    with pytest.raises(CommandError, match="No council with slug 'nowhere'; known: barnet, barnet-group"):
        call_command("apply_retention", "--council", "nowhere")
    with pytest.raises(CommandError, match="--as-of must be a date like 2036-03-04, got '4/3/2036'"):
        call_command("apply_retention", "--as-of", "4/3/2036")


@pytest.mark.django_db
def test_the_nightly_task_runs_every_council_as_of_today(seeded, clock):
    from complaints.privacy.tasks import apply_retention

    clock.set(at(as_of_for("bucks")))  # Bucks, Brighton & Hove and the Barnet Group share the 6-year rule
    assert apply_retention.apply().get() == 3
    assert sorted(RetentionRun.objects.values_list("council__slug", "anonymised")) == [
        ("barnet", 0), ("barnet-group", 1), ("brighton-hove", 1), ("bucks", 1), ("lbbd", 0)]
    assert set(RetentionRun.objects.values_list("trigger", "run_by")) == {(Trigger.BEAT, None)}


def test_the_beat_schedule_runs_retention_nightly():
    from celery.schedules import crontab

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=2, minute=30)
    assert "args" not in entry and "kwargs" not in entry  # nothing personal is ever queued
