"""`flask build-clinic`: a synthetic clinic built in bulk for the benchmark (bench/synthetic.py), on
SQLite and PostgreSQL: the counts asked for, every page answering, the audit chain intact."""

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Alert,
    AuditEvent,
    DailyLog,
    DailySummary,
    ExerciseTick,
    ExerciseVersion,
    Message,
    PlanItem,
    QuestionnaireResponse,
    Treatment,
    User,
)
from bench import synthetic
from bench.build_clinic import build_clinic
from tests.conftest import text_of

PATIENTS = 30


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def test_build_clinic_builds_what_was_asked_and_every_page_answers(app, client, auth, today):
    runner = app.test_cli_runner()
    result = runner.invoke(build_clinic, ["--patients", str(PATIENTS)])
    assert result.exit_code == 0, result.output
    assert f"{PATIENTS} patients, 1 therapists, 2 admins" in result.output

    assert count(User, User.role == "patient") == PATIENTS
    assert count(User, User.role == "therapist") == 1  # one per 100 patients, at least one
    assert count(User, User.role == "admin") == 2
    assert count(User, User.is_demo.is_(False)) == 0  # synthetic accounts are demo accounts
    assert count(Treatment) == PATIENTS
    assert count(Treatment, Treatment.status == "active") >= PATIENTS // 2
    days = db.session.execute(
        sa.select(sa.func.min(DailyLog.day), sa.func.max(DailyLog.day), sa.func.count(DailyLog.id)).group_by(
            DailyLog.patient_id
        )
    ).all()
    assert len(days) >= PATIENTS - 3  # nearly every patient logs (Visit 1 may be today, not yet logged)
    assert all((last - first).days < 120 and n <= 120 for first, last, n in days)  # up to 120 days each
    assert max((last - first).days for first, last, _n in days) >= 110  # whole courses too
    assert count(ExerciseTick) > 0
    assert count(PlanItem) > 0
    assert count(PlanItem, PlanItem.exercise_version_id.is_(None)) == 0  # each with its signed text
    unmatched = (
        sa.select(sa.func.count())
        .select_from(PlanItem)
        .join(ExerciseVersion, ExerciseVersion.id == PlanItem.exercise_version_id)
        .where(ExerciseVersion.exercise_id != PlanItem.exercise_id)
    )
    assert db.session.scalar(unmatched) == 0
    assert count(QuestionnaireResponse) > 0
    assert count(Message) > 0
    assert 1 <= count(Alert, Alert.acknowledged_at.is_(None)) <= 3  # a few open alerts (1 in 50 patients)
    assert count(AuditEvent) > 0

    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output
    assert "Summarised" in result.output  # the bulk load went around the writes: summarised after
    assert count(DailySummary) > 0
    summarised = runner.invoke(args=["summaries", "verify"])
    assert summarised.exit_code == 0, summarised.output

    db.session.commit()  # end this session's read, as a separate command would not have one open
    again = runner.invoke(build_clinic, ["--patients", "5"])
    assert again.exit_code != 0
    assert "empty database" in again.output

    password = synthetic.SYNTHETIC_PASSWORD
    assert auth.login(synthetic.patient_email(1), password).status_code == 303
    for path in ("/today", "/messages", "/history"):
        assert client.get(path).status_code == 200, path
    auth.logout()

    assert auth.login(synthetic.therapist_email(1), password).status_code == 303
    dashboard = client.get("/therapist/")
    assert dashboard.status_code == 200
    patient = db.session.scalar(sa.select(User).where(User.email == synthetic.patient_email(2)))
    record = client.get(f"/therapist/patients/{patient.id}")
    assert record.status_code == 200
    assert patient.full_name in text_of(record)
    auth.logout()

    assert auth.login(synthetic.admin_email(1), password).status_code == 303
    search = client.get("/admin/?q=ma")
    assert search.status_code == 200
    assert synthetic.DOMAIN in text_of(search)
    for path in ("/therapist/outcomes", f"/therapist/rtm?month={today:%Y-%m}"):
        assert client.get(path).status_code == 200, path
