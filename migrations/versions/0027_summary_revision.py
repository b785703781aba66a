"""summary revision: a treatment's summaries say when they changed

Every write that changes a treatment's summaries (and every rebuild) gives its row in
treatment_summaries a new random `revision`. The therapist dashboard keeps each patient's row, as
worked out from the summaries, under that number and the day: a row is worked out again only when
the patient's data changed or the day turned, instead of on every view.

Revision ID: 0027_summary_revision
Revises: 0026_account_search_trigrams
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_summary_revision"
down_revision = "0026_account_search_trigrams"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("treatment_summaries") as table:
        table.add_column(sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("treatment_summaries") as table:
        table.drop_column("revision")
