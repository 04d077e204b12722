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


# --- Browser tests: Debian's Chromium, headless (Playwright cannot download a browser here) ---
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import os

    return {**browser_type_launch_args, "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}
