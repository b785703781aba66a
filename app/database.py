"""Engine settings per database, and how SQLite's transactions begin (docs/operating.md#sqlite).

SQLite allows one writer at a time. A transaction that only reads runs on a deferred snapshot
(`BEGIN`): it takes no lock, so any number of readers run beside a writer (WAL). A transaction
takes the write lock (`BEGIN IMMEDIATE`, which waits up to the busy timeout) before its first write
statement, and never upgrades a snapshot in place: SQLite answers such an upgrade "database is
locked" at once, without waiting, whenever another writer committed since the snapshot began. So
the read part ends and a write transaction begins at that first write, and the writes see what
was committed by then, as every statement does on PostgreSQL (READ COMMITTED, the app's level
there). Code that reads what it is about to write, and must not see it change in between (the
audit chain's head), calls `take_write_lock` before that read. Password hashing happens before any
write of its request, on no lock (app/services/accounts/sign_in.py).

Measured (tests/test_busy_morning.py): with every transaction `BEGIN IMMEDIATE`, 300 sign-ins 16 at
a time under 4 workers answered 10 requests with 500 "database is locked": every session load and
CSRF fetch queued for the one lock behind argon2 hashes. Now 0."""

from __future__ import annotations

import re
import weakref
from typing import Any, TypeVar, cast

import psycopg
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, ExecutionContext
from werkzeug.routing import IntegerConverter, Map

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
        if engine.dialect.name == "postgresql":
            end_reads_with_commit(engine)


def end_reads_with_commit(engine: Engine) -> None:
    """A transaction that wrote nothing ends with COMMIT, not ROLLBACK (PostgreSQL). psycopg forgets
    every statement it has prepared on a connection at a ROLLBACK, and a request's last transaction
    is often only reads (a page, the row drawn after a tick's commit) ended by a rollback: so no
    statement stayed prepared from one request to the next, and PostgreSQL planned each afresh (a
    tick's figures write 15-20 ms, 2.5 ms with its kept plan). For a transaction that only read,
    COMMIT and ROLLBACK end it alike; one that wrote, or failed, still rolls back."""
    dialect = engine.dialect
    rollback, commit = dialect.do_rollback, dialect.do_commit
    wrote: weakref.WeakSet[Any] = weakref.WeakSet()  # connections whose transaction has written

    @event.listens_for(engine, "before_cursor_execute")
    def note_writes(
        connection: Connection, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
    ) -> None:
        if not only_reads(statement, context):
            wrote.add(connection.connection.dbapi_connection)

    def psycopg_connection(connection: Any) -> Any:
        """What the pool hands the dialect (its proxy, or psycopg's connection) as psycopg's."""
        return getattr(connection, "dbapi_connection", connection)

    def end_without_writes(connection: Any) -> None:
        raw = psycopg_connection(connection)
        only_read = raw not in wrote and raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        wrote.discard(raw)
        (commit if only_read else rollback)(connection)

    def commit_and_forget(connection: Any) -> None:
        wrote.discard(psycopg_connection(connection))
        commit(connection)

    dialect.do_rollback = end_without_writes  # type: ignore[method-assign,assignment]
    dialect.do_commit = commit_and_forget  # type: ignore[method-assign,assignment]


def planned_as_a_report() -> None:
    """The rest of this transaction's statements planned for the values they are sent with, and
    not compiled (PostgreSQL; nothing on SQLite), in one statement. PostgreSQL compiles a
    statement whose estimated cost passes `jit_above_cost`; the whole-clinic reports pass it, and
    compiling their plans took 190 ms of a 317 ms statement at 50,000 patients (bench/results).
    And a report's statements stay prepared from one request to the next (end_reads_with_commit):
    a plan for any month or scope would not see how few rows the one asked for narrows. Set for
    the transaction only, as a pooler in transaction mode needs (docs/deploying.md#postgresql)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text(
                "SELECT set_config('jit', 'off', true),"
                " set_config('plan_cache_mode', 'force_custom_plan', true)"
            )
        )


def planned_per_value() -> None:
    """Each statement of the rest of this transaction planned for the values it is sent with
    (PostgreSQL; nothing on SQLite). psycopg prepares a statement once a connection has sent it
    five times, and five runs later PostgreSQL may keep one plan for any value. For a search for
    part of a name that plan reads both trigram indexes whole, as a text it cannot see might be
    two letters that narrow nothing: the account list's `?q=ma` at 50,000 patients took 27 ms
    from the 11th search on a connection, 5.5 ms planned for "ma" (bench/results). For the
    transaction only, as `planned_as_a_report`."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"))


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")
        connection.info[WRITING] = False

    @event.listens_for(engine, "before_cursor_execute")
    def before_statement(
        connection: Connection, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
    ) -> None:
        reading = connection.in_transaction() and not connection.info.get(WRITING, True)
        if reading and writes(statement, context):
            lock_for_writing(connection)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection: Connection) -> None:
        connection.info.pop(WRITING, None)


WRITING = "backtrack.sqlite_writing"  # on a connection in a transaction: has it the write lock?
WRITE_STATEMENT = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT)\b", re.I)
WRITE_IN_WITH = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.I)


def writes(statement: str, context: ExecutionContext | None) -> bool:
    """Whether a statement writes, or reads to write (`FOR UPDATE`, which SQLite's SQL leaves out)."""
    if WRITE_STATEMENT.match(statement):
        return True
    if statement.lstrip()[:4].upper() == "WITH" and WRITE_IN_WITH.search(statement):
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


READ_STATEMENT = re.compile(r"\s*(?:SELECT|WITH|SHOW|VALUES)\b", re.I)
READ_TO_WRITE = re.compile(r"\b(?:INTO|FOR\s+(?:NO\s+KEY\s+)?UPDATE|FOR\s+(?:KEY\s+)?SHARE)\b", re.I)


def only_reads(statement: str, context: ExecutionContext | None) -> bool:
    """Whether a statement surely changes nothing a rollback would undo: a query (SELECT, WITH
    without a write in it, SHOW, VALUES) that neither locks rows nor makes a table (INTO). Anything
    else (TRUNCATE, COPY, a write, DDL) counts as a write, so its transaction rolls back."""
    return (
        bool(READ_STATEMENT.match(statement))
        and not READ_TO_WRITE.search(statement)
        and not writes(statement, context)
    )


def lock_for_writing(connection: Connection) -> None:
    """End this transaction's read snapshot and take the write lock (waiting up to the busy
    timeout). Nothing has been written yet, so nothing is lost."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("COMMIT")
    raw.execute("BEGIN IMMEDIATE")
    connection.info[WRITING] = True


def take_write_lock(connection: Connection) -> None:
    """Before reading something this transaction will write on the strength of (a chain's head):
    on SQLite the write lock now, so no other writer comes in between. PostgreSQL code takes its
    own row or advisory locks."""
    if connection.dialect.name == "sqlite" and not connection.info.get(WRITING, True):
        lock_for_writing(connection)


Row = TypeVar("Row")


def insert_unless_present(row: Row) -> Row | None:
    """Insert `row` unless a unique constraint says it is already there (a double tap, or two
    requests racing): the stored row, or None then, and the rest of the transaction stands. A
    select before the insert cannot promise this on PostgreSQL, where both requests may see nothing.
    One statement (INSERT … ON CONFLICT DO NOTHING RETURNING), on PostgreSQL and SQLite alike;
    `row` itself is only the values, use the row returned."""
    model = type(row)
    columns = sa.inspect(model).column_attrs
    values = {column.key: getattr(row, column.key) for column in columns if column.key in vars(row)}
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(model).values(values).on_conflict_do_nothing().returning(model)
    stored: Row | None = db.session.scalars(insert).first()
    return stored


MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id in a URL is "not found", not an error


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route, bounded to what an id column can hold."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


COUNT_CAP = 1_000  # past this a list says "more than 1,000": counting further reads every row


def count_up_to_cap(query: sa.Select[*tuple[Any, ...]]) -> int:
    """How many rows `query` has, counting no further than COUNT_CAP + 1 (app/web/listing.py
    CappedPage): a count that stops, so a list costs the same in a clinic of 500 or 50,000."""
    first = query.order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(first)) or 0


Statement = TypeVar("Statement", bound=sa.sql.visitors.ExternallyTraversible)


def constants_inline(statement: Statement) -> Statement:
    """`statement` with the constants it was built from (a 1,000, a "peg", a week 6 list) written
    into its text instead of sent as parameters; the named parameters (bindparam("revision")) stay.
    PostgreSQL plans a prepared statement once and keeps the plan only while a plan for any values
    costs no more than one planned for these: with some 190 constants as parameters (the summaries'
    figures write) it planned every write afresh, 8 ms of a 10 ms tick's write."""

    def inline(element: Any, **_kw: Any) -> Any:
        if isinstance(element, sa.BindParameter) and element.unique and element.value is not None:
            return sa.bindparam(
                None, element.value, type_=element.type, expanding=element.expanding, literal_execute=True
            )
        return None

    options: dict[str, Any] = {}
    return cast(Statement, sa.sql.visitors.replacement_traverse(cast(Any, statement), options, inline))
