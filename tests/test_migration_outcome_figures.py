"""Migration 0030 (the outcome figures and the PSFS activity key) on a database with data: the
keys are set from the labels by the app's own rule and the figures from the rows already there,
so the summaries verify clean and the outcomes page counts what it counted before (on SQLite and
PostgreSQL, in a scratch database)."""

from app.care.measures import label_key
from tests.databases import command, demo_upgraded_from, rows_of, scratch_database

BEFORE = "0029_last_monitoring_day"


def test_the_outcome_figures_are_filled_from_the_rows_already_kept(database_url, tmp_path):
    with scratch_database(database_url, "outcome_figures", tmp_path) as url:
        demo_upgraded_from(url, BEFORE)
        items = rows_of(url, "SELECT label, activity_key FROM questionnaire_items")
        (figures,) = rows_of(
            url,
            "SELECT count(reduction_6), count(peg_reduction_6), count(psfs_gain_6) FROM treatment_summaries",
        )
        assert items
        assert all(key == label_key(label) for label, key in items)
        reductions, pegs, psfs = figures
        assert reductions >= 10
        assert pegs >= 1
        assert psfs >= 1
        verified = command(url, "summaries", "verify")  # the figures, and the page's against the rule
        assert verified.exit_code == 0, verified.output
