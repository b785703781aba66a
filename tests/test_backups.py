"""Backups that have been tried (HIPAA 164.308(a)(7)(ii)(A), (B) and (D)): `flask backup` while the
app is writing, `flask restore` into an empty database, row counts table by table, the restored
audit chain verified, and an older backup brought up to date by `flask db upgrade`."""

from __future__ import annotations

import re
import stat
import threading
import time
import urllib.parse
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.extensions import db
from app.models import AuditEvent, Role
from app.services.audit.chain import GENESIS, hash_of
from app.services.records import backups
from bench.server import connect, sign_in
from tests.browser import demo_clinic_server
from tests.conftest import CSRF_PATTERN, ROOT
from tests.databases import command, scratch_database
from tests.factories import make_user

MIGRATIONS = ScriptDirectory(str(ROOT / "migrations"))
HEAD = MIGRATIONS.get_current_head()
CHAIN = next(
    script for script in MIGRATIONS.walk_revisions() if script.doc.startswith("audit trail hash chain")
)
BEFORE_CHAIN = CHAIN.down_revision  # the schema of a backup made before the audit trail was chained
WRITERS = ("patient@example.com", "week1@example.com", "week8@example.com", "maintenance@example.com")


class MessageLoad:
    """Patients sending messages through gunicorn, each message a transaction that writes a message
    and its audit row; remembers which sends the server acknowledged (303), in order."""

    def __init__(self, base_url: str, emails: tuple[str, ...]) -> None:
        self.base_url, self.emails = base_url, emails
        self.acknowledged: list[str] = []
        self.failures: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(len(emails))]

    def __enter__(self) -> MessageLoad:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def sent(self) -> list[str]:
        with self.lock:
            return list(self.acknowledged)

    def wait_for(self, count: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while len(self.sent()) < count and not self.failures:
            assert time.monotonic() < deadline, f"only {len(self.sent())} messages sent in {seconds} s"
            time.sleep(0.02)
        assert not self.failures, self.failures

    def write(self, index: int) -> None:
        cookie = sign_in(self.base_url, self.emails[index])
        with closing(connect(self.base_url, timeout=30)) as connection:
            connection.request("GET", "/messages", headers={"Cookie": cookie})
            response = connection.getresponse()
            token = CSRF_PATTERN.search(response.read().decode()).group(1)
            cookie = (response.getheader("Set-Cookie") or cookie).split(";")[0]
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            n = 0
            while not self.stopping.is_set():
                body = f"load {index}-{n}"
                form = urllib.parse.urlencode({"body": body, "csrf_token": token})
                connection.request("POST", "/messages", form, headers)
                response = connection.getresponse()
                response.read()
                if response.status != 303:
                    self.failures.append(f"{body}: {response.status}")
                    return
                with self.lock:
                    self.acknowledged.append(body)
                n += 1


def counts(engine: sa.Engine) -> dict[str, int]:
    return backups.row_counts(engine)


def load_messages(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        query = sa.text("SELECT body FROM messages WHERE body LIKE 'load %'")
        return set(connection.execute(query).scalars())


def audit_trail(engine: sa.Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as connection:
        query = sa.text("SELECT id, action, row_hash FROM audit_events ORDER BY id")
        return [tuple(row) for row in connection.execute(query)]


def revision(engine: sa.Engine) -> str:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


def seconds_in(output: str) -> str:
    return re.search(r"in (\d+\.\d+) s", output).group(1)


def test_a_backup_taken_while_the_app_writes_restores_every_row(migrated_app, database_url, today, tmp_path):
    backup_file = tmp_path / "backtrack.backup"
    with (
        demo_clinic_server(migrated_app, database_url, today) as base_url,
        scratch_database(database_url, "restore", tmp_path) as restore_url,
    ):
        source = sa.create_engine(database_url, poolclass=NullPool)
        with MessageLoad(base_url, WRITERS) as load:
            load.wait_for(40)
            before = counts(source)  # every row committed by now is in the backup's snapshot
            sent_before = set(load.sent())
            backed_up = command(database_url, "backup", str(backup_file))
            sent_during = len(load.sent()) - len(sent_before)
            load.wait_for(len(load.sent()) + 20)  # the load goes on after the backup, too
        after = counts(source)
        source_trail, source_messages = audit_trail(source), load_messages(source)
        source_check = command(database_url, "audit", "verify")  # two gunicorn workers wrote to it
        source.dispose()

        restored_run = command(restore_url, "restore", str(backup_file))
        restored = sa.create_engine(restore_url, poolclass=NullPool)
        upgraded = command(restore_url, "db", "upgrade")
        restored_check = command(restore_url, "audit", "verify")
        restored_counts, restored_trail = counts(restored), audit_trail(restored)
        restored_messages, restored_revision = load_messages(restored), revision(restored)
        restored.dispose()

    assert backed_up.exit_code == 0, backed_up.output
    assert "password" not in backed_up.output.lower()
    assert "backtrack@" not in backed_up.output
    assert restored_run.exit_code == 0, restored_run.output
    assert source_check.exit_code == 0, source_check.output
    assert restored_check.exit_code == 0, restored_check.output
    assert restored_check.output.startswith("OK:"), restored_check.output
    # Nothing lost: every message acknowledged before the backup began is in the restored copy;
    # nothing invented: the copy holds only what the source has.
    lost = sent_before - restored_messages
    assert lost == set()
    assert restored_messages <= source_messages
    # One moment: the restored trail is exactly the start of the source's, and each restored
    # message came with its audit row (they were written in one transaction).
    assert restored_trail == source_trail[: len(restored_trail)]
    sends = sum(1 for _id, action, _hash in restored_trail if action == "message_send")
    assert sends == len(restored_messages)
    # Table by table: the tables the load did not touch are equal; the others lie between the
    # counts before and after the backup.
    assert set(restored_counts) == set(after)
    for table, count in restored_counts.items():
        assert before[table] <= count <= after[table], table
    assert after["messages"] > before["messages"]  # the load really wrote while all this ran
    # Restored at the current schema: `db upgrade` changes nothing.
    assert upgraded.exit_code == 0
    assert restored_revision == HEAD
    print(
        f"\nbackup under load: {len(sent_before)} messages acknowledged before the backup, "
        f"{sent_during} during it, {len(lost)} lost; backup {seconds_in(backed_up.output)} s "
        f"({backup_file.stat().st_size:,} bytes), restore {seconds_in(restored_run.output)} s "
        f"({sum(restored_counts.values()):,} rows), verify {seconds_in(restored_check.output)} s "
        f"({len(restored_trail)} audit rows)"
    )


def test_an_older_backup_is_brought_up_to_date_with_its_trail_chained(database_url, tmp_path):
    """A backup made before the hash chain existed: restore it, `db upgrade` chains its audit rows
    (migration 0012), `audit verify` passes, and the app appends after them."""
    backup_file = tmp_path / "old.backup"
    with (
        scratch_database(database_url, "old", tmp_path) as old_url,
        scratch_database(database_url, "restore", tmp_path) as restore_url,
    ):
        assert command(old_url, "db", "upgrade", BEFORE_CHAIN).exit_code == 0
        old = sa.create_engine(old_url, poolclass=NullPool)
        with old.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO audit_events (at, action, ip_address, detail) VALUES (:at, 'sign_in', '', :detail)"
                ),
                [{"at": datetime(2026, 1, n, 9), "detail": f"old {n}"} for n in (1, 2, 3)],
            )
        old.dispose()
        assert command(old_url, "backup", str(backup_file)).exit_code == 0
        assert command(restore_url, "restore", str(backup_file)).exit_code == 0
        assert command(restore_url, "db", "upgrade").exit_code == 0
        restored = sa.create_engine(restore_url, poolclass=NullPool)
        assert revision(restored) == HEAD
        check = command(restore_url, "audit", "verify")
        assert check.exit_code == 0, check.output
        assert "3 rows checked" in check.output, check.output
        with restored.connect() as connection:
            trail = [dict(row) for row in connection.execute(sa.select(AuditEvent.__table__)).mappings()]
        assert trail[0]["prev_hash"] == GENESIS
        assert all(row["row_hash"] == hash_of(row) for row in trail)
        restored.dispose()
        from app import create_app
        from app.services import audit
        from tests.conftest import config_for_tests

        app = create_app(config_for_tests(restore_url))
        with app.app_context():
            audit.record("settings_update", detail="after the restore")
            db.session.commit()
            db.engine.dispose()
        assert "4 rows checked" in command(restore_url, "audit", "verify").output


def test_restore_refuses_a_database_that_holds_data(app, tmp_path):
    make_user(Role.ADMIN, email="alex@example.com")
    runner = app.test_cli_runner()
    backup_file = tmp_path / "backtrack.backup"
    assert runner.invoke(args=["backup", str(backup_file)]).exit_code == 0
    result = runner.invoke(args=["restore", str(backup_file)])
    assert result.exit_code == 1
    assert "This database already holds data (in users)" in result.output
    assert "Create a new, empty database" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent.__table__)) == 0


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_database_kind(app, tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    result = app.test_cli_runner().invoke(args=["restore", str(stray)])
    assert result.exit_code == 1
    kind = "an SQLite database file" if db.engine.dialect.name == "sqlite" else "a PostgreSQL custom-format"
    assert f"is not {kind}" in result.output


def test_a_backup_is_private_and_never_overwrites_a_file(app, tmp_path):
    backup_file = tmp_path / "backtrack.backup"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0
    assert "encrypt it before it leaves this machine" in result.output
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600  # it holds health data
    written = backup_file.read_bytes()
    again = runner.invoke(args=["backup", str(backup_file)])
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert backup_file.read_bytes() == written
    assert [path.name for path in tmp_path.iterdir()] == ["backtrack.backup"]  # no partial file left
    assert runner.invoke(args=["backup", str(tmp_path / "missing" / "b.backup")]).exit_code == 1


def test_the_database_password_goes_to_a_private_file_never_a_command_line(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "stale")
    url = make_url("postgresql+psycopg://clinic:pa%3Ass%5Cword@db.internal:5432/backtrack?sslmode=require")
    with backups.libpq(url) as (conninfo, environment):
        assert conninfo == "postgresql://clinic@db.internal:5432/backtrack?sslmode=require"
        assert "PGPASSWORD" not in environment  # it would win over the file
        passfile = Path(environment["PGPASSFILE"])
        assert passfile.read_text() == "*:*:*:*:pa\\:ss\\\\word\n"  # libpq's escapes
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
    assert not passfile.exists()


def test_pg_bin_dir_points_at_postgresqls_tools(tmp_path):
    with pytest.raises(backups.BackupError, match="pg_dump is not in PG_BIN_DIR"):
        backups.find_tool("pg_dump", str(tmp_path))
    (tmp_path / "pg_dump").write_text("#!/bin/sh\n")
    assert backups.find_tool("pg_dump", str(tmp_path)) == tmp_path / "pg_dump"
