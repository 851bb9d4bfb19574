"""price.post: a coordinator posts the day's buying price on a confirmation card; only Confirm writes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.alerts import AlertRun
from models.prices import PriceQuote
from tests.prices.conftest import TODAY, coordinator_chat, flex_buttons, put
from tests.support import Chat, buttons, registered, texts


def _quotes(db: Session) -> list[tuple[str, str, str]]:
    db.expire_all()
    quotes = db.scalars(select(PriceQuote).order_by(PriceQuote.id))
    return [(q.rubber_type, str(q.baht_per_kg), q.source) for q in quotes]


def test_a_coordinator_posts_and_confirms(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    chat = coordinator_chat(seeded, line_world)
    card = chat.say("ประกาศราคาน้ำยาง 58.50")
    assert "ประกาศราคาวันนี้ไหมครับ" in texts(card)
    assert "น้ำยางสด 58.50 บาท/กก." in texts(card)
    assert "สหกรณ์การเกษตรควนขนุน จำกัด" in texts(card)
    assert _quotes(db) == [], "nothing is written before Confirm"

    done = chat.press(flex_buttons(card)["ยืนยัน"])
    assert "ประกาศแล้วครับ: น้ำยางสด 58.50 บาท/กก." in texts(done)
    assert _quotes(db) == [("latex", "58.50", "center")]
    quote = db.scalars(select(PriceQuote)).one()
    assert quote.day == TODAY and quote.center is not None and quote.center.code == "DIST-05"

    member = Chat(seeded, line_world)
    registered(seeded, member.user_id, district="ควนขนุน")
    assert "(สหกรณ์ของท่าน)" in texts(member.press(Intent("price.today").to_postback()))


def test_cancel_writes_nothing(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    chat = coordinator_chat(seeded, line_world)
    card = chat.press(Intent("price.post", {"rubber_type": "uss", "price": 60}).to_postback())
    assert "ยังไม่ประกาศ" in texts(chat.press(flex_buttons(card)["ยกเลิก"]))
    assert _quotes(db) == []


def test_typing_yes_to_the_card_confirms(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    chat = coordinator_chat(seeded, line_world)
    chat.say("ตั้งราคาน้ำยาง ๕๘.๕๐")  # Thai digits are understood
    assert "ประกาศแล้ว" in texts(chat.say("ยืนยัน"))
    assert _quotes(db) == [("latex", "58.50", "center")]


def test_a_second_post_the_same_day_corrects_the_first(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    chat = coordinator_chat(seeded, line_world)
    for price in ("58.50", "58.00"):
        card = chat.press(Intent("price.post", {"rubber_type": "latex", "price": price}).to_postback())
        chat.press(flex_buttons(card)["ยืนยัน"])
    assert _quotes(db) == [("latex", "58.00", "center")]


@pytest.mark.parametrize("price", ["0", "-5", "19.99", "150.01", "5850"])
def test_implausible_prices_are_refused(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime, price: str
) -> None:
    chat = coordinator_chat(seeded, line_world)
    answer = texts(chat.press(Intent("price.post", {"rubber_type": "latex", "price": price}).to_postback()))
    assert "ราคาต้องมากกว่า 0" in answer or "นอกช่วงปกติ 20–150" in answer
    assert _quotes(db) == []


def test_a_price_with_a_comma_is_asked_again(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    chat = coordinator_chat(seeded, line_world)
    assert "ราคารับซื้อน้ำยางสด วันนี้" in texts(chat.press(Intent("price.post", {"rubber_type": "latex"}).to_postback()))
    assert "ไม่ใส่ลูกน้ำ" in texts(chat.say("58,50"))
    assert "ไม่ใส่ลูกน้ำ" in texts(chat.say("1,250"))
    card = chat.say("58.50 บาท")
    assert "58.50" in texts(card) and _quotes(db) == []
    chat.press(flex_buttons(card)["ยืนยัน"])
    assert _quotes(db) == [("latex", "58.50", "center")]


def test_a_post_typed_in_one_message_with_a_comma_is_asked_again(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    chat = coordinator_chat(seeded, line_world)
    assert "ไม่ใส่ลูกน้ำ" in texts(chat.say("ประกาศราคาน้ำยาง 58,50 บาท"))
    assert "น้ำยางสด 58.50" in texts(chat.say("58.50")) and _quotes(db) == []


def test_missing_type_is_asked_with_buttons(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    chat = coordinator_chat(seeded, line_world)
    question = chat.press(Intent("price.post", {"price": 52}).to_postback())
    assert "ชนิดไหน" in texts(question)
    assert buttons(question) == ["น้ำยางสด", "ยางแผ่นดิบ", "ยางแผ่นรมควัน ชั้น 3", "ยางก้อนถ้วย"]
    card = chat.press(next(i["action"]["data"] for i in question[-1]["quickReply"]["items"]
                           if i["action"]["label"] == "ยางก้อนถ้วย"))
    assert "ยางก้อนถ้วย 52.00" in texts(card)
    unknown = chat.press(Intent("price.post", {"rubber_type": "ยางลูกขุน", "price": 52}).to_postback())
    assert "ไม่รู้จักยางชนิดนี้" in texts(unknown)
    assert _quotes(db) == []


def test_a_big_move_asks_are_you_sure(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    put(seeded, TODAY - timedelta(days=1), "latex", "50.00", "center", "DIST-05")
    chat = coordinator_chat(seeded, line_world)
    card = chat.press(Intent("price.post", {"rubber_type": "latex", "price": 60}).to_postback())
    assert "สูงกว่าราคาครั้งก่อน (50.00 บาท/กก. วันที่ 24 พ.ย. 2569) ถึง 20.0% แน่ใจไหมครับ" in texts(card)
    chat.press(flex_buttons(card)["ยืนยัน"])
    assert ("latex", "60.00", "center") in _quotes(db)

    small = chat.press(Intent("price.post", {"rubber_type": "latex", "price": "55.00"}).to_postback())
    assert "แน่ใจไหม" not in texts(small), "10% from yesterday's 50.00 is an ordinary move"


def test_a_confirm_without_sure_on_a_big_move_asks_again(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    put(seeded, TODAY - timedelta(days=1), "latex", "50.00", "center", "DIST-05")
    chat = coordinator_chat(seeded, line_world)
    forged = Intent("price.post", {"rubber_type": "latex", "price": 70, "answer": "yes"}).to_postback()
    assert "แน่ใจไหม" in texts(chat.press(forged))
    assert ("latex", "70.00", "center") not in _quotes(db)


def test_a_card_from_yesterday_cannot_post_today(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    chat = coordinator_chat(seeded, line_world)
    stale = {"rubber_type": "latex", "price": 58, "answer": "yes", "on": (TODAY - timedelta(days=1)).isoformat()}
    assert "วันก่อน" in texts(chat.press(Intent("price.post", stale).to_postback()))
    assert _quotes(db) == []


def test_members_cannot_post(chat: Chat, db: Session, clock: datetime) -> None:
    registered(chat.app, chat.user_id)
    answer = chat.press(Intent("price.post", {"rubber_type": "latex", "price": 58, "answer": "yes"}).to_postback())
    assert "เฉพาะเจ้าหน้าที่สหกรณ์" in texts(answer)
    assert _quotes(db) == []


def test_posting_fires_alerts(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    put(seeded, TODAY - timedelta(days=1), "latex", "56.00", "center", "DIST-05")
    member = Chat(seeded, line_world)
    registered(seeded, member.user_id, district="ควนขนุน")
    member.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 58}).to_postback())

    chat = coordinator_chat(seeded, line_world)
    card = chat.press(Intent("price.post", {"rubber_type": "latex", "price": "58.50"}).to_postback())
    assert "แจ้งเตือนราคาถึงสมาชิก 1 รายการ" in texts(chat.press(flex_buttons(card)["ยืนยัน"]))
    assert [run.fired for run in db.scalars(select(AlertRun))] == [1]
