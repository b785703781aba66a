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
from typing import Any, TypeVar

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


def without_jit() -> None:
    """No JIT compilation for the rest of this transaction (PostgreSQL; nothing on SQLite).
    PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost`; the whole-clinic
    reports pass it, and compiling their plans took 190 ms of a 317 ms statement at 50,000 patients
    (bench/results). Set for the transaction only, as a pooler in transaction mode needs
    (docs/deploying.md#postgresql)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.set_config("jit", "off", True)))


def planned_per_value() -> None:
    """Each statement of the rest of this transaction planned for the values it is sent with
    (PostgreSQL; nothing on SQLite). psycopg prepares a statement once a connection has sent it
    five times, and five runs later PostgreSQL may keep one plan for any value. For a search for
    part of a name that plan reads both trigram indexes whole, as a text it cannot see might be
    two letters that narrow nothing: the account list's `?q=ma` at 50,000 patients took 27 ms
    from the 11th search on a connection, 5.5 ms planned for "ma" (bench/results). For the
    transaction only, as `without_jit`."""
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
