"""The model base class and shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.extensions import db

if TYPE_CHECKING:  # Flask-SQLAlchemy builds db.Model at run time; type checkers see its base
    from app.extensions import Base as Model
else:
    Model = db.Model


def utcnow() -> datetime:
    """Naive UTC: the one time representation stored in both SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def sql_in(column: str, values: tuple[str, ...] | list[str]) -> str:
    """A CHECK constraint body allowing only the given string values."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
