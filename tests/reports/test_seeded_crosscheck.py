"""On seeded demo data (every state, every council), the SQL figures equal a row-by-row count."""

import pytest

from complaints.services.seeding import SeedOptions, seed_demo
from tests.reports.crosscheck import TODAY, figures

pytestmark = pytest.mark.django_db


def test_seeded_figures_match_a_row_by_row_count(loaded_policies):
    seed_demo(SeedOptions(complaints=600, seed=11, today=TODAY))
    result = figures()
    for slug, found in result.items():
        assert found["sql"] == found["python"], slug
    assert sum(found["answered"] for found in result.values()) > 50
    assert sum(found["python"][5] for found in result.values()) > 20  # overdue cases
    assert sum(found["python"][8] for found in result.values()) > 0  # cases due in the next 2 working days
