"""A minus typed before a number: no slot holds it (slots are never negative), and the member is asked for a
number above zero; nothing is written (the sign used to be dropped, so '-60' set an alert at 60)."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.alerts import PriceAlert
from models.prices import PriceQuote
from tests.prices.conftest import TODAY, coordinator_chat, put
from tests.support import Chat, registered, texts

ABOVE_ZERO = "กรุณาพิมพ์ตัวเลขที่มากกว่า 0 ไม่ต้องใส่เครื่องหมายลบ"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("น้ำยาง -30 กก. DRC 34", ABOVE_ZERO),
        ("น้ำยาง 30 กก. DRC -34", ABOVE_ZERO),
        ("น้ำยาง 30 กก. DRC 34 ราคา -58", ABOVE_ZERO),
        ("แจ้งเตือนน้ำยางเกิน -60", ABOVE_ZERO),
    ],
)
def test_a_member_typing_a_minus(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime,
                                 message: str, expected: str) -> None:
    put(seeded, TODAY, "latex", "58.00")
    chat = Chat(seeded, line_world)
    registered(seeded, chat.user_id)
    answer = texts(chat.say(message))
    assert expected in answer and "บาท = " not in answer
    assert db.scalar(select(func.count()).select_from(PriceAlert)) == 0


def test_a_coordinator_posting_a_minus(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    answer = texts(coordinator_chat(seeded, line_world).say("ประกาศราคาน้ำยาง -5"))
    assert ABOVE_ZERO in answer
    assert db.scalar(select(func.count()).select_from(PriceQuote)) == 0
