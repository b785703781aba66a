"""treatments by patient: an index for finding a patient's treatments

Every saved log brings its patient's treatments' summaries up to date, and finds those treatments
by patient. Only the active one was indexed (the one-active-per-patient rule), so the lookup read
the whole table: 4.6 ms at 50,000 treatments, three times in the write of the figures.

Revision ID: 0031_treatments_patient_index
Revises: 0030_outcome_figures
"""

from alembic import op

revision = "0031_treatments_patient_index"
down_revision = "0030_outcome_figures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_treatments_patient", "treatments", ["patient_id"])


def downgrade():
    op.drop_index("ix_treatments_patient", table_name="treatments")
