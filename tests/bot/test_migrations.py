"""The migrations build exactly the tables the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from bot import migrate
from models.base import Base


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_every_feature_branches_off_the_foundation() -> None:
    script = ScriptDirectory.from_config(migrate.config(create_engine("sqlite://")))
    assert script.get_bases() == ["0001"]
