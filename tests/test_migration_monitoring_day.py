"""Migration 0029 (each treatment's last day with monitoring data) on a database with data: the
column is filled from the daily summaries, so the summaries verify clean and the month report finds
the same patients as before the column (on SQLite and PostgreSQL, in a scratch database)."""

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.databases import command, scratch_database

BEFORE = "0028_hurt_runs_index"


def test_the_last_monitoring_day_is_filled_from_the_days_already_kept(database_url, tmp_path):
    with scratch_database(database_url, "monitoring_day", tmp_path) as url:
        assert command(url, "db", "upgrade").exit_code == 0
        seeded = command(url, "seed-demo")
        assert seeded.exit_code == 0, seeded.output
        assert command(url, "db", "downgrade", BEFORE).exit_code == 0
        upgraded = command(url, "db", "upgrade")
        assert upgraded.exit_code == 0, upgraded.output
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.connect() as connection:
            filled = connection.execute(
                sa.text(
                    "SELECT s.treatment_id, s.last_monitoring_day, max(d.day) FROM treatment_summaries s"
                    " LEFT JOIN daily_summaries d ON d.treatment_id = s.treatment_id AND d.data_day"
                    " GROUP BY s.treatment_id, s.last_monitoring_day"
                )
            ).all()
        engine.dispose()
        assert sum(1 for _id, kept, _latest in filled if kept is not None) >= 3  # the demo's patients
        assert all(str(kept) == str(latest) for _id, kept, latest in filled if latest is not None)
        verified = command(url, "summaries", "verify")
        assert verified.exit_code == 0, verified.output
