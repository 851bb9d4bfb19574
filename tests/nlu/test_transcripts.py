"""Members' own words through the real webhook: colloquial, misspelt, number words, typed answers to questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.orders.conftest import lines, round_of, total
from tests.prices.conftest import TODAY, put
from tests.support import Chat, button_data, buttons, registered, texts

NOT_UNDERSTOOD = "ผมไม่เข้าใจ"


def test_a_colloquial_southern_order_gets_a_confirmation_for_ten_sacks(farmer: Chat, db: Session) -> None:
    card = farmer.say("เอาอาหารหมูซีพีสักสิบกระสอบได้ม้าย")
    assert "อาหารหมูขุน ซีพี" in texts(card) and "10 กระสอบ" in texts(card)
    assert buttons(card) == ["ยืนยัน", "ยกเลิก"]
    assert lines(db, round_of(db, "feed-cp-pig").id) == []  # nothing is ordered before the member confirms


def test_typos_thai_digits_and_abbreviations(farmer: Chat, db: Session) -> None:
    card = farmer.say("สังอาหารหมูเบทาโก้ ๓ กส.")
    assert "อาหารหมูขุน เบทาโกร" in texts(card) and "3 กระสอบ" in texts(card)
    farmer.say("ตกลงครับ")
    assert total(db, round_of(db, "feed-betagro-pig").id) == 3


def test_brand_and_quantity_typed_as_words_fill_the_pending_order(farmer: Chat, db: Session) -> None:
    asked = farmer.say("สั่งอาหารหมู")
    assert buttons(asked) == ["ซีพี", "เบทาโกร", "แหลมทอง"]
    how_many = farmer.say("ซีพีครับ")
    assert "กี่กระสอบ" in texts(how_many)
    card = farmer.say("ห้า")
    assert "อาหารหมูขุน ซีพี" in texts(card) and "5 กระสอบ" in texts(card)
    farmer.say("ใช่")
    assert total(db, round_of(db, "feed-cp-pig").id) == 5


def test_cancel_leaves_the_pending_question_and_a_later_number_orders_nothing(farmer: Chat, db: Session) -> None:
    farmer.say("สั่งอาหารหมูแหลมทอง")
    assert "ยกเลิกแล้ว" in texts(farmer.say("ยกเลิกครับ"))
    assert NOT_UNDERSTOOD in texts(farmer.say("5"))
    assert total(db, round_of(db, "feed-laemthong-pig").id) == 0


def test_goods_named_alone_with_no_question_open_ask_whether_to_order_or_see_the_rounds(
        farmer: Chat, db: Session) -> None:
    for typed in ("หมู", "เป็ดครับ", "ซีพี", "เบทาโกร", "ปุ๋ย"):  # an animal, a brand, a product: none asked for
        asked = farmer.say(typed)
        assert NOT_UNDERSTOOD not in texts(asked), typed
        assert buttons(asked) == ["สั่งซื้อสินค้า", "สั่งซื้อรวม", "อย่างอื่น"], typed
    asked = farmer.press(button_data(farmer.say("หมู"), "สั่งซื้อสินค้า"))
    assert buttons(asked) == ["ซีพี", "เบทาโกร", "แหลมทอง"]  # the order of pig feed goes on: which brand
    assert "animal=pig" in button_data(asked, "ซีพี")
    assert lines(db, round_of(db, "feed-cp-pig").id) == []  # nothing is ordered before the member confirms


def test_other_crops_and_chit_chat_are_not_answered_with_rubber_prices(farmer: Chat) -> None:
    for text in ("ทุเรียนราคาเท่าไหร่", "หวยงวดนี้ออกอะไร", "555"):
        reply = texts(farmer.say(text))
        assert NOT_UNDERSTOOD in reply and "บาท/กก" not in reply, text


def test_typed_no_on_the_confirmation_card_orders_nothing(farmer: Chat, db: Session) -> None:
    card = farmer.say("จองอาหารหมูซีพี ๒ กระสอบ")
    assert "2 กระสอบ" in texts(card)
    assert "ไม่ได้บันทึกรายการนี้" in texts(farmer.say("ไม่เอาครับ"))
    assert total(db, round_of(db, "feed-cp-pig").id) == 0


def test_southern_and_misspelt_price_questions_get_that_price(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    put(chat.app, TODAY, "rss3", "63.10")
    for typed in ("ราคานํ้ายางหลาวท่าไร", "น้ำยางวันนี้กี่บาทคับ", "latex price today"):
        shown = texts(chat.say(typed))
        assert "น้ำยางสด: 58.00" in shown and "ยางแผ่นรมควัน" not in shown, typed
    assert "58.00" not in texts(chat.say("ทุเรียนวันนี้กิโลละเท่าไหร่"))


def test_latex_payment_with_thai_digits(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    assert "591.60" in texts(chat.say("น้ำยาง ๓๐ โล ๓๔ เปอร์เซ็นต์ ได้กี่บาท"))


def test_thanks_is_answered_as_thanks(chat: Chat) -> None:
    for typed in ("ขอบคุณครับ", "ขอบใจจ้า", "thanks"):
        answer = texts(chat.say(typed))
        assert answer.startswith("ยินดีครับ") and "สวัสดี" not in answer, typed
    assert texts(chat.say("สวัสดีครับ")).startswith("สวัสดี")


def test_thanks_inside_a_story_is_answered_as_thanks_not_as_a_message_not_understood(chat: Chat) -> None:
    for typed in ("กรดมดรอบก่อนดีมาก ยางแผ่นออกมาสวย ขอบคุณครับ", "ได้รับของแล้วนะครับ ครบถ้วน ขอบคุณครับ",
                  "ลูกหมูที่ซื้อไป 4 ตัวโตไวมาก ขอบคุณสหกรณ์"):
        answer = texts(chat.say(typed))
        assert answer.startswith("ยินดีครับ") and NOT_UNDERSTOOD not in answer, typed
    assert NOT_UNDERSTOOD in texts(chat.say("ลูกหมูที่ซื้อไปโตไวมาก"))  # the same story without thanks


def test_a_deposit_or_share_account_is_sent_to_the_cooperative_that_keeps_it(chat: Chat, db: Session) -> None:
    from models.member import Member

    registered(chat.app, chat.user_id)
    cooperative = db.scalars(select(Member).where(Member.line_user_id == chat.user_id)).one().cooperative
    assert cooperative is not None
    for typed in ("ยอดเงินฝากสัจจะของผมเท่าไหร่ครับ", "ค่าหุ้นสหกรณ์ปีนี้ได้ปันผลเท่าไหร่",  # read as nothing we do
                  "เงินปันผลที่ประหยัดได้ปีนี้เท่าไหร่"):  # read as savings, but it asks of the dividend
        answer = texts(chat.say(typed))
        assert "สหกรณ์เป็นผู้ดูแล" in answer and cooperative.name("th") in answer, typed
        assert NOT_UNDERSTOOD not in answer and "ประหยัด" not in answer, typed
    # a member whose "savings" meant what buying together saved them gets that in one tap
    answer = chat.say("ยอดเงินออมของผมเท่าไหร่")
    assert "สหกรณ์เป็นผู้ดูแล" in texts(answer) and buttons(answer)[0] == "ประหยัดไปเท่าไร"
    assert "ยังไม่มียอดประหยัด" in texts(chat.press(button_data(answer, "ประหยัดไปเท่าไร")))
    assert "สหกรณ์เป็นผู้ดูแล" not in texts(chat.say("สั่งรวมประหยัดไปเท่าไหร่"))
