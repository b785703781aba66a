"""Migration 0016 (the safety net) on a database with the first release's data: each single medicine answer
stays valid and sets the anti-inflammatory flag, severe-pain alerts are marked as worked out, and
the way back keeps what it can (on SQLite and PostgreSQL, in a scratch database)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.databases import command, scratch_database

BEFORE = "0015"


def test_old_logs_and_alerts_come_through_the_safety_net_migration(database_url, tmp_path):
    with scratch_database(database_url, "safety", tmp_path) as url:
        assert command(url, "db", "upgrade", BEFORE).exit_code == 0
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, email, full_name, role, active, is_demo, created_at) "
                    "VALUES (1, 'p@example.com', 'Pat', 'patient', true, false, :now)"
                ),
                {"now": datetime(2026, 1, 1)},
            )
            for n, medication in enumerate(
                ("none", "acetaminophen", "anti_inflammatory", "other_prescribed"), 1
            ):
                connection.execute(
                    sa.text(
                        "INSERT INTO daily_logs (id, patient_id, day, back_pain, medication, note, saddle_numbness, "
                        "bladder_bowel, leg_weakness, chest_symptoms, fever, injection_site, positional_headache, "
                        "created_at, updated_at, version) VALUES (:id, 1, :day, 9, :medication, '', false, false, "
                        "false, false, :fever, false, false, :now, :now, 1)"
                    ),
                    {
                        "id": n,
                        "day": date(2026, 1, n),
                        "medication": medication,
                        "fever": n == 4,
                        "now": datetime(2026, 1, n),
                    },
                )
            for n, symptom, urgency in ((1, "severe_pain_3_days", "same_day"), (2, "fever", "same_day")):
                connection.execute(
                    sa.text(
                        "INSERT INTO alerts (id, patient_id, daily_log_id, day, symptom, urgency, raised_at, "
                        "acknowledgement_note) VALUES (:id, 1, :log, :day, :symptom, :urgency, :now, '')"
                    ),
                    {
                        "id": n,
                        "log": 2 + n,
                        "day": date(2026, 1, 2 + n),
                        "symptom": symptom,
                        "urgency": urgency,
                        "now": datetime(2026, 1, 4),
                    },
                )
        assert command(url, "db", "upgrade").exit_code == 0
        with engine.connect() as connection:
            logs = connection.execute(
                sa.text("SELECT medication, nsaid, other_medicine FROM daily_logs ORDER BY id")
            ).all()
            assert [(m, bool(n), o) for m, n, o in logs] == [
                ("none", False, ""),
                ("acetaminophen", False, ""),
                ("anti_inflammatory", True, ""),
                ("other_prescribed", False, ""),
            ]
            sources = connection.execute(
                sa.text("SELECT symptom, source, quote FROM alerts ORDER BY id")
            ).all()
            assert [tuple(row) for row in sources] == [
                ("severe_pain_3_days", "derived", ""),
                ("fever", "ticked", ""),
            ]
        with engine.begin() as connection:  # a log of the new release: two answers
            connection.execute(
                sa.text("UPDATE daily_logs SET medication = 'acetaminophen,anti_inflammatory' WHERE id = 1")
            )
        assert command(url, "db", "downgrade", BEFORE).exit_code == 0
        with engine.connect() as connection:
            medication = connection.execute(
                sa.text("SELECT medication FROM daily_logs WHERE id = 1")
            ).scalar()
            assert medication == "acetaminophen"  # the first answer stands in the old schema
            assert connection.execute(sa.text("SELECT count(*) FROM alerts")).scalar() == 2
        assert command(url, "db", "upgrade").exit_code == 0
        engine.dispose()
