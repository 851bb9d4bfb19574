"""Where a district has more than one cooperative (Khuan Khanun: its own and Phanom Wang's), registration asks which
is the member's; elsewhere it asks nothing more."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.member import Member
from tests.support import Chat, button_data, buttons, texts


@pytest.fixture
def somchai(chat: Chat, line_world: LineWorld) -> Chat:
    line_world.profiles[chat.user_id] = {"displayName": "สมชาย ใจดี", "language": "th"}
    return chat


def _through_district(chat: Chat, district: str) -> list[dict[str, object]]:
    asked = chat.say("สมัคร")
    asked = chat.press(button_data(asked, "ใช้ชื่อ สมชาย ใจดี"))
    return chat.press(button_data(asked, district))


def _cooperative(db: Session, chat: Chat) -> str | None:
    db.expire_all()
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    assert member is not None
    return member.cooperative.name_th if member.cooperative else None


def test_a_district_with_two_cooperatives_asks_which(somchai: Chat, db: Session) -> None:
    which = _through_district(somchai, "ควนขนุน")
    assert "มีสหกรณ์มากกว่าหนึ่งแห่ง" in texts(which)
    assert "สหกรณ์การเกษตรควนขนุน จำกัด" in texts(which) and "สหกรณ์การเกษตรพนมวังก์ จำกัด" in texts(which)
    assert len(buttons(which)) == 2
    again = somchai.say("ไม่รู้สิ")
    assert "กรุณากดปุ่มสหกรณ์" in texts(again), "anything else is asked again, nothing guessed"
    number = somchai.say("2")  # the second as listed
    assert "เลขสมาชิกสหกรณ์" in texts(number)
    somchai.say("1234")
    card = somchai.say("0812345678")
    assert "สหกรณ์: สหกรณ์การเกษตรพนมวังก์ จำกัด" in texts(card)
    somchai.press(button_data(card, "ยินยอม"))
    assert _cooperative(db, somchai) == "สหกรณ์การเกษตรพนมวังก์ จำกัด"


def test_a_district_with_one_cooperative_asks_nothing_more(somchai: Chat, db: Session) -> None:
    number = _through_district(somchai, "ป่าบอน")
    assert "เลขสมาชิกสหกรณ์" in texts(number)
    somchai.say("1234")
    somchai.press(button_data(somchai.say("0812345678"), "ยินยอม"))
    assert _cooperative(db, somchai) == "สหกรณ์การเกษตรป่าบอน จำกัด"
