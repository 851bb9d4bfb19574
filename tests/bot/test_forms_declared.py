"""The forms declared in handlers/ (handlers.forms), as a member meets them: an open question asked again after a
digression is the same question (the same card, with the same token), a request that starts its own form in the
middle of another asks its own question once, and a confirm step takes a typed yes only to its own question."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from bot.seed import orders as seed_orders
from models.conversation import Conversation
from models.member import Member
from tests.orders.conftest import lines, register, round_of
from tests.support import Chat, button_data, texts

PRICE_QUESTION = "ราคายางวันนี้เท่าไหร่"


@pytest.fixture
def catalog(seeded: Flask) -> Flask:
    with seeded.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, seeded.config["SETTINGS"])
    return seeded


@pytest.fixture
def farmer(catalog: Flask, line_world: LineWorld) -> Chat:
    chat = Chat(catalog, line_world)
    register(catalog, chat.user_id)
    return chat


def _waiting(db: Session, chat: Chat) -> tuple[str, str, dict] | None:
    db.expire_all()
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    found = db.get(Conversation, member.id) if member else None
    return (found.intent, found.awaiting, dict(found.slots)) if found else None


def test_a_request_that_starts_its_own_form_in_the_middle_of_another_asks_once(farmer: Chat, db: Session) -> None:
    farmer.say("สั่งอาหารหมูซีพี")
    asked = farmer.say("แจ้งเตือนราคาน้ำยาง")
    assert len(asked) == 1 and "ราคากี่บาท" in texts(asked)
    waiting = _waiting(db, farmer)
    assert waiting is not None and waiting[:2] == ("alert.create", "threshold")


def test_the_card_asked_again_after_a_digression_is_the_same_card(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    card = farmer.say("สั่งอาหารหมูซีพี 5 กระสอบ")
    before = _waiting(db, farmer)
    again = farmer.say(PRICE_QUESTION)
    assert texts(again[-1:]) == texts(card)
    assert _waiting(db, farmer) == before, "the same token and what the member had"
    assert button_data(again[-1:], "ยืนยัน") == button_data(card, "ยืนยัน")
    assert "บันทึกรายการสั่งซื้อแล้ว" in texts(farmer.press(button_data(card, "ยืนยัน")))
    assert "บันทึกไว้แล้ว" in texts(farmer.press(button_data(again[-1:], "ยืนยัน")))
    assert [line.quantity for line in lines(db, cp.id)] == [5]


def test_a_yes_typed_to_another_question_confirms_nothing(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    asked = farmer.say("สั่งอาหารหมูซีพี")
    assert "กี่กระสอบ" in texts(asked)
    assert "กี่กระสอบ" in texts(farmer.say("ใช่")), "a yes is no number of sacks"
    assert lines(db, cp.id) == []


def test_which_alert_asked_again_lists_the_ones_named(farmer: Chat, db: Session) -> None:
    farmer.say("แจ้งเตือนเมื่อน้ำยางเกิน 65 บาท")
    farmer.say("แจ้งเตือนเมื่อน้ำยางต่ำกว่า 50 บาท")
    farmer.say("แจ้งเตือนเมื่อยางแผ่นดิบเกิน 70 บาท")
    asked = farmer.say("ยกเลิกเตือนน้ำยาง")
    assert "ยางแผ่นดิบ" not in texts(asked) and "1." in texts(asked) and "2." in texts(asked)
    again = farmer.say(PRICE_QUESTION)
    assert texts(again[-1:]) == texts(asked)
    confirm = texts(farmer.say("2"))
    assert "ใช่ไหม" in confirm and "ต่ำกว่า 50" in confirm, "the second of those listed: latex below 50"
    done = texts(farmer.say("ใช่"))
    assert "ยกเลิกแล้ว" in done and "ต่ำกว่า" in done
    listed = texts(farmer.say("แจ้งเตือนของฉัน"))
    assert "การแจ้งเตือนราคาของท่าน" in listed and "ต่ำกว่า" not in listed and "ยางแผ่นดิบ" in listed


def test_editing_a_detail_asks_again_after_a_digression(farmer: Chat, db: Session) -> None:
    asked = farmer.say("แก้ไขเบอร์")
    assert "เบอร์มือถือของท่านคืออะไรครับ" in texts(asked)
    again = farmer.say(PRICE_QUESTION)
    assert len(again) >= 2 and texts(again[-1:]) == texts(asked), "the phone question, not the details"
    waiting = _waiting(db, farmer)
    assert waiting is not None and waiting[:2] == ("register", "phone")
    assert "มือถือ: 081-234-5678" in texts(farmer.say("081 234 5678"))


def test_deleting_asks_again_after_a_digression_and_waits_for_a_yes(farmer: Chat, db: Session) -> None:
    asked = farmer.say("ลบข้อมูลของฉัน")
    again = farmer.say(PRICE_QUESTION)
    assert texts(again[-1:]) == texts(asked)
    waiting = _waiting(db, farmer)
    assert waiting is not None and waiting[:2] == ("register", "delete")
    assert "ลบข้อมูลส่วนตัวของท่านเรียบร้อยแล้ว" in texts(farmer.press(button_data(again[-1:], "ใช่ ลบเลย")))


def test_the_welcome_asked_again_in_english_still_lets_a_newcomer_ask_something_else(
    catalog: Flask, line_world: LineWorld, db: Session
) -> None:
    newcomer = Chat(catalog, line_world)
    name = newcomer.press(button_data(newcomer.follow(), "English"))
    assert "What is your full name?" in texts(name)
    waiting = _waiting(db, newcomer)
    assert waiting is not None and waiting[:2] == ("register", "welcome")
    hello = texts(newcomer.say("สวัสดีครับ"))
    assert "full name" not in hello and _waiting(db, newcomer) is None, "greeted, and not held to the welcome"
