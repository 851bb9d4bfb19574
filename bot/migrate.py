"""Alembic, driven from code: `coopbot db upgrade` and the tests use the same migrations.

Each feature keeps its own branch of revisions off the foundation, so upgrades go to all heads.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    cfg = config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")


def revision(engine: Engine, message: str, head: str = "foundation@head", branch: str | None = None) -> None:
    """Autogenerate a revision (a developer's tool: `coopbot db revision`)."""
    cfg = config(engine)
    command.revision(cfg, message=message, autogenerate=True, head=head, branch_label=branch)
