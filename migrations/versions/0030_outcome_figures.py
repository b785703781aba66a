"""outcome figures: each treatment's outcome figures kept beside its running figures

The outcomes page worked out every treatment's pain change, PEG, PSFS and PGIC in Python on every
view: 5 s at 50,000 patients. The running figures now hold them too (in tenths, worked out in SQL
with whole-number steps, the same as app.care.measures), so the page counts and ranks them in SQL.
PSFS activities match across rounds by a stored key (the label, case and spacing ignored), set here
from each label with the app's own rule.

Revision ID: 0030_outcome_figures
Revises: 0029_last_monitoring_day
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_outcome_figures"
down_revision = "0029_last_monitoring_day"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    from app.care.measures import label_key
    from app.models.measures import ACTIVITY_KEY_MAX
    from app.models.summaries import OUTCOME_COLUMNS

    with op.batch_alter_table("questionnaire_items") as table:
        table.add_column(sa.Column("activity_key", sa.String(ACTIVITY_KEY_MAX), nullable=True))
    connection = op.get_bind()
    items = sa.table("questionnaire_items", sa.column("id"), sa.column("label"), sa.column("activity_key"))
    update = (
        items.update().where(items.c.id == sa.bindparam("item_id")).values(activity_key=sa.bindparam("key"))
    )
    last = 0
    while rows := connection.execute(
        sa.select(items.c.id, items.c.label).where(items.c.id > last).order_by(items.c.id).limit(BATCH)
    ).all():
        connection.execute(update, [{"item_id": id_, "key": label_key(label)} for id_, label in rows])
        last = rows[-1][0]
    with op.batch_alter_table("questionnaire_items") as table:
        table.alter_column("activity_key", existing_type=sa.String(ACTIVITY_KEY_MAX), nullable=False)
    with op.batch_alter_table("treatment_summaries") as table:
        for name in OUTCOME_COLUMNS:
            table.add_column(sa.Column(name, sa.Integer(), nullable=True))

    from app.models import TreatmentSummary
    from app.models.summaries import DailySummary
    from app.services.summaries.sql import figures
    from app.services.summaries.store import revised, upsert

    upsert(
        connection, TreatmentSummary.__table__, revised(figures(DailySummary.__table__)), ("treatment_id",)
    )


def downgrade():
    from app.models.summaries import OUTCOME_COLUMNS

    with op.batch_alter_table("treatment_summaries") as table:
        for name in OUTCOME_COLUMNS:
            table.drop_column(name)
    with op.batch_alter_table("questionnaire_items") as table:
        table.drop_column("activity_key")
