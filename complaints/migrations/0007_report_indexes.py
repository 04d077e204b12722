"""Indexes for the reports, and the case list's open-cases index declared on its model.

Report indexes. The annual and quarterly reports and the trends count the stages started and
answered, and the outcomes given, in a period. On a seeded database (100,000 complaints over
about two years, ``VACUUM ANALYZE``; ``EXPLAIN (ANALYZE, BUFFERS)`` of every selector query, with
and without each candidate) PostgreSQL used each of these for the annual and the quarterly
report and read fewer pages: stages started 26% fewer for a year and 40% for a quarter,
outcomes 33% and 50%, stages answered 3% and 12% (that query's cost is mostly its join to the
cases). The twelve-month trends still read the tables whole, as they should at that share of
the rows. An index on ``Action.completed_at`` was also tried and left out: the planner used it,
but the actions table is small and the queries' cost is their join to outcomes and cases
(2-4% fewer pages, no faster).

The open-cases index. ``staff_open_case_received`` (a council's open cases in received order)
was created with SQL by staff migration 0003, so no model declared it and a change to
``OPEN`` would not have been noticed. It is now in ``Complaint.Meta.indexes``. Here it is
added to the migration *state* only (``SeparateDatabaseAndState``): every database that has
reached this migration already has the index, built by staff 0003 with the same columns and
condition (this migration depends on it), so existing databases are not touched - no drop and
rebuild that would lock the complaints table - and new ones still get it from staff 0003.
From now on a change to the index (a new open state) is an ordinary migration that Django
writes. The states are ``OPEN`` as of this migration, in its order.
"""

from django.db import migrations, models

OPEN_STATES = ["new", "informal", "stage1", "stage2", "panel", "stage1_responded", "stage2_responded",
               "panel_responded", "on_hold"]


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0006_notification_backoff"),
        ("staff", "0003_open_cases_by_received_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="casestage",
            index=models.Index(fields=["started_at"], name="case_stage_started"),
        ),
        migrations.AddIndex(
            model_name="casestage",
            index=models.Index(fields=["responded_at"], name="case_stage_responded"),
        ),
        migrations.AddIndex(
            model_name="stageoutcome",
            index=models.Index(fields=["responded_at"], name="stage_outcome_responded"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="complaint",
                    index=models.Index(condition=models.Q(("state__in", OPEN_STATES)),
                                       fields=["council", "received_at", "id"], name="staff_open_case_received"),
                ),
            ],
            database_operations=[],  # staff 0003 created it
        ),
    ]
