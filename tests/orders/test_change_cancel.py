"""Changing, cancelling and listing one's orders until the round closes; the ledger keeps every change."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.orders import OrderChange
from tests.orders.conftest import age, join, lines, past, round_of, total
from tests.support import Chat, button_data, buttons, texts


def order(chat: Chat, round_id: int, quantity: int) -> None:
    chat.press(button_data(chat.press(join(round_id, quantity)), "ยืนยัน"))


def test_change_by_typing_and_the_ledger_records_it(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 10)
    reply = farmer.say("แก้เป็น 5 กระสอบครับ")
    assert "จาก 10 กระสอบ เป็น 5 กระสอบ" in texts(reply) and "2,910 บาท" in texts(reply)
    assert total(db, cp.id) == 5
    ledger = db.scalars(select(OrderChange).order_by(OrderChange.id)).all()
    assert [(c.action, c.from_quantity, c.to_quantity) for c in ledger] == [("join", None, 10), ("change", 10, 5)]
    assert ledger[1].actor_id == ledger[0].actor_id is not None
    same = texts(farmer.say("แก้เป็น 5 กระสอบครับ"))
    assert "ไว้ 5 กระสอบ อยู่แล้ว" in same and "ไม่ได้เปลี่ยน" in same
    assert len(db.scalars(select(OrderChange)).all()) == 2, "no change recorded for no change"


def test_change_without_a_number_asks_how_many(farmer: Chat, db: Session) -> None:
    acid = round_of(db, "acid-formic")
    order(farmer, acid.id, 20)
    asked = farmer.say("เปลี่ยนกรด")
    assert "กี่กก." in texts(asked) and "30 กก." in buttons(asked)
    assert "เป็น 30 กก." in texts(farmer.press(button_data(asked, "30 กก.")))
    assert total(db, acid.id) == 30


def test_so_many_more_typed_to_how_many_adds_them_and_confirms_first(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 5)
    assert "กี่กระสอบ" in texts(farmer.say("แก้ออเดอร์อาหารหมู"))
    card = farmer.say("เพิ่มอีก 2 กระสอบ")  # more, not a new total of 2
    assert "รวมกับของเดิม 5 กระสอบ เป็น 7 กระสอบ" in texts(card)
    assert total(db, cp.id) == 5
    farmer.press(button_data(card, "ยืนยัน"))
    assert total(db, cp.id) == 7


def test_a_correction_said_with_more_sets_the_total_meant(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 5)
    farmer.say("พิมพ์ผิด ที่ถูกคือเพิ่ม 2 กระสอบ")
    assert total(db, cp.id) == 2


def test_which_order_when_there_are_several(farmer: Chat, db: Session) -> None:
    order(farmer, round_of(db, "feed-cp-pig").id, 2)
    order(farmer, round_of(db, "rice-sangyod-5kg").id, 3)
    asked = farmer.say("แก้เป็น 4")
    assert "รายการไหน" in texts(asked)
    changed = farmer.press(button_data(asked, "ข้าวสังข์หยดพัทลุง …"))
    assert "จาก 3 ถุง เป็น 4 ถุง" in texts(changed)


def test_change_to_zero_or_a_fraction_changes_nothing(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 6)
    zero = farmer.say("แก้เป็น 0 กระสอบ")
    assert "ยกเลิกรายการนี้" in buttons(zero)
    assert "เลขเต็ม" in texts(farmer.say("แก้เป็น 1.5 กระสอบ"))
    assert total(db, cp.id) == 6


def test_cancel_asks_first_then_cancels(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 7)
    asked = farmer.say("ยกเลิกที่สั่งไว้")
    assert "ยกเลิกรายการสั่งซื้อ อาหารหมูขุน ซีพี 7 กระสอบ ใช่ไหม" in texts(asked)
    assert total(db, cp.id) == 7
    assert "เหมือนเดิม" in texts(farmer.press(button_data(asked, "ไม่ เก็บไว้")))
    assert total(db, cp.id) == 7
    asked = farmer.say("ไม่เอาอาหารหมูแล้วครับ")
    assert "ยกเลิกรายการสั่งซื้อ อาหารหมูขุน ซีพี 7 กระสอบ แล้ว" in texts(farmer.press(button_data(asked, "ใช่ ยกเลิก")))
    assert total(db, cp.id) == 0 and [line.status for line in lines(db, cp.id)] == ["cancelled"]
    again = farmer.say("ยกเลิกที่สั่งไว้")
    assert "ไม่มีรายการที่ยังแก้ไขได้" in texts(again)


def test_after_the_round_closes_nothing_can_change(farmer: Chat, catalog: Flask, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 8)
    age(catalog, cp.id, closes_at=past())
    assert "ปิดแล้ว จึงแก้ไขไม่ได้" in texts(farmer.say("แก้เป็น 5 กระสอบครับ"))
    assert "ปิดแล้ว จึงแก้ไขไม่ได้" in texts(farmer.say("ยกเลิกที่สั่งไว้"))
    assert total(db, cp.id) == 8


def test_a_stale_change_button_after_close_is_refused(farmer: Chat, catalog: Flask, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 8)
    listed = farmer.say("ออเดอร์ของผม")
    age(catalog, cp.id, closes_at=past())
    asked = farmer.press(button_data(listed, "แก้ข้อ 1"))
    assert "แก้ไขไม่ได้แล้ว" in texts(asked)
    assert total(db, cp.id) == 8


def test_my_orders_shows_each_line_with_its_status(farmer: Chat, db: Session) -> None:
    assert "ยังไม่มีรายการสั่งซื้อ" in texts(farmer.say("ออเดอร์ของผม"))
    order(farmer, round_of(db, "feed-cp-pig").id, 2)
    order(farmer, round_of(db, "piglet").id, 3)
    listed = farmer.say("ดูรายการที่จองไว้")
    shown = texts(listed)
    assert "อาหารหมูขุน ซีพี 2 กระสอบ เป็นเงิน 1,164 บาท" in shown
    assert "ลูกหมู (ราว 16 กก.) 3 ตัว เป็นเงิน 6,450 บาท" in shown
    assert shown.count("เปิดรับถึง") == 2
    assert {"แก้ข้อ 1", "ยกเลิกข้อ 1", "แก้ข้อ 2", "ยกเลิกข้อ 2"} <= set(buttons(listed))


@pytest.mark.parametrize("typed", ["ยกเลิก", "ยกเลิกเลยครับ", "ไม่เอาแล้ว"])
def test_cancel_typed_in_answer_to_cancel_your_order_cancels_it(farmer: Chat, db: Session, typed: str) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 5)
    assert "ใช่ไหม" in texts(farmer.say("ยกเลิกอาหารหมู"))
    assert "ยกเลิกรายการสั่งซื้อ อาหารหมูขุน ซีพี 5 กระสอบ แล้ว" in texts(farmer.say(typed))
    assert total(db, cp.id) == 0 and [line.status for line in lines(db, cp.id)] == ["cancelled"]


def test_deleting_ones_data_cancels_orders_in_open_rounds_and_says_so(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 5)
    asked = texts(farmer.say("ลบข้อมูลของฉัน"))
    assert "รายการสั่งซื้อในรอบที่ยังเปิดอยู่จะถูกยกเลิกด้วย (1 รายการ)" in asked and total(db, cp.id) == 5
    done = texts(farmer.say("ใช่"))
    assert "ถูกยกเลิกแล้ว (1 รายการ)" in done
    assert total(db, cp.id) == 0 and [line.status for line in lines(db, cp.id)] == ["cancelled"]


def test_orders_named_by_their_number_in_my_orders(farmer: Chat, db: Session) -> None:
    cp, acid = round_of(db, "feed-cp-pig"), round_of(db, "acid-formic")
    order(farmer, cp.id, 10)
    order(farmer, acid.id, 20)
    listed = texts(farmer.say("ออเดอร์ของฉัน"))
    first = "1. อาหารหมูขุน ซีพี" in listed
    number_of = {"cp": 1 if first else 2, "acid": 2 if first else 1}
    changed = texts(farmer.say(f"แก้ข้อ {number_of['cp']} เป็น 3"))
    assert "อาหารหมูขุน ซีพี จาก 10 กระสอบ เป็น 3 กระสอบ" in changed
    asked = texts(farmer.say(f"ยกเลิก ข้อ {number_of['acid']}"))
    assert "กรดฟอร์มิก" in asked and "ใช่ไหม" in asked
    farmer.say("ใช่")
    assert [line.status for line in lines(db, acid.id)] == ["cancelled"] and total(db, cp.id) == 3


@pytest.mark.parametrize("typed", ["ไม่ยกเลิก", "อย่ายกเลิกนะครับ", "don't cancel"])
def test_not_cancelling_typed_in_answer_keeps_the_order(farmer: Chat, db: Session, typed: str) -> None:
    cp = round_of(db, "feed-cp-pig")
    order(farmer, cp.id, 5)
    assert "ใช่ไหม" in texts(farmer.say("ยกเลิกอาหารหมู"))
    kept = texts(farmer.say(typed))
    assert "เหมือนเดิม" in kept, kept  # as the button "ไม่ เก็บไว้" answers
    assert total(db, cp.id) == 5 and [line.status for line in lines(db, cp.id)] != ["cancelled"]
