"""Every form, interrupted: a greeting or a price question in the middle is answered and the form's question
asked again (the form goes on where it was), and "ยกเลิก" leaves it. Transcripts through the real webhook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from bot.seed import orders as seed_orders
from models.conversation import Conversation
from models.member import Member
from tests.orders.conftest import make_coordinator, register
from tests.support import Chat, button_data, texts

GREETING, PRICE_QUESTION, CANCEL = "สวัสดีครับ", "ราคายางวันนี้เท่าไหร่", "ยกเลิก"


@dataclass(frozen=True)
class Opening:
    """How a member gets a form to ask its question: set-up steps, then the opener."""

    form: str
    awaiting: str
    opener: str
    role: str = "member"  # member, coordinator (of PROV-RUBBER) or newcomer
    before: tuple[str, ...] = ()  # messages typed first
    press_first: str = ""  # a button to press after `before`, by its label


OPENINGS = [
    Opening("order.join", "quantity", "สั่งอาหารหมูซีพี"),
    Opening("sell.pledge", "quantity", "ขายยางแผ่นดิบ"),
    Opening("order.change", "quantity", "แก้ข้อ 1", before=("สั่งอาหารหมูซีพี 5 กระสอบ",), press_first="ยืนยัน"),
    Opening("order.cancel", "answer", "ยกเลิกข้อ 1", before=("สั่งอาหารหมูซีพี 5 กระสอบ",), press_first="ยืนยัน"),
    Opening("alert.create", "threshold", "แจ้งเตือนราคาน้ำยาง"),
    Opening("alert.cancel", "alert", "ยกเลิกเตือนน้ำยาง",
            before=("แจ้งเตือนเมื่อน้ำยางเกิน 65 บาท", "แจ้งเตือนเมื่อน้ำยางต่ำกว่า 50 บาท")),
    Opening("latex.calc", "drc", "คำนวณน้ำยาง 30 กิโล"),
    Opening("register", "name", "สมัคร", role="newcomer"),
    Opening("price.post", "price", "ตั้งราคาน้ำยาง", role="coordinator"),
    Opening("round.close", "answer", "ปิดรอบกรดมด", role="coordinator"),
]


@pytest.fixture
def catalog(seeded: Flask) -> Flask:
    with seeded.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, seeded.config["SETTINGS"])
    return seeded


def _person(app: Flask, world: LineWorld, role: str) -> Chat:
    chat = Chat(app, world)
    if role == "coordinator":
        make_coordinator(app, chat.user_id, "PROV-RUBBER")
    elif role == "member":
        register(app, chat.user_id)
    return chat


def _said(messages: list[dict[str, Any]]) -> str:
    """What a message shows: its text, or a card's alt text."""
    return str(messages[-1].get("text") or messages[-1].get("altText")) if messages else ""


def _waiting(db: Session, chat: Chat) -> tuple[str, str] | None:
    db.expire_all()
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    found = db.get(Conversation, member.id) if member else None
    return (found.intent, found.awaiting) if found else None


def _opened(app: Flask, world: LineWorld, db: Session, opening: Opening) -> tuple[Chat, str]:
    chat = _person(app, world, opening.role)
    for typed in opening.before:
        answer = chat.say(typed)
    if opening.press_first:
        chat.press(button_data(answer, opening.press_first))
    question = chat.say(opening.opener)
    assert _waiting(db, chat) == (opening.form, opening.awaiting), texts(question)
    return chat, _said(question)


@pytest.mark.parametrize("opening", OPENINGS, ids=[o.form for o in OPENINGS])
@pytest.mark.parametrize(("aside", "answered"), [
    (GREETING, lambda said: "สวัสดี" in said),
    (PRICE_QUESTION, lambda said: "ราคา" in said),
], ids=["greeting", "price-question"])
def test_a_question_in_the_middle_is_answered_and_the_form_asks_again(
    catalog: Flask, line_world: LineWorld, db: Session, opening: Opening, aside: str,
    answered: Callable[[str], bool],
) -> None:
    chat, question = _opened(catalog, line_world, db, opening)
    replies = chat.say(aside)
    assert len(replies) >= 2 and answered(texts(replies[:-1]))
    assert _said(replies) == question, "the form's own question comes last, as it was"
    assert _waiting(db, chat) == (opening.form, opening.awaiting), "and the form goes on where it was"


@pytest.mark.parametrize("opening", [o for o in OPENINGS if o.form != "order.cancel"],
                         ids=[o.form for o in OPENINGS if o.form != "order.cancel"])
def test_cancel_leaves_any_form(catalog: Flask, line_world: LineWorld, db: Session, opening: Opening) -> None:
    chat, _question = _opened(catalog, line_world, db, opening)
    assert "ยกเลิกแล้ว" in texts(chat.say(CANCEL))
    assert _waiting(db, chat) is None


def test_cancel_to_cancel_your_order_is_its_yes(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    (opening,) = [o for o in OPENINGS if o.form == "order.cancel"]
    chat, _question = _opened(catalog, line_world, db, opening)
    chat.say(CANCEL)
    assert _waiting(db, chat) is None
    assert "ยกเลิก" in texts(chat.press(Intent("order.list").to_postback()))


def test_the_form_goes_on_after_the_question_in_the_middle(
    catalog: Flask, line_world: LineWorld, db: Session
) -> None:
    chat, _question = _opened(catalog, line_world, db, OPENINGS[6])  # latex.calc, waiting for the DRC
    chat.say(PRICE_QUESTION)
    assert "ราคากี่บาท" in texts(chat.say("34")), "the DRC is taken; no price is posted, so it asks for one"
    assert "591.60" in texts(chat.say("58")), "30 kg at 34 % and 58.00 baht is 591.60 baht (DOMAIN.md)"


def test_an_announcement_in_one_line_is_taken_at_once(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _person(catalog, line_world, "coordinator")
    _person(catalog, line_world, "member")  # a member to send it to
    preview = texts(coordinator.say("ประกาศ ประชุมใหญ่สามัญประจำปี วันเสาร์นี้ 9 โมง"))
    assert "ส่งถึงสมาชิก" in preview and "ประชุมใหญ่สามัญประจำปี วันเสาร์นี้ 9 โมง" in preview
    assert "ประกาศ ประชุม" not in preview


def test_a_notice_opened_by_its_header_is_announced_whole(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _person(catalog, line_world, "coordinator")
    _person(catalog, line_world, "member")
    preview = texts(coordinator.say("แจ้งด่วน!! พรุ่งนี้งดรับน้ำยาง ไฟฟ้าดับทั้งตำบล"))
    assert "ส่งถึงสมาชิก" in preview and "แจ้งด่วน!! พรุ่งนี้งดรับน้ำยาง ไฟฟ้าดับทั้งตำบล" in preview
    other = _person(catalog, line_world, "coordinator")
    loud = texts(other.say("📢 พรุ่งนี้ศูนย์ปิดครึ่งวัน รับของได้ถึงเที่ยง"))
    assert "พรุ่งนี้ศูนย์ปิดครึ่งวัน รับของได้ถึงเที่ยง" in loud
    assert "📢 พรุ่งนี้" not in loud, "the typed loudspeaker is kept in the announcement"


@pytest.mark.parametrize("typed", ["ปิดรอบ", GREETING, PRICE_QUESTION])
def test_a_command_typed_where_an_announcement_is_awaited_is_asked_about(
    catalog: Flask, line_world: LineWorld, db: Session, typed: str
) -> None:
    coordinator = _person(catalog, line_world, "coordinator")
    _person(catalog, line_world, "member")  # a member to send it to
    coordinator.press(Intent("broadcast").to_postback())
    asked = coordinator.say(typed)
    assert "เป็นข้อความที่ท่านกำลังเขียน" in texts(asked)
    assert _waiting(db, coordinator) == ("broadcast", "body"), "nothing done yet, nothing lost"
    preview = texts(coordinator.press(button_data(asked, "เป็นข้อความ")))
    assert "ส่งถึงสมาชิก" in preview and typed in preview


def test_a_command_typed_where_an_announcement_is_awaited_can_be_done_instead(
    catalog: Flask, line_world: LineWorld, db: Session
) -> None:
    coordinator = _person(catalog, line_world, "coordinator")
    coordinator.press(Intent("broadcast").to_postback())
    asked = coordinator.say("ปิดรอบ")
    done = texts(coordinator.press(button_data(asked, "ทำตามคำสั่ง")))
    assert "รอบไหน" in done and "ส่งถึงสมาชิก" not in done, "round.close asks which of the center's rounds"
