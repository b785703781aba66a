"""Every connection the app opens carries its database's settings (app/database.py)."""

import sqlalchemy as sa

from app.extensions import db
from tests.conftest import runs_on_postgresql


def test_each_connection_has_the_settings_of_its_database(app):
    with db.engine.connect() as connection:
        if runs_on_postgresql():
            # Compiling the plans of the whole-clinic reports cost more than running them.
            assert connection.execute(sa.text("SHOW jit")).scalar_one() == "off"
        else:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
