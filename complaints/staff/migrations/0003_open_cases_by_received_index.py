"""An index for the case list: a council's open cases in received order.

The case list shows the open cases with no deadline running after the others,
oldest received first (complaints.staff.queries). Walking the (council,
received) index to find them skips every closed case received earlier, so the
first page cost time in proportion to the council's closed cases. This partial
index holds the open cases only. It is on the complaints table but serves this
app's query, so it is created here with SQL (PostgreSQL and SQLite alike);
``Complaint.Meta.indexes`` would be its natural home if that model takes it.

The states are OPEN as of this migration: a new open state needs a new index.
"""

from django.db import migrations

OPEN_STATES = ("new", "informal", "stage1", "stage2", "panel", "stage1_responded", "stage2_responded",
               "panel_responded", "on_hold")
NAME = "staff_open_case_received"


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0002_letter_template_files"),
        ("complaints", "0003_deadline_warnings_notifications"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "complaints_complaint" ("council_id", "received_at", "id") '
                 f"WHERE \"state\" IN ({', '.join(repr(state) for state in OPEN_STATES)})"),
            reverse_sql=f'DROP INDEX IF EXISTS "{NAME}"',
        ),
    ]
