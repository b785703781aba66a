"""The safety net: new warning questions, several medicine answers a day (and the other medicine's
name), alerts read in the patient's words (with the quote, from a note or a message) and the
patient's "did you get help?", the steps of telling staff, the on-call rota, and the regular
medicines listed at evaluation.

Existing logs keep their one medicine answer (each old value is a valid answer set) and their
anti-inflammatory flag is set from it; the severe-pain alerts already raised are marked as worked
out, not ticked.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TAKEN = ("acetaminophen", "anti_inflammatory", "other_prescribed")
STORED_ANSWERS = (
    "none",
    "acetaminophen",
    "anti_inflammatory",
    "other_prescribed",
    "acetaminophen,anti_inflammatory",
    "acetaminophen,other_prescribed",
    "anti_inflammatory,other_prescribed",
    "acetaminophen,anti_inflammatory,other_prescribed",
)
OLD_MEDICATION = ("none", "acetaminophen", "anti_inflammatory", "other_prescribed")


def quoted(values):
    return ", ".join(f"'{value}'" for value in values)


def upgrade():
    with op.batch_alter_table("daily_logs", schema=None) as batch_op:
        for name in ("allergic_reaction", "headache_fever", "fever_back_pain", "bleeding", "nsaid"):
            batch_op.add_column(sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(
            sa.Column("other_medicine", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.drop_constraint("medication_known", type_="check")
        batch_op.alter_column(
            "medication",
            existing_type=sa.String(length=20),
            type_=sa.String(length=60),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(
            op.f("ck_daily_logs_medication_known"), f"medication IN ({quoted(STORED_ANSWERS)})"
        )
    op.execute("UPDATE daily_logs SET nsaid = (medication = 'anti_inflammatory')")

    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), server_default="ticked", nullable=False)
        )
        batch_op.add_column(sa.Column("quote", sa.String(length=500), server_default="", nullable=False))
        batch_op.add_column(sa.Column("help_answer", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("help_answered_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_alerts_message_id_messages"), "messages", ["message_id"], ["id"])
        batch_op.drop_constraint("uq_alerts_patient_day_symptom", type_="unique")
        batch_op.create_unique_constraint("uq_alerts_daily_log_symptom", ["daily_log_id", "symptom"])
        batch_op.create_check_constraint(
            op.f("ck_alerts_source_known"), "source IN ('ticked', 'words', 'derived')"
        )
        batch_op.create_check_constraint(
            op.f("ck_alerts_help_answer_known"), "help_answer IN ('went', 'called', 'not_yet')"
        )
        batch_op.create_index("ix_alerts_open_raised", ["acknowledged_at", "raised_at"], unique=False)
    op.execute("UPDATE alerts SET source = 'derived' WHERE symptom = 'severe_pain_3_days'")

    op.create_table(
        "alert_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("told", sa.String(length=500), nullable=False),
        sa.Column("nobody", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.CheckConstraint("step BETWEEN 0 AND 2", name=op.f("ck_alert_notices_step_range")),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_notices_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notices")),
        sa.UniqueConstraint("alert_id", "step", name="uq_alert_notices_alert_step"),
    )
    with op.batch_alter_table("alert_notices", schema=None) as batch_op:
        batch_op.create_index("ix_alert_notices_done_at", ["done_at"], unique=False)

    op.create_table(
        "on_call_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_on_call_shifts_weekday_range")),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["users.id"], name=op.f("fk_on_call_shifts_clinician_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_on_call_shifts")),
    )
    with op.batch_alter_table("on_call_shifts", schema=None) as batch_op:
        batch_op.create_index("ix_on_call_shifts_weekday", ["weekday"], unique=False)

    with op.batch_alter_table("treatments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("regular_medicines", sa.String(length=1000), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("medicines_listed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("medicines_reviewed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("medicines_reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("medicines_review_note", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            op.f("fk_treatments_medicines_reviewed_by_id_users"),
            "users",
            ["medicines_reviewed_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("treatments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_treatments_medicines_reviewed_by_id_users"), type_="foreignkey")
        for name in (
            "medicines_review_note",
            "medicines_reviewed_by_id",
            "medicines_reviewed_at",
            "medicines_listed_at",
            "regular_medicines",
        ):
            batch_op.drop_column(name)
    op.drop_table("on_call_shifts")
    op.drop_table("alert_notices")
    # An alert per sign per day again: alerts from messages (which a log's alert of the same day
    # would now collide with) go, and words alerts become ticked ones.
    op.execute("DELETE FROM alerts WHERE message_id IS NOT NULL")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_open_raised")
        batch_op.drop_constraint("help_answer_known", type_="check")
        batch_op.drop_constraint("source_known", type_="check")
        batch_op.drop_constraint("uq_alerts_daily_log_symptom", type_="unique")
        batch_op.create_unique_constraint("uq_alerts_patient_day_symptom", ["patient_id", "day", "symptom"])
        batch_op.drop_constraint(op.f("fk_alerts_message_id_messages"), type_="foreignkey")
        for name in ("help_answered_at", "help_answer", "quote", "source", "message_id"):
            batch_op.drop_column(name)
    # One medicine answer a day: the first ticked one stands.
    for key in TAKEN:
        op.execute(f"UPDATE daily_logs SET medication = '{key}' WHERE medication LIKE '{key},%'")  # noqa: S608 - our own constants
    with op.batch_alter_table("daily_logs", schema=None) as batch_op:
        batch_op.drop_constraint("medication_known", type_="check")
        batch_op.alter_column(
            "medication",
            existing_type=sa.String(length=60),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(
            op.f("ck_daily_logs_medication_known"), f"medication IN ({quoted(OLD_MEDICATION)})"
        )
        for name in (
            "other_medicine",
            "nsaid",
            "bleeding",
            "fever_back_pain",
            "headache_fever",
            "allergic_reaction",
        ):
            batch_op.drop_column(name)
