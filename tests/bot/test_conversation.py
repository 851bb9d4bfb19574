"""A pending question lives in the database: it continues across requests, expires, and can be left."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import create_app
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from models.base import utcnow
from models.conversation import Conversation
from tests.support import Chat, buttons, registered, texts


def _coordinator(app: Flask, world: LineWorld) -> Chat:
    chat = Chat(app, world)
    registered(app, chat.user_id, role="coordinator", center_code="PROV-RUBBER")
    chat.press(Intent("broadcast").to_postback())
    return chat


def test_the_question_is_a_row_that_any_worker_can_continue(
    seeded: Flask, config: dict[str, str], line_world: LineWorld, db: Session
) -> None:
    chat = _coordinator(seeded, line_world)
    waiting = db.scalars(select(Conversation)).one()
    assert (waiting.intent, waiting.awaiting) == ("broadcast", "body")
    other_worker = create_app(config)  # its own engine and dispatcher, as another gunicorn worker has
    answer = Chat(other_worker, line_world, user_id=chat.user_id).say("ตลาดนัดยางวันพุธ")
    other_worker.extensions["engine"].dispose()
    assert "ตลาดนัดยางวันพุธ" in texts(answer) and "ไม่ส่ง" in buttons(answer), "the draft, shown for sending"


def test_an_expired_question_is_forgotten(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    chat = _coordinator(seeded, line_world)
    db.execute(update(Conversation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    answer = texts(chat.say("ตลาดนัดยางวันพุธ"))
    assert "ส่งถึงสมาชิก" not in answer
    assert db.scalars(select(Announcement)).all() == []
    assert db.scalars(select(Conversation)).all() == []


def test_the_question_lasts_thirty_minutes(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    _coordinator(seeded, line_world)
    waiting = db.scalars(select(Conversation)).one()
    assert timedelta(minutes=29) < waiting.expires_at - utcnow() <= timedelta(minutes=30)


def test_pressing_another_button_leaves_the_question(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    chat = _coordinator(seeded, line_world)
    chat.press(Intent("help").to_postback())
    assert db.scalars(select(Conversation)).all() == []


def test_unanswered_questions_are_purged_by_the_scheduler(seeded: Flask, line_world: LineWorld,
                                                          db: Session) -> None:
    from bot.jobs.scheduler import forget_unanswered_questions

    _coordinator(seeded, line_world)
    forget_unanswered_questions(seeded)
    assert len(db.scalars(select(Conversation)).all()) == 1, "a live question stays"
    db.execute(update(Conversation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    forget_unanswered_questions(seeded)
    assert db.scalars(select(Conversation)).all() == []
