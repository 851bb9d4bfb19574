"""Registration in chat, seeing and editing one's details, language and deleting them: transcripts through the
real webhook (what the member types or presses, what the bot answers), checked against the rows left behind."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.conversation import Conversation
from models.member import Member
from models.network import DISTRICTS, district_cooperative
from tests.support import Chat, button_data, buttons, registered, texts

PHONE_QUESTION = "เบอร์มือถือของท่านคืออะไรครับ"


def member_of(db: Session, chat: Chat) -> Member:
    db.expire_all()
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    assert member is not None
    return member


def waiting_for(db: Session, member: Member) -> str | None:
    conversation = db.get(Conversation, member.id)
    return conversation.awaiting if conversation else None


@pytest.fixture
def somchai(chat: Chat, line_world: LineWorld) -> Chat:
    line_world.profiles[chat.user_id] = {"displayName": "สมชาย ใจดี", "language": "th"}
    return chat


def register(chat: Chat) -> None:
    """Press through registration with the buttons, as most members will."""
    asked = chat.say("สมัคร")
    asked = chat.press(button_data(asked, "ใช้ชื่อ สมชาย ใจดี"))
    asked = chat.press(button_data(asked, "กงหรา"))
    asked = chat.say("1234")
    asked = chat.say("0812345678")
    assert "ลงทะเบียนเรียบร้อยแล้ว" in texts(chat.press(button_data(asked, "ยินยอม")))


def test_a_new_friend_registers_from_the_welcome_to_the_summary(somchai: Chat, db: Session) -> None:
    welcome = somchai.follow()
    assert "ยินดีต้อนรับ" in texts(welcome) and "ลงทะเบียน" in texts(welcome)
    assert "ขอทราบชื่อและนามสกุล" in texts(welcome)
    assert buttons(welcome) == ["ใช้ชื่อ สมชาย ใจดี", "English"]

    district = somchai.press(button_data(welcome, "ใช้ชื่อ สมชาย ใจดี"))
    assert "ท่านอยู่อำเภอไหน" in texts(district)
    assert buttons(district) == [thai for thai, _english in DISTRICTS]

    number = somchai.press(button_data(district, "กงหรา"))
    assert "เลขสมาชิกสหกรณ์" in texts(number) and buttons(number) == ["ไม่ระบุ"]
    assert member_of(db, somchai).district is None, "nothing is kept before consent"

    phone = somchai.say("สมาชิกเลขที่ ๑๒๓๔")  # not a bare number: asked again
    assert "ไม่ใช่เลขสมาชิก" in texts(phone)
    phone = somchai.say("๑๒๓๔")
    assert PHONE_QUESTION in texts(phone)

    check = somchai.say("๐๘๑-๒๓๔-๕๖๗๘")
    shown = texts(check)
    for line in ("ชื่อ: สมชาย ใจดี", "อำเภอ: กงหรา", "สหกรณ์: สหกรณ์การเกษตรกงหรา จำกัด", "เลขสมาชิก: 1234",
                 "มือถือ: 081-234-5678"):
        assert line in shown
    assert "ยินยอม" in shown and "\"ลบข้อมูล\"" in shown, "the consent says what is kept and how to delete it"
    assert buttons(check) == ["ยินยอม", "ไม่ยินยอม"]
    assert member_of(db, somchai).consent_at is None

    done = somchai.press(button_data(check, "ยินยอม"))
    assert "ลงทะเบียนเรียบร้อยแล้ว" in texts(done) and "มือถือ: 081-234-5678" in texts(done)
    assert buttons(done)[:3] == ["เลี้ยง/ปลูกอะไร", "แก้ไขข้อมูล", "สั่งซื้อรวม"]
    assert "เลี้ยงหรือปลูกอะไร" in texts(done), "asked, for the rounds that concern them"

    member = member_of(db, somchai)
    assert (member.name, member.district, member.membership_no, member.phone) == (
        "สมชาย ใจดี", "กงหรา", "1234", "0812345678"
    )
    assert member.cooperative_id == district_cooperative(db, "กงหรา").id  # type: ignore[union-attr]
    assert member.consent_at is not None and member.registered
    assert waiting_for(db, member) is None


def test_optional_details_can_be_skipped_and_everything_typed(somchai: Chat, db: Session) -> None:
    assert "ขอทราบชื่อ" in texts(somchai.say("สมัคร"))
    assert "ท่านอยู่อำเภอไหน" in texts(somchai.say("ผมชื่อ สมศรี มีสุข ครับ"))
    assert "เลขสมาชิก" in texts(somchai.say("อ. ป่าบอน"))
    assert PHONE_QUESTION in texts(somchai.say("ไม่มีครับ"))
    consent = somchai.say("ข้าม")
    assert "เลขสมาชิก: ไม่ระบุ" in texts(consent) and "มือถือ: ไม่ระบุ" in texts(consent)
    assert "กรุณากดปุ่ม \"ยินยอม\"" in texts(somchai.say("อะไรนะ"))
    assert member_of(db, somchai).consent_at is None
    assert "ลงทะเบียนเรียบร้อยแล้ว" in texts(somchai.say("ยินยอมครับ"))

    member = member_of(db, somchai)
    assert (member.name, member.district, member.membership_no, member.phone) == ("สมศรี มีสุข", "ป่าบอน", None, None)
    assert member.registered


@pytest.mark.parametrize("wrong", ["12345", "02 123 4567", "081234567", "08123456789", "โทรมาได้เลย"])
def test_a_wrong_mobile_number_is_explained_and_asked_again(somchai: Chat, db: Session, wrong: str) -> None:
    somchai.say("สมัคร")
    somchai.say("สมชาย ใจดี")
    somchai.say("กงหรา")
    somchai.say("ข้าม")
    answer = texts(somchai.say(wrong))
    assert "ไม่ใช่เบอร์มือถือ" in answer and "10 หลัก" in answer and PHONE_QUESTION in answer
    member = member_of(db, somchai)
    assert waiting_for(db, member) == "phone" and member.phone is None
    assert "มือถือ: 081-234-5678" in texts(somchai.say("+66 81 234 5678"))


def test_a_district_outside_phatthalung_or_a_number_for_a_name_gets_a_clear_reply(somchai: Chat, db: Session) -> None:
    somchai.say("สมัคร")
    assert "ไม่น่าจะเป็นชื่อ" in texts(somchai.say("0812345678"))
    somchai.say("สมชาย ใจดี")
    answer = somchai.say("หาดใหญ่")
    assert "ไม่พบอำเภอ \"หาดใหญ่\"" in texts(answer) and len(buttons(answer)) == 11
    assert waiting_for(db, member_of(db, somchai)) == "district"
    assert "เลขสมาชิก" in texts(somchai.say("Kong Ra"))


def test_a_district_in_a_sentence_and_an_unknown_number_are_taken(somchai: Chat, db: Session) -> None:
    somchai.say("สมัคร")
    assert "ท่านอยู่อำเภอไหน" in texts(somchai.say("ผม ชื่อ สมศรี มีสุข ครับ"))
    assert "เลขสมาชิก" in texts(somchai.say("บ้านอยู่กงหราครับ"))
    assert PHONE_QUESTION in texts(somchai.say("ไม่รู้ครับ"))
    consent = somchai.say("เบอร์ ๐๘๙ ๘๗๖ ๕๔๓๒ ค่ะ")
    assert "อำเภอ: กงหรา" in texts(consent) and "เลขสมาชิก: ไม่ระบุ" in texts(consent)
    assert "ลงทะเบียนเรียบร้อยแล้ว" in texts(somchai.say("ยินยอม"))
    member = member_of(db, somchai)
    assert (member.name, member.district, member.membership_no, member.phone) == (
        "สมศรี มีสุข", "กงหรา", None, "0898765432")


def test_declining_consent_keeps_nothing_personal(somchai: Chat, db: Session) -> None:
    somchai.follow()
    somchai.press(button_data(somchai.say("สมชาย ใจดี"), "บางแก้ว"))
    somchai.say("99")
    consent = somchai.say("0898765432")
    answer = somchai.press(button_data(consent, "ไม่ยินยอม"))
    assert "ไม่ได้เก็บข้อมูล" in texts(answer) and "ลงทะเบียน" in buttons(answer)

    member = member_of(db, somchai)
    assert (member.name, member.display_name, member.district, member.cooperative_id) == (None, None, None, None)
    assert (member.membership_no, member.phone, member.consent_at) == (None, None, None)
    assert waiting_for(db, member) is None and not member.registered


def test_a_registered_member_sees_and_edits_their_details(somchai: Chat, db: Session) -> None:
    register(somchai)
    for typed in ("ข้อมูลของฉัน", "สมัคร"):  # a registered member is shown their details, never started over
        details = somchai.say(typed)
        assert "ข้อมูลของท่านครับ" in texts(details) and "ชื่อ: สมชาย ใจดี" in texts(details)
        assert buttons(details) == ["แก้ไขชื่อ", "แก้ไขอำเภอ", "แก้ไขเลขสมาชิก", "แก้ไขเบอร์มือถือ",
                                    "เลี้ยง/ปลูกอะไร", "English", "ลบข้อมูลของฉัน"]

    assert PHONE_QUESTION in texts(somchai.press(button_data(details, "แก้ไขเบอร์มือถือ")))
    assert PHONE_QUESTION in texts(somchai.say("แก้ไขเบอร์")), "typed, the same question"
    assert "ไม่ใช่เบอร์มือถือ" in texts(somchai.say("0812"))
    assert member_of(db, somchai).phone == "0812345678", "a wrong number changes nothing"
    saved = somchai.say("09 1111 2222")
    assert "บันทึกแล้ว" in texts(saved) and "มือถือ: 091-111-2222" in texts(saved)

    somchai.press(button_data(saved, "แก้ไขอำเภอ"))
    moved = somchai.say("บางแก้ว")
    assert "อำเภอ: บางแก้ว" in texts(moved) and "สหกรณ์: สหกรณ์การเกษตรบางแก้ว จำกัด" in texts(moved)

    cleared = somchai.press(button_data(moved, "แก้ไขเลขสมาชิก"))
    cleared = somchai.press(button_data(cleared, "ไม่ระบุ"))
    assert "เลขสมาชิก: ไม่ระบุ" in texts(cleared)

    member = member_of(db, somchai)
    assert (member.phone, member.district, member.membership_no) == ("0911112222", "บางแก้ว", None)
    assert member.cooperative_id == district_cooperative(db, "บางแก้ว").id  # type: ignore[union-attr]
    assert member.registered and waiting_for(db, member) is None


def test_switching_language_changes_every_later_reply(somchai: Chat, db: Session) -> None:
    register(somchai)
    switched = somchai.press(button_data(somchai.say("ข้อมูลของฉัน"), "English"))
    assert texts(switched) == "OK, I will answer in English from now on."
    assert buttons(switched)[:2] == ["Group orders", "Rubber prices"]
    assert member_of(db, somchai).language == "en"

    details = somchai.say("ข้อมูลของฉัน")
    assert "Your details:" in texts(details) and "District: Kong Ra" in texts(details)
    assert "Edit mobile" in buttons(details) and "ภาษาไทย" in buttons(details)
    assert "What is your mobile number?" in texts(somchai.press(button_data(details, "Edit mobile")))
    assert "not a Thai mobile number" in texts(somchai.say("1"))

    back = somchai.press(button_data(somchai.say("ข้อมูลของฉัน"), "ภาษาไทย"))
    assert texts(back) == "ต่อไปนี้ผมจะตอบเป็นภาษาไทยครับ"
    assert "อำเภอ: กงหรา" in texts(somchai.say("ข้อมูลของฉัน"))
    assert member_of(db, somchai).language == "th"


def test_a_newcomer_can_register_in_english(somchai: Chat, db: Session) -> None:
    name = somchai.press(button_data(somchai.follow(), "English"))
    assert "OK, I will answer in English" in texts(name) and "What is your full name?" in texts(name)
    district = somchai.say("Somchai Jaidee")
    assert "Kong Ra" in buttons(district)
    somchai.press(button_data(district, "Kong Ra"))
    somchai.say("skip")
    consent = somchai.say("skip")
    assert "District: Kong Ra" in texts(consent) and "Do you consent?" in texts(consent)
    assert "you are registered" in texts(somchai.press(button_data(consent, "I consent")))
    member = member_of(db, somchai)
    assert (member.name, member.district, member.language) == ("Somchai Jaidee", "กงหรา", "en")


def test_deleting_needs_a_confirmation_and_keeps_the_member_row(somchai: Chat, db: Session) -> None:
    register(somchai)
    asked = somchai.press(button_data(somchai.say("ข้อมูลของฉัน"), "ลบข้อมูลของฉัน"))
    assert "ต้องการลบชื่อ" in texts(asked) and buttons(asked) == ["ใช่ ลบเลย", "ไม่ลบ เก็บไว้"]
    kept = somchai.press(button_data(asked, "ไม่ลบ เก็บไว้"))
    assert "ไม่ได้ลบข้อมูล" in texts(kept) and "ชื่อ: สมชาย ใจดี" in texts(kept)
    assert member_of(db, somchai).registered

    asked = somchai.say("ลบข้อมูล")  # the word the consent message promises
    assert "ต้องการลบชื่อ" in texts(asked)
    assert "กรุณากดปุ่ม \"ใช่ ลบเลย\"" in texts(somchai.say("เอ๊ะ"))
    assert member_of(db, somchai).registered, "anything but yes deletes nothing"
    gone = somchai.press(button_data(asked, "ใช่ ลบเลย"))
    assert "ลบข้อมูลส่วนตัวของท่านเรียบร้อยแล้ว" in texts(gone)

    member = member_of(db, somchai)
    assert (member.name, member.display_name, member.phone, member.membership_no) == (None, None, None, None)
    assert (member.district, member.cooperative_id, member.consent_at) == (None, None, None)
    assert not member.registered and waiting_for(db, member) is None
    assert "ขอทราบชื่อ" in texts(somchai.say("ข้อมูลของฉัน")), "after deleting, 'my details' starts registration"


def test_a_newcomer_who_asks_something_else_first_is_answered_and_not_held(somchai: Chat, db: Session) -> None:
    somchai.follow()
    assert waiting_for(db, member_of(db, somchai)) == "welcome"
    hello = texts(somchai.say("สวัสดีครับ"))
    assert "สวัสดีครับ" in hello and "ท่านอยู่อำเภอไหน" not in hello
    member = member_of(db, somchai)
    assert waiting_for(db, member) is None and member.name is None


def test_an_unregistered_member_is_asked_to_register_instead_of_editing(somchai: Chat, db: Session) -> None:
    started = somchai.press("i=register&step=edit&field=phone")
    assert "เริ่มลงทะเบียน" in texts(started) and "ขอทราบชื่อ" in texts(started)
    assert waiting_for(db, member_of(db, somchai)) == "name"
    assert "ขอทราบชื่อ" in texts(somchai.say("ข้อมูลของฉัน")), "the open question is asked again"
    assert member_of(db, somchai).phone is None


def test_deleting_when_nothing_is_kept_says_so(chat: Chat, line_world: LineWorld, db: Session) -> None:
    line_world.profiles[chat.user_id] = {"displayName": "", "language": "th"}
    assert "ไม่ได้เก็บข้อมูลส่วนตัว" in texts(chat.press("i=register&step=delete"))
    assert waiting_for(db, member_of(db, chat)) is None


def test_a_member_set_up_elsewhere_can_still_see_their_details(chat: Chat) -> None:
    registered(chat.app, chat.user_id, district="ตะโหมด")
    assert "อำเภอ: ตะโหมด" in texts(chat.say("ข้อมูลของฉัน"))


def test_typed_language_and_delete_words_reach_registration(somchai: Chat, db: Session) -> None:
    register(somchai)
    assert texts(somchai.say("English")) == "OK, I will answer in English from now on."
    assert member_of(db, somchai).language == "en"
    assert "delete your name" in texts(somchai.say("delete my data")).lower()
    assert member_of(db, somchai).registered, "asking is not deleting"
    assert texts(somchai.say("ภาษาไทย")) == "ต่อไปนี้ผมจะตอบเป็นภาษาไทยครับ"


def test_deleting_personal_data_stops_price_alerts(somchai: Chat, db: Session) -> None:
    from bot.nlu import Intent
    from models.alerts import PriceAlert

    register(somchai)
    somchai.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 60}).to_postback())
    assert db.scalars(select(PriceAlert).where(PriceAlert.active.is_(True))).all()
    asked = somchai.say("ลบข้อมูล")
    somchai.press(button_data(asked, "ใช่ ลบเลย"))
    assert db.scalars(select(PriceAlert).where(PriceAlert.active.is_(True))).all() == []


def test_an_unsure_answer_to_consent_asks_again_and_keeps_the_answers(somchai: Chat, db: Session) -> None:
    somchai.follow()
    somchai.press(button_data(somchai.say("สมชาย ใจดี"), "บางแก้ว"))
    somchai.say("99")
    somchai.say("0898765432")
    for unsure in ("ไม่แน่ใจครับ", "ไม่รู้", "now what?", "ไม่เข้าใจ", "งง"):
        again = somchai.say(unsure)
        assert "ยินยอม" in buttons(again) and "ไม่ได้เก็บข้อมูล" not in texts(again), unsure
        assert waiting_for(db, member_of(db, somchai)) == "consent"
    declined = somchai.say("ไม่ยินยอมครับ")
    assert "ไม่ได้เก็บข้อมูล" in texts(declined)


def test_a_question_typed_for_a_name_is_answered_and_the_name_still_asked(somchai: Chat, db: Session) -> None:
    somchai.follow()
    somchai.say("สมัคร")
    assert waiting_for(db, member_of(db, somchai)) == "name"
    asked = texts(somchai.say("ราคายาง"))
    assert "ราคายาง" in asked or "ยังไม่มีการประกาศราคา" in asked
    assert member_of(db, somchai).name is None and waiting_for(db, member_of(db, somchai)) == "name"
    assert "อำเภอ" in texts(somchai.say("สมชาย ใจดี"))
    assert waiting_for(db, member_of(db, somchai)) == "district"


def test_a_registered_member_is_greeted_by_the_first_name(chat: Chat, db: Session) -> None:
    registered(chat.app, chat.user_id)
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    assert member is not None
    member.name = "สมชาย ใจดี"
    db.commit()
    hello = texts(chat.say("สวัสดีครับ"))
    assert "คุณสมชาย" in hello and "ใจดี" not in hello, hello


def test_a_member_says_what_they_raise_or_grow_by_pressing(chat: Chat, db: Session) -> None:
    registered(chat.app, chat.user_id)
    asked = chat.press(button_data(chat.say("ข้อมูลของฉัน"), "เลี้ยง/ปลูกอะไร"))
    assert "ท่านเลี้ยงหรือปลูกอะไรบ้าง" in texts(asked) and "เลี้ยงหรือปลูก: ไม่ระบุ" in texts(asked)
    asked = chat.press(button_data(asked, "หมู"))
    asked = chat.press(button_data(asked, "ยางพารา"))
    asked = chat.press(button_data(asked, "✓ หมู"))  # pressed again: unchosen
    assert "เลี้ยงหรือปลูก: ยางพารา" in texts(asked) and "✓ ยางพารา" in buttons(asked)
    assert member_of(db, chat).interests == ["rubber"]
    assert "เลี้ยงหรือปลูก: ยางพารา" in texts(chat.press(button_data(asked, "เสร็จแล้ว")))


@pytest.mark.parametrize(("role", "center", "what_to_do"), [
    ("coordinator", "DIST-05", "กรุณาแจ้งผู้ดูแลระบบให้มอบบทบาทนี้ให้ผู้อื่น"),
    ("admin", None, "กรุณาตั้งผู้อื่นเป็นผู้ดูแลระบบ"),
])
def test_staff_keep_their_data_in_chat_while_they_keep_the_role(
        chat: Chat, db: Session, role: str, center: str | None, what_to_do: str) -> None:
    from bot.nlu import Intent

    registered(chat.app, chat.user_id, role=role, center_code=center)
    refused = chat.say("ลบข้อมูล")
    assert "ต้องเปลี่ยนบทบาทเป็นสมาชิกก่อน จึงจะลบข้อมูลได้" in texts(refused), "the console's words"
    assert what_to_do in texts(refused) and "ใช่ ลบเลย" not in buttons(refused)
    pressed = chat.press(Intent("register", {"step": "delete", "pick": "yes"}).to_postback())
    assert "ต้องเปลี่ยนบทบาทเป็นสมาชิกก่อน" in texts(pressed), "a yes pressed on an older card is refused alike"
    kept = member_of(db, chat)
    assert kept.registered and kept.role == role and waiting_for(db, kept) is None
