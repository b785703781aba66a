"""audit trail hash chain and append-only guard

A tamper-evident audit trail: each row hash-chained to the one before it, and triggers that make
the database refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) of audit rows.

Rows written before this migration are chained here, in id order, with the same hash the app
uses (app/services/audit/chain.py), so `flask --app wsgi audit verify` covers the whole trail.

The triggers let a change through only inside `audit_chain.allow_changes_for_maintenance` (the test
suite emptying its database; a maintenance script): on PostgreSQL the transaction must set
`backtrack.audit_maintenance` to 'on' *and* run as a role that owns the table; on SQLite the
connection's `backtrack_audit_maintenance()` must answer 1 (the app's connections answer 0, and a
connection without the function, such as the sqlite3 shell, fails). DROP TABLE fires no row
triggers, so rebuilding a demo-only database still works.

On SQLite a later `batch_alter_table("audit_events")` that recreates the table drops these
triggers with the old table: such a migration must create them again (the tests, which build the
schema from the migrations, would fail otherwise).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from app.services.audit.chain import GENESIS, LOCK_KEY, hash_of

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 1000

POSTGRESQL_GUARD = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('backtrack.audit_maintenance', true), '') = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING HINT = 'Audit rows are never changed or deleted (docs/security.md).';
END
$$;
CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
"""

SQLITE_GUARD = [
    f"""
CREATE TRIGGER audit_events_no_{operation.lower()} BEFORE {operation} ON audit_events
WHEN NOT backtrack_audit_maintenance()
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: {operation} refused');
END
"""
    for operation in ("UPDATE", "DELETE")
]


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    chain_existing_rows(op.get_bind())
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_prev_hash"), ["prev_hash"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_GUARD)
    else:
        for statement in SQLITE_GUARD:
            op.execute(statement)


def chain_existing_rows(bind):
    """Hash the rows already there, oldest first, in batches (the trail may be long)."""
    if bind.dialect.name == "postgresql":
        bind.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
    table = sa.Table("audit_events", sa.MetaData(), autoload_with=bind)
    previous_hash, last_id = GENESIS, None
    while True:
        query = sa.select(table).order_by(table.c.id).limit(BATCH)
        if last_id is not None:
            query = query.where(table.c.id > last_id)
        rows = [dict(row) for row in bind.execute(query).mappings()]
        if not rows:
            return
        updates = []
        for row in rows:
            row["prev_hash"] = previous_hash
            previous_hash = hash_of(row)
            updates.append({"row_id": row["id"], "prev": row["prev_hash"], "hash": previous_hash})
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("prev"), row_hash=sa.bindparam("hash")),
            updates,
        )
        last_id = rows[-1]["id"]


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_prev_hash"), type_="unique")
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
