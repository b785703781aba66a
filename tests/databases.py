"""Empty databases beside the test database, for restores and migrations from an older schema, and
the app's commands run against one of them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from click.testing import Result
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app import create_app
from tests.conftest import config_for_tests


@contextmanager
def scratch_database(database_url: str, suffix: str, folder: Path) -> Iterator[str]:
    """A new, empty database of the test database's kind; yields its URL and removes it after.
    SQLite: a file in `folder`. PostgreSQL: a database named after the test database and `suffix`
    (`backtrack_test_d_restore`); the tests' role has CREATEDB."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{folder / f'{suffix}.sqlite3'}"
        return
    name = f"{url.database}_{suffix}"
    server = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        drop_database(server, name)
        with server.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(server, name)
        server.dispose()


def drop_database(server: sa.Engine, name: str) -> None:
    """FORCE ends connections of ours left open; but an autovacuum worker analysing a freshly
    restored database is not the tests' role's to end (FORCE then refuses), and a plain DROP has
    PostgreSQL stop it itself."""
    with server.connect() as connection:
        try:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except sa.exc.ProgrammingError:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))


def command(database_url: str, *arguments: str) -> Result:
    """`flask --app wsgi ARGUMENTS` against `database_url`, in this process (an app of its own)."""
    app = create_app(config_for_tests(database_url))
    try:
        return app.test_cli_runner().invoke(args=list(arguments))
    finally:
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()


def demo_upgraded_from(database_url: str, before: str) -> None:
    """The demo clinic on the schema of revision `before`, then upgraded to the newest: what a
    clinic with data goes through when it upgrades across a migration."""
    assert command(database_url, "db", "upgrade").exit_code == 0
    seeded = command(database_url, "seed-demo")
    assert seeded.exit_code == 0, seeded.output
    assert command(database_url, "db", "downgrade", before).exit_code == 0
    upgraded = command(database_url, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output


def rows_of(database_url: str, statement: str) -> list[sa.Row]:
    """A statement's rows, on a connection of its own (the app is not involved)."""
    engine = sa.create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(statement)))
    finally:
        engine.dispose()
