"""Which number of a latex payment is which: the word before a number names it as much as a word after it."""

from __future__ import annotations

import pytest

from bot.nlu import parse


@pytest.mark.parametrize(
    ("typed", "slots"),
    [
        ("นน. 28 DRC 33.5 ราคา 61.25", {"weight_kg": 28, "drc": 33.5, "price": 61.25}),
        ("น้ำยางน้ำหนัก 40 เปอร์เซ็นต์ 32 ราคา 55", {"weight_kg": 40, "drc": 32, "price": 55}),
        ("drc 31 นน 52 ได้เงินเท่าไหร่", {"weight_kg": 52, "drc": 31}),
        ("weight 30 drc 33 price 57", {"weight_kg": 30, "drc": 33, "price": 57}),
        ("น้ำยาง 35 กิโล 33% ได้เท่าไหร่", {"weight_kg": 35, "drc": 33}),
        ("นน.สุทธิ 38.5 DRC 32.5 ได้เงินกี่บาท", {"weight_kg": 38.5, "drc": 32.5}),
        ("น้ำหนักน้ำยาง 80 เปอร์เซ็นต์ 29 ได้กี่บาท", {"weight_kg": 80, "drc": 29}),
        ("น้ำหนักยาง 62 โล ราคา 57 เปอร์เซ็น 30 ได้เท่าไหร่ครับ", {"weight_kg": 62, "price": 57, "drc": 30}),
    ],
)
def test_a_number_is_what_the_word_before_it_names(typed: str, slots: dict[str, float]) -> None:
    intent = parse(typed)
    assert (intent.name, intent.slots) == ("latex.calc", slots)


def test_a_weight_in_tons_stays_tons() -> None:
    assert parse("น้ำยางน้ำหนัก 1.5 ตัน เปอร์เซ็นต์ 33 คิดเงินให้หน่อย").slots.get("weight_kg") == 1500


def test_a_piglets_weight_is_not_how_many_piglets() -> None:
    intent = parse("ขอสั่งลูกหมู 2 ตัว น้ำหนักสัก 16 โล")
    assert (intent.name, intent.slots.get("quantity"), intent.slots.get("unit")) == ("order.join", 2, "head")
