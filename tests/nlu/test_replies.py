"""bot.nlu's readings of a reply to the bot's own question: what handlers used to read from the text themselves
(handlers.details, register, price_ui, latex, fmt, basic) is read once here, from the words of lexicon.json."""

from __future__ import annotations

import pytest

from bot.nlu import LEXICON, answer, parse, readings, understand
from models.network import DISTRICTS


def read(field: str, text: str) -> str | None:
    """A member detail as bot.nlu reads a typed answer (handlers.details.read took the text until now)."""
    value = getattr(readings(text), field)
    return value if value is None else str(value)


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("ควนขนุน", "ควนขนุน"),
        (" ควน ขนุน ", "ควนขนุน"),
        ("อ.ควนขนุน", "ควนขนุน"),
        ("อำเภอ ควนขนุน ครับ", "ควนขนุน"),
        ("Khuan Khanun", "ควนขนุน"),
        ("khuan khanun district", "ควนขนุน"),
        ("Amphoe Pa Bon", "ป่าบอน"),
        ("เมือง", "เมืองพัทลุง"),
        ("Mueang Phatthalung", "เมืองพัทลุง"),
        ("ศรีนครินทร์", "ศรีนครินทร์"),
        ("หาดใหญ่", None),
        ("", None),
    ],
)
def test_districts_are_read_as_people_type_them(typed: str, district: str | None) -> None:
    assert read("district", typed) == district


@pytest.mark.parametrize(
    ("typed", "mobile"),
    [
        ("0812345678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("0912345678 ครับ", "0912345678"),
        ("เบอร์ 081-234-5678 ครับ", "0812345678"),
        ("โทร 089 876 5432 นะคะ", "0898765432"),
        ("081-234-5678 หรือ 089-876-5432", None),
        ("074 123 456", None),
        ("1234567890", None),
    ],
)
def test_mobile_numbers_are_read_as_people_type_them(typed: str, mobile: str | None) -> None:
    assert read("phone", typed) == mobile


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("อยู่ควนขนุนครับ", "ควนขนุน"),
        ("บ้านอยู่ป่าบอน จังหวัดพัทลุงค่ะ", "ป่าบอน"),
        ("ผมอยู่อำเภอเมืองครับ", "เมืองพัทลุง"),
        ("I live in Bang Kaeo", "บางแก้ว"),
        ("ย้ายจากตะโหมดมาอยู่กงหรา", None),  # two districts: which one is theirs?
        ("อยู่ในเมืองครับ", None),  # เมือง alone names the seat district only as the whole answer
    ],
)
def test_a_district_is_found_inside_a_sentence(typed: str, district: str | None) -> None:
    assert read("district", typed) == district


def test_every_district_of_the_network_is_in_the_lexicon_by_both_its_names() -> None:
    assert {name for name in LEXICON.replies.districts.values()} == {thai for thai, _english in DISTRICTS}
    for thai, english in DISTRICTS:
        assert read("district", thai) == thai
        assert read("district", english) == thai


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("สมชาย ใจดี", "สมชาย ใจดี"),
        ("ผมชื่อ สมศรี มีสุข ครับ", "สมศรี มีสุข"),
        ("ผม ชื่อ สมศรี  มีสุข", "สมศรี มีสุข"),
        ("ดิฉันชื่อมาลี ศรีสุข ค่ะ", "มาลี ศรีสุข"),
        ("Somchai Jaidee", "Somchai Jaidee"),
        ("0812345678", None),
        ("สมชาย 2", None),
        ("ก", None),
        ("สม\ufffdชาย", None),
        ("ครับ", None),
    ],
)
def test_names(typed: str, name: str | None) -> None:
    assert read("name", typed) == name


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1234", "1234"), ("๑๒๓๔", "1234"), ("PB-12/3", "PB-12/3"), ("12 34 ครับ", "1234"),
     ("สมาชิกเลขที่ ๑๒๓๔", None), ("ไม่มี", None), ("-", None)],
)
def test_membership_numbers(typed: str, number: str | None) -> None:
    assert read("membership_no", typed) == number


@pytest.mark.parametrize("typed", ["ข้าม", "ไม่มีครับ", "ไม่ระบุ", "ไม่รู้", "จำไม่ได้", "skip", "None", "-", "no", "ไม่"])
def test_skipping_an_optional_detail(typed: str) -> None:
    assert readings(typed).skip


@pytest.mark.parametrize("typed", ["1234", "0812345678", "ไม่ 1234", "สมชาย"])
def test_an_answer_is_no_skip(typed: str) -> None:
    assert not readings(typed).skip


@pytest.mark.parametrize(
    ("typed", "consent"),
    [("ยินยอมครับ", "yes"), ("I agree", "yes"), ("ตกลง", "yes"), ("ใช่", "yes"),
     ("ไม่ยินยอมครับ", "no"), ("ไม่ตกลง", "no"), ("I don't consent", "no"), ("ไม่", "no"),
     ("ไม่แน่ใจครับ", None), ("ไม่รู้", None), ("ไม่เข้าใจ", None), ("now what?", None)],
)
def test_consent(typed: str, consent: str | None) -> None:
    assert readings(typed).consent == consent


@pytest.mark.parametrize(
    ("typed", "command", "alone"),
    [
        ("แก้ไขเบอร์", "edit:phone", "edit:phone"),
        ("ขอแก้ชื่อหน่อยครับ", "edit:name", None),
        ("English", "language:en", "language:en"),
        ("ภาษาไทย", "language:th", "language:th"),
        ("delete my data", "delete", "delete"),
        ("ข้อมูลของฉัน", "show", "show"),
        ("สมัคร", "register", "register"),
        ("สมชาย ใจดี", None, None),
    ],
)
def test_profile_actions(typed: str, command: str | None, alone: str | None) -> None:
    said = readings(typed)
    assert (said.command, said.command_alone) == (command, alone)


@pytest.mark.parametrize(("typed", "thanks"), [("ขอบคุณครับ", True), ("ขอบใจจ้า", True), ("Thanks!", True),
                                               ("thx", True), ("สวัสดีครับ", False), ("ราคายาง", False)])
def test_thanks(typed: str, thanks: bool) -> None:
    assert readings(typed).thanks is thanks


@pytest.mark.parametrize(
    ("typed", "what"),
    [("ราคายางเครปวันนี้", "ยางเครป"), ("กราฟราคายางแท่ง 30 วัน", "ยางแท่ง"), ("ราคา STR 20", "STR 20"),
     ("ยาง คอมปาวด์ ราคาเท่าไหร่", "ยาง คอมปาวด์"), ("crepe rubber price", "crepe"),
     ("ราคายาง", None), ("ราคาน้ำยางสด", None), ("strong", None)],
)
def test_a_rubber_we_keep_no_price_of(typed: str, what: str | None) -> None:
    assert readings(typed).unpriced == what


@pytest.mark.parametrize(
    ("typed", "split"),
    [("น้ำยาง 30 กิโล 34% แบ่ง 60/40", "60/40"), ("น้ำยาง 30 กก ดีอาซี 34 แบ่งกับลูกจ้าง 60/40", "60/40"),
     ("น้ำยาง ๓๐ โล ๓๔% แบ่ง ๖๐ ๔๐", "60/40"), ("split 55:45", "55/45"), ("น้ำยาง 30 กิโล 34%", None)],
)
def test_an_owner_tapper_split(typed: str, split: str | None) -> None:
    assert readings(typed).split == split


@pytest.mark.parametrize(
    ("typed", "listed"),
    [("ยกเลิกข้อ 2", 2), ("แก้ข้อ๒", 2), ("cancel no. 3", 3), ("รายการที่ 1", 1), ("ยกเลิก 2", None),
     ("ข้อ 123", None)],
)
def test_an_item_of_a_list(typed: str, listed: int | None) -> None:
    assert readings(typed).listed == listed


@pytest.mark.parametrize(
    ("typed", "minus"),
    [("-60", "-60"), ("สั่ง -5 กระสอบ", "-5"), ("-1,000", "-1000"), ("-๕", "-5"), ("50-60", None),
     ("081-234-5678", None), ("ปุ๋ย 15-15-15", None)],
)
def test_a_number_typed_with_a_minus(typed: str, minus: str | None) -> None:
    assert readings(typed).minus == minus


@pytest.mark.parametrize(("typed", "comma"), [("58,50", True), ("๕๘,๕๐ บาท", True), ("1,000", True),
                                              ("58.50", False), ("ครับ, ค่ะ", False)])
def test_a_number_typed_with_a_comma(typed: str, comma: bool) -> None:
    assert readings(typed).comma is comma


@pytest.mark.parametrize(
    ("typed", "number"),
    [("58.50", "58.50"), ("๕๘.๕๐ บาท", "58.50"), ("60 บาท/กก.", "60"), ("34%", "34"), ("30 กิโล", "30"),
     (" 7 ", "7"), ("58,50", None), ("ราคา 58", None), ("ห้าสิบ", None), ("", None)],
)
def test_the_number_a_whole_answer_is(typed: str, number: str | None) -> None:
    assert readings(typed).number == number


@pytest.mark.parametrize(("typed", "number"), [("เอา 5 อันครับ", "5"), ("1,000 ครับ", "1000"), ("ไม่รู้", None)])
def test_the_first_number_of_a_message(typed: str, number: str | None) -> None:
    assert readings(typed).first_number == number


@pytest.mark.parametrize("typed", ["ใช่ครับ", "ไม่เอา", "ยกเลิก", "ราคายาง", "5"])
def test_the_answer_is_the_one_answer_gives(typed: str) -> None:
    assert readings(typed).answer == answer(typed)


def test_slots_hold_what_was_found_and_never_the_answer() -> None:
    assert readings("ใช่").slots() == {"consent": "yes", "name": "ใช่"}
    assert readings("ยกเลิกข้อ 2").slots() == {"first_number": "2", "listed": 2}
    assert readings("😀").slots() == {}


@pytest.mark.parametrize("typed", ["สั่งอาหารหมูซีพี ๖ กระสอบ", "ยกเลิกข้อ 2", "-5 กระสอบ", "58,50", "ควนขนุน",
                                   "ขอบคุณครับ", "น้ำยาง 30 กิโล 34% แบ่ง 60/40"])
def test_understanding_gives_the_parse_unchanged_and_the_readings_beside_it(typed: str) -> None:
    intent, said = understand(typed)
    assert intent == parse(typed)
    assert said == readings(typed)


@pytest.mark.parametrize(
    ("typed", "day"),
    [("ราคายางเมื่อวาน", "ago:1"), ("เมื่อวานซืนน้ำยางกี่บาท", "ago:2"), ("ราคาแผ่นดิบวันที่ ๒๕", "25"),
     ("ราคาน้ำยางวันที่ 1 พ.ย.", "1/11"), ("ราคา 3 กุมภา", "3/2"), ("ราคายาง 1/11/2569", "1/11/2026"),
     ("ราคายางวันที่ 5 มกราคม 2567", "5/1/2024"), ("น้ำยาง 7 พฤศจิกา 68", "7/11/2025"),
     ("ราคา 3 ก.พ. พ.ศ. 2568", "3/2/2025"),
     # no day: shares, a formula, a quantity, a day of the month that never is
     ("แบ่ง 60/40", None), ("ปุ๋ย 15/15/15", None), ("ขอ 5 กระสอบ", None), ("ราคาวันที่ 45", None)],
)
def test_a_day_named_is_read_with_its_year_in_the_christian_era(typed: str, day: str | None) -> None:
    assert readings(typed).day == day


@pytest.mark.parametrize("typed", ["แจ้งด่วน!! พรุ่งนี้รถรับน้ำยางเข้าหมู่ 9 ก่อนเที่ยง",
                                   "📢 งดรับยางก้อนถ้วยวันจันทร์ เครื่องชั่งซ่อม",
                                   "เรียนสมาชิกทุกท่าน ประชุมใหญ่สามัญประจำปีวันเสาร์นี้ 9 โมงที่หอประชุม"])
def test_a_notice_opened_by_its_header_is_a_broadcast_of_all_of_it(typed: str) -> None:
    intent, said = understand(typed)
    assert intent.name == "broadcast"
    assert said.announcement == typed.removeprefix("📢 ")  # the bot puts its own loudspeaker before it


def test_the_exclamation_marks_after_the_command_are_not_the_announcements() -> None:
    assert readings("ประกาศ!!! ลานยางปิดวันพระ").announcement == "ลานยางปิดวันพระ"
    assert readings("📢 ประกาศ: ลานยางปิดวันพระ").announcement == "ลานยางปิดวันพระ"
