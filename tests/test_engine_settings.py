"""The database settings the app relies on (app/database.py): SQLite's on every connection, and
PostgreSQL's JIT compilation off for a whole-clinic report's transaction only."""

from datetime import date

import sqlalchemy as sa

from app.care.staff_words import ENGLISH
from app.extensions import db
from app.models import Treatment
from app.services.pages.outcomes import clinic_outcomes
from app.services.pages.rtm import month_report, month_report_page
from tests.conftest import runs_on_postgresql

WHOLE_CLINIC = Treatment.status != "cancelled"
TODAY = date(2026, 12, 7)


def jit() -> str:
    return db.session.execute(sa.text("SHOW jit")).scalar_one()


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
        assert jit() == "on"
        report()
        assert jit() == "off"
        db.session.commit()
        assert jit() == "on"
