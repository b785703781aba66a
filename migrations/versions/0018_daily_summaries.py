"""The read model kept by the writes: per treatment and day one summary row, per treatment its
running figures (app/models/summaries.py), filled from the existing rows by the same rebuild
`flask summaries rebuild` runs.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

WEEKS = range(1, 13)


def counter(name):
    return sa.Column(name, sa.Integer(), server_default="0", nullable=False)


def flag(name):
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade():
    op.create_table(
        "daily_summaries",
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        flag("logged"),
        sa.Column("back_pain", sa.Integer(), nullable=True),
        sa.Column("leg_pain", sa.Integer(), nullable=True),
        flag("nsaid"),
        counter("sessions_due"),
        counter("sessions_done"),
        flag("answered"),
        flag("data_day"),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_daily_summaries_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatments.id"],
            name=op.f("fk_daily_summaries_treatment_id_treatments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("treatment_id", "day", name=op.f("pk_daily_summaries")),
    )
    op.create_index("ix_daily_summaries_day", "daily_summaries", ["day"], unique=False)
    op.create_table(
        "treatment_summaries",
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column("first_data_day", sa.Date(), nullable=True),
        sa.Column("last_log_day", sa.Date(), nullable=True),
        sa.Column("last_data_day", sa.Date(), nullable=True),
        counter("pre_pain_sum"),
        counter("pre_pain_count"),
        *(
            column
            for week in WEEKS
            for column in (counter(f"pain_sum_{week}"), counter(f"pain_count_{week}"))
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatments.id"],
            name=op.f("fk_treatment_summaries_treatment_id_treatments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("treatment_id", name=op.f("pk_treatment_summaries")),
    )
    from app.models.summaries import OUTCOME_COLUMNS
    from app.services.summaries.store import rebuild

    # Without the columns later migrations add (0027 the revision, 0029 the last monitoring day,
    # 0030 the outcome figures, which read a questionnaire column 0030 adds too).
    rebuild(op.get_bind(), leave_out=("revision", "last_monitoring_day", *OUTCOME_COLUMNS))


def downgrade():
    op.drop_table("treatment_summaries")
    op.drop_index("ix_daily_summaries_day", table_name="daily_summaries")
    op.drop_table("daily_summaries")
