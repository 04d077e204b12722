"""The run command's demo logins: one per role per council, passwords that work."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from complaints.models import StaffMember, StaffRole
from complaints.services.demo import demo_logins_reset

pytestmark = pytest.mark.django_db


def test_one_login_per_role_per_council_plus_a_system_administrator(loaded_policies):
    logins = demo_logins_reset()
    assert len(logins) == 5 * len(StaffRole) + 1
    assert StaffMember.objects.filter(council__slug="bucks").count() == len(StaffRole)
    for login in logins:
        assert authenticate(username=login.username, password=login.password) is not None


def test_running_again_resets_passwords_without_duplicating_users(loaded_policies):
    first = {login.username: login.password for login in demo_logins_reset()}
    second = {login.username: login.password for login in demo_logins_reset()}
    assert first.keys() == second.keys()
    assert all(first[name] != second[name] for name in first)
    assert authenticate(username="lbbd-manager", password=first["lbbd-manager"]) is None
    assert authenticate(username="lbbd-manager", password=second["lbbd-manager"]) is not None


def test_the_command_refuses_when_debug_is_off(loaded_policies, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("seed_demo_logins")
