"""``load_policies``: idempotent, all-or-nothing, versioned."""

import datetime as dt
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from policies.models import Council, PolicyVersion
from policies.selectors import NoPolicyInForce, policy_version_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy_dir(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(settings.POLICY_DIR, folder)
    return folder


def test_loading_creates_one_council_and_one_version_per_policy(capsys):
    call_command("load_policies")
    assert set(Council.objects.values_list("slug", flat=True)) == {"barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"}
    assert PolicyVersion.objects.count() == 5
    assert "barnet 2024.1: created" in capsys.readouterr().out


def test_loading_twice_changes_nothing(capsys):
    call_command("load_policies")
    first = list(PolicyVersion.objects.values_list("id", "sha256"))
    capsys.readouterr()
    call_command("load_policies")
    assert list(PolicyVersion.objects.values_list("id", "sha256")) == first
    assert capsys.readouterr().out.count(": unchanged") == 5


def test_a_bad_file_loads_nothing_at_all(policy_dir, capsys):
    path = policy_dir / "lbbd.toml"
    path.write_text(path.read_text().replace("[retention]\n", "[retention]\nnonsense = true\n"))
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_policies", dir=policy_dir)
    assert "lbbd.toml: retention.nonsense: Extra inputs are not permitted" in capsys.readouterr().err
    assert Council.objects.count() == 0 and PolicyVersion.objects.count() == 0


def test_changed_content_under_a_loaded_version_id_is_refused(policy_dir):
    call_command("load_policies", dir=policy_dir)
    path = policy_dir / "bucks.toml"
    path.write_text(path.read_text().replace('amount = 20, unit = "working_days", from = "receipt"',
                                             'amount = 15, unit = "working_days", from = "receipt"', 1))
    with pytest.raises(CommandError, match="already loaded with different content"):
        call_command("load_policies", dir=policy_dir)
    assert PolicyVersion.objects.get(council__slug="bucks").policy.stage("stage1").respond.amount == 20


def test_a_new_version_applies_to_cases_received_from_its_effective_date_only(policy_dir):
    call_command("load_policies", dir=policy_dir)
    path = policy_dir / "bucks.toml"
    text = path.read_text()
    text = text.replace('amount = 20, unit = "working_days", from = "receipt"',
                        'amount = 10, unit = "working_days", from = "receipt"', 1)
    text = text.replace('id = "2019.04"', 'id = "2027.01"').replace("effective_from = 2019-04-01", "effective_from = 2027-01-01")
    path.write_text(text)
    call_command("load_policies", dir=policy_dir)
    bucks = Council.objects.get(slug="bucks")
    assert bucks.policy_versions.count() == 2
    old = policy_version_in_force(council=bucks, on=dt.date(2026, 12, 31))
    new = policy_version_in_force(council=bucks, on=dt.date(2027, 1, 1))
    assert (old.version_id, old.policy.stage("stage1").respond.amount) == ("2019.04", 20)
    assert (new.version_id, new.policy.stage("stage1").respond.amount) == ("2027.01", 10)


def test_no_version_in_force_before_the_first_effective_date():
    call_command("load_policies")
    with pytest.raises(NoPolicyInForce):
        policy_version_in_force(council=Council.objects.get(slug="bucks"), on=dt.date(2019, 3, 31))
