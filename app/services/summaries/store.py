"""Writing the summaries: the days a transaction changed, every day of a treatment whose plan or
dates changed, everything (`summaries rebuild`), and the comparison with the raw rows
(`summaries verify`). Each takes a session or a connection, so a migration can rebuild too."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.database import constants_inline
from app.models import DailySummary, PlanItem, Treatment, TreatmentSummary
from app.models.summaries import OUTCOME_COLUMNS
from app.services.summaries.sql import (
    DAILY_COLUMNS,
    SUMMARY_COLUMNS,
    all_keys,
    figures,
    recompute,
    stored_days,
)

DAILY = cast(sa.Table, DailySummary.__table__)
FIGURES = cast(sa.Table, TreatmentSummary.__table__)
DIFFERENCES_SHOWN = 20
KEYS_A_STATEMENT = 200  # SQLite allows 500 terms in a compound SELECT

Executor = Session | Connection


@dataclass(frozen=True)
class DayKey:
    """A day that changed, for the treatments of a patient, of a plan item, or one treatment."""

    of: str  # "patient", "item" or "treatment"
    id: int
    day: date


def upsert(executor: Executor, table: sa.Table, select: sa.Select[Any], keys: tuple[str, ...]) -> None:
    executor.execute(upsert_statement(dialect_name(executor), table, select, keys))


def upsert_statement(
    dialect_name: str, table: sa.Table, select: sa.Select[Any], keys: tuple[str, ...]
) -> sa.Insert:
    columns = [column.name for column in table.columns]
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(table).from_select(columns, select)
    changes = {name: insert.excluded[name] for name in columns if name not in keys}
    return cast(sa.Insert, insert.on_conflict_do_update(index_elements=list(keys), set_=changes))


def dialect_name(executor: Executor) -> str:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    return bind.dialect.name


def new_revision() -> int:
    """One random number for the figures a statement writes, never the number they had."""
    return secrets.randbits(62) + 1


def revised(select: sa.Select[Any], revision: Any = None) -> sa.Select[Any]:
    """Figures to store, with a new revision beside them (the table's last column): `revision`,
    a bound parameter, or else a new number written into the statement."""
    value = revision if revision is not None else sa.literal(new_revision(), sa.BigInteger)
    return select.add_columns(value.label("revision"))


def key_select(of: str, number: int) -> sa.Select[int, date]:
    """The treatment(s) and the day of the `number`th changed day, a day of this kind (DayKey.of);
    its id and day are the parameters `id_N` and `day_N`."""
    day = sa.bindparam(f"day_{number}", type_=sa.Date).label("day")
    key_id = sa.bindparam(f"id_{number}", type_=sa.Integer)
    if of == "item":
        return sa.select(PlanItem.treatment_id.label("treatment_id"), day).where(PlanItem.id == key_id)
    which = Treatment.patient_id if of == "patient" else Treatment.id
    return sa.select(Treatment.id.label("treatment_id"), day).where(which == key_id)


@lru_cache(maxsize=256)
def day_statements(dialect: str, kinds: tuple[str, ...], with_whole: bool) -> tuple[sa.Insert, sa.Insert]:
    """The two statements that bring changed days up to date: their rows, then their treatments'
    figures (and those of the treatments redone whole, the parameter `whole`), built once for each
    shape of change (the kinds of its days, in order) and given its values as parameters. Building
    them took a third of a daily-log save's time."""
    parts = [key_select(of, number) for number, of in enumerate(kinds)]
    keys = (parts[0] if len(parts) == 1 else sa.union(*parts)).subquery("keys")
    rows = upsert_statement(dialect, DAILY, recompute(keys), ("treatment_id", "day"))
    touched: sa.Select[Any] | sa.CompoundSelect[Any] = sa.select(keys.c.treatment_id)
    if with_whole:
        whole = sa.bindparam("whole", expanding=True, type_=sa.Integer)
        touched = sa.union(touched, sa.select(Treatment.id).where(Treatment.id.in_(whole)))
    touched_ids = sa.select(touched.subquery().c[0])
    revision = sa.bindparam("revision", type_=sa.BigInteger)
    figures_of_days = upsert_statement(
        dialect, FIGURES, revised(figures(DAILY, touched_ids), revision), ("treatment_id",)
    )
    return constants_inline(rows), constants_inline(figures_of_days)


def refresh(executor: Executor, days: Iterable[DayKey], whole: Iterable[int]) -> None:
    """Bring the summaries of these days, and of every day of the `whole` treatments, up to date:
    two statements for a few days (their rows, then their treatments' figures), two more when a
    treatment is redone whole (its old rows go first). More than KEYS_A_STATEMENT days at once (a
    bulk load, like the demo clinic) redo their treatments whole: five statements however many."""
    whole_ids = sorted(set(whole))
    ordered = sorted(set(days), key=lambda k: (k.of, k.id, k.day))
    if len(ordered) > KEYS_A_STATEMENT:
        whole_ids = sorted(set(whole_ids) | treatments_of(executor, ordered))
        ordered = []
    if whole_ids:
        ids = sa.select(Treatment.id).where(Treatment.id.in_(whole_ids))
        executor.execute(sa.delete(DAILY).where(DAILY.c.treatment_id.in_(whole_ids)))
        executor.execute(sa.insert(DAILY).from_select(list(DAILY_COLUMNS), recompute(all_keys(ids))))
        if not ordered:
            upsert(executor, FIGURES, revised(figures(DAILY, ids)), ("treatment_id",))
    if ordered:
        rows_of_days, figures_of_days = day_statements(
            dialect_name(executor), tuple(key.of for key in ordered), bool(whole_ids)
        )
        values: dict[str, Any] = {}
        for number, key in enumerate(ordered):
            values |= {f"id_{number}": key.id, f"day_{number}": key.day}
        executor.execute(rows_of_days, values)
        with_whole = {"whole": whole_ids} if whole_ids else {}
        executor.execute(figures_of_days, {**values, **with_whole, "revision": new_revision()})


def treatments_of(executor: Executor, keys: list[DayKey]) -> set[int]:
    """The treatments these days belong to."""
    ids: dict[str, set[int]] = {"patient": set(), "item": set(), "treatment": set()}
    for key in keys:
        ids[key.of].add(key.id)
    found = set(ids["treatment"])
    for column, where in (
        (Treatment.id, Treatment.patient_id.in_(ids["patient"])),
        (PlanItem.treatment_id, PlanItem.id.in_(ids["item"])),
    ):
        found.update(executor.execute(sa.select(column).where(where)).scalars())
    return found


def rebuild(executor: Executor, leave_out: tuple[str, ...] = ()) -> tuple[int, int]:
    """Every summary afresh from the raw rows (idempotent): (days, treatments) written. Every
    row gets a new revision, so what pages kept from the old rows is not used again. A migration
    that rebuilds before later migrations add columns names those columns in `leave_out`."""
    executor.execute(sa.delete(DAILY))
    executor.execute(sa.insert(DAILY).from_select(list(DAILY_COLUMNS), recompute(all_keys())))
    executor.execute(sa.delete(FIGURES))
    columns = [name for name in (*SUMMARY_COLUMNS, "revision") if name not in leave_out]
    outcomes = not set(OUTCOME_COLUMNS) & set(leave_out)
    worked_out = revised(figures(DAILY, outcomes=outcomes)).subquery()
    stored = sa.select(*(worked_out.c[name] for name in columns))
    executor.execute(sa.insert(FIGURES).from_select(columns, stored, include_defaults=False))
    days = executor.execute(sa.select(sa.func.count()).select_from(DAILY)).scalar_one()
    treatments = executor.execute(sa.select(sa.func.count()).select_from(FIGURES)).scalar_one()
    return int(days), int(treatments)


def verify(executor: Executor) -> list[str]:
    """Every difference between the stored summaries and a recomputation from the raw rows, in
    words (at most DIFFERENCES_SHOWN of each kind); empty when they agree."""
    recomputed = recompute(all_keys())
    problems = differences(executor, recomputed, stored_days(), ("treatment_id", "day"), "day")
    stored_figures = sa.select(*(FIGURES.c[name] for name in SUMMARY_COLUMNS))
    problems += differences(
        executor, figures(recomputed.subquery()), stored_figures, ("treatment_id",), "figures"
    )
    return problems


def differences(
    executor: Executor, expected: sa.Select[Any], stored: sa.Select[Any], keys: tuple[str, ...], what: str
) -> list[str]:
    """The rows `expected` has and `stored` lacks, and the other way round, in one statement: the
    expected rows (a recomputation from the raw rows, the costly part) are worked out once, in a
    materialised CTE both comparisons read, not once for each."""
    wanted = sa.select(expected.cte(f"expected_{what}").prefix_with("MATERIALIZED"))

    def first_rows(side: str, query: sa.CompoundSelect[Any]) -> sa.Select[Any]:
        some = sa.select(query.subquery()).limit(DIFFERENCES_SHOWN).subquery()
        return sa.select(sa.literal(side).label("side"), some)

    found = executor.execute(
        sa.union_all(
            first_rows("missing", sa.except_(wanted, stored)), first_rows("extra", sa.except_(stored, wanted))
        )
    ).mappings()
    missing: dict[tuple[Any, ...], dict[str, Any]] = {}
    extra: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in found:
        values = {name: value for name, value in row.items() if name != "side"}
        (missing if row["side"] == "missing" else extra)[tuple(values[k] for k in keys)] = values
    problems = []
    for key in sorted(missing.keys() | extra.keys(), key=str):
        name = f"treatment {key[0]}" + (f" on {key[1]}" if len(key) > 1 else "")
        want, have = missing.get(key), extra.get(key)
        if have is None:
            problems.append(f"{what} of {name}: missing, expected {shown(want, keys)}")
        elif want is None:
            problems.append(f"{what} of {name}: stored {shown(have, keys)}, but nothing to summarise")
        else:
            changed = [f"{k} {have[k]!r} (expected {want[k]!r})" for k in want if want[k] != have[k]]
            problems.append(f"{what} of {name}: " + "; ".join(changed))
    return problems


def shown(row: dict[str, Any] | None, keys: tuple[str, ...]) -> str:
    return ", ".join(f"{k} {v!r}" for k, v in (row or {}).items() if k not in keys)
