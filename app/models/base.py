"""The model base class and shared column helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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


def made_on(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for a database of `dialect`: an index the models make on another
    database only (`Index(...).ddl_if(dialect=...)`, PostgreSQL's trigram indexes) is not looked
    for here, since autogenerate does not read `ddl_if` itself."""

    def include(object_: Any, _name: Any, _kind: Any, _reflected: Any, _compare_to: Any) -> bool:
        condition = getattr(object_, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect)

    return include
