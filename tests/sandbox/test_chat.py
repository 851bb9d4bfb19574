"""The sandbox chat endpoints over real HTTP: members, typed Thai and pressed buttons through the real signed
/callback, and what the member's phone shows (replies, pushes, multicasts, LINE's refusals)."""

from __future__ import annotations

import urllib.request
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.events import ProcessedEvent
from models.member import Member, member_by_line_id
from models.outbox import queue
from tests.sandbox.conftest import Sandbox


def texts(entries: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("altText") for e in entries for m in e.get("messages", [])]


def join(sandbox: Sandbox, name: str = "สมศรี มีสุข", **form: Any) -> dict[str, Any]:
    status, answer = sandbox.post("/sandbox/api/members", {"name": name, "language": "th", "role": "member", **form})
    assert status == 200, answer
    return dict(answer)


def test_a_new_member_is_a_row_with_their_role_then_follows_through_the_webhook(
    sandbox: Sandbox, db: Session, line_world: LineWorld
) -> None:
    joined = join(sandbox, "ประยูร ขยันดี", role="coordinator", center="DIST-01", registered=True,
                  district="กงหรา")
    member = member_by_line_id(db, joined["user"])
    assert member is not None and member.role == "coordinator" and member.center and member.center.code == "DIST-01"
    assert member.registered and member.district == "กงหรา" and member.language == "th"
    assert joined["webhook"] == 200
    assert db.scalar(select(ProcessedEvent.event_type)) == "follow"
    (welcome,) = joined["entries"]
    assert welcome["from"] == "bot" and welcome["via"] == "reply" and welcome["messages"]
    assert line_world.profiles[joined["user"]] == {"displayName": "ประยูร ขยันดี", "language": "th"}


def test_typed_thai_goes_through_the_signed_webhook_and_the_greeting_comes_back(
    sandbox: Sandbox, db: Session, line_world: LineWorld
) -> None:
    user = join(sandbox)["user"]
    status, answer = sandbox.post("/sandbox/api/send", {"user": user, "text": "สวัสดีครับ"})
    assert status == 200 and answer["webhook"] == 200
    me, bot = answer["entries"][-2:]
    assert me == {**me, "from": "me", "text": "สวัสดีครับ"}
    assert bot["from"] == "bot" and "สวัสดี" in bot["messages"][0]["text"]
    assert answer["ms"] < 1000
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 2  # follow, then the message
    (sent,) = [r for r in line_world.sent("/v2/bot/message/reply") if r.json["messages"] == bot["messages"]]
    assert sent.accepted


def test_a_pressed_button_sends_its_postback_and_shows_its_display_text(sandbox: Sandbox) -> None:
    user = join(sandbox)["user"]
    greeting = sandbox.post("/sandbox/api/send", {"user": user, "text": "สวัสดีครับ"})[1]["entries"][-1]
    action = greeting["messages"][-1]["quickReply"]["items"][-1]["action"]
    status, answer = sandbox.post("/sandbox/api/send", {"user": user, "data": action["data"],
                                                         "displayText": action["displayText"]})
    assert status == 200 and answer["webhook"] == 200
    me, bot = answer["entries"][-2:]
    assert me["text"] == action["displayText"] and bot["from"] == "bot"
    assert texts([bot]) != texts([greeting]), "the postback was understood as its own intent"


def test_each_phone_shows_its_own_replies_pushes_and_multicasts(sandbox: Sandbox, db: Session) -> None:
    somsri, somchai = join(sandbox, "สมศรี")["user"], join(sandbox, "สมชาย")["user"]
    card = {"type": "flex", "altText": "ราคายางวันนี้", "contents": {"type": "bubble", "body": {
        "type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "58.00 บาท"}]}}}
    queue(db, [somsri], [card], "test")
    queue(db, [somsri, somchai], [{"type": "text", "text": "ประชุมสหกรณ์พรุ่งนี้"}], "test")
    db.commit()
    sandbox.app.extensions["outbox"].drain()
    mine = sandbox.get(f"/sandbox/api/timeline?user={somsri}")["entries"]
    theirs = sandbox.get(f"/sandbox/api/timeline?user={somchai}")["entries"]
    assert [e["via"] for e in mine] == ["reply", "push", "multicast"]
    assert [e["via"] for e in theirs] == ["reply", "multicast"]
    assert texts(mine[1:]) == ["ราคายางวันนี้", "ประชุมสหกรณ์พรุ่งนี้"]


def test_a_message_line_refuses_shows_on_the_phone_with_lines_reason(sandbox: Sandbox, db: Session) -> None:
    user = join(sandbox)["user"]
    queue(db, [user], [{"type": "text", "text": "ก" * 5001}], "test")
    db.commit()
    sandbox.app.extensions["outbox"].drain()
    refused = sandbox.get(f"/sandbox/api/timeline?user={user}")["entries"][-1]
    assert refused["status"] == 400 and refused["via"] == "push"
    assert refused["error"]["details"][0]["property"] == "messages[0].text"


def test_bad_requests_to_the_sandbox_change_nothing(sandbox: Sandbox, db: Session) -> None:
    assert sandbox.post("/sandbox/api/members", {"name": "", "role": "member"})[0] == 400
    assert sandbox.post("/sandbox/api/members", {"name": "ก", "role": "king"})[0] == 400
    assert sandbox.post("/sandbox/api/members", {"name": "ก", "role": "coordinator"})[0] == 400
    assert sandbox.post("/sandbox/api/send", {"user": "", "text": "สวัสดี"})[0] == 400
    assert db.scalar(select(func.count()).select_from(Member)) == 0
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def test_the_page_its_thai_font_and_the_default_rich_menu(sandbox: Sandbox, line_world: LineWorld) -> None:
    with urllib.request.urlopen(sandbox.url + "/sandbox", timeout=10) as page:
        assert page.status == 200 and b"sandbox.js" in page.read()
    with urllib.request.urlopen(sandbox.url + "/fonts/regular.ttf", timeout=10) as font:
        assert font.headers["Content-Type"] == "font/ttf" and font.read(4) == b"\x00\x01\x00\x00"
    line_world.default_rich_menu = None
    shown = sandbox.get("/sandbox/api/richmenu")
    assert shown["id"] == line_world.default_rich_menu, "the sandbox deployed the bot's rich menu"
    assert len(shown["menu"]["areas"]) == 6
    with urllib.request.urlopen(sandbox.url + shown["image"], timeout=10) as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
