"""Selling rubber together (sell.pledge) and what members gained (savings), from delivered lines."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from tests.orders.conftest import join, lines, make_coordinator, round_of
from tests.support import Chat, button_data, buttons, texts


def test_pledge_unsmoked_sheet_for_the_selling_round(farmer: Chat, db: Session) -> None:
    uss = round_of(db, "rubber-uss")
    card = farmer.say("จะขายยางแผ่นดิบ 120 กิโล")
    shown = texts(card)
    for fact in ("กรุณาตรวจสอบรายการลงชื่อขาย", "ยางแผ่นดิบ", "120 กก.", "62.00 บาท/กก.", "7,440 บาท",
                 "นำไปส่งที่"):
        assert fact in shown
    assert lines(db, uss.id) == []
    done = farmer.press(button_data(card, "ยืนยัน"))
    assert "บันทึกการลงชื่อขายแล้ว" in texts(done)
    assert [line.quantity for line in lines(db, uss.id)] == [120]


def test_a_pledge_in_tonnes_and_withdrawn_by_typing(farmer: Chat, db: Session) -> None:
    uss = round_of(db, "rubber-uss")
    card = farmer.say("ขายยางแผ่น 1.5 ตัน")
    assert "1,500 กก." in texts(card), "a tonne is 1,000 kg, not 1.5 kg"
    farmer.press(button_data(card, "ยืนยัน"))
    assert [line.quantity for line in lines(db, uss.id)] == [1500]
    asked = farmer.say("ถอนชื่อขายยางแผ่น")
    assert "ยางแผ่นดิบ 1,500 กก." in texts(asked) and "ใช่ไหม" in texts(asked)
    farmer.say("ใช่")
    assert [line.status for line in lines(db, uss.id)] == ["cancelled"]


def test_a_buy_round_cannot_be_pledged_to_and_no_round_is_said_plainly(farmer: Chat, db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    refused = farmer.press(Intent("sell.pledge", {"round": cp.id, "quantity": 10}).to_postback())
    assert "ปิดแล้วหรือยังไม่เปิด" in texts(refused)
    reply = farmer.say("จะขายน้ำยางสด 50 กิโล")
    assert "ยังไม่มีรอบที่เปิดสำหรับสินค้านี้" in texts(reply) and buttons(reply) == ["ยางแผ่นดิบ"]
    assert lines(db, cp.id) == []


def _deliver(app: Flask, round_id: int) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["rounds", "close", str(round_id)]).exit_code == 0
    assert runner.invoke(cli, ["rounds", "mark", str(round_id), "ordered"]).exit_code == 0
    assert runner.invoke(cli, ["rounds", "mark", str(round_id), "delivered"]).exit_code == 0


def test_savings_count_delivered_lines_for_the_member_and_the_center(
    catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session
) -> None:
    assert "ยังไม่มีรายการซื้อรวมที่ส่งของแล้ว" in texts(farmer.say("ประหยัดได้เท่าไหร่"))
    acid, uss, cp = round_of(db, "acid-formic"), round_of(db, "rubber-uss"), round_of(db, "feed-cp-pig")
    pledge = Intent("sell.pledge", {"round": uss.id, "quantity": 120}).to_postback()
    for postback in (join(acid.id, 90), pledge, join(cp.id, 10)):
        farmer.press(button_data(farmer.press(postback), "ยืนยัน"))
    _deliver(catalog, acid.id)
    _deliver(catalog, uss.id)
    # acid: (60 - 47) x 90 = 1,170; sheet sold together: (62 - 61) x 120 = 120; feed not delivered yet.
    told = texts(farmer.say("ประหยัดได้เท่าไหร่"))
    assert "เดือนนี้: 1,290 บาท" in told and "ปีนี้: 1,290 บาท" in told
    assert "ส่งของแล้วที่" in texts(farmer.say("ออเดอร์ของผม"))

    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    summary = texts(boss.press(Intent("round.summary", {"round": acid.id}).to_postback()))
    assert "ได้ประโยชน์รวม 1,290 บาท" in summary


def test_selling_summary_is_per_collection_point(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                 db: Session) -> None:
    uss = round_of(db, "rubber-uss")
    farmer.press(button_data(farmer.say("จะขายยางแผ่นดิบ 120 กิโล"), "ยืนยัน"))
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    summary = texts(boss.press(Intent("round.summary", {"round": uss.id}).to_postback()))
    assert "แยกตามจุดรับซื้อ:" in summary and "• สหกรณ์การเกษตรควนขนุน จำกัด: 120 กก. สมาชิก 1 คน" in summary


def test_rubber_named_anew_over_an_open_pledge_card_keeps_no_quantity_from_it(farmer: Chat, db: Session) -> None:
    assert "120 กก." in texts(farmer.say("จะขายยางแผ่นดิบ 120 กิโล"))
    asked = farmer.say("ขายยางแผ่นดิบ")
    assert asked[0]["type"] == "text" and "กี่" in texts(asked), "asks how many, not the 120 kg card again"
