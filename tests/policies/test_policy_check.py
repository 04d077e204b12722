"""``policy_check``: each policy's departures from the Complaint Handling Codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

from policies.departures import policy_departures

ROOT = Path(__file__).resolve().parents[2]


def rules(policies, slug):
    return {(d.stage, d.rule) for d in policy_departures(policies[slug])}


def test_bucks_20_working_day_stage1_response_is_a_departure(policies):
    [departure] = [d for d in policy_departures(policies["bucks"]) if (d.stage, d.rule) == ("stage1", "respond")]
    assert "20 working days of receipt" in departure.policy_says
    assert "10 working days of acknowledgement" in departure.code_requires
    assert departure.policy_source == "Stage 1"


def test_barnet_48_hour_informal_stage_is_a_departure(policies):
    [departure] = [d for d in policy_departures(policies["barnet"]) if d.rule == "informal_stage"]
    assert "48 hours of receipt" in departure.policy_says
    assert departure.policy_source == "1.24"


def test_barnet_group_8_week_ombudsman_wait_is_flagged_as_out_of_date(policies):
    [departure] = [d for d in policy_departures(policies["barnet-group"]) if d.rule == "ombudsman_access"]
    assert "eight weeks" in departure.policy_says
    assert "1 October 2022" in departure.code_requires


def test_barnet_group_panel_is_a_third_stage(policies):
    assert ("panel", "third_stage") in rules(policies, "barnet-group")


def test_uncapped_extensions_are_departures_capped_ones_within_the_code_are_not(policies):
    assert ("stage1", "extension") in rules(policies, "barnet")
    assert ("stage1", "extension") not in rules(policies, "lbbd")
    assert ("stage2", "extension") not in rules(policies, "lbbd")
    assert ("stage1", "extension") not in rules(policies, "barnet-group")


def test_lbbd_timescales_match_the_code(policies):
    found = rules(policies, "lbbd")
    for stage in ("stage1", "stage2"):
        for rule in ("acknowledge", "respond", "extension", "independent_reviewer"):
            assert (stage, rule) not in found


def test_a_stricter_policy_is_not_a_departure(policies):
    # Brighton & Hove acknowledges in 2 working days and answers Stage 1 in 10 of receipt.
    found = rules(policies, "brighton-hove")
    assert ("stage1", "acknowledge") not in found and ("stage1", "respond") not in found


def run(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run([sys.executable, "manage.py", "policy_check", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_command_json_lists_every_policy_with_its_departures(policies):
    done = run("--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert [p["council"] for p in data["policies"]] == sorted(policies)
    bucks = next(p for p in data["policies"] if p["council"] == "bucks")
    assert len(bucks["departures"]) == len(policy_departures(policies["bucks"]))
    assert set(bucks["departures"][0]) == {"slug", "stage", "rule", "policy_says", "policy_source",
                                           "code_requires", "code_reference"}


def test_command_text_for_one_council():
    done = run("barnet")
    assert done.returncode == 0
    assert done.stdout.startswith("London Borough of Barnet (barnet, version 2024.1):")
    assert "Informal resolution: an informal stage" in done.stdout


def test_command_unknown_council_exits_2_with_one_line():
    done = run("camden")
    assert done.returncode == 2
    assert done.stderr.strip() == "CommandError: unknown council 'camden'; known councils: barnet, barnet-group, brighton-hove, bucks, lbbd"
