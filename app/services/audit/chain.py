"""The audit trail's hash chain: how each row is stamped as it is written, how the chain is checked
(`flask --app wsgi audit verify`), and the one way around the append-only triggers.

**Stamping.** `audit.record()` does not put its event in the session at once: events wait beside
the session (`session.info`) until the transaction commits. At commit every other change is
flushed first; then the events are added and flushed, and `before_flush` stamps them. On
PostgreSQL it first takes a transaction-level advisory lock (`pg_advisory_xact_lock`, one fixed
key) and only then reads the chain's head, so concurrent writers append one after another and the
chain cannot fork; on SQLite every transaction already holds the write lock from its
`BEGIN IMMEDIATE` (app/database.py). Each event gets its id (the id sequence's next value on
PostgreSQL, the head's id + 1 on SQLite), its time, the head's hash as `prev_hash`, and its own
`row_hash`. The lock is taken as late as it can be: while it is held only audit rows are written
and the transaction commits, so its holder never waits for another lock, and a request holding a
row lock while it waits for the audit lock cannot deadlock with it. Events added to the session
directly (tests do) are stamped in whichever flush writes them.

The trail records what was committed: the events of a transaction that rolls back are dropped,
and so are the events recorded inside a savepoint that rolls back.

**Canonical form.** Every column of the row but `row_hash`, read from the table itself, as JSON
with sorted keys, no spaces and ASCII only; times in ISO 8601 with microseconds; NULL columns left
out. So a column added later is covered without touching this module (a test changes each column
and expects a new hash), and a nullable column added later leaves the old rows' hashes valid
(NULL there). A column added with a non-NULL value for existing rows would break their hashes:
give old rows NULL.

**Order.** The chain runs in id order. Ids are given under the same lock, so id order is commit
order, and a reader (verify, pg_dump's snapshot) always sees a whole prefix of the chain. This
needs READ COMMITTED on PostgreSQL (its default, which the app uses): at a higher isolation level
the head read after waiting for the lock would be stale.

**Limits.** The chain shows rows edited, deleted or inserted in the middle. Rows cut from the end
leave a shorter chain that is still whole: record the head printed by `audit verify` (the restore
drill does) and pass it back with `--head`. Anyone who can write SQL as the app's role and knows
this algorithm could append a well-formed row at the end: that is what the database role (no
UPDATE/DELETE/TRUNCATE on the table, docs/security.md) and off-site copies are for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import NullPool

from app.models import AuditEvent

GENESIS = "0" * 64  # the first row's prev_hash
LOCK_KEY = 0x6261636B74726163  # "backtrac": PostgreSQL advisory lock serialising appends to the chain
PENDING = "backtrack.audit_pending"
MAINTENANCE_SETTING = "backtrack.audit_maintenance"  # PostgreSQL: migration 0012's trigger reads it
SQLITE_MAINTENANCE_FUNCTION = "backtrack_audit_maintenance"  # SQLite: migration 0012's triggers call it


# --- The canonical form and the hash ---------------------------------------------------------------


def canonical(values: Mapping[str, Any]) -> bytes:
    """The bytes a row's hash is taken over: every column but row_hash, NULLs left out."""
    fields = {
        name: plain(value) for name, value in values.items() if name != "row_hash" and value is not None
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def hash_of(values: Mapping[str, Any]) -> str:
    """SHA-256 of the row's canonical form, which includes `prev_hash`: the link in the chain."""
    return hashlib.sha256(canonical(values)).hexdigest()


def values_of(row: AuditEvent) -> dict[str, Any]:
    """The row's column values by column name, as the database stores them."""
    return {attribute.columns[0].name: getattr(row, attribute.key) for attribute in column_attributes()}


def column_attributes() -> Iterable[Any]:
    return sa.inspect(AuditEvent).column_attrs


# --- Stamping rows as they are written -------------------------------------------------------------


def append(session: Session, row: AuditEvent) -> None:
    """Hold `row` until the transaction commits (see the module's docstring)."""
    # Begin one if none has (nothing read yet since the last commit), so a rollback drops the row.
    current = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(PENDING, []).append((row, current))


def register(engine: Engine | None = None) -> None:
    """Listen on every session (idempotent); on SQLite, give each new connection of `engine` the
    function the audit triggers ask (its answer: no changes)."""
    sqlite = engine is not None and engine.dialect.name == "sqlite"
    if sqlite and not event.contains(engine, "connect", answer_no_to_maintenance):
        event.listen(engine, "connect", answer_no_to_maintenance)
    for name, listener in (
        ("before_commit", add_waiting_rows),
        ("before_flush", stamp_new_rows),
        ("after_soft_rollback", drop_rolled_back_rows),
        ("after_transaction_end", forget_rows_of_ended_transaction),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def add_waiting_rows(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release: the rows wait for the real commit
        return
    waiting = session.info.pop(PENDING, None)
    if not waiting:
        return
    session.flush()  # every other change first, before the audit lock is taken
    session.add_all([row for row, _transaction in waiting])


def stamp_new_rows(session: Session, _flush_context: Any, _instances: Any) -> None:
    rows = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if rows:
        rows.sort(key=lambda row: sa.inspect(row).insert_order or 0)
        stamp(session.connection(), rows)


def stamp(connection: Connection, rows: list[AuditEvent]) -> None:
    """Give each row its id, time, link and hash, after the head of the chain (under the lock)."""
    previous_hash, ids = head_and_ids(connection, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row.id = row_id
        fill_defaults(row)
        row.prev_hash = previous_hash
        row.row_hash = previous_hash = hash_of(values_of(row))


def head_and_ids(connection: Connection, count: int) -> tuple[str, list[int]]:
    """The chain's last hash and the ids of the next `count` rows. On PostgreSQL the lock comes
    first, in a statement of its own (a statement reads what was committed when it began), then the
    head and ids from the table's sequence in one; SQLite's writes are serial already."""
    table = AuditEvent.__table__
    head = sa.select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)
    if connection.dialect.name != "postgresql":
        found = connection.execute(head).first()
        head_id, head_hash = (found.id, found.row_hash) if found else (0, GENESIS)
        return head_hash, list(range(head_id + 1, head_id + 1 + count))
    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
    next_ids = sa.text(
        "ARRAY(SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) FROM generate_series(1, :n))"
    ).bindparams(n=count)
    head_hash, ids = connection.execute(
        sa.select(head.with_only_columns(table.c.row_hash).scalar_subquery(), next_ids)
    ).one()
    return head_hash or GENESIS, sorted(ids)


def fill_defaults(row: AuditEvent) -> None:
    """Apply the columns' Python defaults now, so the hash covers exactly what is stored."""
    for attribute in column_attributes():
        default = attribute.columns[0].default
        if getattr(row, attribute.key) is None and default is not None:
            setattr(row, attribute.key, default.arg(None) if default.is_callable else default.arg)


def drop_rolled_back_rows(session: Session, previous_transaction: SessionTransaction) -> None:
    waiting = session.info.get(PENDING)
    if waiting:
        session.info[PENDING] = [
            (row, transaction)
            for row, transaction in waiting
            if not inside(transaction, previous_transaction)
        ]


def inside(transaction: SessionTransaction | None, rolled_back: SessionTransaction) -> bool:
    if transaction is None:  # recorded before the session began: part of the outermost transaction
        return rolled_back.parent is None
    while transaction is not None:
        if transaction is rolled_back:
            return True
        transaction = transaction.parent
    return False


def forget_rows_of_ended_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


# --- Checking the chain ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    rows: int  # rows found whole and in order (before the problem, if there is one)
    head_id: int | None  # the last of them
    head_hash: str
    problem: str = ""  # empty when the chain is whole
    at_row: int | None = None  # the row the problem names

    @property
    def intact(self) -> bool:
        return not self.problem


def check(rows: Iterable[Mapping[Any, Any]], expected_head: str | None = None) -> ChainReport:
    """Walk the rows in id order and name the first that breaks the chain."""
    previous: tuple[int | None, str] = (None, GENESIS)
    count, head_seen = 0, expected_head is None
    iterator = iter(rows)
    row = next(iterator, None)
    while row is not None:
        following = next(iterator, None)
        problem = ""
        if hash_of(row) != row["row_hash"]:
            problem = f"row #{row['id']} was edited: its content no longer matches its hash."
        elif row["prev_hash"] != previous[1]:
            problem = broken_link(row, previous, following)
        if problem:
            return ChainReport(count, *previous, problem=problem, at_row=row["id"])
        count += 1
        head_seen = head_seen or row["row_hash"] == expected_head
        previous = (row["id"], row["row_hash"])
        row = following
    if not head_seen:
        problem = (
            f"no row has the hash {expected_head}: rows at the end of the trail were deleted "
            "(or that hash is not from this trail)."
        )
        return ChainReport(count, *previous, problem=problem)
    return ChainReport(count, *previous)


def broken_link(
    row: Mapping[Any, Any], previous: tuple[int | None, str], following: Mapping[Any, Any] | None
) -> str:
    """`row` is whole but not chained to the row before it: inserted, or something before it is gone."""
    previous_id, previous_hash = previous
    before = f"row #{previous_id}" if previous_id is not None else "the start of the trail"
    if following is not None and following["prev_hash"] == previous_hash:
        return (
            f"row #{row['id']} was inserted out of order: it is not chained to {before}, "
            f"and the row after it (#{following['id']}) is."
        )
    if following is None:
        return (
            f"row #{row['id']} is not chained to {before}: it was inserted out of order, "
            "or rows before it were deleted."
        )
    if previous_id is None:
        return (
            f"row(s) before row #{row['id']} were deleted: it comes first but is chained to an earlier row."
        )
    return (
        f"row(s) between row #{previous_id} and row #{row['id']} were deleted (or row #{previous_id} "
        f"was rewritten with a new hash): row #{row['id']} is not chained to row #{previous_id}."
    )


@contextmanager
def reading_connection(engine: Engine) -> Iterator[Connection]:
    """On SQLite a plain connection of its own: the app's engine opens every transaction with
    BEGIN IMMEDIATE, which would hold the write lock for the whole walk; a lone SELECT reads a
    snapshot in WAL mode and lets the app write. On PostgreSQL one statement is one snapshot."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            yield connection
        return
    reader = sa.create_engine(engine.url, poolclass=NullPool)
    try:
        with reader.connect() as connection:
            yield connection
    finally:
        reader.dispose()


def verify(engine: Engine, expected_head: str | None = None) -> ChainReport:
    """Check every audit row in id order, streamed by one statement (one consistent snapshot)."""
    query = sa.select(AuditEvent.__table__).order_by(AuditEvent.__table__.c.id)
    with reading_connection(engine) as connection:
        result = connection.execution_options(yield_per=1000).execute(query)
        try:
            return check(result.mappings(), expected_head)
        finally:
            result.close()


# --- The escape hatch: tests and maintenance only ---------------------------------------------------


def answer_no_to_maintenance(dbapi_connection: Any, _record: Any) -> None:
    register_sqlite_function(dbapi_connection)


def register_sqlite_function(dbapi_connection: Any, allow: bool = False) -> None:
    """Migration 0012's SQLite triggers ask this function whether changes are allowed: every
    connection of the app answers no; only `allow_changes_for_maintenance` makes one answer yes."""
    dbapi_connection.create_function(SQLITE_MAINTENANCE_FUNCTION, 0, (lambda: 1) if allow else (lambda: 0))


@contextmanager
def allow_changes_for_maintenance(connection: Connection) -> Iterator[None]:
    """Let this connection's current transaction UPDATE or DELETE audit rows. The application never
    calls this (a test checks): it is for the test suite, which empties the database between tests,
    and for a maintenance script run by hand. Dropping the tables (seed-demo's rebuild of a
    demo-only database) needs no hatch: DROP TABLE fires no row triggers.

    PostgreSQL: sets `backtrack.audit_maintenance` to 'on' for this transaction only (SET LOCAL);
    the trigger lets the statement through only if that is set *and* the role owns the table, so
    an app that runs as a role without ownership (docs/security.md) cannot open the hatch even
    with arbitrary SQL. TRUNCATE is refused like DELETE (a whole trail in one statement otherwise).
    SQLite: this connection's `backtrack_audit_maintenance()` answers 1 until the block ends;
    every other connection (the app's, the sqlite3 shell's, which lacks the function) is refused.
    Every change made here still shows in `audit verify`: the hatch lifts the guard, not the chain.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.set_config(MAINTENANCE_SETTING, "on", True)))
        yield
        return
    dbapi_connection = connection.connection.driver_connection
    register_sqlite_function(dbapi_connection, allow=True)
    try:
        yield
    finally:
        register_sqlite_function(dbapi_connection, allow=False)
