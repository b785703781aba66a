"""`flask --app bench.app build-clinic`: the benchmark's synthetic clinic, built in bulk. A command of
the benchmark's own app (bench/app.py), so production commands never load the 800-line builder and
the installed package does not carry it."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_migrate import upgrade

from app.extensions import db
from app.models import User
from app.services import summaries
from app.services.accounts.passwords import hash_password
from app.services.clinic.content_signoff import current_fingerprint
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.treatment.library import ensure_library
from bench import synthetic


@click.command("build-clinic")
@click.option("--patients", type=click.IntRange(1, 200_000), default=5_000, show_default=True)
@click.option("--seed", type=int, default=13, show_default=True, help="The same seed builds the same clinic.")
@with_appcontext
def build_clinic(patients: int, seed: int) -> None:
    """Build a synthetic clinic of PATIENTS patients (with therapists, admins and 120 days of data
    each) in an empty database, in bulk, for the benchmark. Every password is 'backtrack-synthetic'."""
    upgrade()
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        raise click.ClickException("build-clinic needs an empty database: this one already has accounts.")
    ensure_library()  # the migrations wrote it; an emptied database (the tests) gets it back
    db.session.commit()
    today, fingerprint = clinic_today_now(), current_fingerprint(current_settings())
    db.session.remove()  # the build writes through a connection of its own, in one transaction
    with db.engine.begin() as connection:
        report = synthetic.build(
            connection,
            patients,
            today,
            datetime.now(UTC).replace(tzinfo=None),
            hash_password(synthetic.SYNTHETIC_PASSWORD),
            fingerprint,
            seed,
        )
        started = time.monotonic()  # the bulk load went around the writes: summarise it all
        summarised = summaries.rebuild(connection)
        summary_seconds = time.monotonic() - started
    vacuumed = synthetic.vacuum(db.engine, [*report.rows, "daily_summaries", "treatment_summaries"])
    size = report.size
    click.echo(
        f"Built a synthetic clinic in {report.seconds:.1f} s on {db.engine.dialect.name} (today is "
        f"{report.today}): {size.patients:,} patients, {size.therapists:,} therapists, {size.admins} admins. "
        f"Every password is '{synthetic.SYNTHETIC_PASSWORD}'; {synthetic.therapist_email(1)} has "
        f"{min(size.patients, synthetic.BENCH_CASELOAD)} patients, {synthetic.admin_email(1)} is an admin."
    )
    click.echo(
        f"Summarised {summarised[0]:,} treatment days and {summarised[1]:,} treatments in "
        f"{summary_seconds:.1f} s (flask summaries rebuild)."
    )
    if vacuumed is not None:
        click.echo(f"Then VACUUM ANALYZE in {vacuumed:.1f} s (so the first reads need not do it).")
    for table, count in report.rows.items():
        click.echo(f"  {table:<24} {count:>12,}")
