"""Joining a round in chat: ask what is missing, show a card, write only on confirm, and only once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.base import BANGKOK, utcnow
from models.orders import OrderChange
from tests.orders.conftest import age, join, lines, neighbour, past, round_of, total
from tests.support import Chat, button_data, buttons, post_events, postback_event, texts


def test_typed_order_shows_a_card_and_only_confirm_writes(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    card = farmer.say("สั่งอาหารหมูซีพี 10 กระสอบ")
    assert card[0]["type"] == "flex"
    shown = texts(card)
    for fact in ("อาหารหมูขุน ซีพี", "10 กระสอบ", "582.00 บาท/กระสอบ", "5,820 บาท", "ปิดรับ",
                 "สหกรณ์การเกษตรควนขนุน"):
        assert fact in shown
    assert buttons(card) == ["ยืนยัน", "ยกเลิก"]
    assert lines(db, cp.id) == [] and total(db, cp.id) == 0

    done = farmer.press(button_data(card, "ยืนยัน"))
    assert "บันทึกรายการสั่งซื้อแล้ว" in texts(done) and "5,820 บาท" in texts(done)
    assert "อีก 90 กระสอบ ทุกคนจะได้ราคาถูกลง 5 บาท/กระสอบ" in texts(done)
    [line] = lines(db, cp.id)
    assert line.quantity == 10 and line.unit_price == Decimal("582.00") and line.pickup_center is not None
    assert total(db, cp.id) == 10


def test_a_double_pressed_confirm_records_one_order(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    card = farmer.press(join(cp.id, 4))
    confirm = button_data(card, "ยืนยัน")
    farmer.press(confirm)
    again = farmer.press(confirm)
    assert "บันทึกไว้แล้ว" in texts(again)
    assert [line.quantity for line in lines(db, cp.id)] == [4] and total(db, cp.id) == 4
    assert db.scalar(select(func.count()).select_from(OrderChange)) == 1


def test_a_redelivered_confirm_event_changes_nothing(farmer: Chat, catalog: Flask, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    confirm = button_data(farmer.press(join(cp.id, 3)), "ยืนยัน")
    event = postback_event(farmer.user_id, confirm)
    assert post_events(catalog.test_client(), [event]).status_code == 200
    event["deliveryContext"] = {"isRedelivery": True}
    assert post_events(catalog.test_client(), [event]).status_code == 200
    assert total(db, cp.id) == 3


def test_missing_brand_then_quantity_are_asked_with_buttons(farmer: Chat, db: Session) -> None:
    asked = farmer.say("อยากได้อาหารหมู")
    assert "ยี่ห้อไหน" in texts(asked)
    assert buttons(asked) == ["ซีพี", "เบทาโกร", "แหลมทอง"]
    how_many = farmer.press(button_data(asked, "เบทาโกร"))
    assert "กี่กระสอบ" in texts(how_many)
    assert "10 กระสอบ" in buttons(how_many)
    card = farmer.say("๑๒")
    assert "อาหารหมูขุน เบทาโกร" in texts(card) and "12 กระสอบ" in texts(card)
    farmer.say("ยืนยัน")
    assert total(db, round_of(db, "feed-betagro-pig").id) == 12


def test_brand_typed_in_answer_continues_the_order(farmer: Chat, db: Session) -> None:
    farmer.say("สั่งอาหารหมู 6 กระสอบ")
    card = farmer.say("แหลมทอง")
    assert "อาหารหมูขุน แหลมทอง" in texts(card) and "6 กระสอบ" in texts(card)


def test_cancel_on_the_card_orders_nothing(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    card = farmer.press(join(cp.id, 5))
    assert "ไม่ได้บันทึกรายการนี้" in texts(farmer.press(button_data(card, "ยกเลิก")))
    assert lines(db, cp.id) == []


def test_containers_of_acid_are_counted_in_kilos(farmer: Chat, db: Session) -> None:
    card = farmer.say("สั่งกรดมด 2 แกลลอน")
    assert "60 กก." in texts(card) and "2,820 บาท" in texts(card)
    assert "ยืนยัน รับเพิ่มได้" in buttons(card)
    farmer.press(button_data(card, "ยืนยัน รับเพิ่มได้"))
    [line] = lines(db, round_of(db, "acid-formic").id)
    assert line.quantity == 60 and line.extra_ok == 30


def test_joining_again_adds_to_the_same_line(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    farmer.press(button_data(farmer.press(join(cp.id, 2)), "ยืนยัน"))
    card = farmer.press(join(cp.id, 3))
    assert "รวมกับของเดิม 2 กระสอบ เป็น 5 กระสอบ" in texts(card)
    farmer.press(button_data(card, "ยืนยัน"))
    assert [line.quantity for line in lines(db, cp.id)] == [5]


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("สั่งอาหารหมูซีพี 0 กระสอบ", "ตั้งแต่ 1 ขึ้นไป"),
        ("สั่งอาหารหมูซีพี 2.5 กระสอบ", "เลขเต็ม"),
        ("สั่งอาหารหมูซีพี 100000 กระสอบ", "ไม่เกิน 200 กระสอบ"),
        ("สั่งอาหารหมูซีพี 3 ตัว", "สั่งเป็นกระสอบ"),
        ("สั่งอาหารหมูซีพี -3 กระสอบ", "ตั้งแต่ 1 ขึ้นไป"),
    ],
    ids=["zero", "fraction", "absurd", "wrong-unit", "minus"],
)
def test_bad_quantities_are_refused_with_what_to_type(farmer: Chat, db: Session, typed: str, answer: str) -> None:
    reply = farmer.say(typed)
    assert answer in texts(reply)
    assert all(m["type"] == "text" for m in reply)
    assert lines(db, round_of(db, "feed-cp-pig").id) == []


def test_forged_postbacks_with_bad_numbers_change_nothing(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    for quantity in (-3, 0, 1.5):
        forged = Intent("order.join", {"round": cp.id, "quantity": quantity, "token": "abcdef0123456789",
                                       "confirm": True}).to_postback()
        assert "ยืนยัน" not in buttons(farmer.press(forged))
    assert lines(db, cp.id) == [] and total(db, cp.id) == 0


def test_closed_and_unknown_rounds_are_refused(farmer: Chat, catalog: Flask, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    confirm = button_data(farmer.press(join(cp.id, 2)), "ยืนยัน")
    age(catalog, cp.id, closes_at=past())
    assert "ปิดแล้วหรือยังไม่เปิด" in texts(farmer.press(confirm))
    assert "ปิดแล้วหรือยังไม่เปิด" in texts(farmer.press(join(99999, 2)))
    assert lines(db, cp.id) == []


def test_a_full_round_says_how_much_is_left(farmer: Chat, catalog: Flask, line_world: LineWorld,
                                            db: Session) -> None:
    piglets = round_of(db, "piglet")
    first = neighbour(catalog, line_world, "สมหมาย")
    second = neighbour(catalog, line_world, "สมปอง")
    for chat in (first, second):
        chat.press(button_data(chat.press(join(piglets.id, 19)), "ยืนยัน"))
    assert "เหลืออีกเพียง 2 ตัว" in texts(farmer.press(join(piglets.id, 5)))
    card = farmer.press(join(piglets.id, 2))
    farmer.press(button_data(card, "ยืนยัน"))
    assert total(db, piglets.id) == 40
    assert "เต็มแล้ว" in texts(first.press(join(piglets.id, 1)))


def test_an_unregistered_member_is_asked_to_register(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    stranger = Chat(catalog, line_world)
    cp = round_of(db, "feed-cp-pig")
    reply = stranger.press(join(cp.id, 2, token="abcdef0123456789", confirm=True))
    assert "ลงทะเบียนก่อน" in texts(reply)
    assert "ลงทะเบียนก่อน" in texts(stranger.say("สั่งอาหารหมูซีพี 10 กระสอบ"))
    assert lines(db, cp.id) == []


def test_no_open_round_for_the_product_offers_the_open_ones(farmer: Chat, db: Session) -> None:
    reply = farmer.say("สั่งปุ๋ย 16-8-8 สามกระสอบ")
    assert "ยังไม่มีรอบที่เปิดสำหรับสินค้านี้" in texts(reply)
    assert "ปุ๋ยสูตร 15-15-15" in buttons(reply)


def test_a_new_order_typed_while_a_card_waits_is_for_what_was_typed(farmer: Chat, catalog: Flask,
                                                                     db: Session) -> None:
    acid = round_of(db, "acid-formic")
    farmer.say("สั่งกรดมด 1 แกลลอน")
    card = farmer.say("สั่งอาหารหมูซีพี 6 กระสอบ")
    assert "อาหารหมูขุน ซีพี" in texts(card) and "6 กระสอบ" in texts(card) and "กรด" not in texts(card)
    farmer.say("สั่งกรดมด 1 แกลลอน")
    age(catalog, acid.id, closes_at=past())
    assert "อาหารหมูขุน ซีพี" in texts(farmer.say("สั่งอาหารหมูซีพี 6 กระสอบ"))


def test_more_of_what_was_already_ordered(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    farmer.press(button_data(farmer.say("สั่งอาหารหมูซีพี 6 กระสอบ"), "ยืนยัน"))
    farmer.press(button_data(farmer.say("สั่งกรดมด 20 กิโล"), "ยืนยัน"))
    card = farmer.say("เพิ่มอีก 2 กระสอบ")
    assert "รวมกับของเดิม 6 กระสอบ เป็น 8 กระสอบ" in texts(card)
    farmer.say("ตกลงครับ")
    assert total(db, cp.id) == 8
    assert "รวมกับของเดิม 20 กก. เป็น 30 กก." in texts(farmer.say("เอาอีก 10 โล"))


def test_so_many_more_with_no_order_yet_orders_them(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    card = farmer.say("เพิ่มอาหารหมูซีพีอีก 2 กระสอบ")  # order.change by the contract; nothing to add to: a new order
    assert "อาหารหมูขุน ซีพี" in texts(card) and "2 กระสอบ" in texts(card)
    farmer.press(button_data(card, "ยืนยัน"))
    assert total(db, cp.id) == 2
    asked = farmer.say("เพิ่มอีก 3 กระสอบ")  # now it adds to that order
    assert "รวมกับของเดิม 2 กระสอบ เป็น 5 กระสอบ" in texts(asked)
    assert total(db, cp.id) == 2  # only a confirm writes


def test_a_new_product_named_over_an_open_card_keeps_no_quantity_from_it(farmer: Chat, db: Session) -> None:
    assert "5 กระสอบ" in texts(farmer.say("สั่งอาหารหมูซีพี 5 กระสอบ"))
    asked = farmer.say("สั่งปุ๋ย")
    assert asked[0]["type"] == "text" and "กี่" in texts(asked), "asks how many, not a 5-sack fertilizer card"
    assert lines(db, round_of(db, "fert-15-15-15").id) == []


def test_an_older_card_confirmed_after_a_newer_one_adds_nothing(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    first = farmer.say("สั่งอาหารหมูซีพี 5 กระสอบ")
    second = farmer.say("อาหารหมูซีพี 5 กระสอบครับ")
    assert "บันทึกรายการสั่งซื้อแล้ว" in texts(farmer.press(button_data(second, "ยืนยัน")))
    stale = texts(farmer.press(button_data(first, "ยืนยัน")))
    assert "ปุ่มนี้เป็นของข้อความเก่า" in stale and "5 กระสอบ" in stale
    assert [line.quantity for line in lines(db, cp.id)] == [5] and total(db, cp.id) == 5

    assert "ยกเลิกรายการสั่งซื้อ อาหารหมูขุน ซีพี 5 กระสอบ แล้ว" in texts(farmer.press(button_data(
        farmer.say("ยกเลิกอาหารหมู"), "ใช่ ยกเลิก")))
    used = texts(farmer.press(button_data(second, "ยืนยัน")))
    assert "ถูกยกเลิกไปแล้ว" in used and total(db, cp.id) == 0


def test_an_older_cards_cancel_leaves_the_open_card_answerable(farmer: Chat, db: Session) -> None:
    old = farmer.say("สั่งปุ๋ย 15-15-15 2 กระสอบ")
    farmer.say("ข้าวสาร 3 ถุง")
    assert "ไม่ได้บันทึกรายการนี้" in texts(farmer.press(button_data(old, "ยกเลิก")))
    assert "บันทึกรายการสั่งซื้อแล้ว" in texts(farmer.say("ใช่"))
    assert lines(db, round_of(db, "fert-15-15-15").id) == []


def test_several_items_in_one_message_are_taken_one_at_a_time(farmer: Chat, db: Session) -> None:
    fertilizer, rice = round_of(db, "fert-15-15-15"), round_of(db, "rice-sangyod-5kg")
    answer = farmer.say("สั่งปุ๋ย 15-15-15 2 กระสอบ ข้าวสังข์หยด 3 ถุง")
    card, note = answer
    assert card["type"] == "flex" and "2 กระสอบ" in texts([card])
    assert "ทีละรายการ" in note["text"] and "ข้าวสังข์หยด 3 ถุง" in note["text"], "the rice is not dropped"
    assert "บันทึกรายการสั่งซื้อแล้ว" in texts(farmer.press(button_data([card], "ยืนยัน")))
    rice_card = farmer.press(button_data([note], "ข้าวสังข์หยด 3 ถุง"))
    assert "3 ถุง" in texts(rice_card)
    farmer.press(button_data(rice_card, "ยืนยัน"))
    assert [line.quantity for line in lines(db, fertilizer.id)] == [2]
    assert [line.quantity for line in lines(db, rice.id)] == [3]


def _ordered_last_round(farmer: Chat, catalog: Flask, db: Session) -> tuple[int, int]:
    """Seven sacks of Betagro pig feed in a round now closed, and a new round of the same feed open: both ids."""
    first = round_of(db, "feed-betagro-pig")
    farmer.say("สั่งอาหารหมูเบทาโกร 7 กระสอบ")
    farmer.say("ยืนยัน")
    age(catalog, first.id, closes_at=past(), status="closed")
    closes = (utcnow() + timedelta(days=5)).astimezone(BANGKOK).date().isoformat()
    result = catalog.test_cli_runner().invoke(cli, ["rounds", "open", "feed-betagro-pig", "--price", "575",
                                                    "--closes", closes])
    assert result.exit_code == 0, result.output
    again = round_of(db, "feed-betagro-pig")
    assert again.id != first.id
    return first.id, again.id


def test_the_amount_ordered_last_round_is_offered_first(farmer: Chat, catalog: Flask, db: Session) -> None:
    first, again = _ordered_last_round(farmer, catalog, db)
    asked = farmer.say("อยากได้อาหารหมูเบทาโกร")
    assert "รอบก่อนท่านสั่ง 7 กระสอบ" in texts(asked) and "กี่กระสอบ" in texts(asked)
    assert buttons(asked)[0] == "7 กระสอบ"
    card = farmer.press(button_data(asked, "7 กระสอบ"))
    assert "7 กระสอบ" in texts(card)
    farmer.say("ยืนยัน")
    assert (total(db, again), total(db, first)) == (7, 7)


@pytest.mark.parametrize("typed", ["สั่งเหมือนเดิมครับ", "รอบนี้เอาเท่าเดิมนะ", "ขอเหมือนรอบก่อนจ้า"])
def test_the_same_as_last_time_goes_straight_to_the_card(farmer: Chat, catalog: Flask, db: Session,
                                                         typed: str) -> None:
    _, again = _ordered_last_round(farmer, catalog, db)
    card = farmer.say(typed)
    assert "อาหารหมูขุน เบทาโกร" in texts(card) and "7 กระสอบ" in texts(card), texts(card)
    assert total(db, again) == 0, "nothing is written before Confirm"
    farmer.say("ยืนยัน")
    assert total(db, again) == 7


def test_the_same_as_last_time_with_no_earlier_order_asks_which(farmer: Chat) -> None:
    asked = farmer.say("สั่งเหมือนเดิมครับ")
    assert "อาหารหมูขุน เบทาโกร" in buttons(asked) and len(buttons(asked)) > 1


def test_a_first_order_is_asked_without_a_last_time(farmer: Chat, db: Session) -> None:
    asked = farmer.say("อยากได้อาหารหมูเบทาโกร")
    assert "กี่กระสอบ" in texts(asked) and "รอบก่อน" not in texts(asked)
