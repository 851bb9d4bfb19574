"""How and when to pay, where to collect, whether the goods have come, and asking for a person: transcripts through
the real webhook, read from the member's own orders."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from models.closing import close
from models.network import center_by_code
from tests.orders.conftest import join, make_coordinator, round_of
from tests.support import Chat, button_data, texts


def _order(chat: Chat, db: Session) -> int:
    round_id = round_of(db, "feed-cp-pig").id
    card = chat.press(join(round_id, 5))
    chat.press(button_data(card, "ยืนยัน"))
    return round_id


def test_with_no_orders_each_question_says_so(farmer: Chat) -> None:
    for asked in ("จ่ายเงินยังไงครับ", "รับของที่ไหนครับ", "ของมาถึงยังครับ"):
        assert "ยังไม่มีรายการสั่งซื้อ" in texts(farmer.say(asked)), asked


def test_payment_pickup_and_arrival_follow_the_members_order(farmer: Chat, db: Session, catalog: Flask) -> None:
    round_id = _order(farmer, db)
    paying = texts(farmer.say("จ่ายเงินยังไงครับ"))
    assert "อาหารหมูขุน ซีพี" in paying and "ประมาณ" in paying and "ชำระที่" in paying
    assert "รอบยังเปิดถึง" in texts(farmer.say("รับของที่ไหนครับ"))
    assert "เปิดรับถึง" in texts(farmer.say("อาหารหมูมาถึงหรือยัง")), "not yet: the round is still taking orders"

    with catalog.extensions["sessions"]() as session, session.begin():
        close(session, round_id, utcnow())
    paying = texts(farmer.say("จ่ายเงินยังไงครับ"))
    assert "ประมาณ" not in paying and "ชำระที่" in paying, "the amount is final once the round has closed"
    where = texts(farmer.say("รับของที่ไหนครับ"))
    assert "สหกรณ์การเกษตรควนขนุน จำกัด" in where, "members collect at their district cooperative"


def test_a_person_is_asked_for_and_the_cooperatives_coordinator_told(
    farmer: Chat, catalog: Flask, line_world: LineWorld
) -> None:
    coordinator = Chat(catalog, line_world)
    make_coordinator(catalog, coordinator.user_id, "DIST-05")  # ควนขนุน, the farmer's cooperative
    answer = texts(farmer.say("ขอคุยกับเจ้าหน้าที่ครับ อยากถามเรื่องปุ๋ย"))
    assert "แจ้งเจ้าหน้าที่ของสหกรณ์การเกษตรควนขนุน จำกัด" in answer
    catalog.extensions["outbox"].drain()
    (told,) = [c for c in line_world.sent("/v2/bot/message/push") if c.json["to"] == coordinator.user_id]
    text = told.json["messages"][0]["text"]
    assert "สมชาย ใจดี" in text and "อยากถามเรื่องปุ๋ย" in text


def test_with_no_coordinator_in_line_the_member_is_given_the_phone(catalog: Flask, farmer: Chat,
                                                                   line_world: LineWorld) -> None:
    with catalog.extensions["sessions"]() as db, db.begin():
        cooperative = center_by_code(db, "DIST-05")  # ควนขนุน, the farmer's cooperative
        assert cooperative is not None
        cooperative.phone = "074 610 123"
    answer = texts(farmer.say("อยากคุยกับคนจริงๆ"))
    assert "กรุณาโทร 074 610 123" in answer
    assert line_world.sent("/v2/bot/message/push") == []


def test_where_to_collect_gives_the_pickup_points_hours(farmer: Chat, db: Session, catalog: Flask) -> None:
    from models.network import center_by_code, set_contact

    round_id = _order(farmer, db)
    with catalog.extensions["sessions"]() as session, session.begin():
        close(session, round_id, utcnow())
    assert "เวลารับของ" not in texts(farmer.say("รับของที่ไหนครับ")), "no hours kept: none told"
    with catalog.extensions["sessions"]() as session, session.begin():
        center = center_by_code(session, "DIST-05")
        assert center is not None
        set_contact(center, "074-690-111", None, "จ.-ศ. 08:30-16:30")
    where = texts(farmer.say("รับของที่ไหนครับ"))
    assert "สหกรณ์การเกษตรควนขนุน จำกัด" in where and "เวลารับของ: จ.-ศ. 08:30-16:30" in where
