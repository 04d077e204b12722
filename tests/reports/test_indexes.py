"""The indexes the reports and the case list read through (complaints migration 0007)."""

import pytest
from django.core.management import call_command
from django.db import connection

from complaints.models import OPEN

pytestmark = pytest.mark.django_db


def index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'complaints_%%'")
        return dict(cursor.fetchall())


def test_report_indexes_are_on_the_period_columns():
    found = index_definitions()
    assert found["case_stage_started"].endswith("ON public.complaints_casestage USING btree (started_at)")
    assert found["case_stage_responded"].endswith("ON public.complaints_casestage USING btree (responded_at)")
    assert found["stage_outcome_responded"].endswith("ON public.complaints_stageoutcome USING btree (responded_at)")


def test_the_open_cases_index_covers_exactly_the_open_states():
    definition = index_definitions()["staff_open_case_received"]
    assert "(council_id, received_at, id) WHERE" in definition
    states = {part.split("'")[1] for part in definition.split("ARRAY[")[1].split("]")[0].split(",")}
    assert states == {str(state) for state in OPEN}


def test_the_models_and_the_migrations_agree():
    """Every index declared on a model is in a migration (makemigrations --check exits 1 otherwise)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
