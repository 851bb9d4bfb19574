"""Property: whatever a signed webhook body carries, the bot answers LINE 200, answers every text a member types
with a plain reply (never the "something went wrong" apology), and LINE refuses nothing it sends.

Random text (any code point, lone surrogates included, Thai, digits, runs of thousands of digits, the domain's own
phrases) is typed by one registered member, sometimes in answer to a question the bot has just asked, in a batch
with a random or broken event. One app and one member per test run; each example starts the member afresh
(registered or not, with no open question), so that an example replays the same way when Hypothesis shrinks it.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import event, postback_event, text_event
from bot.seed import orders as seed_orders
from models.base import utcnow
from models.conversation import Conversation
from models.member import Member
from models.network import district_cooperative
from tests.bot.test_webhook_isolation import APOLOGIES, answers, post
from tests.support import Chat

EXAMPLES = int(os.environ.get("COOPBOT_FUZZ_EXAMPLES", "300"))  # more for a measurement run
HUGE = "__HUGE__"  # stands for an integer of 5,000 digits, which json.dumps cannot write

ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # surrogates (Cs) and all
THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
PHRASES = (
    "สวัสดีครับ", "ราคายาง", "ราคาน้ำยางวันนี้", "สั่งอาหารหมูซีพี", "ปุ๋ย 15-15-15", "กระสอบ", "กิโล", "แกลลอน",
    "ถุง", "ตัว", "ลูกหมู", "กรดมด", "ข้าวสาร", "ขายน้ำยาง", "คำนวณน้ำยาง", "34%", "แก้เป็น", "เพิ่มอีก", "ยกเลิก",
    "ยกเลิกข้อ", "ใช่", "ไม่", "ตกลง", "คำสั่งซื้อของฉัน", "รอบสั่งซื้อ", "ดูราคาย้อนหลัง", "วัน", "ข่าว", "ช่วยด้วย",
    "ติดต่อสหกรณ์", "จ่ายเงินยังไง", "รับของที่ไหน", "ของมาถึงยัง", "คุยกับเจ้าหน้าที่", "ออมเงิน", "ข้อมูลของฉัน",
    "แก้ชื่อ", "แก้ไขเบอร์", "ภาษาไทย", "ภาษาอังกฤษ", "ล้าน", "ร้อย", "ห้าสิบ", "ครับ", "นะ", "-5", "58,50",
)
# Questions the bot asks and then reads the next message against.
OPENERS = (None, "แจ้งเตือนราคาน้ำยาง", "สั่งอาหารหมูซีพี", "สั่งปุ๋ย 15-15-15 5 กระสอบ", "เพิ่มอีก", "แก้เป็น", "คำนวณน้ำยาง",
           "น้ำยาง 30 กิโล", "ลงทะเบียน", "แก้ชื่อ", "แก้ไขเบอร์", "ข้อมูลของฉัน", "เปลี่ยนภาษา", "ดูราคาย้อนหลัง",
           "ขายน้ำยาง", "ยกเลิกคำสั่งซื้อ", "ยกเลิกการแจ้งเตือน", "ลบข้อมูล")

# Hypothesis draws mostly low code points: surrogates and NUL, a few in a million, get a strategy of their own.
UNENCODABLE = st.characters(codec=None, categories=["Cs", "Cc"])
DIGIT_RUNS = st.one_of(st.integers(min_value=10, max_value=5000), st.sampled_from([10, 300, 301, 4300, 4301, 5000]))
pieces = st.one_of(
    st.text(ANY_CHARACTER, max_size=40),
    st.text(st.one_of(ANY_CHARACTER, THAI, UNENCODABLE), min_size=1, max_size=20),
    st.text(THAI, min_size=1, max_size=30),
    st.sampled_from(PHRASES),
    st.from_regex(r"[0-9๐-๙][0-9๐-๙,.]{0,14}", fullmatch=True),
    st.builds(lambda digit, n: digit * n, st.sampled_from("91๙๑0"), DIGIT_RUNS),
)
LONE = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\x00"]) | UNENCODABLE


@st.composite
def typed_texts(draw: st.DrawFn) -> str:
    """A few pieces, and in most examples a lone surrogate or NUL or two put anywhere in them."""
    typed = " ".join(draw(st.lists(pieces, min_size=1, max_size=4)))
    for _ in range(draw(st.sampled_from([0, 1, 1, 2]))):
        at = draw(st.integers(min_value=0, max_value=len(typed)))
        typed = typed[:at] + draw(LONE) + typed[at:]
    return typed


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHARACTER, max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(ANY_CHARACTER, max_size=8), inner, max_size=3),
    max_leaves=8,
)
KEYS = ("type", "mode", "timestamp", "source", "webhookEventId", "deliveryContext", "message", "postback", "follow")


@st.composite
def other_events(draw: st.DrawFn) -> Any:
    """Another user's event, well formed or broken: keys dropped, values replaced, or no event at all."""
    user = "U" + uuid.uuid4().hex
    base = draw(st.sampled_from(["text", "postback", "follow", "unfollow", "join", "standby"]))
    if base == "text":
        body: dict[str, Any] = text_event(user, draw(typed_texts()))
    elif base == "postback":
        body = postback_event(user, draw(st.text(ANY_CHARACTER, max_size=60)))
    elif base == "standby":
        body = {**text_event(user, draw(typed_texts())), "mode": "standby"}
    else:
        body = event(base, user)
    how = draw(st.sampled_from(["as is", "drop", "replace", "huge", "anything"]))
    if how == "drop":
        for key in draw(st.sets(st.sampled_from(KEYS), min_size=1)):
            body.pop(key, None)
    elif how == "replace":
        body[draw(st.sampled_from(KEYS))] = draw(json_values)
    elif how == "huge":
        body[draw(st.sampled_from(("timestamp", "webhookEventId", "mode")))] = HUGE
    elif how == "anything":
        return draw(json_values)
    return body


def _afresh(app: Flask, user_id: str, signed_up: bool) -> None:
    """The member with no open question, either as registration leaves them (the rows, as
    tests.support.registered) or as a new friend who has not registered yet."""
    with app.extensions["sessions"]() as db, db.begin():
        member = db.scalar(select(Member).where(Member.line_user_id == user_id))
        assert member is not None
        db.execute(delete(Conversation).where(Conversation.member_id == member.id))
        member.forget()
        if signed_up:
            member.name, member.district, member.consent_at = "สมชาย ใจดี", "ควนขนุน", utcnow()
            member.cooperative = district_cooperative(db, "ควนขนุน")
        member.display_name, member.language, member.active = "ทดสอบ", None, True


def _send(app: Flask, events: list[Any]) -> int:
    body = json.dumps({"destination": "Ubot", "events": events})  # ASCII escapes carry lone surrogates
    status: int = post(app, [], body.replace(f'"{HUGE}"', "7" * 5000).encode()).status_code
    return status


def _reply_text(world: LineWorld, sent: dict[str, Any]) -> str:
    messages = answers(world, sent)
    assert messages, "a text from a member is always answered"
    return "\n".join(m.get("text") or m.get("altText") or "" for m in messages)


def test_any_body_is_200_and_every_text_gets_a_plain_answer(chat: Chat, line_world: LineWorld) -> None:
    with chat.app.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, chat.app.config["SETTINGS"])
        db.add(Member(line_user_id=chat.user_id))
    ran = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(signed_up=st.booleans(), opener=st.sampled_from(OPENERS), typed=typed_texts(),
           other=st.none() | other_events(), other_first=st.booleans())
    def check(signed_up: bool, opener: str | None, typed: str, other: Any, other_first: bool) -> None:
        ran.append(1)
        _afresh(chat.app, chat.user_id, signed_up)
        if opener is not None:
            asked = text_event(chat.user_id, opener)
            assert _send(chat.app, [asked]) == 200
            assert not any(apology in _reply_text(line_world, asked) for apology in APOLOGIES), opener
        sent = text_event(chat.user_id, typed)
        batch = [sent] if other is None else [other, sent] if other_first else [sent, other]
        assert _send(chat.app, batch) == 200
        reply = _reply_text(line_world, sent)
        assert not any(apology in reply for apology in APOLOGIES), f"the apology for {typed[:60]!r}"
        assert line_world.rejected() == [], line_world.rejected()[0].response

    check()
    assert len(ran) >= EXAMPLES
