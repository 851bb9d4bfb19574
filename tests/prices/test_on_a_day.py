"""A day's prices asked for by its name (เมื่อวาน, วันที่ 20, 1 พ.ย., 1/11/2569) through the real webhook: that day's
prices with their change, or the latest before it said as such, never a month's chart instead. Today is Wednesday
25 November 2026 (tests.prices.conftest)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from handlers.prices import asked_day
from tests.prices.conftest import TODAY, put
from tests.support import Chat, button_data, texts

YESTERDAY = TODAY - timedelta(days=1)


def test_yesterdays_prices_are_yesterdays_with_their_change(chat: Chat, clock: datetime) -> None:
    put(chat.app, YESTERDAY - timedelta(days=1), "latex", "56.00")
    put(chat.app, YESTERDAY, "latex", "57.25")
    put(chat.app, YESTERDAY, "uss", "60.10")
    put(chat.app, TODAY, "latex", "58.00")

    shown = texts(chat.say("ราคายางเมื่อวานเท่าไหร่ครับ"))
    assert "ราคาวันที่ 24 พ.ย. 2569" in shown
    assert "น้ำยางสด: 57.25 บาท/กก. ▲ 1.25" in shown and "ยางแผ่นดิบ: 60.10" in shown
    assert "58.00" not in shown, "today's price answered for yesterday's"

    latex = texts(chat.say("น้ำยางเมื่อวานกี่บาท"))
    assert "57.25" in latex and "ยางแผ่นดิบ" not in latex


@pytest.mark.parametrize("typed", ["ราคายางวันนี้ 25 พ.ย.", "ราคายางพาราวันนี้ ๒๕ พฤศจิกา", "น้ำยาง 25/11"])
def test_todays_date_typed_after_the_question_is_a_day_asked_not_a_price_posted(chat: Chat, clock: datetime,
                                                                               typed: str) -> None:
    put(chat.app, YESTERDAY, "latex", "57.25")
    put(chat.app, TODAY, "latex", "58.00")
    shown = texts(chat.say(typed))
    assert "58.00" in shown and "25 พ.ย. 2569" in shown, shown


def test_a_day_with_no_price_shows_the_latest_before_it_and_says_so(chat: Chat, clock: datetime) -> None:
    put(chat.app, date(2026, 10, 30), "latex", "55.50")  # a Friday; nothing posted that weekend
    shown = texts(chat.say("ราคาน้ำยางวันที่ 1 พ.ย. 69"))
    assert "วันที่ 1 พ.ย. 2569 ไม่มีการประกาศราคาครับ" in shown
    assert "55.50" in shown and "30 ต.ค. 2569" in shown


def test_a_day_before_any_price_is_said_plainly(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    shown = texts(chat.say("ราคายางวันที่ 5 มกราคม 2567"))
    assert "ยังไม่มีราคายางที่ประกาศถึงวันที่ 5 ม.ค. 2567" in shown
    assert "58.00" not in shown


def test_a_holiday_named_is_its_day_and_last_years_is_the_year_before(chat: Chat, clock: datetime) -> None:
    put(chat.app, date(2025, 4, 11), "latex", "61.50")  # the Friday before Songkran 2025 (13 April, a Sunday)
    put(chat.app, date(2026, 4, 13), "latex", "63.75")
    put(chat.app, date(2026, 8, 12), "uss", "66.00")
    last = texts(chat.say("ราคายางวันสงกรานต์ปีที่แล้วเท่าไหร่"))
    assert "13 เม.ย. 2568" in last and "61.50" in last and "63.75" not in last, last
    assert "63.75" in texts(chat.say("น้ำยางช่วงสงกรานต์ราคาเท่าไร"))  # this year's, already past
    assert "66.00" in texts(chat.say("ราคายางแผ่นดิบวันแม่"))
    put(chat.app, TODAY, "latex", "58.00")
    wished = texts(chat.say("ราคายางวันนี้ครับ สุขสันต์วันสงกรานต์"))  # a wish beside today's question asks today
    assert "58.00" in wished and "63.75" not in wished, wished


def test_a_period_asked_is_still_a_chart(chat: Chat, clock: datetime) -> None:
    for n in range(10):
        put(chat.app, TODAY - timedelta(days=n), "latex", f"{55 + n * 0.1:.2f}")
    shown = texts(chat.say("ราคาน้ำยางย้อนหลัง 7 วัน"))
    assert "7 วัน" in shown and "ราคาวันที่" not in shown


@pytest.mark.parametrize(("said", "day"), [
    ("ago:1", date(2026, 11, 24)), ("ago:2", date(2026, 11, 23)),
    ("20", date(2026, 11, 20)), ("28", date(2026, 10, 28)),          # the 28th is still to come: last month's
    ("1/11", date(2026, 11, 1)), ("26/12", date(2025, 12, 26)),      # 26 December: last year's
    ("1/11/2026", date(2026, 11, 1)), ("5/1/2024", date(2024, 1, 5)),
    ("31/2", None), ("1/1/2027", None),                               # a day that never was, one to come
    ("13/4/-1", date(2025, 4, 13)), ("25/12/-1", date(2025, 12, 25)),  # that day of the year before this one
])
def test_a_named_day_is_placed_on_or_before_today(said: str, day: date | None) -> None:
    assert asked_day(said, TODAY) == day


def test_a_day_written_with_slashes_is_asked_by_a_member_not_posted(chat: Chat, clock: datetime) -> None:
    put(chat.app, date(2026, 11, 2), "latex", "56.75")
    shown = texts(chat.say("ราคาน้ำยาง 2/11/2569"))
    assert "ราคาวันที่ 2 พ.ย. 2569" in shown and "56.75" in shown
    assert "ขออภัย" not in shown, "read as a coordinator's post and refused"


def test_a_past_days_other_types_are_of_that_day_too(chat: Chat, clock: datetime) -> None:
    put(chat.app, YESTERDAY, "latex", "57.25")
    put(chat.app, YESTERDAY, "uss", "60.10")
    put(chat.app, TODAY, "uss", "61.40")
    latex = chat.say("น้ำยางเมื่อวานกี่บาท")
    assert "57.25" in texts(latex)
    sheet = texts(chat.press(button_data(latex, "ยางแผ่นดิบ")))
    assert "ราคาวันที่ 24 พ.ย. 2569" in sheet and "60.10" in sheet
    assert "61.40" not in sheet, "the button of yesterday's card answered with today's price"
    today = chat.say("ราคาน้ำยางวันนี้")
    assert "ราคาวันที่" not in texts(chat.press(button_data(today, "ยางแผ่นดิบ")))
