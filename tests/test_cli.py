"""The commands: seed-demo and create-user."""

from datetime import date

import sqlalchemy as sa

from app.demo.clinic import build_demo_clinic
from app.extensions import db
from app.models import Alert, DailyLog, PlanItem, Treatment, User
from app.services.accounts.passwords import verify_password
from app.services.treatment.treatments import active_treatment
from tests.factories import make_user


def demo_counts():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        db.session.scalar(sa.select(sa.func.count()).select_from(DailyLog)),
    )


def test_seed_demo_builds_the_demo_clinic(app, today):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "patient@example.com" in result.output
    assert "backtrack-demo" in result.output
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    assert len(users) == 34  # 3 staff, 11 current patients, 20 past ones (for the outcomes page)
    assert verify_password(users["patient@example.com"].password_hash, "backtrack-demo")
    maria = users["patient@example.com"]
    assert maria.first_name == "Maria"
    assert (today - active_treatment(maria.id).injection_date).days == 20
    assert active_treatment(users["other1@example.com"].id).therapist.email == "therapist2@example.com"
    assert active_treatment(users["evaluation@example.com"].id).injection_date > today
    [alert] = db.session.scalars(sa.select(Alert)).all()
    assert (alert.patient_id, alert.urgency, alert.day) == (
        users["redflag@example.com"].id,
        "emergency",
        today,
    )
    silent_last = db.session.scalar(
        sa.select(sa.func.max(DailyLog.day)).where(DailyLog.patient_id == users["silent@example.com"].id)
    )
    assert (today - silent_last).days == 5
    nsaid = db.session.scalars(
        sa.select(DailyLog.medication).where(DailyLog.patient_id == users["nsaid@example.com"].id)
    ).all()
    assert "anti_inflammatory" in nsaid


def active_treatment_of(email: str):
    return active_treatment(db.session.scalar(sa.select(User.id).where(User.email == email)))


def test_seed_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    first = demo_counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert demo_counts() == first


def test_seed_demo_refuses_a_database_with_real_accounts(app):
    make_user(email="real.patient@example.com")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "1 real (non-demo) account" in result.output
    assert demo_counts()[0] == 1


def test_make_runs_seeding_skips_real_accounts_in_one_line_and_goes_on(app):
    make_user(email="real.patient@example.com")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--skip-if-real"])
    assert result.exit_code == 0
    assert result.output.count("\n") == 1
    assert "make reset" in result.output
    assert demo_counts()[0] == 1


def every_table_count() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_reseeding_after_every_role_used_the_demo_starts_afresh(app, client, auth, today):
    """Everything the app lets the demo's people write is gone after seeding again."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    fresh = every_table_count()

    auth.login("patient@example.com", "backtrack-demo")
    token = auth.token()
    client.post(
        f"/log/{today}",
        data={
            "csrf_token": token,
            "back_pain": "5",
            "medication": "none",
            "leg_weakness": "y",
            "note": "Saved through the app",
            "idempotency_key": "demo-used-0001",
        },
    )
    item = db.session.scalars(
        sa.select(PlanItem)
        .join(Treatment)
        .where(
            Treatment.patient_id == active_treatment_of("patient@example.com").patient_id,
            PlanItem.phase == "restore",
        )
    ).first()
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "1"})
    auth.logout()

    auth.login("therapist@example.com", "backtrack-demo")
    token = auth.token()
    patient_id = active_treatment_of("patient@example.com").patient_id
    client.get(f"/therapist/patients/{patient_id}")
    alert = db.session.scalars(sa.select(Alert).where(Alert.patient_id == patient_id)).first()
    client.post(f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": token, "note": "Called her"})
    client.post(f"/therapist/patients/{patient_id}/notes", data={"csrf_token": token, "body": "Doing well"})
    auth.logout()

    auth.login("admin@example.com", "backtrack-demo")
    token = auth.token()
    client.post(f"/admin/accounts/{patient_id}/setup-link", data={"csrf_token": token})
    settings = {
        "csrf_token": token,
        "name": "Demo Clinic",
        "timezone": "America/New_York",
        "phone": "+1 555 010 0199",
        "nsaid_days_before": "7",
        "nsaid_days_after": "14",
        "no_ice_hours": "72",
        "open_days": ["mon", "tue", "wed", "thu", "fri"],
        "opens_at": "08:00",
        "closes_at": "17:00",
        "after_hours_phone": "+1 555 010 0111",
        "patient_idle_minutes": "30",
        "patient_max_hours": "12",
        "staff_idle_minutes": "30",
        "staff_max_hours": "12",
        "escalate_minutes_open": "30",
        "escalate_minutes_closed": "60",
        "blood_draw": "visit_1",
        "ultrasound_sites": ["facet_joints", "si_joint"],
        "drive_home": "no",
    }
    client.post("/admin/settings", data=settings)
    auth.logout()

    used = every_table_count()
    for table in ("log_submissions", "exercise_ticks", "clinical_notes", "setup_links", "clinic_settings"):
        assert used[table] > fresh[table], table
    db.session.remove()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert every_table_count() == fresh


def test_create_user_with_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--role",
            "therapist",
            "--name",
            "Dana Cruz",
            "--email",
            "Dana@Example.com",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "dana@example.com"))
    assert (user.role, user.full_name) == ("therapist", "Dana Cruz")
    assert verify_password(user.password_hash, "a long enough passphrase")


def test_create_user_refuses_short_passwords_and_duplicates(app):
    runner = app.test_cli_runner()
    base = [
        "create-user",
        "--role",
        "admin",
        "--name",
        "Ann Admin",
        "--email",
        "ann@example.com",
        "--password-stdin",
    ]
    short = runner.invoke(args=base, input="short\n")
    assert short.exit_code != 0
    assert "at least 15 characters" in short.output
    # The same rules as on the web: long but guessable, or built from the email, is refused too.
    guessable = runner.invoke(args=base, input="password password password\n")
    assert guessable.exit_code != 0
    assert "unrelated words" in guessable.output
    own_email = runner.invoke(args=base, input="ann@example.com\n")
    assert own_email.exit_code != 0
    assert "email address" in own_email.output
    assert runner.invoke(args=base, input="a long enough passphrase\n").exit_code == 0
    again = runner.invoke(args=base, input="a long enough passphrase\n")
    assert again.exit_code != 0
    assert "already uses this email" in again.output


def test_create_user_refuses_an_unknown_role(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--role",
            "doctor",
            "--name",
            "X",
            "--email",
            "x@example.com",
            "--password-stdin",
        ]
    )
    assert result.exit_code != 0


def test_the_demo_books_a_planned_injection_on_a_day_the_clinic_is_open(app):
    """James's injection is five days ahead; from a Tuesday that is a Sunday (the clinic is open
    Monday to Friday), so it is booked on the Monday after. From a Wednesday, Monday is five days on."""
    tuesday = date(2026, 12, 1)
    build_demo_clinic(tuesday)
    james = db.session.scalar(sa.select(User).where(User.email == "evaluation@example.com"))
    assert active_treatment(james.id).injection_date == date(2026, 12, 7)
    assert active_treatment(james.id).injection_date.weekday() == 0
