"""Numbers too long to be a quantity, price or weight are no slot: the handler asks again instead of failing."""

from __future__ import annotations

import pytest

from bot.nlu import LEXICON, items, parse
from bot.nlu.tokens import MAX_DIGITS, thai_number, tokenize

NUMBER_SLOTS = {"quantity", "threshold", "price", "weight_kg", "drc", "days"}


@pytest.mark.parametrize(
    "typed",
    [
        "1" * 4301,  # past Python's int-string conversion limit
        "9" * 5000,
        "๑" * 5000,
        "สั่งปุ๋ย " + "๙" * 4400 + " กระสอบ",
        "สั่งอาหารหมูซีพี " + "9" * 300 + " กระสอบ",
        "ขายน้ำยาง " + "9" * 300 + " กิโล",
        "แจ้งเตือนราคาน้ำยางเกิน " + "9" * 30,
        "น้ำยาง " + "9" * 50 + " กิโล 34%",
        "ดูราคาย้อนหลัง " + "9" * 30 + " วัน",
        "กรดมด 1,234,567,890 กิโล",
        "ข้าวสาร 1.0000000001 ถุง",
        "ปุ๋ย " + "ล้าน" * 1000 + " กระสอบ",
        "ปุ๋ย พันล้าน กระสอบ",
    ],
)
def test_a_number_of_more_than_nine_digits_fills_no_slot(typed: str) -> None:
    intent = parse(typed)
    numbers = {name: value for name, value in intent.slots.items() if name in NUMBER_SLOTS}
    assert numbers in ({}, {"drc": 34}), intent.slots  # 34% is read; the weight before it is not
    assert len(items(typed)) == 1


@pytest.mark.parametrize(
    ("typed", "value"),
    [("9" * MAX_DIGITS, 10**MAX_DIGITS - 1), ("999,999,999", 999_999_999), ("๙๙๙๙๙๙๙๙๙", 999_999_999),
     ("58.123456789", 58.123456789), ("เก้าร้อยล้าน", 900_000_000)],
)
def test_nine_digits_are_still_a_number(typed: str, value: float) -> None:
    assert parse(typed).slots == {"quantity": value}


def test_a_phone_number_is_not_a_quantity() -> None:
    assert "quantity" not in parse("สั่งปุ๋ย 0812345678").slots


def test_a_coordinator_posting_a_price_too_long_to_read_is_still_posting_a_price() -> None:
    """The handler answers about the number, as for 58,50 or -5."""
    assert parse("ประกาศราคาน้ำยาง " + "9" * 40).name == "price.post"


def test_spoken_numbers_stop_counting_once_past_any_quantity() -> None:
    assert thai_number("ล้าน" * 100_000) > 10**MAX_DIGITS  # returns at once, without multiplying it all out
    assert [t.kind for t in tokenize("ล้านล้าน", LEXICON)] == ["mark"]
