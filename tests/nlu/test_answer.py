"""answer(): a whole message that replies yes, no or "stop" to the bot's pending question."""

from __future__ import annotations

import pytest

from bot.nlu import answer, parse


@pytest.mark.parametrize("typed", ["ใช่", "ใช่ครับ", "ใช่แล้วค่ะ", "ตกลง", "ยืนยัน", "โอเค", "ok", "OK ครับ", "เอา",
                                   "ได้เลย", "ถูกต้องครับ", "yes"])
def test_yes(typed: str) -> None:
    assert answer(typed) == "yes"


@pytest.mark.parametrize("typed", ["ไม่", "ไม่ใช่", "ไม่ใช่ครับ", "ไม่เอา", "ผิด", "no", "ยังไม่"])
def test_no(typed: str) -> None:
    assert answer(typed) == "no"


@pytest.mark.parametrize("typed", ["หม้ายเอา", "หม้ายเอาเหอ", "หม้าย เอา เหอ", "ม่ายเอาครับ", "บ่เอา", "หม้ายต้อง",
                                   "บ่ใช่"])
def test_a_southern_no_is_no_never_the_yes_of_its_verb(typed: str) -> None:
    # หม้าย is also the southern ไหม closing a question, a particle: dropped, it left เอา (yes) to "confirm?"
    assert answer(typed) == "no"


@pytest.mark.parametrize("typed", ["ม่ายเอาแหละ", "หม้ายเอาแล้ว", "บ่เอาอีกแล้ว"])
def test_a_southern_stop_is_cancel(typed: str) -> None:
    assert answer(typed) == "cancel"


@pytest.mark.parametrize("typed", ["ยกเลิก", "ยกเลิกครับ", "ยกเลิกกกก", "cancel", "ไม่เอาแล้ว", "พอแล้ว",
                                   "ยกเลีก"])
def test_cancel(typed: str) -> None:
    assert answer(typed) == "cancel"


@pytest.mark.parametrize("typed", ["5", "ซีพี", "ยกเลิกกรดมด", "ไม่เอาอาหารหมูแล้ว", "ใช่ 5 กระสอบไหม",
                                   "ราคายาง", "", "ครับ", "😀"])
def test_anything_else_is_not_an_answer(typed: str) -> None:
    assert answer(typed) is None


@pytest.mark.parametrize("typed", ["ไม่เอา", "ไม่ต้อง", "ใช่", "เอา", "ok", "ไม่เอาแล้ว", "ยกเลิก"])
def test_a_yes_or_no_is_never_read_as_a_request_of_its_own(typed: str) -> None:
    # with a pending question the dispatcher passes it on only when the parse is unknown (or the same intent)
    assert parse(typed).name == "unknown" and parse(typed).slots == {}
