"""after week 12: how often the patient logs; the therapist's steps for some conditions

The 12-week programme ends with a review; after it the pain log is asked once a week unless the
patient chooses every day again (app/care/follow_up.py). Existing courses get the weekly default.

Programmes by condition (app/care/programmes.py): the directional preference the therapist chose
(extension or flexion, or none yet), and the surgeon's precautions the therapist confirmed after
back surgery (when, by whom, what they are).

The day a course was marked completed or cancelled (a course cancelled after its injection still
counts in the outcomes, as not improved). Courses closed before this have none.

Remote monitoring: the patient's consent (the day, how it was given, who recorded it); no code is
reported before it (app/care/rtm.py).

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("treatments") as batch:
        batch.add_column(sa.Column("log_every_days", sa.Integer(), nullable=False, server_default="7"))
        batch.create_check_constraint(op.f("ck_treatments_log_every_days_known"), "log_every_days IN (1, 7)")
        batch.add_column(sa.Column("directional_preference", sa.String(length=16), nullable=True))
        batch.create_check_constraint(
            op.f("ck_treatments_directional_preference_known"),
            "directional_preference IN ('extension', 'flexion')",
        )
        batch.add_column(sa.Column("precautions_confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("precautions_confirmed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_treatments_precautions_confirmed_by_id_users"),
            "users",
            ["precautions_confirmed_by_id"],
            ["id"],
        )
        batch.add_column(
            sa.Column("precautions_note", sa.String(length=500), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("rtm_consent_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("rtm_consent_how", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("rtm_consent_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_treatments_rtm_consent_by_id_users"), "users", ["rtm_consent_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("treatments") as batch:
        batch.drop_constraint(op.f("fk_treatments_rtm_consent_by_id_users"), type_="foreignkey")
        batch.drop_column("rtm_consent_by_id")
        batch.drop_column("rtm_consent_how")
        batch.drop_column("rtm_consent_on")
        batch.drop_column("ended_on")
        batch.drop_column("precautions_note")
        batch.drop_constraint(op.f("fk_treatments_precautions_confirmed_by_id_users"), type_="foreignkey")
        batch.drop_column("precautions_confirmed_by_id")
        batch.drop_column("precautions_confirmed_at")
        batch.drop_constraint(op.f("ck_treatments_directional_preference_known"), type_="check")
        batch.drop_column("directional_preference")
        batch.drop_constraint(op.f("ck_treatments_log_every_days_known"), type_="check")
        batch.drop_column("log_every_days")
