"""The database settings the app relies on (app/database.py): SQLite's on every connection,
PostgreSQL's JIT compilation off and plans made for the values sent for a whole-clinic report's
transaction only, and a transaction that only read ended without forgetting what psycopg prepared."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.care.staff_words import ENGLISH
from app.database import only_reads
from app.extensions import db
from app.models import Treatment, User
from app.services.pages.outcomes import clinic_outcomes
from app.services.pages.rtm import month_report, month_report_page
from tests.conftest import runs_on_postgresql

WHOLE_CLINIC = Treatment.status != "cancelled"
TODAY = date(2026, 12, 7)


def jit() -> str:
    return db.session.execute(sa.text("SHOW jit")).scalar_one()


def plan_cache_mode() -> str:
    return db.session.execute(sa.text("SHOW plan_cache_mode")).scalar_one()


def test_each_connection_has_the_settings_of_its_database(app):
    if not runs_on_postgresql():
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
        return
    # Compiling the plans of the whole-clinic reports cost more than running them: off for the
    # report's transaction, and only for it (a pooler in transaction mode shares connections).
    for report in (
        lambda: month_report(WHOLE_CLINIC, 2026, 12, TODAY),
        lambda: month_report_page(WHOLE_CLINIC, 2026, 12, TODAY, ENGLISH, page=1, size=100),
        lambda: clinic_outcomes(WHOLE_CLINIC, TODAY),
    ):
        db.session.commit()
        assert (jit(), plan_cache_mode()) == ("on", "auto")
        report()
        assert (jit(), plan_cache_mode()) == ("off", "force_custom_plan")
        db.session.commit()
        assert (jit(), plan_cache_mode()) == ("on", "auto")


def prepared_statements(connection: sa.Connection) -> int:
    return connection.execute(sa.text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()


def test_a_transaction_that_only_read_keeps_the_prepared_statements(app):
    """psycopg forgets every statement it prepared on a connection at a ROLLBACK: a transaction
    that only read ends with COMMIT (the same for it), so the next request's statements are not
    planned again. One that wrote still rolls back, and what it wrote is gone; so does one that
    failed."""
    unkept = {"role": "patient", "full_name": "Not Kept", "email": "not-kept@example.com"}
    with db.engine.connect() as connection:
        for _ in range(6):  # psycopg prepares a statement the fifth time a connection sends it
            connection.execute(sa.select(User.id).where(User.id == 1)).all()
        connection.rollback()  # what the pool and the session do at the end of a request
        if runs_on_postgresql():
            assert prepared_statements(connection) >= 1
        connection.execute(sa.insert(User).values(**unkept))
        connection.rollback()
        connection.execute(sa.insert(User).values(**unkept))
        with pytest.raises(sa.exc.IntegrityError):
            connection.execute(sa.insert(User).values(**unkept))  # the same e-mail again
        connection.rollback()
        assert connection.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() >= 0
    with db.engine.connect() as connection:
        assert connection.execute(sa.select(User.id).where(User.email == unkept["email"])).all() == []


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT 1", True),
        ("SHOW jit", True),
        ("SELECT pg_advisory_xact_lock(1)", True),  # released at either end
        ("SELECT * FROM users FOR UPDATE", False),
        ("WITH made AS (INSERT INTO t VALUES (1) RETURNING id) SELECT * FROM made", False),
        ("SELECT * INTO copied FROM users", False),
        ("TRUNCATE users", False),
        ("COPY users FROM STDIN", False),
        ("INSERT INTO t VALUES (1)", False),
    ],
)
def test_only_a_statement_that_surely_changes_nothing_lets_its_transaction_end_with_commit(statement, reads):
    """Anything not known to be a plain read counts as a write, and its transaction rolls back."""
    assert only_reads(statement, None) is reads
