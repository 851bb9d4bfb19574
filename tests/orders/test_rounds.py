"""Open rounds for everyone; closing with whole packs, minimums, notices and summaries for coordinators."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from bot.jobs import rounds as round_jobs
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from tests.orders.conftest import join, lines, make_coordinator, neighbour, round_of
from tests.support import Chat, button_data, buttons, texts

RUBBER = "PROV-RUBBER"


def order(chat: Chat, round_id: int, quantity: int, more: bool = False) -> None:
    chat.press(button_data(chat.press(join(round_id, quantity)), "ยืนยัน รับเพิ่มได้" if more else "ยืนยัน"))


def pushed_to(world: LineWorld, user_id: str) -> str:
    bodies: list[Any] = [r.json for r in world.sent("/v2/bot/message/push") if r.json["to"] == user_id]
    bodies += [r.json for r in world.sent("/v2/bot/message/multicast") if user_id in r.json["to"]]
    return "\n".join(texts(body["messages"]) for body in bodies)


def coordinator(app: Flask, world: LineWorld, center: str = RUBBER) -> Chat:
    chat = Chat(app, world)
    make_coordinator(app, chat.user_id, center)
    return chat


def test_anyone_sees_open_rounds_with_progress(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                               db: Session) -> None:
    order(farmer, round_of(db, "acid-formic").id, 20)
    order(farmer, round_of(db, "feed-cp-pig").id, 10)
    stranger = Chat(catalog, line_world)
    shown = stranger.say("มีอะไรเปิดสั่งบ้าง")
    assert shown[0]["type"] == "flex" and shown[0]["contents"]["type"] == "carousel"
    assert len(shown[0]["contents"]["contents"]) == 8
    cards = str(shown[0]["contents"])
    assert "ขาดอีก 10 กก. จะครบแกลลอนที่ 1" in cards
    assert "อีก 90 กระสอบ ทุกคนจะได้ราคาถูกลง 5 บาท/กระสอบ" in cards
    assert "ขายรวม: ยางแผ่นดิบ" in cards, "the card's title"
    assert "• ขายรวมยางแผ่นดิบ: 62.00 บาท/กก. ปิดรับ" in texts(shown) and ", ปิดรับ" not in texts(shown)
    assert "อาหารหมูขุน ซีพี" in buttons(shown)


def test_an_order_shows_in_the_open_rounds_at_once_though_they_are_kept_a_moment(farmer: Chat, db: Session) -> None:
    assert "ทั้งรอบสั่งแล้ว 0 กก." in str(farmer.say("มีอะไรเปิดสั่งบ้าง")[0]["contents"])
    order(farmer, round_of(db, "acid-formic").id, 20)
    assert "ทั้งรอบสั่งแล้ว 20 กก." in str(farmer.say("มีอะไรเปิดสั่งบ้าง")[0]["contents"])


def test_rounds_list_narrows_to_the_product_asked(farmer: Chat) -> None:
    shown = farmer.say("รอบสั่งปุ๋ยปิดเมื่อไหร่")
    assert buttons(shown) == ["ปุ๋ยสูตร 15-15-15"]


def test_only_coordinators_close_and_only_their_own_center(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                          db: Session) -> None:
    acid = round_of(db, "acid-formic")
    assert "เฉพาะเจ้าหน้าที่สหกรณ์" in texts(farmer.say("ปิดรอบสั่งกรด"))
    cp_coordinator = coordinator(catalog, line_world, "DIST-06")
    refused = cp_coordinator.press(Intent("round.close", {"round": acid.id, "confirm": True}).to_postback())
    assert "เฉพาะผู้ประสานงานของศูนย์นั้น" in texts(refused)
    assert round_of(db, "acid-formic").status == "open"


def test_close_with_round_up_fills_the_last_container_and_tells_everyone(
    catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session
) -> None:
    acid = round_of(db, "acid-formic")
    willing, last = neighbour(catalog, line_world, "สมศรี"), neighbour(catalog, line_world, "สมปอง")
    order(farmer, acid.id, 40)
    order(willing, acid.id, 35, more=True)
    order(last, acid.id, 20)
    boss = coordinator(catalog, line_world)
    asked = boss.say("ปิดรอบสั่งกรด")
    assert "ยอดสั่ง 95 กก." in texts(asked)
    closed = boss.press(button_data(asked, "ใช่ ปิดรอบ"))
    assert "4 แกลลอน (120 กก.) สมาชิก 3 คน" in texts(closed)
    assert [line.allocated for line in lines(db, acid.id)] == [40, 60, 20]
    round_jobs.tick(catalog)
    assert "ท่านได้ 40 กก. ราคา 47.00 บาท/กก. รวมเป็นเงิน 1,880 บาท" in pushed_to(line_world, farmer.user_id)
    assert "ได้เพิ่ม 25 กก. เพื่อให้ครบแกลลอนสุดท้าย" in pushed_to(line_world, willing.user_id)
    assert "ท่านได้ 20 กก." in pushed_to(line_world, last.user_id)
    round_jobs.tick(catalog)
    assert len(line_world.sent("/v2/bot/message/push")) == 3, "each member is told once"


def test_first_come_first_served_cuts_the_latest_order(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                       db: Session) -> None:
    acid = round_of(db, "acid-formic")
    second, last = neighbour(catalog, line_world, "สมศรี"), neighbour(catalog, line_world, "สมปอง")
    order(farmer, acid.id, 40)
    order(second, acid.id, 35)
    order(last, acid.id, 20)
    coordinator(catalog, line_world).press(Intent("round.close", {"round": acid.id, "confirm": True}).to_postback())
    assert [line.allocated for line in lines(db, acid.id)] == [40, 35, 15]
    round_jobs.tick(catalog)
    told = pushed_to(line_world, last.user_id)
    assert "ท่านได้ 15 กก." in told and "คนที่สั่งหลังสุดจะได้น้อยลง" in told


def test_below_minimum_extends_once_then_cancels(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                 db: Session) -> None:
    acid = round_of(db, "acid-formic")
    deadline = acid.closes_at
    order(farmer, acid.id, 40)
    boss = coordinator(catalog, line_world)
    extended = boss.press(Intent("round.close", {"round": acid.id, "confirm": True}).to_postback())
    assert "ขยายรอบ" in texts(extended)
    acid = round_of(db, "acid-formic")
    assert acid.status == "open" and acid.closes_at == deadline + timedelta(days=3)
    round_jobs.tick(catalog)
    assert "ยังไม่ถึงยอดขั้นต่ำ 90 กก." in pushed_to(line_world, farmer.user_id)
    cancelled = boss.press(Intent("round.close", {"round": acid.id, "confirm": True}).to_postback())
    assert "ยกเลิกรอบ" in texts(cancelled)
    round_jobs.tick(catalog)
    assert "ถูกยกเลิก" in pushed_to(line_world, farmer.user_id)
    assert round_of(db, "acid-formic").status == "cancelled"
    assert "ไม่ต้องจ่ายเงิน" in texts(farmer.say("ออเดอร์ของผม"))


def test_rounds_close_themselves_at_the_deadline(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                 db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    order(farmer, rice.id, 3)
    round_jobs.tick(catalog, now=rice.closes_at + timedelta(seconds=1))
    assert round_of(db, "rice-sangyod-5kg").status == "closed"
    assert "ท่านได้ 3 ถุง" in pushed_to(line_world, farmer.user_id)
    assert "ปิดรอบแล้ว รับของที่ สหกรณ์การเกษตรควนขนุน" in texts(farmer.say("ออเดอร์ของผม"))


def test_summary_per_pickup_point_and_member(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                             db: Session) -> None:
    acid = round_of(db, "acid-formic")
    order(farmer, acid.id, 40)
    order(neighbour(catalog, line_world, "สมศรี", district="กงหรา"), acid.id, 50)
    asked = coordinator(catalog, line_world).say("สรุปยอดรอบนี้")
    assert set(buttons(asked)) == {"กรดฟอร์มิก (กรดมด)", "ยางแผ่นดิบ"}
    summary = coordinator_summary(catalog, line_world, acid.id)
    assert "รวม: 90 กก. = 3 แกลลอน เป็นเงิน 4,230 บาท" in summary
    assert "• สหกรณ์การเกษตรควนขนุน จำกัด: 40 กก. สมาชิก 1 คน" in summary
    assert "• สหกรณ์การเกษตรกงหรา จำกัด: 50 กก. สมาชิก 1 คน" in summary
    assert "• สมชาย ใจดี: 40 กก. เป็นเงิน 1,880 บาท" in summary


def coordinator_summary(app: Flask, world: LineWorld, round_id: int) -> str:
    return texts(coordinator(app, world).press(Intent("round.summary", {"round": round_id}).to_postback()))


def test_closing_twice_is_refused(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    boss = coordinator(catalog, line_world, "PROV-AGRI")
    press = Intent("round.close", {"round": rice.id, "confirm": True}).to_postback()
    assert "ปิดรอบแล้ว" in texts(boss.press(press))
    assert "ไม่ได้เปิดอยู่" in texts(boss.press(press))
    assert round_of(db, "rice-sangyod-5kg").closed_at is not None
    assert utcnow() - round_of(db, "rice-sangyod-5kg").closed_at < timedelta(minutes=1)
    assert Decimal(0) == round_of(db, "rice-sangyod-5kg").total


def test_a_coordinator_opens_a_new_round_like_the_last_one(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                          db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    boss = coordinator(catalog, line_world, "PROV-AGRI")
    closed = boss.press(Intent("round.close", {"round": rice.id, "confirm": True}).to_postback())
    asked = boss.press(button_data(closed, "เปิดรอบใหม่"))
    assert "เปิดรอบใหม่ ข้าวสังข์หยดพัทลุง 5 กก. ราคา 175.00 บาท/ถุง" in texts(asked)
    priced = boss.press(button_data(asked, "7 วัน"))
    assert "ราคาเดิม 175.00 บาท/ถุง หรือราคาใหม่" in texts(priced)
    assert "ราคาต้องมากกว่า 0" in texts(boss.say("0")), "a bad price is asked again"
    boss.say("17,5")  # 17.5 or 175? asked again, never guessed
    assert round_of(db, "rice-sangyod-5kg").id == rice.id, "nothing opened on a bad price"
    assert "เปิดรอบแล้ว" in texts(boss.say("180"))
    fresh = round_of(db, "rice-sangyod-5kg")
    assert fresh.id != rice.id and fresh.status == "open" and fresh.center.code == "PROV-AGRI"
    assert fresh.price == 180, "the new price typed"
    assert timedelta(days=6) < fresh.closes_at - utcnow() <= timedelta(days=8)
    assert "มีรอบที่เปิดอยู่แล้ว" in texts(boss.press(button_data(asked, "7 วัน")))
    rubber_boss = coordinator(catalog, line_world, RUBBER)
    refused = rubber_boss.press(Intent("round.open", {"like": rice.id, "days": 7}).to_postback())
    assert "เฉพาะผู้ประสานงานของศูนย์นั้น" in texts(refused)
    assert "บันทึกรายการสั่งซื้อแล้ว" in texts(farmer.press(button_data(farmer.press(join(fresh.id, 1)), "ยืนยัน")))


def test_a_new_rounds_price_far_from_the_last_ones_is_confirmed_before_it_opens(
        catalog: Flask, line_world: LineWorld, db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    boss = coordinator(catalog, line_world, "PROV-AGRI")
    closed = boss.press(Intent("round.close", {"round": rice.id, "confirm": True}).to_postback())
    again = button_data(closed, "เปิดรอบใหม่")
    boss.press(button_data(boss.press(again), "7 วัน"))
    asked = boss.say("250")
    assert "ราคา 250.00 บาท/ถุง สูงกว่าราคารอบก่อน (175.00 บาท/ถุง เปิดเมื่อ" in texts(asked)
    assert "ถึง 42.9% เปิดรอบใหม่ที่ราคา 250.00 บาท/ถุง ใช่ไหมครับ" in texts(asked)
    assert buttons(asked) == ["ใช่", "ยังก่อน"]
    assert round_of(db, "rice-sangyod-5kg").id == rice.id, "nothing opens before the yes"
    assert "ยังไม่เปิดรอบใหม่" in texts(boss.press(button_data(asked, "ยังก่อน")))
    assert round_of(db, "rice-sangyod-5kg").id == rice.id

    boss.press(button_data(boss.press(again), "7 วัน"))
    assert "ต่ำกว่าราคารอบก่อน" in texts(boss.say("120")), "lower too"
    assert "สูงกว่าราคารอบก่อน" in texts(boss.say("250")), "a new price typed instead is checked anew"
    assert "เปิดรอบแล้ว" in texts(boss.say("ใช่"))
    fresh = round_of(db, "rice-sangyod-5kg")
    assert fresh.id != rice.id and fresh.price == 250


def test_a_new_price_the_earlier_tiers_would_not_undercut_says_what_to_type(
        catalog: Flask, line_world: LineWorld, db: Session) -> None:
    feed = round_of(db, "feed-cp-pig")
    boss = coordinator(catalog, line_world, feed.center.code)
    closed = boss.press(Intent("round.close", {"round": feed.id, "confirm": True}).to_postback())
    boss.press(button_data(boss.press(button_data(closed, "เปิดรอบใหม่")), "7 วัน"))
    refused = texts(boss.say("570"))
    assert "ขั้นราคาของรอบก่อน (577.00 บาท/กระสอบ เมื่อยอดรวมถึง 100 กระสอบ)" in refused
    assert "กรุณาพิมพ์ราคาที่มากกว่า 577.00 บาท/กระสอบ" in refused
    assert round_of(db, "feed-cp-pig").id == feed.id, "nothing opened"
    assert "เปิดรอบแล้ว" in texts(boss.say("585")), "the price is asked for again"
    assert round_of(db, "feed-cp-pig").price == 585


def test_not_yet_closing_a_round_closes_nothing_and_asks(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    boss = coordinator(catalog, line_world)
    held = boss.say("ยังไม่ปิดรอบสั่งกรดนะ รอสมาชิกอีกวัน")
    assert "ใช่ ปิดรอบ" not in buttons(held) and "ยอดสั่ง" not in texts(held)
    assert round_of(db, "acid-formic").status == "open"
    assert "ปิดรอบ" in buttons(held), "closing is offered as a choice, not done"
