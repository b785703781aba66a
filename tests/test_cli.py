"""The commands: seed-demo and create-user."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Alert, DailyLog, User
from app.passwords import verify_password
from app.services.treatments import active_treatment
from tests.factories import make_user


def demo_counts():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        db.session.scalar(sa.select(sa.func.count()).select_from(DailyLog)),
    )


def test_seed_demo_builds_the_demo_clinic(app, today):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "patient@example.com" in result.output and "backtrack-demo" in result.output
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
    assert "non-demo account" in result.output
    assert demo_counts()[0] == 1


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
    assert short.exit_code != 0 and "at least 15 characters" in short.output
    # The same rules as on the web: long but guessable, or built from the email, is refused too.
    guessable = runner.invoke(args=base, input="password password password\n")
    assert guessable.exit_code != 0 and "unrelated words" in guessable.output
    own_email = runner.invoke(args=base, input="ann@example.com\n")
    assert own_email.exit_code != 0 and "email address" in own_email.output
    assert runner.invoke(args=base, input="a long enough passphrase\n").exit_code == 0
    again = runner.invoke(args=base, input="a long enough passphrase\n")
    assert again.exit_code != 0 and "already exists" in again.output


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
