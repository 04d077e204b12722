"""Shared fixtures. Tests run against the real PostgreSQL and Redis (see bin/test)."""

import pytest
from django.core.management import call_command

from policies.loader import policy_registry


@pytest.fixture(scope="session")
def policies():
    """The five validated council policies, by slug."""
    return policy_registry()


@pytest.fixture
def loaded_policies(db):
    """Policies loaded into the database, as the run command does."""
    call_command("load_policies", verbosity=0)
