"""hurt runs index: the plan items whose answers say "it hurt more" in a row, by treatment

The therapist dashboard asks, for every patient of the caseload, whether an exercise hurt more
twice in a row lately. That read every plan item of every patient (about 30 each); a partial index
holds only the items whose run is "hurt", so the answer for most patients is an empty index range
(SQLite, 200 patients: 5.9 -> 0.8 ms).

Revision ID: 0028_hurt_runs_index
Revises: 0027_summary_revision
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_hurt_runs_index"
down_revision = "0027_summary_revision"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_plan_items_hurt_runs",
        "plan_items",
        ["treatment_id"],
        sqlite_where=sa.text("feeling_run = 'hurt'"),
        postgresql_where=sa.text("feeling_run = 'hurt'"),
    )


def downgrade():
    op.drop_index("ix_plan_items_hurt_runs", table_name="plan_items")
