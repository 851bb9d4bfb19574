"""A message that would change something, read without confidence, changes nothing: the member is asked which of
the two likeliest meanings was meant (Rasa's two-stage fallback), through the real webhook."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import nlu
from models.conversation import Conversation
from tests.support import Chat, button_data, buttons, registered, texts

# short messages a member might type that could mean more than one thing; the reader is unsure of some of them
AMBIGUOUS = ("หยุด", "เตือน", "ประกาศ", "เอายาง 50", "ปุ๋ยไม่เอาแล้วเตือนด้วย", "เลิก", "ไม่เอาแล้ว ยาง", "หยุดส่ง", "แจ้งราคา",
             "แจ้งเตือน")


def unsure_one() -> nlu.Intent:
    readings = [nlu.parse(text) for text in AMBIGUOUS]
    unsure = [reading for reading in readings if reading.unsure]
    assert unsure, [(r.text, r.name, round(r.confidence, 2)) for r in readings]
    return unsure[0]


def test_an_unsure_action_is_asked_about_and_nothing_is_done(chat: Chat, db: Session) -> None:
    registered(chat.app, chat.user_id, role="coordinator", center_code="DIST-05")
    reading = unsure_one()
    assert reading.runner_up is not None and reading.runner_up.name != reading.name
    rows_before = db.scalar(select(func.count()).select_from(Conversation))
    answer = chat.say(reading.text)
    assert "ไม่แน่ใจว่าท่านหมายถึงอะไร" in texts(answer)
    labels = buttons(answer)
    assert labels[-1] == "อย่างอื่น" and 2 <= len(labels) <= 3, labels
    assert db.scalar(select(func.count()).select_from(Conversation)) == rows_before, "nothing was started"
    chosen = nlu.Intent.from_postback(button_data(answer, labels[0]))
    assert chosen is not None and chosen.name == reading.name and not chosen.unsure


def test_the_member_picks_a_meaning_and_it_is_done(seeded: Flask, chat: Chat) -> None:
    registered(chat.app, chat.user_id, role="coordinator", center_code="DIST-05")
    reading = unsure_one()
    answer = chat.say(reading.text)
    picked = chat.press(button_data(answer, buttons(answer)[0]))
    assert "ไม่แน่ใจว่าท่านหมายถึงอะไร" not in texts(picked) and texts(picked)


# short messages the reader doubts so much that it reads them as nothing the bot does, a request being likelier;
# which of them it doubts moves a little with every retraining, so there are several
DOUBTED = ("สมาชิก", "ที่อยู่", "สมาชิกใหม่", "ที่อยู่ผม", "เบอร์ผม", "แก้", "บัญชี", "ยอด", "ดูยอด", "ขอยอด", "ยอดล่ะ",
           "ของเรา", "คิดเงิน", "พร้อมเพย์", "โปรไฟล์", "ได้วันไหน", "อยู่ไหนแล้ว", "เป็นคน", "ส่งข้อความ", "จบรอบหน่อย",
           "สมาชิกทั้งหมดล่ะ")


def test_a_message_read_as_nothing_we_do_by_doubt_asks_whether_the_likelier_request_was_meant(chat: Chat,
                                                                                                 db: Session) -> None:
    readings = [nlu.parse(text) for text in DOUBTED]
    doubted = [r for r in readings if r.doubted]
    assert doubted, [(r.text, r.name, round(r.confidence, 2), r.runner_up and r.runner_up.name) for r in readings]
    reading = doubted[0]
    registered(chat.app, chat.user_id, role="coordinator", center_code="DIST-05")  # every meaning is theirs to pick
    rows_before = db.scalar(select(func.count()).select_from(Conversation))
    answer = chat.say(reading.text)
    assert "ไม่แน่ใจว่าท่านหมายถึงอะไร" in texts(answer)
    assert buttons(answer)[-1] == "อย่างอื่น" and len(buttons(answer)) == 2, buttons(answer)
    assert db.scalar(select(func.count()).select_from(Conversation)) == rows_before, "nothing was started"
    assert reading.runner_up is not None
    chosen = nlu.Intent.from_postback(button_data(answer, buttons(answer)[0]))
    assert chosen is not None and chosen.name == reading.runner_up.name
    # a message the reader is sure is nothing the bot does is told so, with the menu, and asked nothing
    assert "ไม่แน่ใจ" not in texts(chat.say("พรุ่งนี้ฝนจะตกไหมนะ"))


def test_a_bare_refusal_with_no_question_open_asks_what_is_to_be_cancelled(chat: Chat, db: Session) -> None:
    # ไม่เอาแล้ว answers the bot's question when one is open; alone it names nothing, and nothing is cancelled unasked
    registered(chat.app, chat.user_id)
    rows_before = db.scalar(select(func.count()).select_from(Conversation))
    for typed in ("ไม่เอาแล้ว", "ไม่เอาแล้วครับ", "ยกเลิก", "ม่ายเอาแหละ"):
        answer = chat.say(typed)
        assert "ต้องการยกเลิกอะไร" in texts(answer), texts(answer)
        chosen = [nlu.Intent.from_postback(button_data(answer, label)) for label in buttons(answer)[:2]]
        assert [c.name for c in chosen if c is not None] == ["order.cancel", "alert.cancel"]
        assert db.scalar(select(func.count()).select_from(Conversation)) == rows_before, "nothing was started"


def test_a_member_is_never_offered_a_coordinators_meaning(chat: Chat) -> None:
    from bot.routes import BY_INTENT, COORDINATOR

    readings = [nlu.parse(text) for text in (*DOUBTED, *AMBIGUOUS)]
    staff = [r for r in readings if (r.doubted or r.unsure) and r.runner_up is not None
             and BY_INTENT[r.runner_up.name].who == COORDINATOR and BY_INTENT[r.name].who != COORDINATOR]
    assert staff, [(r.text, r.name, r.runner_up and r.runner_up.name) for r in readings]
    reading = staff[0]
    assert reading.runner_up is not None
    registered(chat.app, chat.user_id)
    answer = chat.say(reading.text)
    offered = [nlu.Intent.from_postback(button_data(answer, label)) for label in buttons(answer)]
    assert reading.runner_up.name not in {meant.name for meant in offered if meant is not None}, buttons(answer)
    if reading.doubted:  # nothing theirs was likelier: told it was not understood, with the menu
        assert "ไม่แน่ใจว่าท่านหมายถึงอะไร" not in texts(answer) and buttons(answer), texts(answer)


def test_two_readings_the_house_does_alike_are_one_button(chat: Chat) -> None:
    reading = nlu.understand("more 2 sacks")[0]  # order.change or order.join: both joined, adding two
    assert reading.unsure and reading.runner_up is not None
    assert reading.name == reading.runner_up.name == "order.join"
    registered(chat.app, chat.user_id)
    offered = buttons(chat.say("more 2 sacks"))
    assert len(offered) == len(set(offered)) == 2, offered  # the one meaning and "something else"
