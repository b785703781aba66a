"""The audit key (HIPAA 164.312(c)(1)): kept beside SECRET_KEY, never in the database, required in
production; each row names the key that chained it; a new key is a rotation recorded on the trail
and chained with the old one; rows from before the key keep verifying; a wrong key fails clearly."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app import create_app
from app.extensions import db
from app.models import AuditEvent, Role
from app.services import audit
from app.services.audit.chain import KEY_CHANGE, UnknownAuditKey, hash_of
from app.services.audit.keys import AuditKey, current_keys
from tests.audit_support import app_on, checkpoint, command_on, failed, rows, run, tamper_rows, write_events
from tests.conftest import ROOT, TEST_AUDIT_KEY, TEST_SECRET, Auth
from tests.databases import scratch_database
from tests.factories import make_user

NEW_KEY = "the-clinic-s-next-audit-key-made-by-flask-audit-new-key"
OTHER_KEY = "a-key-that-never-chained-anything-in-this-audit-trail"
A, B = AuditKey.from_secret(TEST_AUDIT_KEY), AuditKey.from_secret(NEW_KEY)


@pytest.fixture
def checkpoint_file(app, tmp_path, monkeypatch):
    path = tmp_path / "audit-checkpoints.jsonl"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_FILE", str(path))
    return path


def production_app(tmp_path, **settings):
    return create_app(
        {"SECRET_KEY": TEST_SECRET, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", **settings}
    )


@pytest.mark.parametrize("key", [None, "", "change-me", "too-short", TEST_SECRET])
def test_production_refuses_to_start_without_its_own_audit_key(monkeypatch, tmp_path, key):
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    with pytest.raises(RuntimeError, match="Refusing to start: set AUDIT_KEY"):
        production_app(tmp_path, AUDIT_KEY=key)


def test_old_keys_come_from_the_environment_and_must_be_real(monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIT_KEY", NEW_KEY)
    monkeypatch.setenv("AUDIT_OLD_KEYS", f"{TEST_AUDIT_KEY}, {OTHER_KEY}")
    app = production_app(tmp_path)
    assert app.config["AUDIT_KEY"] == NEW_KEY
    assert app.config["AUDIT_OLD_KEYS"] == [TEST_AUDIT_KEY, OTHER_KEY]
    monkeypatch.setenv("AUDIT_OLD_KEYS", "short")
    with pytest.raises(RuntimeError, match="AUDIT_OLD_KEYS holds a value shorter than 32"):
        production_app(tmp_path)


def test_development_derives_a_stable_audit_key_from_its_secret(tmp_path):
    settings = {"BACKTRACK_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    first, second = create_app(settings), create_app(settings)
    assert len(first.config["AUDIT_KEY"]) >= 32
    assert first.config["AUDIT_KEY"] == second.config["AUDIT_KEY"] != first.config["SECRET_KEY"]


def test_every_row_names_its_key_and_is_keyed_with_it(app):
    write_events(2)
    for row in rows():
        assert row["key_id"] == A.id
        assert row["row_hash"] == hash_of(row)
        assert row["row_hash"] != hash_of(row | {"key_id": None})  # not plain SHA-256
    assert TEST_AUDIT_KEY not in str(rows())  # the id names the key, never holds it


def switch_keys(monkeypatch, app, current: str, old: list[str]) -> None:
    monkeypatch.setitem(app.config, "AUDIT_KEY", current)
    monkeypatch.setitem(app.config, "AUDIT_OLD_KEYS", old)


def test_a_key_rotation_is_on_the_trail_chained_with_the_old_key_and_verifies(
    app, monkeypatch, checkpoint_file, client
):
    write_events(2)
    checkpoint(app, "--new-file")  # signed with the old key
    switch_keys(monkeypatch, app, NEW_KEY, [TEST_AUDIT_KEY])
    ids = write_events(2)
    trail = rows()
    rotation = trail[2]
    assert (rotation["action"], rotation["key_id"]) == (KEY_CHANGE, A.id)
    assert rotation["detail"] == f"Rows after this one are chained with audit key {B.id}."
    assert rotation["prev_hash"] == trail[1]["row_hash"]
    assert [row["key_id"] for row in trail] == [A.id, A.id, A.id, B.id, B.id]
    checkpoint(app)  # signed with the new one
    result = run(app, "verify")
    assert result.exit_code == 0, result.output
    assert f"Rows #{ids[0]}–#{ids[2]} (3): HMAC-SHA-256 with audit key {A.id} (from AUDIT_OLD_KEYS); " in (
        result.output
    )
    assert f"row #{ids[2]} hands over to audit key {B.id}." in result.output
    assert f"Rows #{ids[3]}–#{ids[4]} (2): HMAC-SHA-256 with audit key {B.id} (AUDIT_KEY)." in result.output
    assert f"Checkpoints: 2 in {checkpoint_file}, all agree" in result.output
    write_events(1)
    assert len(rows()) == 6, "one rotation row, not one per write"
    Auth(client).login(make_user(Role.ADMIN).email)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "Audit key changed" in page.get_data(as_text=True)


def test_a_host_without_the_trails_last_key_refuses_to_write(app, monkeypatch):
    """AUDIT_KEY replaced and the old key not kept (or a host still on the old key after another
    rotated): it cannot chain after the head, so it writes nothing rather than break the chain."""
    write_events(1)
    switch_keys(monkeypatch, app, NEW_KEY, [])
    audit.record("settings_update", detail="cannot be chained")
    with pytest.raises(UnknownAuditKey, match=f"calls for audit key {A.id}.*AUDIT_OLD_KEYS"):
        db.session.commit()
    db.session.rollback()
    assert len(rows()) == 1


def test_a_wrong_key_fails_clearly(app, monkeypatch, checkpoint_file):
    ids = write_events(2)
    checkpoint(app, "--new-file")
    switch_keys(monkeypatch, app, OTHER_KEY, [])
    output = failed(run(app, "verify"))
    assert f"row #{ids[0]} is chained with audit key {A.id}, which this configuration does not have" in output
    assert "give that key as AUDIT_KEY or in AUDIT_OLD_KEYS" in output
    assert f"line 1 is signed with audit key {A.id}, which this configuration does not have" in output


def test_after_a_rotation_a_leaked_old_key_cannot_append(app, monkeypatch):
    write_events(1)
    switch_keys(monkeypatch, app, NEW_KEY, [TEST_AUDIT_KEY])
    write_events(1)
    head = rows()[-1]
    forged = head | {"id": head["id"] + 1, "detail": "made with the old key", "prev_hash": head["row_hash"]}
    forged |= {"key_id": A.id}
    forged["row_hash"] = hash_of(forged)  # the old key really signs it
    tamper_rows(
        "INSERT INTO audit_events (id, at, actor_id, action, patient_id, ip_address, detail, prev_hash, "
        "row_hash, key_id) VALUES (:id, :at, :actor_id, :action, :patient_id, :ip_address, :detail, "
        ":prev_hash, :row_hash, :key_id)",
        [forged],
    )
    failed(
        run(app, "verify"),
        f"row #{forged['id']} is chained with audit key {A.id}, but row #{head['id']} before it hands on to key {B.id}",
    )


def test_rows_from_before_the_key_keep_verifying_and_the_first_keyed_row_marks_the_switch(
    database_url, tmp_path
):
    """A trail chained with plain SHA-256 (migration 0012, and the app until now): migration 0013
    rewrites nothing; verify checks plain hashes up to the first keyed row and keyed ones after."""
    before_key = ScriptDirectory(str(ROOT / "migrations")).get_revision("0013").down_revision
    before_chain = ScriptDirectory(str(ROOT / "migrations")).get_revision(before_key).down_revision
    with scratch_database(database_url, "before_key", tmp_path) as url:
        assert command_on(url, "db", "upgrade", before_chain).exit_code == 0
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO audit_events (at, action, ip_address, detail) VALUES (:at, 'sign_in', '', :d)"
                ),
                [{"at": datetime(2026, 1, n, 9), "d": f"old {n}"} for n in (1, 2, 3)],
            )
        assert command_on(url, "db", "upgrade", before_key).exit_code == 0  # 0012 chains them
        with engine.connect() as connection:
            chained = connection.execute(sa.text("SELECT id, row_hash FROM audit_events ORDER BY id")).all()
        assert command_on(url, "db", "upgrade").exit_code == 0
        with engine.connect() as connection:
            assert (
                connection.execute(sa.text("SELECT id, row_hash FROM audit_events ORDER BY id")).all()
                == chained
            )
        result = command_on(url, "audit", "verify")
        assert result.exit_code == 0, result.output
        assert "Rows #1–#3 (3): SHA-256 without a key (written before the audit key)." in result.output
        assert command_on(url, "db", "downgrade", before_key).exit_code == 0  # no keyed row yet: it may
        assert command_on(url, "db", "upgrade").exit_code == 0
        with app_on(url):
            for n in range(2):
                audit.record("settings_update", detail=f"keyed {n}")
                db.session.commit()
            key_id = current_keys().current.id
        result = command_on(url, "audit", "verify")
        assert result.exit_code == 0, result.output
        assert result.output.startswith("OK: the audit trail is intact, 5 rows checked")
        assert "Rows #1–#3 (3): SHA-256 without a key" in result.output
        assert f"Rows #4–#5 (2): HMAC-SHA-256 with audit key {key_id} (AUDIT_KEY)." in result.output
        downgraded = command_on(url, "db", "downgrade", before_key)
        assert (
            downgraded.exit_code == 1
        )  # "Refusing to downgrade: 2 audit rows are chained with the audit key"
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(key_id) FROM audit_events")).scalar() == 2
        engine.dispose()


def test_keyed_rows_cost_no_statement_more(app):
    """The key is configuration, not a query: an audited change writes its row with the same
    statements as before (the head read and the insert; on PostgreSQL also the lock)."""
    user = make_user(Role.ADMIN)
    statements: list[str] = []

    def seen(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    audit.record("settings_update", actor_id=user.id, detail="one")
    db.session.commit()
    audit.record("settings_update", actor_id=user.id, detail="two")
    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    expected = 3 if db.engine.dialect.name == "postgresql" else 2
    assert len([s for s in statements if "audit_events" in s or "advisory" in s]) == expected, statements
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 2
