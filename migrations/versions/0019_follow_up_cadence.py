"""after week 12: how often the patient logs

The 12-week programme ends with a review; after it the pain log is asked once a week unless the
patient chooses every day again (app/care/follow_up.py). Existing courses get the weekly default.

Revision ID: 0019
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("treatments") as batch:
        batch.add_column(sa.Column("log_every_days", sa.Integer(), nullable=False, server_default="7"))
        batch.create_check_constraint(op.f("ck_treatments_log_every_days_known"), "log_every_days IN (1, 7)")


def downgrade():
    with op.batch_alter_table("treatments") as batch:
        batch.drop_constraint("ck_treatments_log_every_days_known", type_="check")
        batch.drop_column("log_every_days")
