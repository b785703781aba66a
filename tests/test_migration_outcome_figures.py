"""Migration 0030 (the outcome figures and the PSFS activity key) on a database with data: the
keys are set from the labels by the app's own rule and the figures from the rows already there,
so the summaries verify clean and the outcomes page counts what it counted before (on SQLite and
PostgreSQL, in a scratch database)."""

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from app.care.measures import label_key
from tests.databases import command, scratch_database

BEFORE = "0029_last_monitoring_day"


def test_the_outcome_figures_are_filled_from_the_rows_already_kept(database_url, tmp_path):
    with scratch_database(database_url, "outcome_figures", tmp_path) as url:
        assert command(url, "db", "upgrade").exit_code == 0
        seeded = command(url, "seed-demo")
        assert seeded.exit_code == 0, seeded.output
        assert command(url, "db", "downgrade", BEFORE).exit_code == 0
        upgraded = command(url, "db", "upgrade")
        assert upgraded.exit_code == 0, upgraded.output
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.connect() as connection:
            items = connection.execute(sa.text("SELECT label, activity_key FROM questionnaire_items")).all()
            figures = connection.execute(
                sa.text(
                    "SELECT count(reduction_6), count(peg_reduction_6), count(psfs_gain_6) FROM treatment_summaries"
                )
            ).one()
        engine.dispose()
        assert items
        assert all(key == label_key(label) for label, key in items)
        reductions, pegs, psfs = figures
        assert reductions >= 10
        assert pegs >= 1
        assert psfs >= 1
        verified = command(url, "summaries", "verify")  # the figures, and the page's against the rule
        assert verified.exit_code == 0, verified.output
