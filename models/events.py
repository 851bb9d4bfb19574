"""Webhook events already handled, so that a redelivered event changes nothing."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import String, bindparam
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.dml import ReturningInsert

from models.base import Base, utcnow


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    webhook_event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


def claim_event(db: Session, webhook_event_id: str, event_type: str) -> bool:
    """Record the event inside the caller's transaction; False when it was handled before.

    One statement (INSERT … ON CONFLICT DO NOTHING), no savepoint. On PostgreSQL a concurrent redelivery waits
    on the primary key until the first commits, then inserts nothing, so the same event is never handled twice
    even by two workers at once.
    """
    statement = claim_statement(db.get_bind().dialect.name)
    row = db.execute(statement, {"id": webhook_event_id, "type": event_type, "at": utcnow()}).first()
    return row is not None


@cache
def claim_statement(dialect: str) -> ReturningInsert[str]:
    """Built once per dialect: it runs for every event, and putting it together costs more than running it."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # The table, not the class: the ORM's bulk-insert machinery has nothing to do here.
    table = Base.metadata.tables[ProcessedEvent.__tablename__]
    return (insert(table).values(webhook_event_id=bindparam("id"), event_type=bindparam("type"),
                                 received_at=bindparam("at"))
            .on_conflict_do_nothing().returning(table.c.webhook_event_id))
