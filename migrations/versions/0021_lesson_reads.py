"""lessons by phase: which lesson each patient has read, and when

A lesson is read when the patient taps "Got it" on it (app/patient/learn.py); the therapist's
record of the patient lists them. One row per patient and lesson, at the first reading.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lesson_reads",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("lesson", sa.String(length=32), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["users.id"], name=op.f("fk_lesson_reads_patient_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("patient_id", "lesson", name=op.f("pk_lesson_reads")),
    )


def downgrade():
    op.drop_table("lesson_reads")
