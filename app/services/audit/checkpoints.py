"""Checkpoints: the audit trail's head anchored outside the database.

A chain, even a keyed one, cannot show rows cut from its end, a database rolled back to an older
backup, or a trail replaced whole by one made without the key (plain SHA-256 rows, as before the
key): what is left is whole. So `flask --app wsgi audit checkpoint`, run by the same timer as
`send-reminders`, writes the trail's row count, its head (row id and hash) and the time, signed
with the audit key (HMAC-SHA-256 with a subkey of its own, app/services/audit/keys.py), as one
JSON line appended to `AUDIT_CHECKPOINT_FILE`, and with `--mail` also e-mails the line to
`AUDIT_CHECKPOINT_EMAIL`. `flask --app wsgi audit verify` then checks the trail against every
checkpoint it can read: each one's head row must still be there, with that hash and that many rows
up to it, so a trail shorter than a checkpoint saw, or different from it, is named with the
checkpoint that disagrees. A line edited in the file no longer matches its signature and is named.

Each run first checks the rows since the previous checkpoint (its head still there, as it saw it,
and every row after it chained on), so a checkpoint never vouches for a trail that disagrees with
the one before it, and tampering shows within one timer interval. The file must exist: the first
run is `audit checkpoint --new-file`; after that a missing file is a failure, not a fresh start.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from app.services.audit.chain import ChainReport, verify, verify_since
from app.services.audit.keys import AuditKey, AuditKeys
from app.services.between_visits.channels import ChannelError, send_email

FIELDS = ("at", "head_hash", "head_id", "key", "rows")


class CheckpointError(Exception):
    """A checkpoint could not be read, trusted, written or sent; the message says which and why."""


@dataclass(frozen=True)
class Checkpoint:
    at: datetime  # UTC
    rows: int
    head_id: int | None  # None: the trail was empty
    head_hash: str
    key_id: str  # the audit key that signed it
    signature: str
    source: str = ""  # where it was read ("FILE line N"), empty when just made

    @property
    def described(self) -> str:
        where = f" ({self.source})" if self.source else ""
        return f"the checkpoint of {self.at:%Y-%m-%d %H:%M:%S} UTC{where}"

    def line(self) -> str:
        return json.dumps(signed_fields(self) | {"signature": self.signature}, sort_keys=True)


def signed_fields(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "at": checkpoint.at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "head_hash": checkpoint.head_hash,
        "head_id": checkpoint.head_id,
        "key": checkpoint.key_id,
        "rows": checkpoint.rows,
    }


def signature(key: AuditKey, checkpoint: Checkpoint) -> str:
    text = json.dumps(signed_fields(checkpoint), sort_keys=True, separators=(",", ":"))
    return hmac.digest(key.checkpoint, b"backtrack audit checkpoint\n" + text.encode(), "sha256").hex()


def sign(keys: AuditKeys, report: ChainReport, at: datetime) -> Checkpoint:
    at = at.astimezone(UTC).replace(microsecond=0)
    unsigned = Checkpoint(at, report.rows, report.head_id, report.head_hash, keys.current.id, "")
    return replace(unsigned, signature=signature(keys.current, unsigned))


# --- Reading ---------------------------------------------------------------------------------------


@dataclass
class Reading:
    """What one checkpoint file holds: the checkpoints it proves, and what is wrong with the rest."""

    path: Path
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def latest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def read(path: Path, keys: AuditKeys) -> Reading:
    """Every line of the file, each checked against its signature. A missing file is a problem:
    once checkpoints are kept, their file going away is what an attacker would want."""
    reading = Reading(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        reading.problems.append(
            f"the checkpoint file {path} does not exist: start it with `flask --app wsgi audit "
            "checkpoint --new-file` if it never did; if it did, find out who removed it."
        )
        return reading
    except (OSError, UnicodeDecodeError) as error:
        reading.problems.append(f"the checkpoint file {path} cannot be read: {error}.")
        return reading
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                reading.checkpoints.append(parse(line, keys, f"{path} line {number}"))
            except CheckpointError as error:
                reading.problems.append(str(error))
    return reading


def parse(line: str, keys: AuditKeys, source: str) -> Checkpoint:
    try:
        values = json.loads(line)
        checkpoint = Checkpoint(
            at=datetime.fromisoformat(values["at"]).astimezone(UTC),
            rows=int(values["rows"]),
            head_id=None if values["head_id"] is None else int(values["head_id"]),
            head_hash=str(values["head_hash"]),
            key_id=str(values["key"]),
            signature=str(values["signature"]),
            source=source,
        )
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise CheckpointError(f"{source} is not a checkpoint ({type(error).__name__}: {error}).") from error
    if set(values) != {*FIELDS, "signature"}:
        raise CheckpointError(f"{source} has other fields than a checkpoint's: it was edited.")
    key = keys.get(checkpoint.key_id)
    if key is None:
        raise CheckpointError(
            f"{source} is signed with audit key {checkpoint.key_id}, which this configuration does "
            "not have: give that key as AUDIT_KEY or in AUDIT_OLD_KEYS."
        )
    if not hmac.compare_digest(signature(key, checkpoint), checkpoint.signature):
        raise CheckpointError(
            f"{source}: its signature does not match its content under audit key {key.id}: the "
            "line was edited or made up (whoever did it did not have the key)."
        )
    return checkpoint


def read_all(paths: Sequence[Path], keys: AuditKeys) -> list[Reading]:
    return [read(path, keys) for path in paths]


def describe(readings: Sequence[Reading], report: ChainReport, now: datetime) -> str:
    """What the trail was checked against, for `audit verify`'s output."""
    if not readings:
        return (
            "Checkpoints: none read (set AUDIT_CHECKPOINT_FILE, or give --checkpoints FILE), so rows "
            "cut from the end, a trail replaced whole or a database rolled back would not show."
        )
    files = "; ".join(
        f"{len(reading.checkpoints):,} in {reading.path}"
        + (f" ({len(reading.problems):,} refused)" if reading.problems else "")
        for reading in readings
    )
    proved = [checkpoint for reading in readings for checkpoint in reading.checkpoints]
    if not proved:
        return f"Checkpoints: {files}."
    latest = max(proved, key=lambda checkpoint: (checkpoint.at, checkpoint.rows))
    agreement = "all agree with the trail" if report.intact else "compared with the trail"
    head = f"up to row #{latest.head_id}" if latest.head_id is not None else "(an empty trail)"
    return (
        f"Checkpoints: {files}, {agreement}; the latest, of {latest.at:%Y-%m-%d %H:%M:%S} UTC "
        f"({age(now - latest.at)} ago, {latest.source}), saw {latest.rows:,} rows {head}."
    )


def age(elapsed: timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} minute{'s' * (minutes != 1)}"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours"
    return f"{minutes // (24 * 60)} days"


# --- Writing ---------------------------------------------------------------------------------------


def configured_file(config: Mapping[str, Any]) -> Path | None:
    value = config.get("AUDIT_CHECKPOINT_FILE")
    return Path(value).expanduser() if value else None


HEARTBEAT = timedelta(hours=1)  # an unchanged head is written again this often, to show the timer runs


@dataclass(frozen=True)
class Taken:
    checkpoint: Checkpoint
    written: bool  # False: the head is as the latest checkpoint, under an hour old, saw it


def take(
    engine: Engine,
    keys: AuditKeys,
    path: Path | None,
    now: datetime,
    new_file: bool = False,
    always: bool = False,
) -> Taken:
    """Check the trail since the file's latest checkpoint (all of it for a new file), then sign its
    head and append the checkpoint to the file, unless the latest one already says the same and is
    under an hour old (a quiet night adds a line an hour, not six: verify reads every line) or
    `always`. Raises CheckpointError, writing nothing, when the file or the trail disagrees."""
    latest = None
    if path is not None:
        if new_file and path.exists():
            raise CheckpointError(f"the checkpoint file {path} exists already: leave out --new-file.")
        if not new_file:
            reading = read(path, keys)
            if reading.problems:
                raise CheckpointError(f"no checkpoint written: {reading.problems[0]}")
            latest = reading.latest
    report = verify_since(engine, keys, latest) if latest is not None else verify(engine, keys)
    if not report.intact:
        raise CheckpointError(
            f"no checkpoint written: the audit trail disagrees with itself or with the latest "
            f"checkpoint: {report.problem} Run `flask --app wsgi audit verify`."
        )
    if not always and latest is not None and now - latest.at < HEARTBEAT and same_head(latest, report, keys):
        return Taken(latest, written=False)
    checkpoint = sign(keys, report, now)
    if path is not None:
        append(path, checkpoint, new_file)
    return Taken(checkpoint, written=True)


def same_head(checkpoint: Checkpoint, report: ChainReport, keys: AuditKeys) -> bool:
    seen = (checkpoint.rows, checkpoint.head_id, checkpoint.head_hash, checkpoint.key_id)
    return seen == (report.rows, report.head_id, report.head_hash, keys.current.id)


def append(path: Path, checkpoint: Checkpoint, new_file: bool) -> None:
    """One line, appended (O_APPEND: never over what is there; the file may be `chattr +a`),
    flushed to disk. A new file is created readable by its owner only."""
    flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if new_file else 0)
    try:
        descriptor = os.open(path, flags, 0o600)
    except OSError as error:
        raise CheckpointError(f"cannot write the checkpoint file {path}: {error}.") from error
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        file.write(checkpoint.line() + "\n")
        file.flush()
        os.fsync(file.fileno())


def mail(config: Mapping[str, Any], checkpoint: Checkpoint) -> str:
    """E-mail the checkpoint to the operator (no health data in it: counts and hashes only)."""
    to: str | None = config.get("AUDIT_CHECKPOINT_EMAIL")
    if not to:
        raise CheckpointError("--mail needs AUDIT_CHECKPOINT_EMAIL, the operator's address.")
    head = f"row #{checkpoint.head_id}" if checkpoint.head_id is not None else "no rows yet"
    body = (
        f"Backtrack's audit trail at {checkpoint.at:%Y-%m-%d %H:%M:%S} UTC: {checkpoint.rows:,} rows, "
        f"up to {head}, signed with audit key {checkpoint.key_id}.\n\n"
        "Keep this e-mail where the server cannot reach it. To check the trail against it, save the "
        "line below in a file and run `flask --app wsgi audit verify --checkpoints FILE`.\n\n"
        f"{checkpoint.line()}\n"
    )
    subject = f"Backtrack audit checkpoint: {checkpoint.rows:,} rows, {head}"
    try:
        send_email(config, to, subject, body)
    except ChannelError as error:
        raise CheckpointError(f"the checkpoint was not e-mailed: {error}.") from error
    return to
