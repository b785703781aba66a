"""the patient's consent to the PRP injection, and the settings its page follows

"Before your injection" (app/patient/consent.py): one row per treatment when the patient has read
and confirmed the page, with the version of the words read (a fingerprint, in the language read),
when, and how: by the patient online, or recorded in clinic by a member of staff (who).

Three clinic settings the page follows (where the blood is drawn, which sites are injected under
ultrasound, whether patients may drive home) are rows of `clinic_settings`, a key-value table:
their defaults are configuration (app/config.py), so no column is added for them.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "procedure_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("text_version", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("showed_lung_risk", sa.Boolean(), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("consented_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("how IN ('online', 'in_clinic')", name=op.f("ck_procedure_consents_how_known")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["users.id"], name=op.f("fk_procedure_consents_patient_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_procedure_consents_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"], ["treatments.id"], name=op.f("fk_procedure_consents_treatment_id_treatments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_consents")),
        sa.UniqueConstraint("treatment_id", name=op.f("uq_procedure_consents_treatment_id")),
    )


def downgrade():
    op.drop_table("procedure_consents")
