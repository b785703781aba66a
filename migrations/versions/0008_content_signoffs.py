"""The physician's sign-off of the clinical content, by fingerprint.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signed_by_id"], ["users.id"], name=op.f("fk_content_signoffs_signed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_signoffs")),
    )
    op.create_index("ix_content_signoffs_signed_at", "content_signoffs", ["signed_at"], unique=False)


def downgrade():
    op.drop_index("ix_content_signoffs_signed_at", table_name="content_signoffs")
    op.drop_table("content_signoffs")
