"""The migrations and the models describe the same schema, on SQLite and PostgreSQL alike."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.models.base import made_on


def test_models_match_the_migrated_schema(app):
    with db.engine.connect() as connection:
        opts = {"compare_type": True, "include_object": made_on(connection.dialect.name)}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == []
