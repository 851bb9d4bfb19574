"""Every event stands alone: a malformed event in a signed batch is skipped while the rest are answered; standby
events are answered by no one; text that cannot be read as a number, or encoded, gets a plain answer.

Bodies are built here with JSON's ASCII escapes, as LINE sends them, so that a lone surrogate ("\\ud800") reaches
the bot as the escape a phone would produce (tests.support.post_events writes UTF-8, which cannot carry one).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.i18n import translator
from bot.nlu import Intent
from bot.sandbox import rules
from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import event, postback_event, text_event
from bot.seed import orders as seed_orders
from handlers.ui import text
from models.conversation import Conversation
from models.events import ProcessedEvent
from models.member import Member
from tests.support import Chat, registered, sign

APOLOGY_MSGID = "Sorry, something went wrong on our side. Please try again in a moment."  # bot.dispatch._apology
APOLOGY_TH = "ขออภัยครับ ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกสักครู่ครับ"
APOLOGIES = (APOLOGY_TH, translator("en")(APOLOGY_MSGID))
SECRET_WORDS = "ข้อความลับห้ามลงบันทึก"  # the text of malformed events: it must never reach the log
HUGE = "1" * 5000  # past Python's 4,300-digit int-string limit


def post(app: Flask, events: list[Any], body: bytes | None = None) -> Any:
    body = body if body is not None else json.dumps({"destination": "Ubot", "events": events}).encode()
    response = app.test_client().post("/callback", data=body, headers={"x-line-signature": sign(body)},
                                      content_type="application/json")
    assert app.extensions["replies"].flush()  # replies leave after the webhook has answered
    return response


def answers(world: LineWorld, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages of the reply to this event's token, asserting LINE took it; [] when there was none."""
    replies = [r for r in world.sent("/v2/bot/message/reply") if r.json["replyToken"] == sent.get("replyToken")]
    assert len(replies) <= 1
    if not replies:
        return []
    assert replies[0].accepted, replies[0].response
    return list(replies[0].json["messages"])


def say(chat: Chat, typed: str) -> str:
    sent = text_event(chat.user_id, typed)
    assert post(chat.app, [sent]).status_code == 200
    messages = answers(chat.world, sent)
    assert messages, f"no answer to {typed[:30]!r}"
    return "\n".join(m.get("text") or m.get("altText") or "" for m in messages)


def plain(reply: str) -> bool:
    return bool(reply) and not any(apology in reply for apology in APOLOGIES)


def test_the_apology_checked_for_is_the_catalogs() -> None:
    assert translator("th")(APOLOGY_MSGID) == APOLOGY_TH


def _malformed(user: str) -> dict[str, Any]:
    """One event of each kind LINE (or a bug) could get wrong, each with text that must not be logged."""
    def bad(**changes: Any) -> dict[str, Any]:
        body = text_event(user, SECRET_WORDS)
        body.update(changes)
        return {k: v for k, v in body.items() if v is not _GONE}
    return {
        "no webhookEventId": bad(webhookEventId=_GONE),
        "string timestamp": bad(timestamp="yesterday"),
        "only a type": {"type": "message"},
        "no type": bad(type=_GONE),
        "unknown mode": bad(mode="sleeping"),
        "unknown source": bad(source={"type": "planet", "userId": user}),
        "message without text": bad(message={"type": "text", "id": "1"}),
        "webhookEventId too long for its column": bad(webhookEventId="E" * 65),
        "timestamp of 5,000 digits": bad(timestamp="HUGE"),
        "a string, not an object": SECRET_WORDS,
        "null": None,
        "a list": [SECRET_WORDS],
    }


_GONE = object()


def test_a_batch_with_malformed_events_answers_200_and_every_good_event(
    seeded: Flask, db: Session, line_world: LineWorld, caplog: pytest.LogCaptureFixture
) -> None:
    first, last = text_event("Ufirst", "สวัสดี"), text_event("Ulast", "ราคายาง")
    newer = {**event("somethingNew", "Unewer"), "somethingNew": {"text": SECRET_WORDS}}  # well formed, unknown
    malformed = _malformed("Umalformed")
    batch = [first, *malformed.values(), newer, last]
    body = json.dumps({"destination": "Ubot", "events": batch}).replace('"timestamp": "HUGE"', f'"timestamp": {HUGE}')
    with caplog.at_level(logging.INFO):
        response = post(seeded, [], body.encode())
    assert response.status_code == 200
    assert answers(line_world, first) and answers(line_world, last)
    assert len(line_world.sent("/v2/bot/message/reply")) == 2, "no malformed event was answered"
    assert line_world.rejected() == []
    handled = set(db.scalars(select(ProcessedEvent.webhook_event_id)))
    assert handled == {first["webhookEventId"], newer["webhookEventId"], last["webhookEventId"]}
    assert set(db.scalars(select(Member.line_user_id))) == {"Ufirst", "Ulast"}
    skipped = [r for r in caplog.records if r.name == "bot.line.events" and "skipped" in r.getMessage()]
    assert len(skipped) == len(malformed), "each logged once, by its type and id"
    assert SECRET_WORDS not in caplog.text, "a malformed event's text was logged"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("kind", list(_malformed("U")))
def test_each_malformed_event_alone_is_200_and_changes_nothing(
    seeded: Flask, db: Session, line_world: LineWorld, kind: str
) -> None:
    body = json.dumps({"events": [_malformed("Ualone")[kind]]}).replace('"timestamp": "HUGE"', f'"timestamp": {HUGE}')
    assert post(seeded, [], body.encode()).status_code == 200
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 0
    assert db.scalar(select(func.count()).select_from(Member)) == 0
    assert line_world.requests == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"events": [], "destination": ' + b"9" * 5000 + b"}",  # a huge number outside any event: still JSON
        b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",  # nesting too deep for any parser
        b'{"events": [{"type": "message", "timestamp": NaN}]}',
        b'{"events": [{"type": ["message"]}, {"type": {"a": 1}}, {"type": 5}]}',
        b'{"events": [{"type": "message", "source": ' + b"[" * 5000 + b"]" * 5000 + b"}]}",
        b'{"events": null}',
        b"null",
    ],
    ids=["huge-destination", "too-deep", "nan", "odd-types", "deep-event", "null-events", "null"],
)
def test_no_signed_body_yields_a_server_error(seeded: Flask, db: Session, body: bytes) -> None:
    response = post(seeded, [], body)
    assert response.status_code in (200, 400)
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def test_standby_events_get_no_reply_and_change_nothing(seeded: Flask, db: Session, line_world: LineWorld) -> None:
    user = "Ustandby"
    events = [
        {**event("follow", user, follow={"isUnblocked": False}), "mode": "standby"},
        {**text_event(user, "สวัสดี"), "mode": "standby"},
        {**postback_event(user, Intent("price.today").to_postback()), "mode": "standby"},
    ]
    for sent in events:
        assert post(seeded, [sent]).status_code == 200
    assert line_world.requests == [], "no reply, and not even a profile lookup"
    assert db.scalar(select(func.count()).select_from(Member)) == 0
    handled = set(db.scalars(select(ProcessedEvent.webhook_event_id)))
    assert handled == {sent["webhookEventId"] for sent in events}, "recorded, so a redelivery stays a no-op"
    active = {**text_event(user, "สวัสดี"), "webhookEventId": events[1]["webhookEventId"], "mode": "active"}
    assert post(seeded, [active]).status_code == 200
    assert line_world.sent("/v2/bot/message/reply") == [], "the redelivered id is not handled again"


def test_an_unfollow_in_standby_is_still_taken_note_of(seeded: Flask, db: Session, line_world: LineWorld) -> None:
    registered(seeded, "Ublocked")
    unfollow = {**event("unfollow", "Ublocked"), "mode": "standby"}
    del unfollow["replyToken"]
    assert post(seeded, [unfollow]).status_code == 200
    member = db.scalar(select(Member).where(Member.line_user_id == "Ublocked"))
    assert member is not None and member.active is False
    assert line_world.requests == []


@pytest.fixture
def member(seeded: Flask, line_world: LineWorld) -> Chat:
    """A registered member, with the demo rounds open."""
    with seeded.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, seeded.config["SETTINGS"])
    chat = Chat(seeded, line_world)
    registered(seeded, chat.user_id)
    return chat


@pytest.mark.parametrize(
    "typed",
    [
        "1" * 4301,
        HUGE,
        "๑" * 5000,
        "สั่งปุ๋ย " + "๙" * 4400 + " กระสอบ",
        "สั่งอาหารหมูซีพี " + "9" * 300 + " กระสอบ",
        "ขายน้ำยาง " + "9" * 300 + " กิโล",
        "กรดมด 1,234,567,890,123 กิโล",
        "ข้าวสาร 0.0000000000001 ถุง",
        "ปุ๋ย " + "ล้าน" * 1000 + " กระสอบ",
        "แจ้งเตือนราคาน้ำยางเกิน " + "9" * 30,
        "น้ำยาง " + "9" * 50 + " กิโล 34%",
        "ดูราคาย้อนหลัง " + "9" * 30 + " วัน",
        "\ud800",
        "สวัสดี\udfff",
        "\udc00\ud800 ราคายาง",
        "\x00",
        "ราคา\x00ยาง",
    ],
    ids=["4301-digits", "5000-digits", "5000-thai-digits", "4400-thai-digits-sacks", "300-digit-quantity",
         "300-digit-pledge", "13-digits-with-commas", "13-decimals", "a-thousand-millions", "30-digit-threshold",
         "50-digit-weight", "30-digit-days", "lone-high-surrogate", "lone-low-surrogate", "reversed-pair", "nul",
         "nul-inside"],
)
def test_long_numbers_and_unencodable_text_get_a_plain_answer(member: Chat, line_world: LineWorld, typed: str) -> None:
    assert plain(say(member, typed))
    assert line_world.rejected() == []


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("สั่งอาหารหมูซีพี", "9" * 300),
        ("สั่งอาหารหมูซีพี", "๑" * 5000),
        ("คำนวณน้ำยาง", "9" * 5000),
        ("แก้ไขเบอร์", "๑" * 5000),
        ("ดูราคาย้อนหลัง", "9" * 40),
    ],
    ids=["quantity-300-digits", "quantity-5000-thai-digits", "latex-weight", "mobile", "days"],
)
def test_a_long_number_answering_a_question_gets_a_plain_answer(
    member: Chat, line_world: LineWorld, question: str, typed: str
) -> None:
    say(member, question)
    assert plain(say(member, typed))
    assert line_world.rejected() == []


@pytest.mark.parametrize("question", ["แจ้งเตือนราคาน้ำยาง"], ids=["alert-threshold"])
def test_a_long_number_answering_a_price_question_gets_a_plain_answer(
    member: Chat, line_world: LineWorld, question: str
) -> None:
    say(member, question)
    assert plain(say(member, "9" * 30))


@pytest.mark.parametrize("name", ["\ud800", "สม\ud800ชาย ใจดี", "\udc00\udc00", "สม\x00ชาย"])
def test_a_name_that_cannot_be_encoded_is_asked_again_and_not_stored(
    seeded: Flask, db: Session, line_world: LineWorld, name: str
) -> None:
    chat = Chat(seeded, line_world)
    registered(seeded, chat.user_id)
    say(chat, "แก้ชื่อ")
    answer = say(chat, name)
    assert plain(answer) and "ชื่อ" in answer
    stored = db.scalar(select(Member.name).where(Member.line_user_id == chat.user_id))
    assert stored == f"สมาชิก {chat.user_id[-4:]}", "the old name stays"
    assert line_world.rejected() == []


def test_a_registration_name_with_a_lone_surrogate_is_never_stored(
    seeded: Flask, db: Session, line_world: LineWorld
) -> None:
    chat = Chat(seeded, line_world)
    say(chat, "ลงทะเบียน")
    assert plain(say(chat, "สมชาย\ud800"))
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    assert member is not None
    asked = db.get(Conversation, member.id)
    assert asked is not None and asked.awaiting == "name" and "name" not in asked.slots, "asked again"
    assert "อำเภอ" in say(chat, "สมชาย ใจดี"), "a readable name is then taken"
    assert line_world.rejected() == []


def test_a_postback_carrying_a_lone_surrogate_gets_a_plain_answer(member: Chat, line_world: LineWorld) -> None:
    sent = postback_event(member.user_id, "i=register&step=name&pick=\ud800")
    assert post(member.app, [sent]).status_code == 200
    replies = answers(line_world, sent)
    assert replies and plain("\n".join(m.get("text", "") for m in replies))
    assert line_world.rejected() == []


@pytest.mark.parametrize(
    ("label", "slots"),
    [
        ("สั่ง", {"quantity": int("9" * 300)}),
        ("x" * 400, {"round": 1, "quantity": 5}),
        ("", {}),
        ("   ", {"note": "ข้อความยาว" * 40, "round": 7}),
    ],
    ids=["300-digit-quantity", "long-label", "empty-label", "long-thai-slot"],
)
def test_the_button_helper_never_builds_what_line_refuses(label: str, slots: dict[str, Any]) -> None:
    message = text("เลือกได้เลยครับ", [(label, Intent("order.join", slots))] * 14)
    assert rules.message(message.to_dict(), "messages[0]") == []
    data = message.quick_reply.items[0].action.data
    kept = Intent.from_postback(data)
    assert kept is not None and kept.name == "order.join"
    short = {key: str(value) for key, value in slots.items() if len(str(value)) < 100}
    assert short == {key: str(value) for key, value in kept.slots.items()}, "the short slots still travel"


def test_an_empty_body_text_is_not_sent_empty() -> None:
    assert rules.message(text("").to_dict(), "messages[0]") == []
