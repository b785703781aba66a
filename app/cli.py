"""Commands: `seed-demo` (a whole demo clinic), `create-user` (any real account), `send-reminders`,
`send-alerts` (staff told of warning signs, escalation),
`vapid-keys`, `audit verify` (the audit trail's hash chain), `summaries rebuild` and `summaries
verify` (the read model), `backup` and `restore`.

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
from app.services import summaries
from app.services.accounts.accounts import AccountRuleError, create_account
from app.services.audit import chain as audit_chain
from app.services.audit import checkpoints as audit_checkpoints
from app.services.audit import keys as audit_keys
from app.services.between_visits import reminders
from app.services.between_visits.channels import new_vapid_keys
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.pages.outcomes import outcome_differences
from app.services.records import backups
from app.services.safety import notify


def register(app: Flask) -> None:
    app.cli.add_command(translate)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(send_reminders)
    app.cli.add_command(send_alerts)
    app.cli.add_command(vapid_keys)
    app.cli.add_command(audit_commands)
    app.cli.add_command(summaries_commands)
    app.cli.add_command(backup)
    app.cli.add_command(restore)


TRANSLATIONS = Path(__file__).resolve().parent / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


def pybabel(*arguments: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *arguments])


@click.group("translate")
def translate() -> None:
    """The gettext catalogues (docs/translating.md): extract, update, compile, init."""


@translate.command("extract")
def translate_extract() -> None:
    """Write app/translations/messages.pot from the content catalogue, the code and the templates."""
    root = TRANSLATIONS.parent.parent
    pybabel(
        "extract",
        "-F",
        str(root / "babel.cfg"),
        "-k",
        "_l",
        "--ignore-dirs",
        ".*",  # Babel skips "_*" folders by default: the templates' _macros hold staff words too
        "--no-location",
        "--sort-output",
        "-o",
        str(TEMPLATE),
        str(root),
    )


@translate.command("update")
def translate_update() -> None:
    """Merge messages.pot into every language's messages.po (new texts arrive untranslated)."""
    pybabel("update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")


@translate.command("compile")
def translate_compile() -> None:
    """Compile every messages.po into the messages.mo the app reads."""
    pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translate.command("init")
@click.argument("language")
def translate_init(language: str) -> None:
    """Start a new language's catalogue from messages.pot (LANGUAGE like `vi` or `zh_Hant`)."""
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Za-z]{2,4})?", language):
        raise click.BadParameter("a language code like vi, ht or zh_Hant", param_hint="LANGUAGE")
    pybabel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language)


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
    listed = {user.email for user in people}
    others = db.session.scalars(sa.select(User.email).order_by(User.email)).all()
    others = [email for email in others if email not in listed]
    click.echo(
        f"Demo clinic ready ({len(listed) + len(others)} accounts, today is {today}). "
        f"Every password is '{demo.DEMO_PASSWORD}':"
    )
    for user in people:
        click.echo(f"  {user.role:<9} {user.email:<28} {user.full_name}")
    if others:
        click.echo(f"  and {len(others)} patients with finished courses, {others[0]} … {others[-1]}")


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


@click.group("summaries")
def summaries_commands() -> None:
    """The read model kept by the writes (per treatment and day, and per treatment)."""


@summaries_commands.command("rebuild")
@with_appcontext
def summaries_rebuild() -> None:
    """Write every summary afresh from the raw rows, in one transaction (idempotent: after a
    migration, a restore or a repair)."""
    started = time.monotonic()
    days, treatments = summaries.rebuild(db.session())
    db.session.commit()
    click.echo(
        f"Rebuilt the summaries: {days:,} treatment days, {treatments:,} treatments "
        f"in {time.monotonic() - started:.1f} s."
    )


@summaries_commands.command("verify")
@with_appcontext
def summaries_verify() -> None:
    """Recompute every summary from the raw rows and name each difference (exit status 1); and
    compare the outcomes page's figures, counted in SQL, with the rule worked out in Python."""
    started = time.monotonic()
    problems = summaries.verify(db.session())
    problems += outcome_differences(clinic_today_now())
    db.session.rollback()
    for problem in problems:
        click.echo(f"DIFFERS: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"OK: the summaries agree with the raw rows ({time.monotonic() - started:.1f} s).")


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
@click.option(
    "--checkpoints",
    "checkpoint_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of checkpoints (a copy from off-site or e-mail) to check against, besides "
    "AUDIT_CHECKPOINT_FILE. May be given more than once.",
)
@with_appcontext
def audit_verify(expected_head: str | None, checkpoint_files: tuple[Path, ...]) -> None:
    """Walk the audit trail: every row's hash (keyed with the audit key, or plain SHA-256 before the
    key), its link to the row before, the key it calls for, and every checkpoint readable (signature,
    head row, count). Name the first row or checkpoint that disagrees (exit status 1), or print OK
    with the number of rows and the head to keep; then what was checked."""
    started = time.monotonic()
    keys = audit_keys.current_keys()
    configured = audit_checkpoints.configured_file(current_app.config)
    readings = audit_checkpoints.read_all([*([configured] if configured else []), *checkpoint_files], keys)
    anchors = [checkpoint for reading in readings for checkpoint in reading.checkpoints]
    report = audit_chain.verify(db.engine, keys, expected_head, anchors)
    seconds = time.monotonic() - started
    problems = [problem for reading in readings for problem in reading.problems]
    if not report.intact:
        intact = f" The {report.rows:,} rows before it are intact." if report.at_row is not None else ""
        problems.insert(0, f"{report.problem}{intact}")
    for problem in problems:
        click.echo(f"FAILED: {problem}", err=True)
    if not problems:
        head = (
            f"row #{report.head_id}, hash {report.head_hash}" if report.head_id is not None else "empty trail"
        )
        click.echo(
            f"OK: the audit trail is intact, {report.rows:,} rows checked in {seconds:.2f} s (head: {head})."
        )
    for line in audit_chain.describe(report, keys):
        click.echo(f"  {line[0].upper()}{line[1:]}")
    click.echo(f"  {audit_checkpoints.describe(readings, report, datetime.now(UTC))}")
    if problems:
        sys.exit(1)


@audit_commands.command("checkpoint")
@click.option("--new-file", is_flag=True, help="Start AUDIT_CHECKPOINT_FILE: the first run only.")
@click.option(
    "--mail", "send_mail", is_flag=True, help="Also e-mail the checkpoint to AUDIT_CHECKPOINT_EMAIL."
)
@with_appcontext
def audit_checkpoint(new_file: bool, send_mail: bool) -> None:
    """Sign the audit trail's row count and head with the audit key, and append it to
    AUDIT_CHECKPOINT_FILE (and e-mail it with --mail). Run it from the reminder timer. It first checks
    the rows since the previous checkpoint: when they disagree it writes nothing (exit status 1)."""
    config = current_app.config
    path = audit_checkpoints.configured_file(config)
    if path is None and not send_mail:
        raise click.ClickException("Set AUDIT_CHECKPOINT_FILE (an append-only file), or give --mail.")
    if new_file and path is None:
        raise click.ClickException("--new-file starts AUDIT_CHECKPOINT_FILE: set it first.")
    try:
        taken = audit_checkpoints.take(
            db.engine, audit_keys.current_keys(), path, datetime.now(UTC), new_file, always=send_mail
        )
    except audit_checkpoints.CheckpointError as error:
        click.echo(f"FAILED: {error}", err=True)
        sys.exit(1)
    checkpoint = taken.checkpoint
    head = f"row #{checkpoint.head_id}" if checkpoint.head_id is not None else "no rows yet"
    if not taken.written:
        click.echo(
            f"Checkpoint: the trail is as {checkpoint.described} saw it ({checkpoint.rows:,} rows up to "
            f"{head}), checked again; nothing written (an unchanged head is written once an hour)."
        )
        return
    click.echo(
        f"Checkpoint: {checkpoint.rows:,} rows up to {head}, signed with audit key {checkpoint.key_id}"
        + (f", appended to {path}." if path else ".")
    )
    if send_mail:
        try:
            click.echo(f"E-mailed to {audit_checkpoints.mail(config, checkpoint)}.")
        except audit_checkpoints.CheckpointError as error:
            click.echo(f"FAILED: {error}", err=True)
            sys.exit(1)


@audit_commands.command("new-key")
def audit_new_key() -> None:
    """Print a new random audit key. To rotate: move the current AUDIT_KEY into AUDIT_OLD_KEYS (kept
    for checking only, never removed), set this as AUDIT_KEY, restart every host; the first row
    written records the change, chained with the old key."""
    secret = audit_keys.new_secret()
    click.echo(f"AUDIT_KEY={secret}")
    click.echo(f"# its id, which rows and checkpoints name: {audit_keys.AuditKey.from_secret(secret).id}")


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
