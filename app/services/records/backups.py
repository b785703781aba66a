"""Backups an operator has tried: `flask --app wsgi backup PATH` and `flask --app wsgi restore PATH`
(docs/operating.md gives the schedule, the encryption and the restore drill).

SQLite: the online backup API copies the database in one step, inside one read transaction, so
the copy is the database as it stood at one moment while the app goes on writing (WAL mode lets
writers continue); the copy is checked with `PRAGMA integrity_check`. PostgreSQL: `pg_dump
--format=custom` reads everything in one snapshot. Its password never appears on a command line,
in the environment or in any output: it is written to a temporary password file (mode 0600,
deleted afterwards) that libpq reads through PGPASSFILE.

A backup file is created with mode 0600 under a temporary name and renamed when complete, so a
half-written file never carries the final name, and an existing file is never overwritten.
Restore fills only an empty database (no rows in any table): it refuses one that holds data, so it
can never mix two clinics' records or overwrite the live one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"  # pg_dump's custom format
KINDS = {"sqlite": "an SQLite database file", "postgresql": "a PostgreSQL custom-format dump (pg_dump -Fc)"}
SQLITE_BUSY_SECONDS = 5.0
PG_TOOL_DIRS = "/usr/lib/postgresql/*/bin"
VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """A reason for the operator, shown as it is; never holds a password."""


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int
    seconds: float


@dataclass(frozen=True)
class RestoreDone:
    rows: dict[str, int]  # table: rows, as restored
    seconds: float


# --- Backup -----------------------------------------------------------------------------------------


def backup(engine: Engine, path: Path, tool_dir: str | None = None) -> BackupDone:
    """A consistent copy of the app's database at `path`, taken while the app keeps writing."""
    if path.exists():
        raise BackupError(f"{path} already exists: a backup never overwrites a file; choose a new name.")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder.")
    started = time.monotonic()
    partial = path.with_name(f".{path.name}.partial")
    create_private_file(partial)
    try:
        if engine.dialect.name == "sqlite":
            backup_sqlite(sqlite_file(engine.url), partial)
        else:
            with libpq(engine.url) as (conninfo, environment):
                run_tool(
                    "pg_dump",
                    ["--format=custom", "--no-password", f"--file={partial}", f"--dbname={conninfo}"],
                    environment,
                    tool_dir,
                )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupDone(path, path.stat().st_size, time.monotonic() - started)


def create_private_file(path: Path) -> None:
    """An empty file only its owner can read: a backup holds health data."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source}.")
    with (
        closing(sqlite3.connect(source, timeout=SQLITE_BUSY_SECONDS)) as live,
        closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)  # pages=-1: the whole database in one step, one read snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check_sqlite_integrity(copy, "The copy")


def check_sqlite_integrity(connection: sqlite3.Connection, what: str) -> None:
    verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"{what} failed SQLite's integrity check: {verdict}")


def sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


# --- Restore ----------------------------------------------------------------------------------------


def restore(engine: Engine, path: Path, tool_dir: str | None = None) -> RestoreDone:
    """Bring the backup at `path` into the app's database, which must be empty."""
    started = time.monotonic()
    kind = engine.dialect.name
    if backup_kind(path) != kind:
        raise BackupError(
            f"{path} is not {KINDS.get(kind, kind)}, which is what this app's database ({kind}) needs: "
            "restore a backup made by `flask --app wsgi backup` from a database of the same kind."
        )
    holding = tables_holding_rows(engine)
    if holding:
        raise BackupError(
            f"This database already holds data (in {', '.join(holding)}): restore only fills an empty "
            "database, so it never overwrites records. Create a new, empty database, point DATABASE_URL "
            "at it and run restore again."
        )
    engine.dispose()  # no pooled connection may outlive the database it was opened on
    if kind == "sqlite":
        restore_sqlite(path, sqlite_file(engine.url))
    else:
        drop_empty_tables(engine)  # a schema made by `db upgrade`, with no rows: the dump brings its own
        with libpq(engine.url) as (conninfo, environment):
            run_tool(
                "pg_restore",
                [
                    "--no-owner",  # owned by whoever restores: the role that runs migrations
                    "--no-privileges",
                    "--clean",  # replace what an empty `db upgrade` left beside the tables (a function)
                    "--if-exists",
                    "--exit-on-error",
                    "--single-transaction",  # all of it or nothing
                    "--no-password",
                    f"--dbname={conninfo}",
                    str(path),
                ],
                environment,
                tool_dir,
            )
    engine.dispose()
    return RestoreDone(row_counts(engine), time.monotonic() - started)


def backup_kind(path: Path) -> str | None:
    with path.open("rb") as file:
        start = file.read(len(SQLITE_HEADER))
    if start == SQLITE_HEADER:
        return "sqlite"
    if start.startswith(PG_DUMP_HEADER):
        return "postgresql"
    return None


def tables_holding_rows(engine: Engine) -> list[str]:
    tables = sa.MetaData()
    with engine.connect() as connection:
        tables.reflect(connection)
        return [
            name
            for name, table in sorted(tables.tables.items())
            if name != VERSION_TABLE
            and connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
        ]


def row_counts(engine: Engine) -> dict[str, int]:
    tables = sa.MetaData()
    with engine.connect() as connection:
        tables.reflect(connection)
        return {
            name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in sorted(tables.tables.items())
            if name != VERSION_TABLE
        }


def drop_empty_tables(engine: Engine) -> None:
    tables = sa.MetaData()
    with engine.begin() as connection:
        tables.reflect(connection)
        tables.drop_all(connection)


def restore_sqlite(backup_file: Path, target: Path) -> None:
    with closing(sqlite3.connect(backup_file.resolve().as_uri() + "?mode=ro", uri=True)) as saved:
        check_sqlite_integrity(saved, f"{backup_file}")
        with closing(sqlite3.connect(target, timeout=SQLITE_BUSY_SECONDS)) as database:
            saved.backup(database)


# --- PostgreSQL's tools ----------------------------------------------------------------------------


@contextmanager
def libpq(url: URL) -> Iterator[tuple[str, dict[str, str]]]:
    """A connection string without the password, and an environment whose PGPASSFILE holds it."""
    without_password = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    conninfo = without_password.render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password is None:
        yield conninfo, environment
        return
    password = str(url.password)
    if "\n" in password or "\r" in password:
        raise BackupError(
            "The database password contains a line break, which libpq's password file cannot hold."
        )
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    with tempfile.TemporaryDirectory(prefix="backtrack-pg-") as folder:
        passfile = Path(folder) / "pgpass"
        create_private_file(passfile)
        passfile.write_text(f"*:*:*:*:{escaped}\n")
        environment.pop("PGPASSWORD", None)  # it would win over the file
        environment["PGPASSFILE"] = str(passfile)
        yield conninfo, environment


def run_tool(name: str, arguments: list[str], environment: dict[str, str], tool_dir: str | None) -> None:
    command = [str(find_tool(name, tool_dir)), *arguments]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{name} failed (exit {finished.returncode}): {finished.stderr.strip()}")


def find_tool(name: str, tool_dir: str | None = None) -> Path:
    """PG_BIN_DIR when set, else PATH, else the newest /usr/lib/postgresql/N/bin (Debian)."""
    if tool_dir:
        candidate = Path(tool_dir) / name
        if candidate.is_file():
            return candidate
        raise BackupError(f"{name} is not in PG_BIN_DIR ({tool_dir}).")
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(
        (folder for folder in Path("/").glob(PG_TOOL_DIRS.lstrip("/")) if folder.parent.name.isdigit()),
        key=lambda folder: int(folder.parent.name),
    )
    for folder in reversed(versions):
        if (folder / name).is_file():
            return folder / name
    raise BackupError(
        f"{name} was not found: install PostgreSQL's client tools "
        "(Debian: apt-get install postgresql-client) or set PG_BIN_DIR."
    )
