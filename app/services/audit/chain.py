"""The audit trail's hash chain: how each row is stamped as it is written, how the chain is checked
(`flask --app wsgi audit verify`), and the one way around the append-only triggers.

**Stamping.** `audit.record()` does not put its event in the session at once: events wait beside
the session (`session.info`) until the transaction commits. At commit every other change is
flushed first; then the events are added and flushed, and `before_flush` stamps them. On
PostgreSQL it first takes a transaction-level advisory lock (`pg_advisory_xact_lock`, one fixed
key) and only then reads the chain's head, so concurrent writers append one after another and the
chain cannot fork; on SQLite it takes the write lock before it reads the head (app/database.py),
so writes are one at a time there too. Each event gets its id (the id sequence's next value on
PostgreSQL, the head's id + 1 on SQLite), its time, its key, the head's hash as `prev_hash`, and
its own `row_hash` (keyed, below). The lock is taken as late as it can be: while it is held only
audit rows are written and the transaction commits, so its holder never waits for another lock,
and a request holding a row lock while it waits for the audit lock cannot deadlock with it. Events
added to the session directly (tests do) are stamped in whichever flush writes them.

The trail records what was committed: the events of a transaction that rolls back are dropped,
and so are the events recorded inside a savepoint that rolls back.

**Canonical form.** Every column of the row but `row_hash`, read from the table itself, as JSON
with sorted keys, no spaces and ASCII only; times in ISO 8601 with microseconds; NULL columns left
out. So a column added later is covered without touching this module (a test changes each column
and expects a new hash), and a nullable column added later leaves the old rows' hashes valid
(NULL there). A column added with a non-NULL value for existing rows would break their hashes:
give old rows NULL.

**Keys.** A row's `row_hash` is HMAC-SHA-256 of its canonical form with the audit key
(app/services/audit/keys.py: `AUDIT_KEY`, outside the database), and `key_id` names that key, so
whoever rewrites the database without the key can neither recompute a hash nor forge a row. Rows
written before the key existed (by migration 0012 and the app until migration 0013) have no
`key_id` and a plain SHA-256 hash; the first keyed row marks the switch, and after it every row
must be keyed. A new key is a rotation: the first writer that finds the head chained with an old
key (one of `AUDIT_OLD_KEYS`) first appends an `audit_key_change` row chained with that old key and
naming the new key's id, then its own rows with the new key. So the old key vouches for its
successor, and rows after a rotation are only valid under the key it named: a leaked old key
cannot append. A writer that does not know the head's key (the old key was dropped from the
configuration, or a host still runs with the previous one) refuses to write.

**Order.** The chain runs in id order. Ids are given under the same lock, so id order is commit
order, and a reader (verify, pg_dump's snapshot) always sees a whole prefix of the chain. This
needs READ COMMITTED on PostgreSQL (its default, which the app uses): at a higher isolation level
the head read after waiting for the lock would be stale.

**Limits.** The chain shows rows edited, deleted or inserted in the middle, and the key shows
rows recomputed or forged without it. Rows cut from the end, a whole trail replaced by plain
SHA-256 rows, or the database rolled back to an older copy leave a chain that is still whole: the
signed checkpoints kept outside the database (app/services/audit/checkpoints.py) catch those.
Whoever holds the database *and* the key can rewrite anything up to the last checkpoint they
cannot reach (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import NullPool

from app.database import take_write_lock
from app.models import AuditEvent
from app.services.audit.keys import AuditKey, AuditKeys, current_keys

GENESIS = "0" * 64  # the first row's prev_hash
LOCK_KEY = 0x6261636B74726163  # "backtrac": PostgreSQL advisory lock serialising appends to the chain
PENDING = "backtrack.audit_pending"
MAINTENANCE_SETTING = "backtrack.audit_maintenance"  # PostgreSQL: migration 0012's trigger reads it
SQLITE_MAINTENANCE_FUNCTION = "backtrack_audit_maintenance"  # SQLite: migration 0012's triggers call it
KEY_CHANGE = "audit_key_change"  # the rotation row (app/services/audit/__init__.py names it)
NEXT_KEY = re.compile(r"chained with audit key ([0-9a-f]{16})\.$")


class UnknownAuditKey(RuntimeError):
    """The newest row is chained with a key this configuration does not have: nothing can be
    appended after it without breaking the chain."""


# --- The canonical form and the hash ---------------------------------------------------------------


# json.dumps with these options, with the encoder made once: verify encodes every row, and building
# an encoder per call was a third of its time.
ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode
AS_THEY_ARE = frozenset({str, int})


def canonical(values: Mapping[Any, Any]) -> bytes:
    """The bytes a row's hash is taken over: every column but row_hash, NULLs left out."""
    fields = {
        name: value if type(value) in AS_THEY_ARE else plain(value)
        for name, value in values.items()
        if name != "row_hash" and value is not None
    }
    return ENCODE(fields).encode("ascii")


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def hash_of(values: Mapping[Any, Any], keys: AuditKeys | None = None) -> str:
    """The row's hash over its canonical form, which includes `prev_hash` (the link in the chain)
    and `key_id`: HMAC-SHA-256 with the key `key_id` names (from `keys`, else the app's), or plain
    SHA-256 for a row written before the audit key (no `key_id`)."""
    key_id = values.get("key_id")
    if key_id is None:
        return hashlib.sha256(canonical(values)).hexdigest()
    key = (keys or current_keys()).get(key_id)
    if key is None:
        raise UnknownAuditKey(f"no audit key with the id {key_id} is configured")
    return keyed_hash(key, values)


def keyed_hash(key: AuditKey, values: Mapping[Any, Any]) -> str:
    return hmac.digest(key.chain, canonical(values), "sha256").hex()


def rotation_detail(next_key_id: str) -> str:
    return f"Rows after this one are chained with audit key {next_key_id}."


def key_after(values: Mapping[Any, Any]) -> str | None:
    """The key the row after this one must be chained with: this row's, or the one a rotation row
    (itself chained with the old key) names. None after a row without a key (or none at all)."""
    key_id: str | None = values["key_id"]
    if key_id is not None and values["action"] == KEY_CHANGE:
        named = NEXT_KEY.search(values["detail"] or "")
        return named.group(1) if named else key_id
    return key_id


def values_of(row: AuditEvent) -> dict[str, Any]:
    """The row's column values by column name, as the database stores them."""
    return {attribute.columns[0].name: getattr(row, attribute.key) for attribute in column_attributes()}


def column_attributes() -> Iterable[Any]:
    return sa.inspect(AuditEvent).column_attrs


# --- Stamping rows as they are written -------------------------------------------------------------


def append(session: Session, row: AuditEvent) -> None:
    """Hold `row` until the transaction commits (see the module's docstring)."""
    # Begin one if none has (nothing read yet since the last commit), so a rollback drops the row.
    current = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(PENDING, []).append((row, current))


def register(engine: Engine | None = None) -> None:
    """Listen on every session (idempotent); on SQLite, give each new connection of `engine` the
    function the audit triggers ask (its answer: no changes)."""
    sqlite = engine is not None and engine.dialect.name == "sqlite"
    if sqlite and not event.contains(engine, "connect", answer_no_to_maintenance):
        event.listen(engine, "connect", answer_no_to_maintenance)
    for name, listener in (
        ("before_commit", add_waiting_rows),
        ("before_flush", stamp_new_rows),
        ("after_soft_rollback", drop_rolled_back_rows),
        ("after_transaction_end", forget_rows_of_ended_transaction),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def add_waiting_rows(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release: the rows wait for the real commit
        return
    waiting = session.info.pop(PENDING, None)
    if not waiting:
        return
    session.flush()  # every other change first, before the audit lock is taken
    session.add_all([row for row, _transaction in waiting])


def stamp_new_rows(session: Session, _flush_context: Any, _instances: Any) -> None:
    rows = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if rows:
        rows.sort(key=lambda row: sa.inspect(row).insert_order or 0)
        rotation = stamp(session.connection(), rows, current_keys())
        if rotation is not None:
            session.add(rotation)  # flushed with the rows, ahead of them in the chain


def stamp(connection: Connection, rows: list[AuditEvent], keys: AuditKeys) -> AuditEvent | None:
    """Give each row its id, time, key, link and hash, after the head of the chain (under the
    lock). When the head calls for an older key, first a rotation row, chained with that key and
    naming the current one; it is returned for the caller to add."""
    head = read_head(connection, len(rows))
    chained: list[tuple[AuditEvent, AuditKey]] = [(row, keys.current) for row in rows]
    ids, rotation = head.ids, None
    if head.next_key not in (None, keys.current.id):
        old_key = keys.get(head.next_key)
        if old_key is None:
            raise UnknownAuditKey(
                f"The audit trail's newest row calls for audit key {head.next_key}, which this "
                f"configuration does not have (its AUDIT_KEY is {keys.current.id}): put the key the "
                "trail was last chained with in AUDIT_OLD_KEYS, or restart this host with the new "
                "AUDIT_KEY (docs/operating.md#the-audit-key)."
            )
        rotation = AuditEvent(action=KEY_CHANGE, detail=rotation_detail(keys.current.id))
        chained.insert(0, (rotation, old_key))
        ids = sorted([*ids, *next_ids(connection, head, 1)])
    previous_hash = head.row_hash
    for (row, key), row_id in zip(chained, ids, strict=True):
        row.id = row_id
        fill_defaults(row)
        row.key_id = key.id
        row.prev_hash = previous_hash
        row.row_hash = previous_hash = keyed_hash(key, values_of(row))
    return rotation


@dataclass(frozen=True)
class Head:
    row_id: int  # 0 for an empty trail
    row_hash: str
    next_key: str | None  # the key the next row must be chained with (None: the current one may start)
    ids: list[int]  # for the rows to be appended


NEXT_IDS = sa.text(
    "SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) FROM generate_series(1, :n))"
)
HEAD_AND_IDS = sa.text(
    "SELECT head.id, head.row_hash, head.key_id, head.action, head.detail, "
    "ARRAY(SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) FROM generate_series(1, :n)) AS ids "
    "FROM (SELECT 1) AS one LEFT JOIN (SELECT id, row_hash, key_id, action, detail FROM audit_events "
    "ORDER BY id DESC LIMIT 1) AS head ON true"
)


def read_head(connection: Connection, count: int) -> Head:
    """The chain's newest row and the ids of the next `count` rows. On PostgreSQL the lock comes
    first, in a statement of its own (a statement reads what was committed when it began), then the
    head and ids from the table's sequence in one; on SQLite the write lock before the head."""
    found: Mapping[Any, Any] | None
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        found = connection.execute(HEAD_AND_IDS, {"n": count}).mappings().one()
        ids = sorted(found["ids"])
        if found["id"] is None:
            return Head(0, GENESIS, None, ids)
    else:
        take_write_lock(connection)
        table = AuditEvent.__table__
        newest = sa.select(table.c.id, table.c.row_hash, table.c.key_id, table.c.action, table.c.detail)
        found = connection.execute(newest.order_by(table.c.id.desc()).limit(1)).mappings().first()
        head_id = found["id"] if found else 0
        ids = list(range(head_id + 1, head_id + 1 + count))
        if found is None:
            return Head(0, GENESIS, None, ids)
    return Head(found["id"], found["row_hash"], key_after(found), ids)


def next_ids(connection: Connection, head: Head, count: int) -> list[int]:
    """`count` more ids after those already taken (a rotation row needs one)."""
    if connection.dialect.name != "postgresql":
        return list(range(max(head.ids) + 1, max(head.ids) + 1 + count))
    return sorted(connection.execute(NEXT_IDS, {"n": count}).scalar_one())


def fill_defaults(row: AuditEvent) -> None:
    """Apply the columns' Python defaults now, so the hash covers exactly what is stored."""
    for attribute in column_attributes():
        default = attribute.columns[0].default
        if getattr(row, attribute.key) is None and default is not None:
            setattr(row, attribute.key, default.arg(None) if default.is_callable else default.arg)


def drop_rolled_back_rows(session: Session, previous_transaction: SessionTransaction) -> None:
    waiting = session.info.get(PENDING)
    if waiting:
        session.info[PENDING] = [
            (row, transaction)
            for row, transaction in waiting
            if not inside(transaction, previous_transaction)
        ]


def inside(transaction: SessionTransaction | None, rolled_back: SessionTransaction) -> bool:
    if transaction is None:  # recorded before the session began: part of the outermost transaction
        return rolled_back.parent is None
    while transaction is not None:
        if transaction is rolled_back:
            return True
        transaction = transaction.parent
    return False


def forget_rows_of_ended_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


# --- Checking the chain ----------------------------------------------------------------------------


class Anchor(Protocol):
    """What a checkpoint (app/services/audit/checkpoints.py) says the trail was: `rows` rows up to
    row `head_id`, whose hash was `head_hash`."""

    @property
    def rows(self) -> int: ...
    @property
    def head_id(self) -> int | None: ...
    @property
    def head_hash(self) -> str: ...
    @property
    def described(self) -> str: ...


@dataclass(frozen=True)
class Segment:
    """A run of rows chained alike: with one key, or without a key (key_id None)."""

    key_id: str | None
    first_id: int
    last_id: int
    rows: int


@dataclass(frozen=True)
class Rotation:
    row_id: int
    old_key: str
    new_key: str


@dataclass(frozen=True)
class ChainReport:
    rows: int  # rows found whole and in order (before the problem, if there is one)
    head_id: int | None  # the last of them
    head_hash: str
    problem: str = ""  # empty when the chain is whole
    at_row: int | None = None  # the row the problem names
    segments: tuple[Segment, ...] = ()
    rotations: tuple[Rotation, ...] = ()
    anchors_matched: int = 0  # checkpoints whose head was found in the trail, as they saw it

    @property
    def intact(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Start:
    """Where a walk begins: the start of the trail, or a row already checked (a checkpoint's head)."""

    row_id: int | None = None
    row_hash: str = GENESIS
    rows: int = 0
    next_key: str | None = None


def check(
    rows: Iterable[Mapping[Any, Any]],
    keys: AuditKeys,
    expected_head: str | None = None,
    anchors: Sequence[Anchor] = (),
    start: Start | None = None,
) -> ChainReport:
    """Walk the rows in id order and name the first that breaks the chain, is not chained with
    the key the rows before it call for, or disagrees with a checkpoint (`anchors`)."""
    start = start or Start()
    known = keys.known
    by_head: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        if anchor.head_id is not None:
            by_head.setdefault(anchor.head_id, []).append(anchor)
    previous: tuple[int | None, str] = (start.row_id, start.row_hash)
    count, expected, head_seen, matched = start.rows, start.next_key, expected_head is None, 0
    segments: tuple[Segment, ...] = ()
    rotations: list[Rotation] = []
    segment_key, segment_first, segment_rows = expected, None, 0
    iterator = iter(rows)
    row = next(iterator, None)
    while row is not None:
        following = next(iterator, None)
        row_id, key_id = row["id"], row["key_id"]
        problem = ""
        if key_id is None:
            digest = hashlib.sha256(canonical(row)).hexdigest()
        elif (key := known.get(key_id)) is not None:
            digest = hmac.digest(key.chain, canonical(row), "sha256").hex()
        else:
            digest, problem = "", unknown_key(row_id, key_id)
        if problem:
            pass
        elif digest != row["row_hash"]:
            problem = edited(row_id, key_id)
        elif row["prev_hash"] != previous[1]:
            problem = broken_link(row, previous, following)
        elif key_id != expected and expected is not None:
            problem = wrong_key(row_id, key_id, expected, previous[0])
        elif row_id in by_head:
            group = by_head.pop(row_id)
            problem, matched = disagreement(row, count + 1, group), matched + len(group)
        if problem:
            return ChainReport(
                count, *previous, problem=problem, at_row=row_id,
                segments=closed(segments, segment_key, segment_first, previous[0], segment_rows),
                rotations=tuple(rotations), anchors_matched=matched,
            )  # fmt: skip
        if key_id != segment_key or segment_first is None:
            segments = closed(segments, segment_key, segment_first, previous[0], segment_rows)
            segment_key, segment_first, segment_rows = key_id, row_id, 0
        count, segment_rows = count + 1, segment_rows + 1
        head_seen = head_seen or row["row_hash"] == expected_head
        previous = (row_id, row["row_hash"])
        expected = key_after(row) if key_id is not None and row["action"] == KEY_CHANGE else key_id
        if expected != key_id:
            rotations.append(Rotation(row_id, key_id or "", expected or ""))
        row = following
    report = ChainReport(
        count, *previous, segments=closed(segments, segment_key, segment_first, previous[0], segment_rows),
        rotations=tuple(rotations), anchors_matched=matched,
    )  # fmt: skip
    if not head_seen:
        problem = (
            f"no row has the hash {expected_head}: rows at the end of the trail were deleted "
            "(or that hash is not from this trail)."
        )
        return replace(report, problem=problem)
    if by_head:
        return replace(
            report, problem=beyond_the_end(report, [a for group in by_head.values() for a in group])
        )
    return report


def closed(
    segments: tuple[Segment, ...], key_id: str | None, first: int | None, last: int | None, rows: int
) -> tuple[Segment, ...]:
    if first is None or last is None or rows == 0:
        return segments
    return (*segments, Segment(key_id, first, last, rows))


def unknown_key(row_id: int, key_id: str) -> str:
    return (
        f"row #{row_id} is chained with audit key {key_id}, which this configuration does not have: "
        "give that key as AUDIT_KEY or in AUDIT_OLD_KEYS (a wrong key configured, or a row forged "
        "with a made-up key id)."
    )


def edited(row_id: int, key_id: str | None) -> str:
    if key_id is None:
        return f"row #{row_id} was edited: its content no longer matches its hash."
    return (
        f"row #{row_id} was edited or forged: its content does not match its hash under audit "
        f"key {key_id} (whoever wrote it did not have that key)."
    )


def wrong_key(row_id: int, key_id: str | None, expected: str, previous_id: int | None) -> str:
    if key_id is None:
        return (
            f"row #{row_id} has a plain SHA-256 hash, but the trail is keyed by then (row "
            f"#{previous_id} before it calls for audit key {expected}): it was written or rewritten "
            "without the key (forged)."
        )
    return (
        f"row #{row_id} is chained with audit key {key_id}, but row #{previous_id} before it hands "
        f"on to key {expected}, and only a key change row chained with the old key may change it: "
        "forged or rewritten with another key."
    )


def disagreement(row: Mapping[Any, Any], rows: int, anchors: list[Anchor]) -> str:
    for anchor in anchors:
        if anchor.head_hash != row["row_hash"]:
            return (
                f"row #{row['id']} differs from {anchor.described}: it signed the hash "
                f"{anchor.head_hash} for that row, the trail has {row['row_hash']}. The trail was "
                "rewritten up to here, or the database replaced by another copy."
            )
        if anchor.rows != rows:
            return (
                f"{anchor.described} counted {anchor.rows:,} rows up to row #{row['id']}; the trail "
                f"has {rows:,}: rows before it were deleted or added, and the chain rebuilt."
            )
    return ""


def beyond_the_end(report: ChainReport, anchors: list[Anchor]) -> str:
    """Checkpoints naming rows the trail does not have: the trail is shorter than they saw."""
    latest = max(anchors, key=lambda anchor: (anchor.rows, anchor.head_id or 0))
    ends = f"it ends at row #{report.head_id} ({report.rows:,} rows)" if report.head_id else "it is empty"
    more = f" ({len(anchors)} checkpoints name rows it no longer has)" if len(anchors) > 1 else ""
    return (
        f"{latest.described} saw {latest.rows:,} rows up to row #{latest.head_id}, which the trail "
        f"no longer has: {ends}{more}. Rows were cut from the end, or the database was rolled back "
        "to an older backup."
    )


def broken_link(
    row: Mapping[Any, Any], previous: tuple[int | None, str], following: Mapping[Any, Any] | None
) -> str:
    """`row` is whole but not chained to the row before it: inserted, or something before it is gone."""
    previous_id, previous_hash = previous
    before = f"row #{previous_id}" if previous_id is not None else "the start of the trail"
    if following is not None and following["prev_hash"] == previous_hash:
        return (
            f"row #{row['id']} was inserted out of order: it is not chained to {before}, "
            f"and the row after it (#{following['id']}) is."
        )
    if following is None:
        return (
            f"row #{row['id']} is not chained to {before}: it was inserted out of order, "
            "or rows before it were deleted."
        )
    if previous_id is None:
        return (
            f"row(s) before row #{row['id']} were deleted: it comes first but is chained to an earlier row."
        )
    return (
        f"row(s) between row #{previous_id} and row #{row['id']} were deleted (or row #{previous_id} "
        f"was rewritten with a new hash): row #{row['id']} is not chained to row #{previous_id}."
    )


@contextmanager
def reading_connection(engine: Engine) -> Iterator[Connection]:
    """On SQLite a plain connection of its own: the app's engine opens every transaction with
    BEGIN IMMEDIATE, which would hold the write lock for the whole walk; a lone SELECT reads a
    snapshot in WAL mode and lets the app write. On PostgreSQL one statement is one snapshot."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            yield connection
        return
    reader = sa.create_engine(engine.url, poolclass=NullPool)
    try:
        with reader.connect() as connection:
            yield connection
    finally:
        reader.dispose()


def as_dicts(result: sa.CursorResult[Any]) -> Iterator[dict[str, Any]]:
    """Rows as plain dicts: reading a dict is several times cheaper than a RowMapping, and verify
    reads every column of every row."""
    names = list(result.keys())
    return (dict(zip(names, row, strict=True)) for row in result)


def verify(
    engine: Engine, keys: AuditKeys, expected_head: str | None = None, anchors: Sequence[Anchor] = ()
) -> ChainReport:
    """Check every audit row in id order, streamed by one statement (one consistent snapshot)."""
    table = AuditEvent.__table__
    with reading_connection(engine) as connection:
        result = connection.execution_options(yield_per=1000).execute(sa.select(table).order_by(table.c.id))
        try:
            return check(as_dicts(result), keys, expected_head, anchors)
        finally:
            result.close()


def verify_since(engine: Engine, keys: AuditKeys, anchor: Anchor) -> ChainReport:
    """Check the rows written since a checkpoint: its head row still there, with the hash and
    the count it saw, and every row after it chained on. The whole trail when the checkpoint saw
    none. (Whatever is before the head was checked when that checkpoint was taken.)"""
    if anchor.head_id is None:
        return verify(engine, keys)
    table = AuditEvent.__table__
    with reading_connection(engine) as connection:
        head = connection.execute(sa.select(table).where(table.c.id == anchor.head_id)).mappings().first()
        count = connection.scalar(sa.select(sa.func.count()).where(table.c.id <= anchor.head_id))
        if head is None:
            empty = ChainReport(0, None, GENESIS)
            return replace(empty, problem=beyond_the_end(empty, [anchor]).replace(
                "no longer has: it is empty", "no longer has"
            ))  # fmt: skip
        start = Start(head["id"], head["row_hash"], count or 0, key_after(head))
        problem = disagreement(head, count or 0, [anchor])
        if not problem and head["key_id"] is not None and keys.get(head["key_id"]) is None:
            problem = unknown_key(head["id"], head["key_id"])
        elif not problem and hash_of(head, keys) != head["row_hash"]:
            problem = edited(head["id"], head["key_id"])
        if problem:
            return ChainReport(count or 0, head["id"], head["row_hash"], problem=problem, at_row=head["id"])
        result = connection.execution_options(yield_per=1000).execute(
            sa.select(table).where(table.c.id > anchor.head_id).order_by(table.c.id)
        )
        try:
            return check(as_dicts(result), keys, start=start)
        finally:
            result.close()


def describe(report: ChainReport, keys: AuditKeys) -> list[str]:
    """What the walk checked, run by run of rows: which hash, which key, where a key handed over."""
    handovers = {rotation.row_id: rotation for rotation in report.rotations}
    lines = []
    for segment in report.segments:
        span = (
            f"row #{segment.first_id}"
            if segment.rows == 1
            else f"rows #{segment.first_id}–#{segment.last_id}"
        )
        span += f" ({segment.rows:,})"
        if segment.key_id is None:
            lines.append(f"{span}: SHA-256 without a key (written before the audit key).")
            continue
        role = "AUDIT_KEY" if segment.key_id == keys.current.id else "from AUDIT_OLD_KEYS"
        line = f"{span}: HMAC-SHA-256 with audit key {segment.key_id} ({role})"
        if (rotation := handovers.get(segment.last_id)) is not None:
            line += f"; row #{rotation.row_id} hands over to audit key {rotation.new_key}"
        lines.append(line + ".")
    return lines


# --- The escape hatch: tests and maintenance only ---------------------------------------------------


def answer_no_to_maintenance(dbapi_connection: Any, _record: Any) -> None:
    register_sqlite_function(dbapi_connection)


def register_sqlite_function(dbapi_connection: Any, allow: bool = False) -> None:
    """Migration 0012's SQLite triggers ask this function whether changes are allowed: every
    connection of the app answers no; only `allow_changes_for_maintenance` makes one answer yes."""
    dbapi_connection.create_function(SQLITE_MAINTENANCE_FUNCTION, 0, (lambda: 1) if allow else (lambda: 0))


@contextmanager
def allow_changes_for_maintenance(connection: Connection) -> Iterator[None]:
    """Let this connection's current transaction UPDATE or DELETE audit rows. The application never
    calls this (a test checks): it is for the test suite, which empties the database between tests,
    and for a maintenance script run by hand. Dropping the tables (seed-demo's rebuild of a
    demo-only database) needs no hatch: DROP TABLE fires no row triggers.

    PostgreSQL: sets `backtrack.audit_maintenance` to 'on' for this transaction only (SET LOCAL);
    the trigger lets the statement through only if that is set *and* the role owns the table, so
    an app that runs as a role without ownership (docs/security.md) cannot open the hatch even
    with arbitrary SQL. TRUNCATE is refused like DELETE (a whole trail in one statement otherwise).
    SQLite: this connection's `backtrack_audit_maintenance()` answers 1 until the block ends;
    every other connection (the app's, the sqlite3 shell's, which lacks the function) is refused.
    Every change made here still shows in `audit verify`: the hatch lifts the guard, not the chain.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.set_config(MAINTENANCE_SETTING, "on", True)))
        yield
        return
    dbapi_connection = connection.connection.driver_connection
    register_sqlite_function(dbapi_connection, allow=True)
    try:
        yield
    finally:
        register_sqlite_function(dbapi_connection, allow=False)
