"""Engine settings per database. SQLite gets WAL, foreign keys, a busy timeout and
`BEGIN IMMEDIATE`: with several gunicorn workers a plain `BEGIN` fails with "database is locked"
when a read transaction has to upgrade to a write (measured: docs/operating.md#sqlite); taking the write lock
up front lets the busy timeout do its job."""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from werkzeug.routing import IntegerConverter, Map

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)


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
        connection.exec_driver_sql("BEGIN IMMEDIATE")


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
