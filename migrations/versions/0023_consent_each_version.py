"""the consent to the PRP injection is kept for each version of its words

When the words of "Before your injection" change after a patient confirmed them (a new text, a
changed translation, a clinic setting the page follows), the patient is asked again: each
confirmation is a row of its own, the earlier ones kept with the version they name. A treatment
may so hold several rows: the one-per-treatment constraint becomes an index.

Revision ID: 0023_consent_versions
Revises: 0022
"""

from alembic import op

revision = "0023_consent_versions"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("procedure_consents") as batch:
        batch.drop_constraint(op.f("uq_procedure_consents_treatment_id"), type_="unique")
        batch.create_index(op.f("ix_procedure_consents_treatment_id"), ["treatment_id"])


def downgrade():
    # Only the latest confirmation of each treatment can stay under the one-per-treatment rule.
    op.execute(
        "DELETE FROM procedure_consents WHERE id NOT IN "
        "(SELECT MAX(id) FROM procedure_consents GROUP BY treatment_id)"
    )
    with op.batch_alter_table("procedure_consents") as batch:
        batch.drop_index(op.f("ix_procedure_consents_treatment_id"))
        batch.create_unique_constraint(op.f("uq_procedure_consents_treatment_id"), ["treatment_id"])
