"""last monitoring day: the month report finds its patients from the running figures

A treatment has days with monitoring data between two dates when its first such day (kept since
0018) or its last one (this column) falls between them, or when they lie either side and one of its
daily rows says so. The month report counted the patients with something to report by reading every
daily row of the 60 days around the month (800,000 rows at 50,000 patients); for the month in
progress the two days decide it alone.

Revision ID: 0029_last_monitoring_day
Revises: 0028_hurt_runs_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_last_monitoring_day"
down_revision = "0028_hurt_runs_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("treatment_summaries") as table:
        table.add_column(sa.Column("last_monitoring_day", sa.Date(), nullable=True))
    op.execute(
        "UPDATE treatment_summaries SET last_monitoring_day = ("
        " SELECT max(day) FROM daily_summaries"
        " WHERE daily_summaries.treatment_id = treatment_summaries.treatment_id"
        " AND daily_summaries.data_day)"
    )


def downgrade():
    with op.batch_alter_table("treatment_summaries") as table:
        table.drop_column("last_monitoring_day")
