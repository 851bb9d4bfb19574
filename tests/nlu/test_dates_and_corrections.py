"""Days of the month are dates, not spans; a number said not to be meant is left out; an order keeps the unit it
was changed from, and the unit its product is sold in."""

from __future__ import annotations

import pytest

from bot.nlu import parse
from bot.nlu.normalize import normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1 เม.ย.", "1 เมษายน "), ("๓ มี.ค. กี่บาท", "3 มีนาคม  กี่บาท"), ("15ต.ค.", "15 ตุลาคม ")],
)
def test_a_month_written_short_after_a_day_is_written_out(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_a_short_month_with_no_day_is_left_alone() -> None:
    assert normalize("ก.พ. ประชุม") == "ก พ  ประชุม"


def test_a_short_month_after_เดือน_or_before_its_year_is_written_out() -> None:
    assert normalize("เดือนม.ค.67") == "เดือน มกราคม 67"
    assert normalize("ธ.ค. 66") == " ธันวาคม  66"


def test_sixty_sacks_ordered_in_a_named_month_are_no_year() -> None:
    assert parse("สั่งปุ๋ยเดือนมีนา 60 กระสอบ").slots == {"product": "fertilizer", "quantity": 60, "unit": "sack"}


@pytest.mark.parametrize(
    ("typed", "slots"),
    [("ราคายางวันที่ 15", {}), ("ราคาน้ำยางวันที่ ๒๐", {"rubber_type": "latex"}),
     ("น้ำยาง 1 เม.ย. กี่บาท", {"rubber_type": "latex"}), ("ราคายางวันที่ 1 เมษา", {}),
     ("ราคาน้ำยาง 15 วัน", {"rubber_type": "latex", "days": 15}),
     ("ขอราคาย้อนหลังสักอาทิตย์นึงครับ", {"days": 7}), ("ราคายางเดือนก่อน", {"days": 30}),
     ("ราคาน้ำยางย้อนหลังครึ่งปี", {"rubber_type": "latex", "days": 180}),
     # a date written with slashes, a year of the Buddhist era: no span, no price
     ("ราคาน้ำยางย้อนหลังวันที่ 1/11/2569", {"rubber_type": "latex"}),
     ("ราคาน้ำยางย้อนหลังปี 2568", {"rubber_type": "latex", "days": 365}),
     # a year after its month, in full or written short; weeks typed as they are said
     ("ราคายางวันที่ 5 มกราคม 2567", {}), ("ราคาน้ำยางเดือน ม.ค. 67", {"rubber_type": "latex"}),
     ("ราคาน้ำยางย้อนหลัง 2 อาทิต", {"rubber_type": "latex", "days": 14}),
     # a count of days is whole: 57.25 beside a date is a price, not 57¼ days; half a month is still 15
     ("น้ำยาง 57.25 วันที่ 3", {"rubber_type": "latex"}), ("ราคายางย้อนหลัง 1.5 เดือน", {"days": 45})],
)
def test_a_day_of_the_month_is_a_date_and_a_period_named_alone_is_one_of_it(typed: str, slots: dict) -> None:
    intent = parse(typed)
    assert (intent.name, dict(intent.slots)) == ("price.history", slots)


@pytest.mark.parametrize(
    ("typed", "slots"),
    [("ไม่ใช่ 20 โล ต้อง 30 โล กรดมด", {"product": "acid", "quantity": 30, "unit": "kg"}),
     ("ฉานพิมผิดเหอ ไม่ใช่ 50 เอา 15", {"quantity": 15}),
     ("สิบกส. ไม่ใช่สิบห้า", {"quantity": 10, "unit": "sack"}),
     ("ไม่ใช่เบทาโก เอาซีพี", {"product": "feed", "brand": "cp"}),
     ("น้ำกรดจาก 3 แกลลอนลดเหลือ 2", {"product": "acid", "quantity": 2, "unit": "container"}),
     ("สั่งกรดไว้สองแกลลอน ขอลดเหลือแกลลอนเดียว", {"product": "acid", "quantity": 1, "unit": "container"}),
     # the wrong number named first, the meant one after it
     ("8 กระสอบผิดครับ จริงๆ 3 กระสอบ", {"quantity": 3, "unit": "sack"}),
     ("ปุ๋ยผิดจ้า 12 ลูก ขอ 7 ลูก", {"product": "fertilizer", "quantity": 7, "unit": "sack"}),
     # the unit typed after the number that is not meant counts the one that is
     ("อาหารไก่ 4 ไม่ใช่ 40 กระสอบ", {"product": "feed", "quantity": 4, "unit": "sack"}),
     # one brand or formula named, then another after เป็น: swapped
     ("ปุ๋ย 15-15-15 เป็น 16-16-8 ได้ไหม", {"product": "fertilizer", "formula": "16-16-8"}),
     ("ซีพีเป็นเบทาโกร", {"product": "feed", "brand": "betagro"})],
)
def test_a_correction_changes_the_order_to_what_is_meant(typed: str, slots: dict) -> None:
    intent = parse(typed)
    assert (intent.name, dict(intent.slots)) == ("order.change", slots)


@pytest.mark.parametrize("typed", ["ปุ๋ย 16-20-0 เป็นปุ๋ยที่ดี", "ซีพีเป็นบริษัทใหญ่", "ลูกหมูเป็นโรค"])
def test_goods_said_to_be_something_change_no_order(typed: str) -> None:
    assert parse(typed).name != "order.change"


def test_feed_is_ordered_in_sacks_whatever_else_is_counted() -> None:
    intent = parse("เลี้ยงหมูอยู่ยี่สิบตัว สั่งอาหารหมูเบทาโกรแปดกระสอบ")
    assert intent.name == "order.join"
    assert (intent.slots["quantity"], intent.slots["unit"]) == (8, "sack")
    assert parse("สั่งหมู 4 ตัว").slots == {"product": "piglet", "quantity": 4, "unit": "head"}


def test_more_between_a_number_and_its_unit_keeps_the_unit() -> None:
    assert parse("2 more sacks cp chicken feed").slots == {"product": "feed", "brand": "cp", "animal": "chicken",
                                                          "quantity": 2, "unit": "sack"}
    assert parse("add 3 extra sacks of pig feed").slots == {"product": "feed", "animal": "pig", "quantity": 3,
                                                           "unit": "sack"}


def test_a_coordinator_changing_the_days_price_posts_it() -> None:
    intent = parse("แก้ราคาน้ำยางเป็น 58.75 เมื่อกี้พิมพ์ผิด")
    assert (intent.name, dict(intent.slots)) == ("price.post", {"rubber_type": "latex", "price": 58.75})
    assert parse("ลดราคาขี้ยางเหลือ 22.80").slots == {"rubber_type": "cuplump", "price": 22.8}


def test_a_date_after_เมื่อวันที่_is_not_yesterday_and_satang_join_the_baht() -> None:
    intent = parse("ราคายางเมื่อวันที่ ๒๐")
    assert (intent.name, dict(intent.slots)) == ("price.history", {})
    assert parse("ตั้งราคาน้ำยาง ห้าสิบแปดบาทห้าสิบสตางค์").slots == {"rubber_type": "latex", "price": 58.5}


@pytest.mark.parametrize("typed", ["เพิ่มอีก 2 กระสอบ", "อาหารเป็ดเอาเพิ่มอีกสองกระสอบนะ", "เพิ่มกรดมดอีก 1 แกลลอน"])
def test_so_many_more_changes_the_order_and_the_house_adds_them(typed: str) -> None:
    from bot.nlu import understand

    assert parse(typed).name == "order.change"  # the contract: the member's order, changed
    assert understand(typed)[0].name == "order.join"  # done by joining again, which adds to their line


@pytest.mark.parametrize(("typed", "intent"), [("เพิ่มเป็น 5 กระสอบ", "order.change"),
                                               ("เพิ่มให้ครบ 10 กระสอบ", "order.change"), ("เอาอีก 10 โล", "order.join"),
                                               ("สั่งปุ๋ยอีก 2 ลูก", "order.join")])
def test_a_new_total_is_a_change_and_another_so_many_an_order(typed: str, intent: str) -> None:
    from bot.nlu import understand

    assert parse(typed).name == understand(typed)[0].name == intent


@pytest.mark.parametrize("typed", ["อย่าเพิ่งเพิ่มอีก 2 กระสอบ", "ยังไม่เพิ่ม 2 กระสอบนะ", "เพิ่มกำไร 2 บาท"])
def test_more_held_back_or_of_money_adds_nothing(typed: str) -> None:
    from bot.nlu import understand

    assert parse(typed).name == understand(typed)[0].name == "unknown"


def test_more_later_with_no_number_adds_nothing() -> None:
    assert parse("ลองสั่งอาหารปลาสามกระสอบก่อน ถ้าดีจะสั่งเพิ่มทีหลัง").name == "order.join"
