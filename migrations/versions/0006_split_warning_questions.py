"""Two warning questions where there was one (saddle numbness; bladder or bowel control), and chest
symptoms for mid-back injections.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("daily_logs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bladder_bowel", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("chest_symptoms", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("daily_logs", schema=None) as batch_op:
        batch_op.drop_column("chest_symptoms")
        batch_op.drop_column("bladder_bowel")
