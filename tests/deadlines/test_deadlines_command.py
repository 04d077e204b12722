"""The ``deadlines`` command's contract, run as other tools run it: a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    "council", "policy_version", "stage", "received_date", "acknowledge_by", "respond_by",
    "respond_by_max", "target_by", "meeting_by", "notify_department_by", "escalate_by", "explanation",
]


def run(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run([sys.executable, "manage.py", "deadlines", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_json_output_has_exactly_the_contract_keys_and_iso_dates():
    done = run("--council", "lbbd", "--stage", "stage1", "--received", "2026-11-02",
               "--acknowledged", "2026-11-04", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == KEYS
    assert data["council"] == "lbbd"
    assert data["received_date"] == "2026-11-02"
    assert data["respond_by"] == "2026-11-18"
    assert data["respond_by_max"] == "2026-12-02"
    assert data["target_by"] is None and data["meeting_by"] is None
    assert all(isinstance(line, str) for line in data["explanation"]) and len(data["explanation"]) >= 3


def test_received_date_time_with_offset_uses_the_london_date():
    done = run("--council", "barnet", "--stage", "stage1", "--received", "2026-03-29T23:30:00Z", "--json")
    assert json.loads(done.stdout)["received_date"] == "2026-03-30"


def test_received_date_time_without_offset_is_london_time():
    # 00:30 on 25 Oct 2026 London time is still 24 Oct in UTC, but the London date is the 25th.
    done = run("--council", "barnet", "--stage", "stage1", "--received", "2026-10-25T00:30", "--json")
    assert json.loads(done.stdout)["received_date"] == "2026-10-25"


def test_panel_meeting_date_moves_the_response_deadline():
    done = run("--council", "barnet-group", "--stage", "panel", "--received", "2026-06-01",
               "--meeting", "2026-06-15", "--json")
    data = json.loads(done.stdout)
    assert (data["meeting_by"], data["respond_by"], data["respond_by_max"]) == ("2026-06-29", "2026-06-29", "2026-07-13")


def test_readable_output_lists_each_date_and_the_explanation():
    done = run("--council", "bucks", "--stage", "stage1", "--received", "2026-08-28")
    assert done.returncode == 0
    assert "respond_by: 2026-09-28" in done.stdout
    assert "target_by: 2026-09-14" in done.stdout
    assert "12 weeks" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--council", "camden", "--stage", "stage1", "--received", "2026-01-05"], "unknown council 'camden'"),
        (["--council", "bucks", "--stage", "panel", "--received", "2026-01-05"], "bucks has no panel stage"),
        (["--council", "bucks", "--stage", "stage9", "--received", "2026-01-05"], "unknown stage 'stage9'"),
        (["--council", "bucks", "--stage", "stage1", "--received", "2026-02-30"], "--received '2026-02-30' is not a date"),
        (["--council", "bucks", "--stage", "stage1", "--received", "yesterday"], "--received 'yesterday' is not a date"),
        (["--council", "bucks", "--stage", "stage1", "--received", "2026-01-05", "--acknowledged", "5/1/2026"],
         "--acknowledged '5/1/2026' is not a date"),
        (["--council", "bucks", "--stage", "stage1", "--received", "2026-01-05", "--acknowledged", "2026-01-02"],
         "acknowledged date 2026-01-02 is before the received date 2026-01-05"),
        (["--council", "bucks", "--stage", "stage1", "--received", "2026-01-05", "--meeting", "2026-01-09"],
         "--meeting applies only to a stage with a meeting"),
        (["--council", "bucks", "--received", "2026-01-05"], "required: --stage"),
        (["--council", "bucks", "--stage", "stage1", "--received", "3026-01-05"], "outside the working-day calendar"),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr(args, message):
    done = run(*args, "--json")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0]
    assert done.stdout == ""
