"""What the audit-trail tests share: the rows as stored, events written as requests write them,
the `flask audit` commands run against this or another database, and raw tampering through the
maintenance hatch (as an attacker who dropped the append-only triggers would)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask

from app import create_app
from app.extensions import db
from app.models import AuditEvent, Role
from app.services import audit
from app.services.audit.chain import allow_changes_for_maintenance
from tests.conftest import config_for_tests
from tests.factories import make_user

TABLE = AuditEvent.__table__


def rows() -> list[dict]:
    return [dict(row) for row in db.session.execute(sa.select(TABLE).order_by(TABLE.c.id)).mappings()]


def write_events(count: int) -> list[int]:
    """`count` events, each in a transaction of its own, as requests write them."""
    user = make_user(Role.ADMIN)
    for n in range(count):
        audit.record("settings_update", actor_id=user.id, detail=f"change {n}")
        db.session.commit()
    return [row["id"] for row in rows()]


def run(app, *arguments: str):
    db.session.remove()  # the command reads with connections of its own
    return app.test_cli_runner().invoke(args=["audit", *arguments])


def checkpoint(app, *arguments: str) -> None:
    result = run(app, "checkpoint", *arguments)
    assert result.exit_code == 0, result.output


def tamper_rows(sql: str, parameters: list[dict]) -> None:
    """Raw SQL behind the app's back, through the maintenance hatch (the triggers out of the way)."""
    db.session.rollback()
    with allow_changes_for_maintenance(db.session.connection()):
        db.session.execute(sa.text(sql), parameters)
        db.session.commit()


def failed(result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.output.startswith("FAILED:"), result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


@contextmanager
def app_on(database_url: str) -> Iterator[Flask]:
    """The app on another database, its context pushed over the test's (a command run while the
    test's context is current would use the test's database)."""
    other = create_app(config_for_tests(database_url))
    with other.app_context():
        try:
            yield other
        finally:
            db.session.remove()
            db.engine.dispose()


def command_on(database_url: str, *arguments: str):
    with app_on(database_url) as other:
        return other.test_cli_runner().invoke(args=list(arguments))
