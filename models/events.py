"""Webhook events already handled, so that a redelivered event changes nothing."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, String, bindparam, event, literal_column
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


_ASYNCHRONOUS = "set_config('synchronous_commit', 'off', true)"
"""what the claim adds on PostgreSQL, and how a statement that embeds it is known"""


@cache
def claim_statement(dialect: str) -> ReturningInsert[Any]:
    """Built once per dialect: it runs for every event, and putting it together costs more than running it. On
    PostgreSQL the claim also lets its transaction commit asynchronously, unless it writes more (see below)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # The table, not the class: the ORM's bulk-insert machinery has nothing to do here.
    table = Base.metadata.tables[ProcessedEvent.__tablename__]
    asynchronous: list[Any] = [literal_column(_ASYNCHRONOUS)] if dialect == "postgresql" else []
    return (insert(table).values(webhook_event_id=bindparam("id"), event_type=bindparam("type"),
                                 received_at=bindparam("at"))
            .on_conflict_do_nothing().returning(table.c.webhook_event_id, *asynchronous))


_CLAIMED, _WROTE = "events.claimed", "events.wrote"
"""what this transaction did, kept with its connection (models.kept keeps its own there too)"""


# Most events of a price morning write nothing but their claim (a price, my orders, the open rounds), and a thread
# would wait for the WAL's flush at each of their commits: on PostgreSQL the claim sets the transaction's commit
# asynchronous, which a crash of the database may undo (PostgreSQL's asynchronous commit: no corruption, only the
# last moment's commits lost). A claim alone may be lost: the member has had their answer, and LINE redelivers
# only an event the webhook did not answer. Any other statement that is not a SELECT in the same transaction (an
# order, a conversation, a member's first row), through the ORM or not, makes its commit wait for the disk again,
# as the server is set to. A statement is known for a claim by what it does, so that whatever embeds one is too.
@event.listens_for(Engine, "before_cursor_execute")
def _note_write(connection: Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any,
                _executemany: bool) -> None:
    if _ASYNCHRONOUS in statement:
        connection.info[_CLAIMED] = True
    elif statement.lstrip()[:6].upper() != "SELECT":
        connection.info[_WROTE] = True


@event.listens_for(Engine, "commit")
def _durable_commit(connection: Connection) -> None:
    if connection.info.get(_CLAIMED) and connection.info.get(_WROTE):
        # through SQLAlchemy, so that a connection lost here fails as the COMMIT would (bot.dispatch tries again)
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO DEFAULT")
    _forget(connection)


@event.listens_for(Engine, "begin")  # what a rolled-back transaction noted is forgotten too
def _forget(connection: Connection) -> None:
    connection.info.pop(_CLAIMED, None)
    connection.info.pop(_WROTE, None)
