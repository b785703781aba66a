"""the clinic's own exercise library: numbered, signed versions of each exercise's texts

Each exercise's texts (name, purpose, steps, stop line) and default dose per phase become numbered
versions: a draft the clinic writes, signed by the physician before any patient reads it, retired
when a newer one is signed. Version 1 of every exercise that ships with the app is seeded here from
the content catalogue, signed and marked built-in (its words keep being read from the catalogue,
with their translations, so patients see exactly what they saw before). Each plan item keeps the
version it was prescribed with: existing items point at version 1.

Revision ID: 0024
Revises: 0023_consent_versions
"""

from dataclasses import asdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023_consent_versions"
branch_labels = None
depends_on = None


def upgrade():
    from app.care.content import ALL_EXERCISES  # today's texts: version 1 of each exercise

    versions = op.create_table(
        "exercise_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("stop_if", sa.Text(), nullable=False),
        sa.Column("doses", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'signed', 'retired')", name=op.f("ck_exercise_versions_status_known")
        ),
        sa.CheckConstraint("language IN ('en', 'es')", name=op.f("ck_exercise_versions_language_known")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_exercise_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercises.id"],
            name=op.f("fk_exercise_versions_exercise_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_exercise_versions_written_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"], ["users.id"], name=op.f("fk_exercise_versions_signed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_versions")),
        sa.UniqueConstraint("exercise_id", "number", name="uq_exercise_versions_exercise_number"),
    )
    with op.batch_alter_table("plan_items") as batch:
        batch.add_column(sa.Column("exercise_version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_plan_items_exercise_version_id_exercise_versions"),
            "exercise_versions",
            ["exercise_version_id"],
            ["id"],
        )

    connection = op.get_bind()
    exercises = sa.table("exercises", sa.column("id", sa.Integer()), sa.column("slug", sa.String()))
    known = dict(connection.execute(sa.select(exercises.c.slug, exercises.c.id)).all())
    missing = [{"slug": text.slug} for text in ALL_EXERCISES if text.slug not in known]
    if missing:
        op.bulk_insert(exercises, missing)
        known = dict(connection.execute(sa.select(exercises.c.slug, exercises.c.id)).all())
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        versions,
        [
            {
                "exercise_id": known[text.slug],
                "number": 1,
                "name": text.name,
                "purpose": text.purpose,
                "steps": list(text.steps),
                "stop_if": text.stop_if,
                "doses": {phase: asdict(dose) for phase, dose in text.doses.items()},
                "language": "en",
                "status": "signed",
                "builtin": True,
                "written_by_id": None,
                "written_at": now,
                "signed_by_id": None,
                "signed_at": now,
            }
            for text in ALL_EXERCISES
        ],
    )
    connection.execute(
        sa.text(
            "UPDATE plan_items SET exercise_version_id = (SELECT v.id FROM exercise_versions v "
            "WHERE v.exercise_id = plan_items.exercise_id AND v.number = 1)"
        )
    )


def downgrade():
    with op.batch_alter_table("plan_items") as batch:
        batch.drop_constraint(op.f("fk_plan_items_exercise_version_id_exercise_versions"), type_="foreignkey")
        batch.drop_column("exercise_version_id")
    op.drop_table("exercise_versions")
