"""Transcripts through the real webhook, in Thai and in English: a selling round read from the pledge to the notice
that it closed says nothing of buying, ordering, picking up or paying; a buying round's totals read in whole baht."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.jobs import rounds as round_jobs
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from models.member import Member
from tests.orders.conftest import age, join, lines, make_coordinator, register, round_of
from tests.orders.test_rounds import pushed_to
from tests.support import Chat, button_data, buttons, texts

CONFIRM = {"th": "ยืนยัน", "en": "Confirm"}
KEEP = {"th": "ไม่ เก็บไว้", "en": "No, keep it"}
BUYING = {
    # สั่ง: สั่งซื้อ, ยอดสั่ง, เพื่อสั่ง; รับของ: picking goods up; ชำระ: the member paying
    "th": re.compile("สั่ง|รับของ|ชำระ|ซื้อรวม"),
    "en": re.compile(r"\b(order\w*|buy\w*|bought|pick(ed)? ?up|collect\w*|pay at|you pay)\b", re.IGNORECASE),
}
SELLING = {"th": ("ลงชื่อขายได้ในรอบเดียว (ไม่เกิน 5,000 กก.)", "นำยางไปส่งที่", "ประมาณ 6,200 บาท"),
           "en": ("can pledge in a round (at most 5,000 kg)", "bring your rubber to", "about 6,200 baht")}
# An amount with ".00" that is not a price per unit ("62.00 บาท/กก." keeps its satang)
SATANG_ON_A_TOTAL = re.compile(r"\d\.00 (บาท|baht)(?!/| per)")


def _member(app: Flask, world: LineWorld, locale: str) -> Chat:
    chat = Chat(app, world)
    register(app, chat.user_id, language=locale)
    return chat


@pytest.mark.parametrize("locale", ["th", "en"])
def test_a_selling_round_reads_as_selling_from_pledge_to_close(catalog: Flask, line_world: LineWorld, db: Session,
                                                               locale: str) -> None:
    seller = _member(catalog, line_world, locale)
    round_jobs.tick(catalog)  # the rounds that opened are announced now, not in the middle of this transcript
    line_world.clear()
    uss = round_of(db, "rubber-uss")
    said: list[str] = []

    def press(intent: Intent) -> list[dict[str, object]]:
        answer = seller.press(intent.to_postback())
        said.append(texts(answer))
        return answer

    press(Intent("sell.pledge", {"round": uss.id, "quantity": 6000}))  # over what one member may pledge
    card = press(Intent("sell.pledge", {"round": uss.id, "quantity": 120}))
    said.append(texts(seller.press(button_data(card, CONFIRM[locale]))))
    press(Intent("order.list"))
    press(Intent("payment"))
    press(Intent("pickup"))
    press(Intent("delivery.status"))
    (line,) = lines(db, uss.id)
    press(Intent("order.change", {"line": line.id}))
    said.append(texts(seller.say("100")))
    asked = press(Intent("order.cancel", {"line": line.id}))
    said.append(texts(seller.press(button_data(asked, KEEP[locale]))))
    age(catalog, uss.id, closes_at=utcnow() + timedelta(hours=23))
    round_jobs.tick(catalog)  # the reminder a day before closing
    assert catalog.test_cli_runner().invoke(cli, ["rounds", "close", str(uss.id)]).exit_code == 0
    round_jobs.tick(catalog)  # what closing means for the pledge
    said.append(pushed_to(line_world, seller.user_id))
    said.append(texts(seller.press(Intent("order.list").to_postback())))

    transcript = "\n".join(said)
    assert [line.quantity for line in lines(db, uss.id)] == [100], "the change went through and the pledge stayed"
    assert len(said) == 13 and all(said), "every step answered"
    for words in SELLING[locale]:
        assert words in transcript
    assert BUYING[locale].findall(transcript) == [], transcript
    assert SATANG_ON_A_TOTAL.findall(transcript) == [], transcript


@pytest.mark.parametrize("locale", ["th", "en"])
def test_a_members_totals_are_in_whole_baht(catalog: Flask, line_world: LineWorld, db: Session, locale: str) -> None:
    member = _member(catalog, line_world, locale)
    cp = round_of(db, "feed-cp-pig")  # 582.00 baht a sack
    card = member.press(join(cp.id, 10))
    said = [texts(card), texts(member.press(button_data(card, CONFIRM[locale])))]
    said += [texts(member.press(Intent(name).to_postback())) for name in ("order.list", "payment")]
    transcript = "\n".join(said)
    assert transcript.count("5,820 " + ("บาท" if locale == "th" else "baht")) == 4, transcript
    assert "582.00 " in transcript, "a price keeps its satang"
    assert SATANG_ON_A_TOTAL.findall(transcript) == [], transcript


def test_an_english_card_offers_to_take_more_on_a_whole_button(catalog: Flask, line_world: LineWorld,
                                                               db: Session) -> None:
    member = _member(catalog, line_world, "en")
    acid = round_of(db, "acid-formic")  # bought in whole containers, the last one filled by who can take more
    card = member.press(join(acid.id, 25))
    assert "Confirm, take more" in buttons(card) and 'Press "Confirm, take more"' in texts(card)
    assert all(len(label) <= 20 for label in buttons(card))


@pytest.mark.parametrize("locale", ["th", "en"])
def test_a_total_with_satang_keeps_them(catalog: Flask, line_world: LineWorld, db: Session, locale: str) -> None:
    member = _member(catalog, line_world, locale)
    acid = round_of(db, "acid-formic")
    age(catalog, acid.id, price=Decimal("47.25"))  # 30 kg at 47.25 is 1,417.50: satang that mean something
    card = member.press(join(acid.id, 30))
    done = member.press(button_data(card, CONFIRM[locale]))
    baht = "บาท" if locale == "th" else "baht"
    assert f"1,417.50 {baht}" in texts(card) and f"1,417.50 {baht}" in texts(done)
    assert [line.amount for line in lines(db, acid.id)] == [Decimal("1417.50")]


def test_closing_a_round_sold_by_the_kg_says_the_quantity_once(catalog: Flask, line_world: LineWorld,
                                                                 db: Session) -> None:
    seller = _member(catalog, line_world, "th")
    uss = round_of(db, "rubber-uss")
    seller.press(button_data(seller.press(Intent("sell.pledge", {"round": uss.id, "quantity": 120}).to_postback()),
                             CONFIRM["th"]))
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    asked = boss.press(Intent("round.close", {"round": uss.id}).to_postback())
    closed = texts(boss.press(button_data(asked, "ใช่ ปิดรอบ")))
    assert "ปิดรอบแล้วครับ: ยางแผ่นดิบ 120 กก. สมาชิก 1 คน" in closed and "(120 กก.)" not in closed


def test_a_seller_deleting_their_data_is_told_their_pledge_is_withdrawn(catalog: Flask, line_world: LineWorld,
                                                                        db: Session) -> None:
    seller = _member(catalog, line_world, "th")
    uss = round_of(db, "rubber-uss")
    seller.press(button_data(seller.press(Intent("sell.pledge", {"round": uss.id, "quantity": 120}).to_postback()),
                             CONFIRM["th"]))
    asked = texts(seller.say("ลบข้อมูลของฉัน"))
    assert "รายการลงชื่อขายในรอบที่ยังเปิดอยู่จะถูกถอนชื่อด้วย (1 รายการ)" in asked
    done = texts(seller.say("ใช่"))
    assert "รายการลงชื่อขายในรอบที่ยังเปิดอยู่ถูกถอนชื่อแล้ว (1 รายการ)" in done
    assert BUYING["th"].findall(asked + done) == [], asked + done
    assert [line.status for line in lines(db, uss.id)] == ["cancelled"]


def test_a_long_name_on_a_button_is_cut_with_an_ellipsis(catalog: Flask, line_world: LineWorld) -> None:
    member = _member(catalog, line_world, "en")
    listed = member.press(Intent("rounds.list").to_postback())
    assert "Unsmoked rubber she…" in buttons(listed), "the name is longer than LINE's 20 characters, and says it is cut"
    assert all(len(label) <= 20 for label in buttons(listed))


@pytest.mark.parametrize("locale", ["th", "en"])
def test_asking_for_a_person_where_no_phone_is_known_gives_no_number_to_call(catalog: Flask, line_world: LineWorld,
                                                                             locale: str) -> None:
    member = _member(catalog, line_world, locale)  # the demo cooperatives have no phone numbers and no coordinators
    said = texts(member.press(Intent("handoff").to_postback()))
    assert ("ยังไม่มีเบอร์โทรในระบบ" if locale == "th" else "I have no phone number for them") in said
    assert ("กรุณาโทร" if locale == "th" else "Please call") not in said


@pytest.mark.parametrize("locale", ["th", "en"])
def test_a_weighed_pledge_shows_the_money_to_the_satang(catalog: Flask, line_world: LineWorld, db: Session,
                                                        locale: str) -> None:
    seller = _member(catalog, line_world, locale)
    with catalog.extensions["sessions"]() as session, session.begin():
        member = session.scalar(select(Member).where(Member.line_user_id == seller.user_id))
        assert member is not None
        member.phone = "0812345678"
    uss = round_of(db, "rubber-uss")
    seller.press(button_data(seller.press(Intent("sell.pledge", {"round": uss.id, "quantity": 100}).to_postback()),
                             CONFIRM[locale]))
    runner = catalog.test_cli_runner()
    assert runner.invoke(cli, ["rounds", "close", str(uss.id)]).exit_code == 0
    baht = "บาท" if locale == "th" else "baht"
    before = texts(seller.press(Intent("order.list").to_postback()))
    assert f"6,200 {baht}" in before and "6,032" not in before, "an estimate until weighed"
    weighed = runner.invoke(cli, ["orders", "weigh", str(uss.id), "0812345678", "--kg", "97.3"])
    assert weighed.exit_code == 0, weighed.output
    listed = texts(seller.press(Intent("order.list").to_postback()))
    paid = texts(seller.press(Intent("payment").to_postback()))
    for said in (listed, paid):  # 97.3 kg at 62.00
        assert f"6,032.60 {baht}" in said and ("ประมาณ" if locale == "th" else "about") not in said, said
