"""Words a Thai reader expects: selling words on selling cards, no "10 sacks = 10 sacks", and a space after a
product name that ends in a bracket or a number before the Thai that follows it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.jobs import rounds as round_jobs
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from tests.orders.conftest import join, make_coordinator, round_of
from tests.orders.test_rounds import order, pushed_to
from tests.support import Chat, button_data, texts


def test_a_pledge_card_speaks_of_selling_not_ordering(farmer: Chat, db: Session) -> None:
    card = texts(farmer.say("จะขายยางแผ่นดิบ 120 กิโล"))
    assert "เพื่อลงชื่อขาย" in card and "เพื่อสั่ง" not in card
    done = texts(farmer.press(button_data(farmer.say("จะขายยางแผ่นดิบ 120 กิโล"), "ยืนยัน")))
    assert "ทั้งรอบลงชื่อขายแล้ว 120 กก." in done and "ยอดสั่ง" not in done


def test_a_coordinator_closing_a_selling_round_is_asked_in_selling_words(
    catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session
) -> None:
    uss = round_of(db, "rubber-uss")
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    asked = texts(boss.press(Intent("round.close", {"round": uss.id}).to_postback()))
    assert "ปิดรอบขายยางแผ่นดิบ ตอนนี้เลยไหม" in asked and "ยอดลงชื่อขาย" in asked


def test_a_summary_counts_packs_only_where_they_differ_from_the_unit(
    catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session
) -> None:
    cp = round_of(db, "feed-cp-pig")
    farmer.press(button_data(farmer.press(join(cp.id, 10)), "ยืนยัน"))
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, cp.center.code)
    summary = texts(boss.press(Intent("round.summary", {"round": cp.id}).to_postback()))
    assert "รวม: 10 กระสอบ เป็นเงิน" in summary and "= 10 กระสอบ" not in summary


def test_a_product_name_ending_in_a_bracket_is_followed_by_a_space(
    catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session
) -> None:
    acid = round_of(db, "acid-formic")
    order(farmer, acid.id, 90)  # the demo round needs 90 kg to go ahead
    assert catalog.test_cli_runner().invoke(cli, ["rounds", "close", str(acid.id)]).exit_code == 0
    round_jobs.tick(catalog)
    told = pushed_to(line_world, farmer.user_id)
    assert "รอบสั่งซื้อกรดฟอร์มิก (กรดมด) ปิดแล้วครับ" in told and "(กรดมด)ปิด" not in told


def test_a_sellers_list_says_where_to_bring_the_rubber(catalog: Flask, farmer: Chat, db: Session) -> None:
    uss = round_of(db, "rubber-uss")
    farmer.press(button_data(farmer.say("จะขายยางแผ่นดิบ 120 กิโล"), "ยืนยัน"))
    assert catalog.test_cli_runner().invoke(cli, ["rounds", "close", str(uss.id)]).exit_code == 0
    listed = texts(farmer.say("ออเดอร์ของผม"))
    assert "นำยางไปส่งที่" in listed and "รับของที่" not in listed


def test_the_card_states_how_much_more_a_member_may_get(catalog: Flask, farmer: Chat, db: Session) -> None:
    acid = round_of(db, "acid-formic")
    card = texts(farmer.press(join(acid.id, 25)))
    assert "ไม่เกิน 30 กก." in card, "'can take more' is capped at one container, and the card says so"
