"""The audit trail is tamper-evident (HIPAA 164.312(b), ASVS 5.0 16.4.2): the database refuses to
change or delete its rows, each row is hash-chained to the one before, concurrent writers never
fork the chain, and `flask --app wsgi audit verify` names the first row edited, deleted or inserted
out of order."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Role
from app.services import audit
from app.services.audit.chain import GENESIS, allow_changes_for_maintenance, hash_of
from app.services.audit.keys import keys_from_secrets
from tests.audit_support import rows, write_events
from tests.conftest import ROOT, TEST_AUDIT_KEY, Auth, csrf_token
from tests.factories import make_user, patient_on_day

TABLE = AuditEvent.__table__


def tamper(sql: str, **parameters) -> None:
    """Change the trail behind the app's back: raw SQL through the maintenance hatch."""
    db.session.rollback()
    with allow_changes_for_maintenance(db.session.connection()):
        db.session.execute(sa.text(sql), parameters)
        db.session.commit()


def verify(app, *arguments: str):
    db.session.remove()  # the command reads with connections of its own
    return app.test_cli_runner().invoke(args=["audit", "verify", *arguments])


def is_refused(statement: str, **parameters) -> bool:
    try:
        db.session.execute(sa.text(statement), parameters)
        db.session.flush()
    except sa.exc.DBAPIError as error:
        db.session.rollback()
        return "append-only" in str(error)
    db.session.rollback()
    return False


# --- Append-only -----------------------------------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_an_audit_row(app):
    [first, *_] = write_events(2)
    assert is_refused("UPDATE audit_events SET detail = 'nothing happened' WHERE id = :id", id=first)
    assert is_refused("UPDATE audit_events SET row_hash = row_hash")
    assert is_refused("DELETE FROM audit_events WHERE id = :id", id=first)
    assert is_refused("DELETE FROM audit_events")
    if db.engine.dialect.name == "postgresql":
        assert is_refused("TRUNCATE audit_events")
    event = db.session.get(AuditEvent, first)
    event.detail = "changed through the app's models"
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert [row["detail"] for row in rows()] == ["change 0", "change 1"]


def test_the_maintenance_hatch_opens_for_its_block_only(app):
    [first, second] = write_events(2)
    tamper("DELETE FROM audit_events WHERE id = :id", id=first)
    assert [row["id"] for row in rows()] == [second]
    assert is_refused("DELETE FROM audit_events")  # closed again, on the same pooled connection


def test_on_postgresql_the_hatch_needs_the_tables_owner(app):
    """The app should run as a role that does not own the tables (docs/security.md): that role
    cannot open the hatch even with arbitrary SQL. Here, a role without ownership (PostgreSQL's
    built-in pg_database_owner, which the test role may become) is given DELETE on the table and
    sets the flag, and is still refused. SQLite has no roles: its hatch is a function only the
    maintenance connection defines."""
    write_events(1)
    if db.engine.dialect.name != "postgresql":
        assert is_refused("DELETE FROM audit_events")
        return
    db.session.execute(sa.text("GRANT DELETE ON audit_events TO pg_database_owner"))
    db.session.execute(sa.text("SET LOCAL ROLE pg_database_owner"))
    db.session.execute(sa.select(sa.func.set_config("backtrack.audit_maintenance", "on", True)))
    assert is_refused("DELETE FROM audit_events")  # rolls back the grant too
    assert len(rows()) == 1


def test_the_application_never_opens_the_hatch():
    """Only the test suite (and a maintenance script run by hand) may; the name appears nowhere in
    the app but where it is defined."""
    users = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "app").rglob("*.py")
        if re.search(r"allow_changes_for_maintenance|audit_maintenance", path.read_text())
    ]
    assert users == ["app/services/audit/chain.py"]


# --- The chain -------------------------------------------------------------------------------------


def test_each_row_is_chained_to_the_one_before(app):
    ids = write_events(3)
    trail = rows()
    assert [row["prev_hash"] for row in trail] == [GENESIS, trail[0]["row_hash"], trail[1]["row_hash"]]
    assert all(row["row_hash"] == hash_of(row) for row in trail)
    assert ids == sorted(ids)
    assert trail[0]["at"] <= trail[1]["at"] <= trail[2]["at"]


def test_the_hash_covers_every_column(app):
    """Change any one column and the hash changes; a column added to the table later is covered
    without touching the hash code, because the columns are read from the table itself."""
    write_events(1)
    [row] = rows()
    assert set(row) == {column.name for column in TABLE.columns}
    others = {
        "id": row["id"] + 1,
        "at": row["at"] + timedelta(microseconds=1),
        "actor_id": None,
        "action": "sign_out",
        "patient_id": row["actor_id"],
        "ip_address": "10.0.0.1",
        "detail": row["detail"] + ".",
        "prev_hash": "f" * 64,
        "key_id": None,  # and below: another key's id
    }
    assert set(others) == set(row) - {"row_hash"}, "a new column: say here how to change it"
    for column, value in others.items():
        assert hash_of(row | {column: value}) != row["row_hash"], column
    assert hash_of(row | {"row_hash": "anything"}) == row["row_hash"]
    keys = keys_from_secrets(TEST_AUDIT_KEY, ("another-audit-key-as-long-as-it-needs-to-be",))
    other = next(key_id for key_id in keys.known if key_id != row["key_id"])
    assert hash_of(row | {"key_id": other}, keys) != row["row_hash"]


def test_events_are_written_after_every_other_change_of_the_transaction(app):
    """So the audit lock (PostgreSQL) is held only while audit rows are written and the
    transaction commits: a request holding it never waits for a row lock another holds."""
    user = make_user(Role.ADMIN)
    statements: list[str] = []

    def seen(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    audit.record("account_update", actor_id=user.id, detail="renamed")
    user.full_name = "Renamed Person"
    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    update = next(
        n for n, statement in enumerate(statements) if "UPDATE" in statement and "users" in statement
    )
    insert = next(n for n, statement in enumerate(statements) if "audit_events" in statement)
    assert update < insert
    if db.engine.dialect.name == "postgresql":
        lock = next(n for n, statement in enumerate(statements) if "pg_advisory_xact_lock" in statement)
        assert update < lock < insert


def test_events_of_a_rolled_back_transaction_or_savepoint_are_not_written(app):
    user = make_user(Role.ADMIN)
    audit.record("settings_update", actor_id=user.id, detail="rolled back")
    db.session.rollback()
    audit.record("settings_update", actor_id=user.id, detail="kept")

    def fail_inside_a_savepoint() -> None:
        with db.session.begin_nested():
            audit.record("settings_update", actor_id=user.id, detail="inside a failed savepoint")
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        fail_inside_a_savepoint()
    with db.session.begin_nested():
        audit.record("settings_update", actor_id=user.id, detail="inside a released savepoint")
    db.session.commit()
    assert [row["detail"] for row in rows()] == ["kept", "inside a released savepoint"]


def test_concurrent_writers_never_fork_the_chain(app, today):
    """Eight people send messages at once, each request its own transaction on its own connection
    (eight threads through the app); every message is audited, one chain, in order."""
    threads_count, each = 8, 12
    patients = []
    for n in range(threads_count):
        patient, _treatment = patient_on_day(10, today, email=f"writer{n}@example.com")
        patients.append(patient.email)
    db.session.commit()  # this thread holds no transaction (on SQLite: no write lock) while they write
    answers: list[int] = []

    def write(email: str) -> None:
        client = app.test_client()
        Auth(client).login(email)
        token = csrf_token(client.get("/messages"))
        for n in range(each):
            response = client.post("/messages", data={"body": f"message {n}", "csrf_token": token})
            answers.append(response.status_code)

    threads = [threading.Thread(target=write, args=(email,)) for email in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [303] * (threads_count * each)
    result = verify(app)
    assert result.exit_code == 0, result.output
    sends = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "message_send"))
    assert sends == threads_count * each
    assert f"{threads_count * each + threads_count:,} rows" in result.output  # and one sign-in each


# --- audit verify: each way of tampering is caught ---------------------------------------------------


def test_an_intact_trail_prints_ok_with_its_row_count_and_head(app):
    write_events(5)
    result = verify(app)
    head = rows()[-1]
    assert result.exit_code == 0
    assert result.output.startswith("OK: the audit trail is intact, 5 rows checked")
    assert f"head: row #{head['id']}, hash {head['row_hash']}" in result.output
    assert verify(app, "--head", head["row_hash"]).exit_code == 0


def test_an_empty_trail_is_intact(app):
    result = verify(app)
    assert result.exit_code == 0
    assert "0 rows checked" in result.output


TAMPERING = {
    "detail edited": (
        "UPDATE audit_events SET detail = 'nothing to see' WHERE id = :third",
        "third",
        "edited",
    ),
    "person removed": ("UPDATE audit_events SET actor_id = NULL WHERE id = :third", "third", "edited"),
    "hash replaced": ("UPDATE audit_events SET row_hash = :forged WHERE id = :third", "third", "edited"),
    "deleted in the middle": ("DELETE FROM audit_events WHERE id = :third", "fourth", "deleted"),
    "first row deleted": ("DELETE FROM audit_events WHERE id = :first", "second", "deleted"),
}


@pytest.mark.parametrize("way", TAMPERING)
def test_audit_verify_names_the_row_tampered_with(app, way):
    sql, named, word = TAMPERING[way]
    ids = dict(zip(("first", "second", "third", "fourth", "fifth"), write_events(5), strict=True))
    tamper(sql, **ids, forged="a" * 64)
    result = verify(app)
    assert result.exit_code == 1
    assert f"row #{ids[named]}" in result.output, result.output
    assert word in result.output, result.output
    assert result.output.startswith("FAILED:")


def test_a_changed_time_is_caught(app):
    ids = write_events(3)
    with_time = rows()[1]
    tamper(
        "UPDATE audit_events SET at = :earlier WHERE id = :id",
        earlier=with_time["at"] - timedelta(hours=1),
        id=ids[1],
    )
    result = verify(app)
    assert result.exit_code == 1
    assert f"row #{ids[1]} was edited" in result.output


def test_an_edit_with_a_recomputed_hash_is_caught_at_the_next_row(app):
    ids = write_events(4)
    row = rows()[1] | {"detail": "nothing to see"}
    tamper(
        "UPDATE audit_events SET detail = :detail, row_hash = :hash WHERE id = :id",
        detail=row["detail"],
        hash=hash_of(row),
        id=ids[1],
    )
    result = verify(app)
    assert result.exit_code == 1
    assert f"row #{ids[1]} was rewritten with a new hash" in result.output


def forged_row(row_id: int, prev_hash: str) -> dict:
    row = {"id": row_id, "at": rows()[0]["at"], "actor_id": None, "action": "sign_in", "patient_id": None}
    row |= {"ip_address": "10.9.9.9", "detail": "never happened", "prev_hash": prev_hash}
    return row | {"row_hash": hash_of(row)}


INSERT = (
    "INSERT INTO audit_events (id, at, actor_id, action, patient_id, ip_address, detail, prev_hash, row_hash) "
    "VALUES (:id, :at, :actor_id, :action, :patient_id, :ip_address, :detail, :prev_hash, :row_hash)"
)


def test_a_row_inserted_out_of_order_is_named(app):
    """A well-formed row (its own hash right) placed before the first: the rows after it are still
    chained to each other, so the inserted one stands out."""
    ids = write_events(3)
    forged = forged_row(ids[0] - 1, rows()[-1]["row_hash"])
    tamper(INSERT, **forged)
    result = verify(app)
    assert result.exit_code == 1
    assert f"row #{forged['id']} was inserted out of order" in result.output, result.output


def test_a_row_appended_with_a_made_up_link_is_named(app):
    ids = write_events(3)
    tamper(INSERT, **forged_row(ids[-1] + 1, "b" * 64))
    result = verify(app)
    assert result.exit_code == 1
    assert f"row #{ids[-1] + 1} is not chained to row #{ids[-1]}" in result.output


def test_rows_cut_from_the_end_are_caught_against_the_recorded_head(app):
    ids = write_events(4)
    head = rows()[-1]["row_hash"]
    tamper("DELETE FROM audit_events WHERE id = :id", id=ids[-1])
    assert verify(app).exit_code == 0  # a shorter chain is still whole ...
    result = verify(app, "--head", head)
    assert result.exit_code == 1  # ... but the head recorded earlier is gone
    assert "rows at the end of the trail were deleted" in result.output
    assert verify(app, "--head", "not-a-hash").exit_code == 2


def test_the_app_appends_after_the_existing_head(app):
    """New rows continue the chain from its head, also when ids have gaps (PostgreSQL sequences
    skip values on rollback)."""
    write_events(2)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))"))
        db.session.commit()
    write_events(2)
    assert verify(app).exit_code == 0
