"""Alembic environment: runs against the connection or URL that bot.migrate hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import models
from models.base import Base

config = context.config
target_metadata = Base.metadata
assert models  # every table module is imported by the package


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        context.run_migrations()


run()
