"""Commands: `seed-demo` (a whole demo clinic), `create-user` (any real account), `send-reminders`,
`send-alerts` (staff told of warning signs, escalation),
`vapid-keys`, `audit verify` (the audit trail's hash chain), `backup` and `restore`.

`flask db upgrade` (Flask-Migrate) builds or upgrades the schema.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.demo import clinic as demo
from app.extensions import db
from app.models import Role, User
from app.services.accounts.accounts import AccountRuleError, create_account
from app.services.audit import chain as audit_chain
from app.services.between_visits import reminders
from app.services.between_visits.channels import new_vapid_keys
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.records import backups
from app.services.safety import notify


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(send_reminders)
    app.cli.add_command(send_alerts)
    app.cli.add_command(vapid_keys)
    app.cli.add_command(audit_commands)
    app.cli.add_command(backup)
    app.cli.add_command(restore)


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Send the reminders due now. Run every 5-15 minutes (cron or a systemd timer); safe on
    several hosts at once."""
    report = reminders.send_due_reminders(datetime.now(UTC), current_settings(), current_app.config)
    click.echo(
        f"Reminders: {len(report.sent)} sent, {len(report.failed)} failed (tried again later), "
        f"{report.claimed_elsewhere} taken by another run."
    )
    for line in report.failed:
        click.echo(f"  failed: {line}", err=True)


@click.command("send-alerts")
@with_appcontext
def send_alerts() -> None:
    """Tell staff about alerts: escalate emergencies nobody has acknowledged in time (the on-call
    clinician, then the admins) and retry notifications that failed. Run from the same timer as
    send-reminders; safe on several hosts at once (each step is claimed once)."""
    report = notify.send_due_alerts(datetime.now(UTC), current_settings(), current_app.config)
    click.echo(
        f"Alerts: {len(report.sent)} notifications sent, {len(report.failed)} failed (tried again "
        f"later), {report.claimed_elsewhere} taken by another run."
    )
    for line in report.failed:
        click.echo(f"  failed: {line}", err=True)


@click.command("vapid-keys")
def vapid_keys() -> None:
    """Print a new VAPID key pair for web push (put them in the environment once; changing them
    later means every phone must turn notifications on again)."""
    private, public = new_vapid_keys()
    click.echo(
        f"VAPID_PRIVATE_KEY={private}\nVAPID_PUBLIC_KEY={public}\nVAPID_SUBJECT=mailto:clinic@example.com"
    )


@click.command("seed-demo")
@click.option(
    "--skip-if-real",
    is_flag=True,
    help="With real accounts present, say so in one line and change nothing (what `make run` does).",
)
@with_appcontext
def seed_demo(skip_if_real: bool) -> None:
    """Build the demo clinic afresh on an empty or demo-only database; never touch real accounts."""
    real = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_demo.is_(False)))
    if real:
        message = (
            f"Demo clinic not rebuilt: this database has {real} real (non-demo) account(s). "
            "`make reset` deletes the local database to start a fresh demo."
        )
        if skip_if_real:
            click.echo(message)
            return
        raise click.ClickException(message)
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        demo.reset_schema()  # demo-only: everything in it was made by the demo, so all of it goes
    today = clinic_today_now()
    people = demo.build_demo_clinic(today)
    click.echo(
        f"Demo clinic ready ({len(people)} accounts, today is {today}). "
        f"Every password is '{demo.DEMO_PASSWORD}':"
    )
    for user in people:
        click.echo(f"  {user.role:<9} {user.email:<28} {user.full_name}")


@click.command("create-user")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "full_name", required=True, help="Full name, e.g. 'Maria Alvarez'.")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(role: str, full_name: str, email: str, password_stdin: bool) -> None:
    """Create an account of any role."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:  # the same rules as an admin's page, and as choosing a password on the web
        user = create_account(full_name, email, role, password=password)
    except AccountRuleError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {role} {user.email} (id {user.id}).")


@click.group("audit")
def audit_commands() -> None:
    """The audit trail."""


def hash_option(_context: click.Context, _parameter: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[0-9a-f]{64}", value):
        raise click.BadParameter("give the 64-character head hash printed by an earlier `audit verify`")
    return value


@audit_commands.command("verify")
@click.option(
    "--head",
    "expected_head",
    callback=hash_option,
    help="The head hash an earlier check printed: also fail if that row is gone (rows cut from the end).",
)
@with_appcontext
def audit_verify(expected_head: str | None) -> None:
    """Walk the hash chain of the audit trail; name the first row edited, deleted or inserted out of
    order (exit status 1), or print OK with the number of rows and the head to keep."""
    started = time.monotonic()
    report = audit_chain.verify(db.engine, expected_head)
    seconds = time.monotonic() - started
    if not report.intact:
        intact = f" The {report.rows:,} rows before it are intact." if report.at_row is not None else ""
        click.echo(f"FAILED: {report.problem}{intact}", err=True)
        sys.exit(1)
    head = f"row #{report.head_id}, hash {report.head_hash}" if report.head_id is not None else "empty trail"
    click.echo(
        f"OK: the audit trail is intact, {report.rows:,} rows checked in {seconds:.2f} s (head: {head})."
    )


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running (SQLite: the
    online backup API; PostgreSQL: pg_dump --format=custom). Never overwrites a file."""
    try:
        done = backups.backup(db.engine, path, current_app.config.get("PG_BIN_DIR"))
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Backed up the {db.engine.dialect.name} database to {done.path} ({done.size:,} bytes) in "
        f"{done.seconds:.2f} s. It holds health data: encrypt it before it leaves this machine."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore(path: Path) -> None:
    """Bring the backup at PATH into the configured database, which must be empty (a new one)."""
    try:
        done = backups.restore(db.engine, path, current_app.config.get("PG_BIN_DIR"))
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    tables = ", ".join(f"{name} {count:,}" for name, count in done.rows.items() if count)
    click.echo(
        f"Restored {sum(done.rows.values()):,} rows from {path} in {done.seconds:.2f} s ({tables}).\n"
        "Next: `flask --app wsgi db upgrade` (brings an older backup up to date), "
        "then `flask --app wsgi audit verify`."
    )
