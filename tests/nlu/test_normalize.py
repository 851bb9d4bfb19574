"""Normalisation and tokens: what farmers type reaches the rules in one canonical form."""

from __future__ import annotations

import pytest

from bot.nlu import LEXICON, parse
from bot.nlu.tokens import normalize, thai_number, tokenize


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text, LEXICON) if t.kind == "word"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("๑๒๓", "123"),
        ("น้ํายาง", "น้ำยาง"),  # sara am typed as nikhahit + sara aa
        ("นํ้ายาง", "น้ำยาง"),  # ... with the tone mark after the nikhahit
        ("ครับบบบ", "ครับ"),
        ("ค่าาาา", "ค่า"),
        ("สวัสดีค่าาา", "สวัสดีค่ะ"),  # ค่ะ as it is said, closing a message, is the particle ...
        ("ได้ค่า 🙏", "ได้ค่ะ 🙏"),
        ("สวัสดี ค่าาา", "สวัสดี ค่ะ"),
        ("ค่าไฟแพง", "ค่าไฟแพง"),  # ... and ค่า (a fee) anywhere else is left alone
        ("แกลลอน", "แกลลอน"),  # a real double consonant stays
        ("CP", "cp"),
        ("กก.", "กก "),
        ("58.50", "58.50"),
    ],
)
def test_normalize(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


@pytest.mark.parametrize(
    ("spoken", "value"),
    [("ห้า", 5), ("สิบ", 10), ("สิบเอ็ด", 11), ("ยี่สิบห้า", 25), ("หนึ่งร้อย", 100), ("ร้อยนึง", 100),
     ("สองร้อยห้าสิบ", 250), ("สามพันสองร้อย", 3200), ("หกสิบ", 60),
     # a digit after a power counts the next power down, as it is said; เอ็ด stays one
     ("พันห้า", 1500), ("สองพันห้า", 2500), ("หมื่นสอง", 12000), ("ร้อยห้า", 150), ("ร้อยเอ็ด", 101)],
)
def test_number_words(spoken: str, value: int) -> None:
    assert thai_number(spoken) == value
    assert parse(spoken).slots == {"quantity": value}


@pytest.mark.parametrize(
    ("typed", "slots"),
    [("สั่งอาหารหมูยีสิบกระสอบ", {"product": "feed", "animal": "pig", "quantity": 20, "unit": "sack"}),
     ("เอาอาหารหมูกระสอบครึ่ง", {"product": "feed", "animal": "pig", "quantity": 1.5, "unit": "sack"})],
)
def test_twenty_typed_without_its_tone_mark_and_a_unit_and_a_half(typed: str, slots: dict) -> None:
    intent = parse(typed)
    assert (intent.name, dict(intent.slots)) == ("order.join", slots)


@pytest.mark.parametrize(
    ("typed", "kilos"),
    [("ขายยางแผ่นดิบ 2 ร้อยโล", 200), ("ขายขี้ยาง 3 ร้อยห้าสิบกิโล", 350), ("ขายขี้ยาง 3 ร้อยห้ากิโล", 350),
     ("ขายขี้ยาง 3 ร้อย 50 กิโล", 350), ("ขายน้ำยาง 1.5 พันกิโล", 1500), ("ขายน้ำยาง ๒ ร้อย กก.", 200)],
)
def test_digits_then_a_power_in_words_are_one_number(typed: str, kilos: int) -> None:
    assert parse(typed).slots["quantity"] == kilos


def test_a_tonne_and_a_half_pledged_is_1500_kg() -> None:
    assert parse("ขายยางตันครึ่ง").slots == {"quantity": 1500, "unit": "kg"}


@pytest.mark.parametrize("typed", ["ขายน้ำยางตันนึงครับ", "ขายน้ำยางตันเดียว", "ขายน้ำยางสักตัน"])
def test_one_tonne_said_after_its_unit_is_1000_kg(typed: str) -> None:
    assert parse(typed).slots == {"rubber_type": "latex", "quantity": 1000, "unit": "kg"}


def test_a_percent_said_before_its_hedged_number_is_the_drc() -> None:
    assert parse("ขายน้ำยาง 800 กิโล เปอร์เซ็นต์ประมาณ 33").slots == {
        "rubber_type": "latex", "quantity": 800, "unit": "kg", "drc": 33}


@pytest.mark.parametrize(
    ("typed", "value"),
    [("5", 5), ("๕", 5), ("58.50", 58.5), ("1,200", 1200), ("ห้า", 5), ("เอาสิบ", 10)],
)
def test_a_bare_number_is_a_quantity_for_the_pending_question(typed: str, value: float) -> None:
    intent = parse(typed)
    assert intent.name == "unknown" and intent.slots == {"quantity": value}
    assert type(intent.slots["quantity"]) is type(value)


def test_words_that_contain_number_words_are_not_numbers() -> None:
    for text in ("ห้ามสั่ง", "ลูกหมูพันธุ์ดี", "เก้าอี้"):
        assert "quantity" not in parse(text).slots, text


@pytest.mark.parametrize(("typed", "value"), [
    ("khor ahan pet betagro paet kasop", 8), ("sang puy sam sip kasop", 30), ("look moo song tua", 2),
    ("order twenty five sacks of cp feed", 25), ("two hundred kg", 200), ("one sack of rice", 1),
])
def test_numbers_spelt_in_latin_letters_are_numbers(typed: str, value: int) -> None:
    assert [t.value for t in tokenize(typed, LEXICON) if t.kind == "num"] == [value]


@pytest.mark.parametrize(("typed", "values"), [("five five kilo", [5, 5]), ("six seven two", [6, 7, 2]),
                                               ("order five hundred and fifty kg", [550])])
def test_english_digits_said_one_after_another_are_each_a_number(typed: str, values: list[int]) -> None:
    assert [t.value for t in tokenize(typed, LEXICON) if t.kind == "num"] == values


def test_hold_words_are_read_only_as_typed() -> None:
    """ยังไม่, อย่า hold an action back; they are no misspelling of ยางไม่ or อยาก."""
    assert any(t.has("#rubber") for t in tokenize("ราคายางไม่ดีเลย", LEXICON))
    assert not any(t.has("#hold") for t in tokenize("อยากรับราคายางทุกวัน", LEXICON))
    assert not any(t.has("#hold") for t in tokenize("ขายไม้ได้ราคาดี", LEXICON))


@pytest.mark.parametrize("typed", ["see my orders", "ha ha thanks", "sam here, hello", "one of my pigs is sick",
                                   "song for the meeting"])
def test_latin_words_that_are_more_often_something_else_are_no_number_alone(typed: str) -> None:
    assert not [t for t in tokenize(typed, LEXICON) if t.kind == "num"]


def test_brand_names_stay_whole_and_compounds_do_not_swallow_the_product() -> None:
    assert words("สั่งอาหารหมูซีพี") == ["สั่ง", "อาหาร", "หมู", "ซีพี"]
    assert "เบทาโกร" in words("อาหารไก่เบทาโกร")
    assert "แหลมทอง" in words("อาหารเป็ดแหลมทอง")


@pytest.mark.parametrize(
    ("typed", "tag"),
    [("สัง", "#order"), ("แกลอน", "unit:container"), ("ฟอร์มิค", "product:acid"), ("เบทาโกร", "brand:betagro"),
     ("เบทาโก้", "brand:betagro"), ("ยางแผนดิบ", "rubber_type:uss"), ("แจ้งเตื่อน", "#alert"),
     ("ข้าวสังหยด", "product:rice"), ("กระสอม", "unit:sack"), ("ยกเลีก", "#cancel")],
)
def test_misspellings_are_matched_against_the_domain_word_table(typed: str, tag: str) -> None:
    [token] = [t for t in tokenize(typed, LEXICON) if t.kind == "word"]
    assert tag in token.tags


@pytest.mark.parametrize(
    ("typed", "tag"),
    [("หมุ", "animal:pig"), ("เปด", "animal:duck"), ("ยอนหลัง", "#history"), ("แจงเตือน", "#alert")],
)
def test_domain_words_typed_without_tone_marks_or_long_vowels(typed: str, tag: str) -> None:
    assert tag in next(t for t in tokenize(f"อาหาร{typed}", LEXICON) if t.text != "อาหาร").tags


def test_real_words_near_domain_words_are_left_alone() -> None:
    assert parse("ข่าวสาร").name == "news"  # not ข้าวสาร, rice
    assert parse("ยางลบราคาเท่าไหร่").name == "unknown"  # an eraser, not rubber
    assert parse("need help").name == "help"  # need is not feed


def test_a_real_word_said_with_not_is_no_misspelt_business_word_unless_only_its_tone_slipped() -> None:
    assert not any("#cancel" in t.tags for t in tokenize("สั่งกรดไว้จะได้ไม่ขาด", LEXICON))  # not short of: no ไม่ขาย
    assert any("#cancel" in t.tags for t in tokenize("ไม่ซื่อแล้วครับ", LEXICON))  # ไม่ซื้อ with a slipped tone


@pytest.mark.parametrize(
    "typed",
    ["สั่งอาหารหมูซีพี 5 กระสอบ", "สั่งอาหารหมูซีพี5กระสอบ", "สั่ง อาหาร หมู ซีพี ๕ กระสอบ",
     "สั่งอาหารหมูซีพีห้ากระสอบครับ", "สั่งอาหารหมูซีพี 5 กส.", "สั่งอาหารหมู CP 5 กระสอบค่ะ",
     "สังอาหารหมูซีพี 5 กระสอบเหอ", "สั่งอาหารหมูซีพี 5 กระสอบได้ม้าย", "cp pig feed 5 sacks"],
)
def test_spacing_digits_particles_and_language_do_not_change_the_meaning(typed: str) -> None:
    intent = parse(typed)
    assert (intent.name, intent.slots) == (
        "order.join", {"product": "feed", "brand": "cp", "animal": "pig", "quantity": 5, "unit": "sack"})


@pytest.mark.parametrize(
    ("typed", "unit"),
    [("กก.", "kg"), ("กิโล", "kg"), ("โล", "kg"), ("กส.", "sack"), ("ลูก", "sack"), ("แกลลอน", "container"),
     ("แกลอน", "container"), ("ตัว", "head"), ("ถุง", "bag")],
)
def test_unit_abbreviations(typed: str, unit: str) -> None:
    assert parse(f"3 {typed}").slots == {"quantity": 3, "unit": unit}


def test_fertilizer_formulas_as_written() -> None:
    assert parse("สั่งปุ๋ย 15-15-15 4 ลูก").slots == {
        "product": "fertilizer", "formula": "15-15-15", "quantity": 4, "unit": "sack"}
    assert parse("ปุ๋ย ๔๖-๐-๐").slots == {"product": "fertilizer", "formula": "46-0-0"}


def test_a_sack_of_feed_may_be_called_a_bag_but_rice_comes_in_bags() -> None:
    assert parse("อาหารหมูซีพี 2 ถุง").slots["unit"] == "sack"
    assert parse("ข้าวสาร 2 ถุง").slots["unit"] == "bag"


def test_a_decimal_comma_is_not_guessed_at() -> None:
    assert parse("ตั้งราคาน้ำยาง 58,50").slots == {"rubber_type": "latex"}  # 58.50 or 5,850? the handler asks
    assert parse("1,500 กิโล").slots == {"quantity": 1500, "unit": "kg"}


def test_a_sign_up_with_a_name_that_holds_another_business_word_is_a_sign_up() -> None:
    assert parse("สวัสดีครับ ขอสมัครสมาชิก ชื่อ นายสมพงษ์ เงินทอง อำเภอกงหรา").name == "register"
