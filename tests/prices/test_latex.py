"""latex.calc: net kg × DRC % / 100 × price, as a member would check it with a calculator."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu import Intent
from handlers.latex import payment, share
from tests.prices.conftest import TODAY, put
from tests.support import Chat, button_data, buttons, texts


def test_the_domain_example(chat: Chat, clock: datetime) -> None:
    answer = texts(chat.say("น้ำยาง 30 กก. DRC 34 ราคา 58"))
    assert "น้ำยาง 30 กก. × DRC 34% = ยางแห้ง 10.20 กก." in answer
    assert "10.20 กก. × 58.00 บาท = 591.60 บาท" in answer


def test_todays_latex_price_is_used_and_named(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00", "center", "PROV-RUBBER")
    answer = texts(chat.say("น้ำยาง 30 กิโล 34%"))
    assert "= 591.60 บาท" in answer
    assert "คิดจากราคารับซื้อของชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด วันที่ 25 พ.ย. 2569" in answer


def test_an_owner_tapper_split(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    answer = chat.say("น้ำยาง 30 กิโล 34% แบ่ง 60/40")
    assert "= 591.60 บาท" in texts(answer), "the 60 of the split is not a price"
    assert "แบ่ง 60/40: เจ้าของสวน 354.96 บาท คนกรีด 236.64 บาท" in texts(answer)
    again = texts(chat.press(button_data(answer, "แบ่ง 55/45")))
    assert "แบ่ง 55/45: เจ้าของสวน 325.38 บาท คนกรีด 266.22 บาท" in again


@pytest.mark.parametrize("message", ["น้ำยาง 30 กก ดีอาซี 34 แบ่งกับลูกจ้าง 60/40", "น้ำยาง ๓๐ โล ๓๔% แบ่ง ๖๐ ๔๐"])
def test_a_split_written_as_farmers_do(chat: Chat, clock: datetime, message: str) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    answer = texts(chat.say(message))
    assert "= 591.60 บาท" in answer and "แบ่ง 60/40: เจ้าของสวน 354.96 บาท คนกรีด 236.64 บาท" in answer


def test_missing_numbers_are_asked_one_at_a_time(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    first = chat.press(Intent("latex.calc").to_postback())
    assert "น้ำยางกี่ กก." in texts(first)
    assert buttons(first) == ["10 กก.", "20 กก.", "30 กก.", "50 กก."]
    second = chat.say("๓๐")
    assert "DRC" in texts(second) and "34%" in buttons(second)
    assert "= 591.60 บาท" in texts(chat.press(button_data(second, "34%")))


def test_no_price_posted_asks_for_one(chat: Chat, clock: datetime) -> None:
    assert "จะให้คิดที่ราคากี่บาท" in texts(chat.press(Intent("latex.calc", {"weight_kg": 30, "drc": 34}).to_postback()))
    assert "= 591.60 บาท" in texts(chat.say("58"))


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"weight_kg": 0, "drc": 34, "price": 58}, "น้ำหนักต้องมากกว่า 0"),
        ({"weight_kg": -3, "drc": 34, "price": 58}, "น้ำหนักต้องมากกว่า 0"),
        ({"weight_kg": 30, "drc": 0, "price": 58}, "DRC ต้องอยู่ระหว่าง 1 ถึง 100"),
        ({"weight_kg": 30, "drc": 134, "price": 58}, "DRC ต้องอยู่ระหว่าง 1 ถึง 100"),
        ({"weight_kg": 30, "drc": 34, "price": 0}, "มากกว่า 0"),
        ({"weight_kg": 30, "drc": 34, "price": -58}, "มากกว่า 0"),
        ({"weight_kg": 30, "drc": 34, "price": 580}, "ระหว่าง 20 ถึง 150"),
        ({"weight_kg": 30, "drc": 34, "price": "58.555"}, "ทศนิยมไม่เกิน 2 ตำแหน่ง"),
        ({"weight_kg": 30, "drc": 34, "price": 58, "split": "60/30"}, "รวมกันได้ 100"),
    ],
)
def test_bad_numbers_get_a_clear_reply(chat: Chat, clock: datetime, slots: dict[str, object], expected: str) -> None:
    answer = texts(chat.press(Intent("latex.calc", slots).to_postback()))
    assert expected in answer
    assert "บาท = " not in answer, "no amount is worked out from a bad number"


def test_a_weight_with_a_comma_is_asked_again(chat: Chat, clock: datetime) -> None:
    chat.press(Intent("latex.calc").to_postback())
    assert "ไม่ใส่ลูกน้ำ" in texts(chat.say("1,250"))
    assert "DRC" in texts(chat.say("1250"))


@given(
    weight=st.decimals(min_value="0.1", max_value=1000, places=1),
    drc=st.integers(min_value=1, max_value=100),
    price=st.decimals(min_value=20, max_value=150, places=2),
    owner=st.integers(min_value=0, max_value=100),
)
def test_the_shares_add_up_to_the_amount(weight: Decimal, drc: int, price: Decimal, owner: int) -> None:
    dry, amount = payment(weight, Decimal(drc), price)
    assert dry == weight * drc / 100
    assert amount == (weight * drc / 100 * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    mine, theirs = share(amount, owner)
    assert mine + theirs == amount and mine >= 0 and theirs >= 0


def test_the_formula_rounds_only_the_amount(chat: Chat, clock: datetime) -> None:
    """25.5 kg at 35.5 % is 9.0525 kg dry; × 58.00 = 525.045, so 525.05 (not 9.05 × 58.00 = 524.90)."""
    answer = texts(chat.say("น้ำยาง 25.5 กก. 35.5% ราคา 58"))
    assert "= ยางแห้ง 9.0525 กก." in answer and "9.0525 กก. × 58.00 บาท = 525.05 บาท" in answer


def test_cup_lump_is_worked_out_with_its_own_price(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    put(chat.app, TODAY, "cuplump", "52.00")
    answer = chat.say("ขี้ยาง 30 โล 60%")
    assert "ยางก้อนถ้วย 30 กก. × DRC 60% = ยางแห้ง 18.00 กก." in texts(answer)
    assert "18.00 กก. × 52.00 บาท = 936.00 บาท" in texts(answer)
    split = texts(chat.press(button_data(answer, "แบ่ง 60/40")))
    assert "ยางก้อนถ้วย" in split and "แบ่ง 60/40: เจ้าของสวน 561.60 บาท คนกรีด 374.40 บาท" in split


def test_sheets_are_not_worked_out_by_drc(chat: Chat, clock: datetime) -> None:
    answer = texts(chat.say("ยางแผ่น 30 กก 34%"))
    assert "ยางแผ่นคิดตามน้ำหนักแผ่น" in answer and "บาท =" not in answer
