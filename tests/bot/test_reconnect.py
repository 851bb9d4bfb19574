"""The database drops the bot's connections (a restart, a failover): the next member's message is answered, not
apologised for, and takes effect once. PostgreSQL only: SQLite has no connection to lose."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Connection, create_engine, func, select, text
from sqlalchemy.event import listen, remove
from sqlalchemy.exc import OperationalError

from models.alerts import PriceAlert
from models.events import ProcessedEvent
from tests.support import Chat, registered, texts


def _drop_every_other_connection(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        dropped = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    engine.dispose()
    return int(dropped)


def test_a_dropped_connection_is_renewed_and_the_message_answered(seeded: Flask, chat: Chat,
                                                                  database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite is a file: there is no connection for a server to drop")
    registered(seeded, chat.user_id)
    assert "สวัสดี" in texts(chat.say("สวัสดีครับ"))  # the pool now holds an open connection
    assert _drop_every_other_connection(database_url) >= 1
    answer = texts(chat.say("มีรอบสั่งซื้ออะไรเปิดอยู่บ้าง"))
    assert "ขออภัย" not in answer, answer
    assert answer.strip()
    with seeded.extensions["sessions"]() as db:
        assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 2


def test_a_commit_whose_answer_was_lost_is_answered_and_not_done_twice(seeded: Flask, chat: Chat) -> None:
    """The database committed the event and the connection dropped before the bot heard so (a restart at that
    instant): tried once more, the claim shows it done; nothing happens twice, and the member gets the first try's
    answer, not silence."""
    registered(seeded, chat.user_id)
    engine = seeded.extensions["engine"]
    lost: list[bool] = []

    def commit_then_drop(connection: Connection) -> None:
        if not lost:  # the first commit only: the event's own
            lost.append(True)
            connection.connection.dbapi_connection.commit()  # type: ignore[union-attr]  # the database has it
            raise OperationalError("COMMIT", None, ConnectionError("server closed the connection unexpectedly"),
                                   connection_invalidated=True)

    listen(engine, "commit", commit_then_drop)
    try:
        answer = texts(chat.say("แจ้งเตือนเมื่อน้ำยางเกิน 50 บาท"))
    finally:
        remove(engine, "commit", commit_then_drop)
    assert lost and "50" in answer and "ขออภัย" not in answer, answer
    with seeded.extensions["sessions"]() as db:
        assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 1
        assert db.scalar(select(func.count()).select_from(PriceAlert)) == 1
