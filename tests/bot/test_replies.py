"""Replies leave after the webhook has answered LINE, each member's in order, never past the token's life; and
their JSON, built in one walk (bot.line.wire), is what the SDK's own to_dict gives."""

from __future__ import annotations

import gc
import json
import logging
import threading
import time

import pytest
from flask import Flask

from bot.line import wire
from bot.line.events import parse
from bot.line.replies import Replies
from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import postback_event, text_event
from handlers.ui import text
from tests.support import post_events, registered

PHRASES = ["สวัสดีครับ", "ช่วยด้วย", "ราคายางวันนี้", "น้ำยางวันนี้กิโลละเท่าไร", "ราคายางย้อนหลัง 7 วัน",
           "มีรอบสั่งอะไรเปิดอยู่บ้าง", "ดูรายการสั่งของฉัน", "สั่งอาหารหมูซีพี 10 กระสอบ", "ออมได้เท่าไหร่",
           "แจ้งเตือนเมื่อน้ำยางเกิน 60 บาท", "ติดต่อสหกรณ์", "ขายน้ำยาง 500 กิโล 34%", "อะไรก็ไม่รู้", "ลงทะเบียน"]


def _replies(app: Flask, user: str, texts: list[str]) -> list[object]:
    dispatcher = app.extensions["dispatcher"]
    found = []
    for said in texts:
        event = parse(text_event(user, said))
        assert event is not None
        with dispatcher.sessions() as db, db.begin():
            found += dispatcher._event(db, event, {user: None})
    return found


def test_wire_json_is_what_the_sdk_gives(seeded: Flask) -> None:
    from bot import seed

    with seeded.extensions["sessions"]() as db, db.begin():
        seed.demo(db, seeded.config["SETTINGS"])
    registered(seeded, "Uwire0000", role="coordinator", center_code="PROV-RUBBER")
    messages = _replies(seeded, "Uwire0000", PHRASES) + _replies(seeded, "Unewcomer01", ["สวัสดี", "ลงทะเบียน"])
    kinds = {type(m).__name__ for m in messages}
    assert {"TextMessage", "FlexMessage"} <= kinds, kinds  # cards and quick replies are among them
    for message in messages:
        assert wire.plain(message) == message.to_dict()  # type: ignore[attr-defined]


def test_the_webhook_answers_before_line_has(seeded: Flask, line_world: LineWorld) -> None:
    registered(seeded, "Uslow00001")
    line_world.delay = 1.0
    client = seeded.test_client()
    started = time.monotonic()
    sent = text_event("Uslow00001", "สวัสดีครับ")
    response = client.post("/callback", data=_signed(sent)[0], headers={"x-line-signature": _signed(sent)[1]},
                           content_type="application/json")
    answered = time.monotonic() - started
    assert response.status_code == 200
    replies = [r for r in line_world.sent("/v2/bot/message/reply") if r.json["replyToken"] == sent["replyToken"]]
    assert all(r.status == 0 for r in replies), "LINE had answered before the webhook did"
    assert answered < line_world.delay
    assert seeded.extensions["replies"].flush()
    replies = [r for r in line_world.sent("/v2/bot/message/reply") if r.json["replyToken"] == sent["replyToken"]]
    assert [r.status for r in replies] == [200]


def _signed(event: dict[str, object]) -> tuple[bytes, str]:
    from bot.sandbox.phone import signed
    from tests.support import CHANNEL_SECRET

    return signed([event], CHANNEL_SECRET)


def test_each_members_replies_leave_in_the_order_of_their_events(seeded: Flask, line_world: LineWorld) -> None:
    members = [f"Uorder{n:04d}" for n in range(4)]
    for member in members:
        registered(seeded, member)
    line_world.delay = 0.02
    client = seeded.test_client()
    tokens: dict[str, list[str]] = {member: [] for member in members}
    for round_ in range(8):
        for member in members:
            sent = text_event(member, ["สวัสดีครับ", "ราคายางวันนี้"][round_ % 2])
            tokens[member].append(sent["replyToken"])
            body, signature = _signed(sent)
            assert client.post("/callback", data=body, headers={"x-line-signature": signature},
                               content_type="application/json").status_code == 200
    assert seeded.extensions["replies"].flush()
    received = [r.json for r in line_world.sent("/v2/bot/message/reply") if r.accepted]
    for member in members:
        theirs = [body for body in received if body["replyToken"] in tokens[member]]
        used = [body["replyToken"] for body in theirs]  # replies waiting together leave on the newest token
        assert used == sorted(used, key=tokens[member].index) and used[-1] == tokens[member][-1]
        said = [json.dumps(message, ensure_ascii=False) for body in theirs for message in body["messages"]]
        assert len(said) == 8 and said[0] != said[1]  # a greeting's answer, then a price's: each in its event's place
        assert set(said[0::2]) == {said[0]} and set(said[1::2]) == {said[1]}, said


def test_a_reply_that_waited_past_its_tokens_life_is_dropped(
        seeded: Flask, line_world: LineWorld, caplog: pytest.LogCaptureFixture) -> None:
    line_world.delay = 0.5
    replies = Replies(seeded.extensions["line"], senders=1, token_life=0.2, depth=3)
    for n in range(3):  # one sender: the second and third members wait behind the first's half second
        replies.send(f"Udropped0{n}", f"token-{n}", [text(f"ข้อความ {n}")], f"event-{n}")
    with caplog.at_level(logging.WARNING, logger="bot.line.replies"):
        assert replies.flush()
    assert [r.json["replyToken"] for r in line_world.sent("/v2/bot/message/reply")] == ["token-0"]
    assert sum("past its token's life" in record.getMessage() for record in caplog.records) == 2


def test_replies_a_stopping_process_could_not_send_are_counted_in_the_log(
        seeded: Flask, line_world: LineWorld, caplog: pytest.LogCaptureFixture) -> None:
    registered(seeded, "Ustopping1")
    line_world.delay = 0.5
    replies = Replies(seeded.extensions["line"], senders=1, depth=3)
    for n in range(3):  # one sender: the first is on its way for half a second, the others wait behind it
        replies.send("Ustopping1", f"token-{n}", [text(f"ข้อความ {n}")], f"event-{n}")
    with caplog.at_level(logging.WARNING, logger="bot.line.replies"):
        replies.stop(timeout=0.2)
    assert [record.getMessage() for record in caplog.records] == [
        "3 replies left unsent or unconfirmed: the process stopped (after 0.2 s)"]
    assert replies.flush()  # this process goes on: they leave now, not in the next test


def test_a_stopping_process_that_sent_everything_closes_its_session_with_line(
        seeded: Flask, line_world: LineWorld, caplog: pytest.LogCaptureFixture) -> None:
    replies = Replies(seeded.extensions["line"], senders=2)
    before = set(threading.enumerate())
    replies.send("Uclosing01", "closing-0", [text("ข้อความ")], "closing-0")
    (senders,) = [t for t in threading.enumerate() if t.name == "line-replies" and t not in before]
    with caplog.at_level(logging.DEBUG, logger="asyncio"):
        replies.stop(timeout=5)
        assert not replies.alive and not senders.is_alive()
        del replies
        gc.collect()  # an aiohttp session dropped unclosed says so when collected
    assert [r.json["replyToken"] for r in line_world.sent("/v2/bot/message/reply")] == ["closing-0"]
    assert not [record for record in caplog.records if "nclosed" in record.getMessage()]


def test_a_postback_reply_goes_the_same_way(seeded: Flask, line_world: LineWorld) -> None:
    registered(seeded, "Upostback1")
    event = postback_event("Upostback1", "i=help")
    assert post_events(seeded.test_client(), [event]).status_code == 200  # flushes, as LINE would have it
    assert [r.status for r in line_world.sent("/v2/bot/message/reply")] == [200]


def test_a_members_reply_never_waits_behind_another_members(seeded: Flask, line_world: LineWorld) -> None:
    line_world.delay = 0.3
    replies = Replies(seeded.extensions["line"], senders=2)
    replies.send("Ulanes0001", "busy-0", [text("ข้อความ 0")], "busy-0")  # LINE takes a third of a second a reply
    _in_flight(line_world, "busy-0")  # on its way alone: the member's next two wait for it, then leave together
    for n in (1, 2):
        replies.send("Ulanes0001", f"busy-{n}", [text(f"ข้อความ {n}")], f"busy-{n}")
    replies.send("Ulanes0003", "other", [text("สวัสดีครับ")], "other")  # two members a fixed queue each would share
    assert replies.flush()
    order = _said(line_world)
    assert order.index("สวัสดีครับ") < order.index("ข้อความ 1"), order
    assert [t for t in order if t != "สวัสดีครับ"] == ["ข้อความ 0", "ข้อความ 1", "ข้อความ 2"]


def test_the_webhook_waits_for_room_when_more_replies_wait_than_the_senders_can_take(
        seeded: Flask, line_world: LineWorld) -> None:
    line_world.delay = 0.3
    replies = Replies(seeded.extensions["line"], senders=1, depth=2)
    started = time.monotonic()
    for n in range(3):  # room for two: the third waits until the first is through
        replies.send("Uroom00001", f"room-{n}", [text(f"ข้อความ {n}")], f"room-{n}")
    assert time.monotonic() - started >= line_world.delay * 0.9
    assert replies.flush()
    assert _said(line_world) == ["ข้อความ 0", "ข้อความ 1", "ข้อความ 2"]


def test_a_member_writing_faster_than_line_answers_waits_for_their_own_lane(
        seeded: Flask, line_world: LineWorld) -> None:
    from bot.line.replies import LANE

    line_world.delay = 0.2
    replies = Replies(seeded.extensions["line"], senders=4, depth=LANE)  # room enough for all of them
    started = time.monotonic()
    for n in range(LANE):
        replies.send("Uquick0001", f"quick-{n}", [text(f"ข้อความ {n}")], f"quick-{n}")
    queued = time.monotonic() - started
    replies.send("Uquick0001", "one-more", [text("อีกข้อความ")], "one-more")
    assert queued < line_world.delay / 2 <= time.monotonic() - started
    replies.send("Uother0001", "other", [text("สวัสดีครับ")], "other")  # another member's lane has room
    assert replies.flush()
    assert [t for t in _said(line_world) if t != "สวัสดีครับ"] == [f"ข้อความ {n}" for n in range(LANE)] + ["อีกข้อความ"]


def _said(line_world: LineWorld) -> list[str]:
    """The texts of every reply LINE took, in the order it took them."""
    return [message["text"] for r in line_world.sent("/v2/bot/message/reply") if r.accepted
            for message in r.json["messages"]]


def _in_flight(line_world: LineWorld, token: str) -> None:
    """Wait until LINE has the reply on `token` and is still answering it."""
    deadline = time.monotonic() + 5
    while not any(r.json["replyToken"] == token for r in line_world.sent("/v2/bot/message/reply")):
        assert time.monotonic() < deadline, f"no reply on {token}"
        time.sleep(0.01)


def _behind_one(seeded: Flask, line_world: LineWorld, member: str, more: int, faults: tuple[int, ...] = ()) -> None:
    """One of the member's replies on its way to LINE (a third of a second), `more` of theirs queued behind it
    (LINE then answering the next calls with `faults`), and all of them through."""
    line_world.delay = 0.3
    replies = Replies(seeded.extensions["line"], senders=1, depth=8)
    replies.send(member, "token-0", [text("ข้อความ 0")], "event-0")
    _in_flight(line_world, "token-0")
    line_world.faults = list(faults)
    for n in range(1, more + 1):
        replies.send(member, f"token-{n}", [text(f"ข้อความ {n}")], f"event-{n}")
    assert replies.flush()


def test_replies_waiting_for_a_member_leave_together_on_their_newest_token(
        seeded: Flask, line_world: LineWorld) -> None:
    _behind_one(seeded, line_world, "Utogether1", 6)  # five fit in one reply, the sixth goes next
    took = [(r.json["replyToken"], len(r.json["messages"])) for r in line_world.sent("/v2/bot/message/reply")]
    assert took == [("token-0", 1), ("token-5", 5), ("token-6", 1)]
    assert _said(line_world) == [f"ข้อความ {n}" for n in range(7)]


def test_a_reply_line_refuses_does_not_take_the_replies_waiting_beside_it(
        seeded: Flask, line_world: LineWorld) -> None:
    _behind_one(seeded, line_world, "Urefused01", 3, faults=(400,))  # the three together refused (one bad message)
    took = [(r.json["replyToken"], r.status) for r in line_world.sent("/v2/bot/message/reply")]
    assert took == [("token-0", 200), ("token-3", 400), ("token-1", 200), ("token-2", 200), ("token-3", 200)]
    assert _said(line_world) == [f"ข้อความ {n}" for n in range(4)]


def test_replies_line_refused_together_are_not_sent_again_past_their_tokens_life(
        seeded: Flask, line_world: LineWorld, caplog: pytest.LogCaptureFixture) -> None:
    line_world.delay = 0.3
    replies = Replies(seeded.extensions["line"], senders=1, token_life=0.5, depth=8)
    replies.send("Ulate00001", "late-0", [text("ข้อความ 0")], "late-0")
    _in_flight(line_world, "late-0")
    line_world.faults = [400]  # the two behind it, together, refused after they have waited 0.6 s
    for n in (1, 2):
        replies.send("Ulate00001", f"late-{n}", [text(f"ข้อความ {n}")], f"late-{n}")
    with caplog.at_level(logging.WARNING, logger="bot.line.replies"):
        assert replies.flush()
    took = [(r.json["replyToken"], r.status) for r in line_world.sent("/v2/bot/message/reply")]
    assert took == [("late-0", 200), ("late-2", 400)]
    assert sum("past its token's life" in record.getMessage() for record in caplog.records) == 2


def test_a_groups_reply_leaves_alone_on_its_own_token_beside_a_members_waiting_ones(
        seeded: Flask, line_world: LineWorld) -> None:
    """Replies wait in the lane of the chat they show in: the bot's greeting to a group it was added to, sent while
    the member who added it has replies waiting, is never joined to theirs (which would show it in their chat)."""
    registered(seeded, "Ugroupie01")
    line_world.delay = 0.3
    client = seeded.test_client()
    private = [text_event("Ugroupie01", "สวัสดีครับ") for _ in range(3)]
    joined = {**text_event("Ugroupie01", ""), "type": "join", "source": {"type": "group", "groupId": "Cgroup0001"}}
    del joined["message"]
    for n, sent in enumerate([private[0], private[1], joined, private[2]]):
        body, signature = _signed(sent)
        assert client.post("/callback", data=body, headers={"x-line-signature": signature},
                           content_type="application/json").status_code == 200
        if n == 0:
            _in_flight(line_world, private[0]["replyToken"])
    assert seeded.extensions["replies"].flush()
    took = [r.json["replyToken"] for r in line_world.sent("/v2/bot/message/reply") if r.accepted]
    assert joined["replyToken"] in took
    assert took.count(joined["replyToken"]) == 1
    group_reply = next(r.json for r in line_world.sent("/v2/bot/message/reply") if r.accepted
                       and r.json["replyToken"] == joined["replyToken"])
    assert len(group_reply["messages"]) == 1  # the greeting alone: none of the member's replies with it
    theirs = [r.json for r in line_world.sent("/v2/bot/message/reply") if r.accepted
              and r.json["replyToken"] in {sent["replyToken"] for sent in private}]
    assert sum(len(body["messages"]) for body in theirs) == 3  # the member's three answers, in their own chat
    assert theirs[-1]["replyToken"] == private[2]["replyToken"]  # the two behind the first left together


def test_senders_start_as_members_need_them_and_stop_when_quiet(
        seeded: Flask, line_world: LineWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.line import replies as module

    monkeypatch.setattr(module, "IDLE", 0.3)
    line_world.delay = 0.1
    replies = Replies(seeded.extensions["line"], senders=8)
    assert replies.running == 0
    before = set(threading.enumerate())  # other tests' apps' senders may be winding down beside this one
    for n in range(3):
        replies.send(f"Uquiet{n:04d}", f"quiet-{n}", [text("สวัสดีครับ")], f"quiet-{n}")
    assert replies.running == 3 and replies.alive
    assert replies.flush()
    assert replies.running == 0
    deadline = time.monotonic() + 5

    def ours() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "line-replies" and t not in before]

    while (replies.alive or ours()) and time.monotonic() < deadline:  # the thread ends just after it is retired
        time.sleep(0.05)
    assert not replies.alive, "a quiet process keeps the senders' thread"
    assert not ours()
    replies.send("Uquiet0000", "again", [text("สวัสดีครับ")], "again")  # and a new one starts when needed
    assert replies.alive
    assert replies.flush()
    assert sorted(r.json["replyToken"] for r in line_world.sent("/v2/bot/message/reply")) == [
        "again", "quiet-0", "quiet-1", "quiet-2"]
