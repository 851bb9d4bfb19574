"""The database drops the bot's connections (a restart, a failover): the next member's message is answered, not
apologised for, and takes effect once. PostgreSQL only: SQLite has no connection to lose."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

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
