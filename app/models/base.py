"""Shared column helpers for the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: the one time representation stored in both SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def sql_in(column: str, values: tuple[str, ...] | list[str]) -> str:
    """A CHECK constraint body allowing only the given string values."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
