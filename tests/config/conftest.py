"""Fixtures for the container files' tests: docker-compose.yml as written and as resolved."""

import pytest
import yaml

from tests.config.container_files import COMPOSE_FILE, INTERPOLATION_ENV, interpolate


@pytest.fixture(scope="module")
def compose() -> dict:
    """docker-compose.yml as written (anchors and merge keys resolved by YAML)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def resolved(compose) -> dict:
    """docker-compose.yml after compose's variable substitution with test values."""
    return interpolate(compose, INTERPOLATION_ENV)


@pytest.fixture(scope="module")
def services(resolved) -> dict:
    return resolved["services"]
