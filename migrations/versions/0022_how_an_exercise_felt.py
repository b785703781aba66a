"""how an exercise felt: the patient's answer per session tick, and its run per plan item

After a tick the patient may answer "How did that feel?" (easier than last time, about right,
harder, it hurt more; app/care/feelings.py). The answer lives on the tick, so undoing the tick
takes it away. Each plan item keeps the run at the end of its answers (which answer, how many
times in a row, the day of the latest), so the therapist's dashboard reads "it hurt more twice in
a row" with the plan instead of every answer.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

KNOWN = "feeling IN ('easier', 'right', 'harder', 'hurt')"


def upgrade():
    with op.batch_alter_table("exercise_ticks") as batch:
        batch.add_column(sa.Column("feeling", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("felt_at", sa.DateTime(), nullable=True))
        batch.create_check_constraint(op.f("ck_exercise_ticks_feeling_known"), KNOWN)
    with op.batch_alter_table("plan_items") as batch:
        batch.add_column(sa.Column("feeling_run", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("feeling_run_length", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("feeling_run_day", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("plan_items") as batch:
        batch.drop_column("feeling_run_day")
        batch.drop_column("feeling_run_length")
        batch.drop_column("feeling_run")
    with op.batch_alter_table("exercise_ticks") as batch:
        batch.drop_constraint(op.f("ck_exercise_ticks_feeling_known"), type_="check")
        batch.drop_column("felt_at")
        batch.drop_column("feeling")
