"""exercise photos: the clinic's own photo of an exercise, on a version of its texts

A clinic may add its own photo to an exercise in its library. The photo is kept in the database
(every app host serves it), as the re-encoded pixels only, addressed by the SHA-256 of its bytes.
A version of the exercise names its photo and the words that describe it to someone who cannot
see it (required with a photo); a new photo is a new draft version that the physician signs, like
a change to the texts. Existing versions have no photo.

Revision ID: 0025_exercise_photos
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_exercise_photos"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exercise_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "media_type IN ('image/webp', 'image/jpeg')", name=op.f("ck_exercise_photos_media_type_known")
        ),
        sa.CheckConstraint("width > 0 AND height > 0", name=op.f("ck_exercise_photos_size_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_exercise_photos_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_photos")),
        sa.UniqueConstraint("sha256", name=op.f("uq_exercise_photos_sha256")),
    )
    with op.batch_alter_table("exercise_versions") as batch:
        batch.add_column(sa.Column("photo_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("photo_alt", sa.String(length=300), nullable=False, server_default=""))
        batch.create_foreign_key(
            op.f("fk_exercise_versions_photo_id_exercise_photos"), "exercise_photos", ["photo_id"], ["id"]
        )
        batch.create_check_constraint(
            op.f("ck_exercise_versions_photo_described"), "photo_id IS NULL OR length(photo_alt) > 0"
        )


def downgrade():
    with op.batch_alter_table("exercise_versions") as batch:
        batch.drop_constraint(op.f("ck_exercise_versions_photo_described"), type_="check")
        batch.drop_constraint(op.f("fk_exercise_versions_photo_id_exercise_photos"), type_="foreignkey")
        batch.drop_column("photo_alt")
        batch.drop_column("photo_id")
    op.drop_table("exercise_photos")
