"""audit trail keyed with the audit key

Each audit row now records which audit key chained it (`key_id`, the key's id from
app/services/audit/keys.py; the key itself is never in the database). Rows already there keep
NULL and the plain SHA-256 hash migration 0012 and the app gave them: the canonical form leaves
NULL columns out, so their hashes stay valid untouched, and no row is rewritten. The first row the
app writes after this migration is keyed and marks the switch; `flask --app wsgi audit verify`
checks plain hashes up to it and keyed hashes (HMAC-SHA-256) from it on, and says so.

`ADD COLUMN` alters the table in place on SQLite (no batch rebuild), so migration 0012's triggers
stay. Downgrading refuses while keyed rows exist: without the column their hashes could not be
checked.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("audit_events", sa.Column("key_id", sa.String(length=16), nullable=True))


def downgrade():
    keyed = op.get_bind().scalar(sa.text("SELECT count(*) FROM audit_events WHERE key_id IS NOT NULL"))
    if keyed:
        raise RuntimeError(
            f"Refusing to downgrade: {keyed} audit rows are chained with the audit key, and their "
            "hashes cover key_id. Restore a backup made before the upgrade instead."
        )
    op.execute("ALTER TABLE audit_events DROP COLUMN key_id")  # in place on SQLite too (3.35+)
