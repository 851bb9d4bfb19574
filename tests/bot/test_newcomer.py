"""A newcomer's LINE profile is asked for outside the event's transaction (no lock held while LINE answers), and
only events that start a conversation make a member."""

from __future__ import annotations

import json
import sqlite3

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.member import Member
from tests.support import Chat, post_events, texts


def _transactions_open_elsewhere(app: Flask) -> int:
    """How many other database sessions are inside a transaction right now."""
    engine = app.extensions["engine"]
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return int(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")) or 0)
    probe = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
    try:  # SQLite: a writer elsewhere holds the write lock
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return 0
    except sqlite3.OperationalError:
        return 1
    finally:
        probe.close()


def test_a_newcomers_profile_is_fetched_with_no_transaction_open(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    seen: list[int] = []
    line_world.on_profile = lambda user_id: seen.append(_transactions_open_elsewhere(seeded))
    line_world.profiles["Unewcomer"] = {"displayName": "Somchai", "language": "en"}
    chat = Chat(seeded, line_world, user_id="Unewcomer")
    answer = texts(chat.follow())
    assert seen == [0], "LINE was asked once, while the bot held no transaction"
    member = db.scalar(select(Member).where(Member.line_user_id == "Unewcomer"))
    assert member is not None and member.display_name == "Somchai" and member.profile_language == "en"
    assert "register" in answer.lower(), "and the welcome is in the profile's language"
    chat.say("hello")
    assert seen == [0], "a member already known is not looked up again"


def test_events_that_start_no_conversation_make_no_member(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    source = {"type": "user", "userId": "Ubeacon"}
    base = {"mode": "active", "timestamp": 1700000000000, "source": source,
            "deliveryContext": {"isRedelivery": False}}
    events = [
        {**base, "type": "beacon", "webhookEventId": "01BEACON", "replyToken": "r1",
         "beacon": {"hwid": "d41d8cd98f", "type": "enter"}},
        {**base, "type": "unsend", "webhookEventId": "01UNSEND", "unsend": {"messageId": "325708"}},
    ]
    response = post_events(seeded.test_client(), events)
    assert response.status_code == 200, json.dumps(events)
    assert db.scalar(select(func.count()).select_from(Member)) == 0
    assert line_world.sent("/v2/bot/profile/Ubeacon") == []
