"""Someone with the database but not the application's secrets cannot rewrite the audit trail
unseen (HIPAA 164.312(b), (c)(1)). The append-only triggers are out of the way here (the
maintenance hatch, as for an attacker who dropped them); then rows are cut from the end, a row is
edited and every later hash recomputed (plain SHA-256, or a guessed key), a row is forged onto the
head, the whole chain is replaced consistently, and the database is rolled back to an older
backup. `flask audit verify` names the row or the checkpoint that disagrees, every time."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.extensions import db
from app.services import audit
from app.services.audit.chain import GENESIS, canonical
from app.services.audit.keys import AuditKey, current_keys
from tests.audit_support import app_on, checkpoint, command_on, failed, rows, run, tamper_rows, write_events
from tests.databases import scratch_database
from tests.smtp_server import smtp_server

GUESS = AuditKey.from_secret("what an attacker might guess the audit key is, at length")


@pytest.fixture
def checkpoint_file(app, tmp_path, monkeypatch):
    path = tmp_path / "audit-checkpoints.jsonl"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_FILE", str(path))
    return path


# --- How an attacker without the key would recompute hashes ----------------------------------------


def plain_sha256(keep_key_id: bool):
    def rehash(row: dict) -> dict:
        row = row if keep_key_id else row | {"key_id": None}
        return row | {"row_hash": hashlib.sha256(canonical(row)).hexdigest()}

    return rehash


def guessed_key(claim_real_key: bool):
    def rehash(row: dict) -> dict:
        row = row if claim_real_key else row | {"key_id": GUESS.id}
        return row | {"row_hash": hmac.digest(GUESS.chain, canonical(row), "sha256").hex()}

    return rehash


INSERT_KEYED = (
    "INSERT INTO audit_events (id, at, actor_id, action, patient_id, ip_address, detail, prev_hash, row_hash, "
    "key_id) VALUES (:id, :at, :actor_id, :action, :patient_id, :ip_address, :detail, :prev_hash, :row_hash, "
    ":key_id)"
)
REWRITE = (
    "UPDATE audit_events SET detail = :detail, key_id = :key_id, prev_hash = :prev_hash, "
    "row_hash = :row_hash WHERE id = :id"
)


def rewrite_from(row_id: int, detail: str, rehash) -> None:
    """Edit row `row_id`'s detail, then relink and rehash it and every row after it."""
    changed, previous = [], None
    for row in rows():
        if row["id"] >= row_id:
            row = rehash(row | {"prev_hash": previous} | ({"detail": detail} if row["id"] == row_id else {}))
            changed.append(row)
        previous = row["row_hash"]
    tamper_rows(REWRITE, changed)


def replace_whole_trail(count: int) -> None:
    """Delete every row and write `count` consistent rows of one's own, plain SHA-256 (as rows from
    before the audit key would be), chained from the start."""
    rehash = plain_sha256(keep_key_id=False)
    template = rows()[0]
    tamper_rows("DELETE FROM audit_events", [{}])
    made, previous = [], GENESIS
    for n in range(1, count + 1):
        row = rehash(template | {"id": n, "detail": f"a quieter story {n}", "prev_hash": previous})
        made.append(row)
        previous = row["row_hash"]
    tamper_rows(INSERT_KEYED, made)


# --- (1) Rows cut from the end -------------------------------------------------------------------------


def test_rows_cut_from_the_end_are_named_by_the_checkpoint(app, checkpoint_file):
    ids = write_events(5)
    checkpoint(app, "--new-file")
    tamper_rows("DELETE FROM audit_events WHERE id > :id", [{"id": ids[2]}])
    output = failed(
        run(app, "verify"),
        f"saw 5 rows up to row #{ids[-1]}, which the trail no longer has",
        f"it ends at row #{ids[2]} (3 rows)",
        f"{checkpoint_file} line 1",
        "cut from the end",
    )
    assert "Checkpoints: 1 in" in output
    refused = run(app, "checkpoint")  # the timer's next run refuses to sign the shorter trail
    failed(refused, "no checkpoint written", f"row #{ids[-1]}")
    assert len(checkpoint_file.read_text().splitlines()) == 1


# --- (2) A row edited and every later hash recomputed ----------------------------------------------------

RECOMPUTED = {
    "plain SHA-256, key id kept": (plain_sha256(keep_key_id=True), "was edited or forged"),
    "plain SHA-256, key id dropped": (plain_sha256(keep_key_id=False), "has a plain SHA-256 hash"),
    "a guessed key, the real key id": (guessed_key(claim_real_key=True), "was edited or forged"),
    "a guessed key, its own key id": (
        guessed_key(claim_real_key=False),
        "which this configuration does not have",
    ),
}


@pytest.mark.parametrize("way", RECOMPUTED)
def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_named(app, way):
    rehash, words = RECOMPUTED[way]
    ids = write_events(5)
    rewrite_from(ids[1], "nothing happened", rehash)
    failed(run(app, "verify"), f"row #{ids[1]} ", words, "The 1 rows before it are intact.")


# --- (3) A row forged onto the head ---------------------------------------------------------------


FORGED = {
    "plain SHA-256": (plain_sha256(keep_key_id=False), "has a plain SHA-256 hash"),
    "a guessed key, the real key id": (guessed_key(claim_real_key=True), "was edited or forged"),
    "a guessed key, its own key id": (
        guessed_key(claim_real_key=False),
        "which this configuration does not have",
    ),
}


@pytest.mark.parametrize("way", FORGED)
def test_a_row_forged_onto_the_head_is_named(app, way):
    rehash, words = FORGED[way]
    ids = write_events(3)
    head = rows()[-1]
    forged = rehash(head | {"id": head["id"] + 1, "detail": "never happened", "prev_hash": head["row_hash"]})
    tamper_rows(INSERT_KEYED, [forged])
    failed(run(app, "verify"), f"row #{ids[-1] + 1} ", words, "The 3 rows before it are intact.")


# --- (4) The whole chain replaced consistently -------------------------------------------------------


def test_a_whole_chain_replaced_consistently_is_named_by_the_checkpoint(app, checkpoint_file):
    """A trail of plain SHA-256 rows from the start is what a trail written before the key looks
    like: the chain alone cannot tell. The checkpoint, signed with the key, can."""
    ids = write_events(4)
    checkpoint(app, "--new-file")
    replace_whole_trail(len(ids) + ids[0] - 1)  # the same ids, the same count, other content
    failed(
        run(app, "verify"),
        f"row #{ids[-1]} differs from the checkpoint of",
        f"{checkpoint_file} line 1",
        "The trail was rewritten",
    )
    checkpoint_file.unlink()
    app.config["AUDIT_CHECKPOINT_FILE"] = None
    alone = run(app, "verify")  # without a checkpoint, what is left is a whole (plain) chain
    assert alone.exit_code == 0, alone.output
    assert "SHA-256 without a key" in alone.output
    assert "Checkpoints: none read" in alone.output


def test_a_shorter_replacement_chain_is_named_by_the_checkpoint(app, checkpoint_file):
    ids = write_events(4)
    checkpoint(app, "--new-file")
    replace_whole_trail(2)
    failed(run(app, "verify"), f"saw 4 rows up to row #{ids[-1]}, which the trail no longer has")


# --- (5) The database rolled back to an older backup ---------------------------------------------


def write_into(database_url: str, count: int) -> None:
    with app_on(database_url):
        for n in range(count):
            audit.record("settings_update", detail=f"after the roll-back {n}")
            db.session.commit()


@pytest.mark.parametrize("written_after", [0, 3])
def test_a_database_rolled_back_to_an_older_backup_is_named(
    app, database_url, checkpoint_file, tmp_path, written_after
):
    """Restored from last week's backup (and, in the second case, written to since, so the trail is
    as long again as the checkpoint saw): the checkpoint taken after the backup disagrees."""
    write_events(3)
    backup_file = tmp_path / "older.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(backup_file)]).exit_code == 0
    ids = write_events(3)
    checkpoint(app, "--new-file")
    with scratch_database(database_url, "rolled_back", tmp_path) as rolled_back:
        restored = command_on(rolled_back, "restore", str(backup_file))
        assert restored.exit_code == 0, restored.output
        write_into(rolled_back, written_after)
        result = command_on(rolled_back, "audit", "verify", "--checkpoints", str(checkpoint_file))
    if written_after:
        failed(result, f"row #{ids[-1]} differs from the checkpoint of", "replaced by another copy")
    else:
        failed(result, f"saw 6 rows up to row #{ids[-1]}, which the trail no longer has", "older backup")


# --- The checkpoint file itself ----------------------------------------------------------------------


def edited_line(line: str, **changes) -> str:
    return json.dumps(json.loads(line) | changes, sort_keys=True)


CHECKPOINT_EDITS = {
    "rows lowered to hide a cut": lambda line: edited_line(line, rows=3),
    "head hash replaced": lambda line: edited_line(line, head_hash="c" * 64),
    "time moved": lambda line: edited_line(line, at="2020-01-01T00:00:00Z"),
    "signed with a guessed key": lambda line: edited_line(line, rows=3, signature="d" * 64),
}


@pytest.mark.parametrize("edit", CHECKPOINT_EDITS)
def test_an_edited_checkpoint_is_named_by_its_signature(app, checkpoint_file, edit):
    write_events(3)
    checkpoint(app, "--new-file")
    write_events(2)
    checkpoint(app)
    first, second = checkpoint_file.read_text().splitlines()
    checkpoint_file.write_text(f"{first}\n{CHECKPOINT_EDITS[edit](second)}\n")
    failed(run(app, "verify"), f"{checkpoint_file} line 2: its signature does not match", "(1 refused)")
    failed(run(app, "checkpoint"), "no checkpoint written", "line 2")


def test_a_checkpoint_made_up_with_another_key_or_no_checkpoint_at_all_is_named(app, checkpoint_file):
    write_events(2)
    checkpoint(app, "--new-file")
    [line] = checkpoint_file.read_text().splitlines()
    with checkpoint_file.open("a") as file:
        file.write(edited_line(line, key=GUESS.id) + "\n")
        file.write("rows=2 head=7\n")
        file.write(edited_line(line, note="fine") + "\n")
    output = failed(run(app, "verify"))
    assert f"line 2 is signed with audit key {GUESS.id}, which this configuration does not have" in output
    assert "line 3 is not a checkpoint" in output
    assert "line 4 has other fields than a checkpoint's" in output


def test_a_missing_checkpoint_file_fails_and_is_never_quietly_started_again(app, checkpoint_file):
    write_events(2)
    failed(run(app, "checkpoint"), "does not exist", "--new-file")
    assert not checkpoint_file.exists()
    checkpoint(app, "--new-file")
    failed(run(app, "checkpoint", "--new-file"), "exists already")
    checkpoint_file.unlink()  # an operator, or an attacker, removes it
    failed(run(app, "verify"), f"the checkpoint file {checkpoint_file} does not exist", "who removed it")
    failed(run(app, "checkpoint"), "does not exist")


def test_checkpoints_follow_the_trail_and_verify_says_what_it_checked(app, checkpoint_file):
    write_events(2)
    checkpoint(app, "--new-file")
    ids = write_events(3)
    result = run(app, "checkpoint")
    assert result.exit_code == 0, result.output
    key = current_keys().current.id
    assert f"Checkpoint: 5 rows up to row #{ids[-1]}, signed with audit key {key}" in result.output
    assert checkpoint_file.stat().st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [(line["rows"], line["head_id"]) for line in lines] == [(2, ids[1]), (5, ids[-1])]
    assert lines[-1]["head_hash"] == rows()[-1]["row_hash"]
    verified = run(app, "verify")
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("OK: the audit trail is intact, 5 rows checked")
    assert f"Rows #{ids[0]}–#{ids[-1]} (5): HMAC-SHA-256 with audit key {key} (AUDIT_KEY)." in verified.output
    assert f"Checkpoints: 2 in {checkpoint_file}, all agree with the trail" in verified.output
    assert f"saw 5 rows up to row #{ids[-1]}" in verified.output


def test_an_unchanged_head_is_checked_each_run_and_written_once_an_hour(app, checkpoint_file):
    ids = write_events(2)
    checkpoint(app, "--new-file")
    quiet = run(app, "checkpoint")
    assert quiet.exit_code == 0, quiet.output
    assert "checked again; nothing written" in quiet.output
    assert len(checkpoint_file.read_text().splitlines()) == 1
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=61), tick=True):
        checkpoint(app)
    assert len(checkpoint_file.read_text().splitlines()) == 2
    tamper_rows("DELETE FROM audit_events WHERE id = :id", [{"id": ids[-1]}])
    failed(run(app, "checkpoint"), "no checkpoint written")  # checked even when it would write nothing


def test_a_checkpoint_can_be_mailed_to_the_operator_and_checked_from_the_mail(
    app, checkpoint_file, monkeypatch
):
    write_events(2)
    with smtp_server() as inbox:
        for name, value in {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": inbox.port,
            "AUDIT_CHECKPOINT_EMAIL": "operator@clinic.example",
        }.items():
            monkeypatch.setitem(app.config, name, value)
        checkpoint(app, "--new-file", "--mail")
    [(recipients, message)] = inbox.messages
    assert recipients == ["operator@clinic.example"]
    assert message["Subject"] == f"Backtrack audit checkpoint: 2 rows, row #{rows()[-1]['id']}"
    body = message.get_payload(decode=True).decode()
    [line] = [text for text in body.splitlines() if text.startswith("{")]
    assert line == checkpoint_file.read_text().strip()
    assert "change 0" not in body  # counts and hashes only, never what a row says
    mailed = checkpoint_file.parent / "from-the-mail.jsonl"
    mailed.write_text(line + "\n")
    app.config["AUDIT_CHECKPOINT_FILE"] = None
    tamper_rows("DELETE FROM audit_events WHERE id = :id", [{"id": rows()[-1]["id"]}])
    failed(run(app, "verify", "--checkpoints", str(mailed)), "which the trail no longer has")


def test_a_checkpoint_needs_somewhere_to_go(app, monkeypatch):
    assert run(app, "checkpoint").exit_code == 1
    result = run(app, "checkpoint", "--mail")
    assert result.exit_code == 1
    assert "AUDIT_CHECKPOINT_EMAIL" in result.output
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_EMAIL", "operator@clinic.example")
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    result = run(app, "checkpoint", "--mail")
    assert result.exit_code == 1
    assert "FAILED: the checkpoint was not e-mailed" in result.output
    assert "MAIL_SERVER" in result.output
