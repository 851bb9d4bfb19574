"""Cancelling an alert acts on exactly the alert the message names: the daily price, a direction, a level."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.alerts import PriceAlert
from tests.support import Chat, button_data, registered, texts


def _member_with(seeded: Flask, line_world: LineWorld, *alerts: Intent) -> Chat:
    chat = Chat(seeded, line_world)
    registered(seeded, chat.user_id)
    for alert in alerts:
        chat.press(alert.to_postback())
    return chat


def _active(db: Session) -> list[tuple[str, str | None]]:
    db.expire_all()
    rows = db.scalars(select(PriceAlert).where(PriceAlert.active.is_(True)).order_by(PriceAlert.id))
    return [(a.kind, str(a.threshold) if a.threshold is not None else None) for a in rows]


def _answer(chat: Chat, said: str, button: str) -> str:
    """Say it, then press the button of the confirm question; the text of both answers."""
    asked = chat.say(said)
    assert not button or "ใช่ไหม" in texts(asked), texts(asked)
    return texts(asked) + "\n" + (texts(chat.press(button_data(asked, button))) if button else "")


BELOW_57 = Intent("alert.create", {"rubber_type": "latex", "direction": "below", "threshold": 57})
ABOVE_65 = Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 65})
DAILY = Intent("alert.create", {"rubber_type": "latex", "daily": True})


def test_stopping_the_daily_price_cancels_the_daily_price_only(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    chat = _member_with(seeded, line_world, BELOW_57, DAILY)
    asked = chat.say("เลิกส่งราคาทุกวัน")
    assert len(_active(db)) == 2, "nothing is cancelled before the member says yes"
    chat.press(button_data(asked, "ใช่ ยกเลิก"))
    assert _active(db) == [("below", "57.00")]


def test_no_keeps_the_alert(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    chat = _member_with(seeded, line_world, BELOW_57, DAILY)
    assert "เหมือนเดิม" in _answer(chat, "เลิกส่งราคาทุกวัน", "ไม่ เก็บไว้")
    assert len(_active(db)) == 2


def test_cancel_typed_to_the_question_is_its_yes(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    chat = _member_with(seeded, line_world, BELOW_57, ABOVE_65)
    chat.say("ยกเลิกเตือนน้ำยางสูงกว่า 65")
    chat.say("ยกเลิก")
    assert _active(db) == [("below", "57.00")]


def test_a_named_alert_the_member_does_not_have_cancels_nothing(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    chat = _member_with(seeded, line_world, BELOW_57)
    answer = texts(chat.say("เลิกส่งราคาทุกวัน"))
    assert "ไม่มี" in answer and _active(db) == [("below", "57.00")]


def test_a_direction_and_a_level_name_one_alert_of_two(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    chat = _member_with(seeded, line_world, BELOW_57, ABOVE_65)
    _answer(chat, "ยกเลิกเตือนน้ำยางสูงกว่า 65", "ใช่ ยกเลิก")
    assert _active(db) == [("below", "57.00")]


def test_alerts_named_alike_are_asked_about(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    chat = _member_with(seeded, line_world, BELOW_57, ABOVE_65)
    answer = texts(chat.say("ยกเลิกเตือนน้ำยาง"))
    assert "ยกเลิก" in answer and len(_active(db)) == 2, "two latex alerts: which one is asked, none cancelled"
