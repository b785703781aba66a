"""Migration 0029 (each treatment's last day with monitoring data) on a database with data: the
column is filled from the daily summaries, so the summaries verify clean and the month report finds
the same patients as before the column (on SQLite and PostgreSQL, in a scratch database)."""

from tests.databases import command, demo_upgraded_from, rows_of, scratch_database

BEFORE = "0028_hurt_runs_index"


def test_the_last_monitoring_day_is_filled_from_the_days_already_kept(database_url, tmp_path):
    with scratch_database(database_url, "monitoring_day", tmp_path) as url:
        demo_upgraded_from(url, BEFORE)
        filled = rows_of(
            url,
            "SELECT s.treatment_id, s.last_monitoring_day, max(d.day) FROM treatment_summaries s"
            " LEFT JOIN daily_summaries d ON d.treatment_id = s.treatment_id AND d.data_day"
            " GROUP BY s.treatment_id, s.last_monitoring_day",
        )
        assert sum(1 for _id, kept, _latest in filled if kept is not None) >= 3  # the demo's patients
        assert all(str(kept) == str(latest) for _id, kept, latest in filled if latest is not None)
        verified = command(url, "summaries", "verify")
        assert verified.exit_code == 0, verified.output
