"""price.today through the real webhook: the member's own cooperative's price first, the change, the date."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from bot.nlu import Intent
from tests.prices.conftest import TODAY, put
from tests.support import Chat, buttons, registered, texts

YESTERDAY = TODAY - timedelta(days=1)


def test_anyone_sees_todays_prices_of_every_type_with_the_change(chat: Chat, clock: datetime) -> None:
    for rubber_type, before, now in (("latex", "57.50", "58.00"), ("uss", "60.00", "59.40"),
                                     ("rss3", "63.10", "63.10"), ("cuplump", "50.00", "51.25")):
        put(chat.app, YESTERDAY, rubber_type, before)
        put(chat.app, TODAY, rubber_type, now)

    (card,) = chat.say("ราคายางวันนี้")

    assert card["type"] == "flex" and card["contents"]["type"] == "bubble"
    shown = card["altText"]
    assert len(shown) <= 1500
    assert "ราคายาง 25 พ.ย. 2569" in shown
    assert "น้ำยางสด: 58.00 บาท/กก. ▲ 0.50" in shown
    assert "ยางแผ่นดิบ: 59.40 บาท/กก. ▼ 0.60" in shown
    assert "ยางแผ่นรมควัน ชั้น 3: 63.10 บาท/กก. ทรงตัว" in shown
    assert "ยางก้อนถ้วย: 51.25 บาท/กก. ▲ 1.25" in shown
    assert "ราคากลางเปิดตลาด การยางแห่งประเทศไทย" in shown
    assert "ยังไม่ประกาศ" not in shown
    assert "กราฟราคา" in buttons([card])


def test_one_type_asked_for_shows_only_that_type(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    put(chat.app, TODAY, "rss3", "63.10")
    shown = texts(chat.say("ราคาน้ำยางวันนี้"))
    assert "น้ำยางสด: 58.00" in shown
    assert "ยางแผ่นรมควัน" not in shown


def test_before_todays_price_is_posted_it_says_so_and_shows_the_latest(chat: Chat, clock: datetime) -> None:
    put(chat.app, YESTERDAY - timedelta(days=1), "latex", "56.00")
    put(chat.app, YESTERDAY, "latex", "57.25")
    shown = texts(chat.press(Intent("price.today", {"rubber_type": "latex"}).to_postback()))
    assert "ราคาวันนี้ยังไม่ประกาศ" in shown
    assert "57.25" in shown and "▲ 1.25" in shown
    assert "24 พ.ย. 2569" in shown


def test_a_member_sees_their_own_cooperatives_buying_price_first(seeded: Flask, line_world, clock: datetime) -> None:
    put(seeded, TODAY, "latex", "57.00")                                # RAOT
    put(seeded, TODAY, "latex", "58.00", "center", "PROV-RUBBER")       # the rubber federation
    put(seeded, YESTERDAY, "latex", "58.00", "center", "DIST-05")       # ควนขนุน's cooperative, yesterday
    put(seeded, TODAY, "latex", "58.50", "center", "DIST-05")           # ... and today

    khuan_khanun = Chat(seeded, line_world)
    registered(seeded, khuan_khanun.user_id, district="ควนขนุน")
    shown = texts(khuan_khanun.press(Intent("price.today", {"rubber_type": "latex"}).to_postback()))
    assert "58.50" in shown and "▲ 0.50" in shown
    assert "ราคารับซื้อของสหกรณ์การเกษตรควนขนุน จำกัด (สหกรณ์ของท่าน)" in shown

    tamot = Chat(seeded, line_world)
    registered(seeded, tamot.user_id, district="ตะโหมด")
    shown = texts(tamot.press(Intent("price.today", {"rubber_type": "latex"}).to_postback()))
    assert "58.00" in shown and "ชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด" in shown

    stranger = Chat(seeded, line_world)  # not registered: no cooperative, the federation's price
    assert "ชุมนุมสหกรณ์การยาง" in texts(stranger.press(Intent("price.today", {"rubber_type": "latex"}).to_postback()))


def test_the_change_compares_a_source_with_itself(chat: Chat, clock: datetime) -> None:
    put(chat.app, YESTERDAY, "latex", "50.00")                          # RAOT yesterday
    put(chat.app, TODAY, "latex", "58.00", "center", "PROV-RUBBER")     # federation today, its first post
    shown = texts(chat.press(Intent("price.today", {"rubber_type": "latex"}).to_postback()))
    assert "58.00" in shown
    assert "▲" not in shown and "▼" not in shown


def test_no_prices_at_all(chat: Chat, clock: datetime) -> None:
    assert "ยังไม่มีการประกาศราคายาง" in texts(chat.say("ราคายาง"))


def test_english_speaking_member(seeded: Flask, line_world, clock: datetime) -> None:
    put(seeded, TODAY, "latex", "58.00")
    chat = Chat(seeded, line_world)
    registered(seeded, chat.user_id, language="en")
    shown = texts(chat.press(Intent("price.today").to_postback()))
    assert "Field latex: 58.00 baht/kg" in shown
    assert "25 Nov 2026" in shown


def test_a_rubber_we_keep_no_price_of_is_named(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    for message in ("ราคายางเครปวันนี้", "กราฟราคายางแท่ง 30 วัน"):
        answer = chat.say(message)
        assert texts(answer).startswith("ยังไม่มีราคายาง") and "มีเฉพาะน้ำยางสด" in texts(answer), message
        assert "ยางก้อนถ้วย" in buttons(answer) and [m["type"] for m in answer] == ["text"]


def test_a_type_not_posted_yet_is_named(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    answer = chat.say("ราคายางแผ่นดิบ")
    assert texts(answer).startswith("ยังไม่มีการประกาศราคายางแผ่นดิบ ครับ") and "น้ำยางสด" in buttons(answer)


def test_prices_older_than_the_boards_window_are_still_found(chat: Chat, clock: datetime) -> None:
    """The board reads the last weeks in one statement; an older price or previous day is looked up on its own."""
    put(chat.app, TODAY - timedelta(days=90), "latex", "50.00")
    put(chat.app, TODAY, "latex", "58.00")                     # the day before it was 90 days ago
    put(chat.app, TODAY - timedelta(days=200), "cuplump", "40.00")
    put(chat.app, TODAY - timedelta(days=120), "cuplump", "41.50")  # nothing since: the latest is four months old
    shown = texts(chat.say("ราคายางวันนี้"))
    assert "น้ำยางสด: 58.00 บาท/กก. ▲ 8.00" in shown
    assert "ยางก้อนถ้วย: 41.50 บาท/กก. ▲ 1.50" in shown
