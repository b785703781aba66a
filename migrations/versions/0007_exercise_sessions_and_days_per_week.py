"""Exercises prescribed on N days a week, and one tick per session (N times a day).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("days_per_week", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_plan_items_days_per_week_range"), "days_per_week BETWEEN 1 AND 7"
        )
    with op.batch_alter_table("exercise_ticks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session", sa.Integer(), server_default="1", nullable=False))
        batch_op.drop_constraint("uq_exercise_ticks_item_day", type_="unique")
        batch_op.create_unique_constraint(
            "uq_exercise_ticks_item_day_session", ["plan_item_id", "day", "session"]
        )
        batch_op.create_check_constraint(op.f("ck_exercise_ticks_session_range"), "session BETWEEN 1 AND 10")


def downgrade():
    with op.batch_alter_table("exercise_ticks", schema=None) as batch_op:
        batch_op.drop_constraint("ck_exercise_ticks_session_range", type_="check")
        batch_op.drop_constraint("uq_exercise_ticks_item_day_session", type_="unique")
        batch_op.execute("DELETE FROM exercise_ticks WHERE session > 1")
        batch_op.create_unique_constraint("uq_exercise_ticks_item_day", ["plan_item_id", "day"])
        batch_op.drop_column("session")
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.drop_constraint("ck_plan_items_days_per_week_range", type_="check")
        batch_op.drop_column("days_per_week")
