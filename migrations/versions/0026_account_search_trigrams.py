"""account search by trigrams: the admin's search finds any part of a name or e-mail by index

The account list's search matches a part of a name or an e-mail anywhere in it (`ILIKE '%mar%'`),
which no B-tree index serves: PostgreSQL read every account to answer it. Trigram indexes
(`pg_trgm`, a trusted extension a database's owner may create) serve exactly that search. SQLite
reads its few thousand accounts as fast without one, so it gets none.

Revision ID: 0026_account_search_trigrams
Revises: 0025_exercise_photos
"""

from alembic import op

revision = "0026_account_search_trigrams"
down_revision = "0025_exercise_photos"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_users_name_trigrams ON users USING gin (full_name gin_trgm_ops)")
    op.execute("CREATE INDEX ix_users_email_trigrams ON users USING gin (email gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_users_email_trigrams")
    op.execute("DROP INDEX IF EXISTS ix_users_name_trigrams")
    # The extension stays: another schema in the database may use it.
