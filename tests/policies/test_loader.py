"""Policy files are validated on load: a bad file is refused with file, key and reason."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from policies.loader import PolicyFileError, read_policy_dir, read_policy_file

SLUGS = {"barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"}


@pytest.fixture
def policy_dir(tmp_path) -> Path:
    folder = tmp_path / "policies"
    shutil.copytree(settings.POLICY_DIR, folder)
    return folder


def edit(folder: Path, slug: str, old: str, new: str) -> Path:
    path = folder / f"{slug}.toml"
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))
    return path


def problems_of(folder):
    with pytest.raises(PolicyFileError) as caught:
        read_policy_dir(folder)
    return caught.value.problems


def test_all_five_policies_load_and_validate():
    loaded = read_policy_dir()
    assert set(loaded) == SLUGS
    for slug, item in loaded.items():
        assert item.policy.slug == slug
        assert len(item.sha256) == 64


def test_every_time_rule_names_its_source(policies):
    for policy in policies.values():
        for stage in policy.stages:
            for field in ("acknowledge", "respond", "target", "meeting", "notify_department", "escalation_window"):
                rule = getattr(stage, field)
                if rule is not None:
                    assert rule.source.strip(), f"{policy.slug} {stage.key}.{field} has no source"


def test_a_number_out_of_range_is_reported_with_file_key_and_reason(policy_dir):
    path = edit(policy_dir, "bucks", 'acknowledge = { amount = 5,', 'acknowledge = { amount = 0,')
    [problem] = problems_of(policy_dir)
    assert problem.file == str(path)
    assert problem.key == "stages[0].acknowledge.amount"
    assert "greater than 0" in problem.reason


def test_an_unknown_key_is_refused_not_ignored(policy_dir):
    edit(policy_dir, "barnet", "[retention]\n", "[retention]\nyeers = 3\n")
    [problem] = problems_of(policy_dir)
    assert problem.key == "retention.yeers"
    assert "Extra inputs are not permitted" in problem.reason


def test_an_unknown_time_unit_is_refused(policy_dir):
    edit(policy_dir, "lbbd", 'unit = "working_days", from = "receipt"', 'unit = "fortnights", from = "receipt"')
    [problem] = problems_of(policy_dir)
    assert problem.key == "stages[0].acknowledge.unit"


def test_a_rule_counted_from_another_stages_start_is_refused(policy_dir):
    edit(policy_dir, "bucks", 'respond = { amount = 20, unit = "working_days", from = "receipt"',
         'respond = { amount = 20, unit = "working_days", from = "confirmation"')
    [problem] = problems_of(policy_dir)
    assert problem.key == "stages[0]"
    assert "may only count from" in problem.reason


def test_a_rule_counted_from_a_meeting_the_stage_does_not_have_is_refused(policy_dir):
    edit(policy_dir, "bucks", 'respond = { amount = 20, unit = "working_days", from = "receipt"',
         'respond = { amount = 20, unit = "working_days", from = "meeting"')
    [problem] = problems_of(policy_dir)
    assert "the stage has no meeting rule" in problem.reason


def test_a_toml_syntax_error_names_the_line(policy_dir):
    path = edit(policy_dir, "barnet", 'name = "London Borough of Barnet"', 'name = "London Borough of Barnet')
    [problem] = problems_of(policy_dir)
    assert (problem.file, problem.key) == (str(path), "(syntax)")
    assert "line" in problem.reason


def test_a_file_whose_slug_does_not_match_its_name_is_refused(policy_dir):
    edit(policy_dir, "bucks", 'slug = "bucks"', 'slug = "buckinghamshire"')
    [problem] = problems_of(policy_dir)
    assert problem.key == "slug" and "does not match the file name" in problem.reason


def test_two_bad_files_are_both_reported(policy_dir):
    edit(policy_dir, "bucks", 'acknowledge = { amount = 5,', 'acknowledge = { amount = -1,')
    edit(policy_dir, "lbbd", "[retention]\n", "[retention]\nbogus = 1\n")
    files = {Path(problem.file).name for problem in problems_of(policy_dir)}
    assert files == {"bucks.toml", "lbbd.toml"}


def test_a_reference_prefix_used_twice_is_refused(policy_dir):
    edit(policy_dir, "bucks", 'reference_prefix = "BCC"', 'reference_prefix = "BAR"')
    [problem] = problems_of(policy_dir)
    assert problem.key == "reference_prefix"


def test_reading_one_file_returns_a_typed_policy(policy_dir):
    item = read_policy_file(policy_dir / "barnet-group.toml")
    assert item.policy.stage_keys == ["stage1", "stage2", "panel"]
    assert item.policy.stage("stage2").acknowledge.source == "code"
