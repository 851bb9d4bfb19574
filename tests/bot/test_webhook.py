"""POST /callback at the process boundary: LINE's own fixture, signatures, bad bodies, redelivery."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.event import listen, remove
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.conversation import Conversation
from models.events import ProcessedEvent
from models.member import Member
from tests.support import Chat, post_events, registered, sign, text_event, texts

# LINE's own fixture from line-bot-sdk-python, copied unchanged (see tests/data/line/SOURCE.md); ours is
# tests/data/line/webhook-events.json, replayed by tests/bot/test_fixture_events.py.
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "line" / "line-sdk-webhook.json"


def _rows(db: Session) -> tuple[int, int]:
    return db.scalar(select(func.count()).select_from(ProcessedEvent)) or 0, db.scalar(
        select(func.count()).select_from(Member)
    ) or 0


def test_lines_own_fixture_replays_with_200_and_no_errors(
    seeded: Flask, db: Session, line_world: LineWorld, caplog: pytest.LogCaptureFixture
) -> None:
    events = json.loads(FIXTURE.read_text())["events"]
    assert len(events) == 28
    for event in events:  # the fixture shares one id and one reply token among all its events
        event["webhookEventId"] = uuid.uuid4().hex
        if "replyToken" in event:
            event["replyToken"] = uuid.uuid4().hex
    with caplog.at_level(logging.WARNING):
        for event in events:
            response = post_events(seeded.test_client(), [event])
            assert response.status_code == 200, (event["type"], response.data)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r for r in caplog.records if r.name.startswith("bot")] == [], "no warnings from the bot either"
    assert line_world.rejected() == []
    assert _rows(db)[0] == 28
    replies = line_world.sent("/v2/bot/message/reply")
    assert replies, "text, follow, join and postback events are answered"
    for reply in replies:
        assert 1 <= len(reply.json["messages"]) <= 5


def test_follow_welcomes_and_unfollow_marks_inactive(chat: Chat, db: Session) -> None:
    assert "ลงทะเบียน" in texts(chat.follow())
    chat.unfollow()
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    assert member is not None and member.active is False


def test_a_member_who_blocked_and_writes_again_is_active_again(chat: Chat, db: Session) -> None:
    chat.follow()
    chat.unfollow()
    chat.say("สวัสดีครับ")
    member = db.scalar(select(Member).where(Member.line_user_id == chat.user_id))
    assert member is not None and member.active is True


@pytest.mark.parametrize(
    "signature",
    [None, "", "not-base64!", sign(b"other body"), "SIGNED-WITH-OTHER-SECRET"],
    ids=["missing", "empty", "garbage", "other-body", "other-secret"],
)
def test_bad_signature_is_400_and_writes_nothing(
    seeded: Flask, db: Session, line_world: LineWorld, signature: str | None
) -> None:
    body = json.dumps({"destination": "U", "events": [text_event("Uforged", "สวัสดี")]}).encode()
    if signature == "SIGNED-WITH-OTHER-SECRET":
        signature = sign(body, "another-channel-secret")
    headers = {} if signature is None else {"x-line-signature": signature}
    response = seeded.test_client().post("/callback", data=body, headers=headers)
    assert response.status_code == 400
    assert _rows(db) == (0, 0)
    assert line_world.requests == []


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"events": "nope"}', "ไม่ใช่ json".encode(), b"\xff\xfe"])
def test_malformed_body_is_400_and_writes_nothing(seeded: Flask, db: Session, body: bytes) -> None:
    response = seeded.test_client().post("/callback", data=body, headers={"x-line-signature": sign(body)})
    assert response.status_code == 400
    assert _rows(db) == (0, 0)


def test_body_over_one_megabyte_is_413(seeded: Flask, db: Session) -> None:
    body = json.dumps({"events": [], "padding": "x" * (1024 * 1024)}).encode()
    response = seeded.test_client().post("/callback", data=body, headers={"x-line-signature": sign(body)})
    assert response.status_code == 413
    assert _rows(db) == (0, 0)


def test_only_post_is_taken_and_other_paths_stay_flasks(seeded: Flask, db: Session, line_world: LineWorld) -> None:
    """The webhook answers in front of Flask (bot.web.webhook.Webhook): a GET of it is refused as Flask would refuse
    it, and the next path is still the web app's."""
    web = seeded.test_client()
    refused = web.get("/callback")
    assert refused.status_code == 405 and refused.headers["Allow"] == "POST"
    assert web.get("/callback/").status_code == 404
    assert web.get("/healthz").status_code == 200
    assert _rows(db) == (0, 0)
    assert line_world.requests == []


def test_verify_ping_with_no_events_is_200(seeded: Flask, line_world: LineWorld) -> None:
    assert post_events(seeded.test_client(), []).status_code == 200
    assert line_world.requests == []


def test_redelivered_event_changes_nothing(seeded: Flask, db: Session, line_world: LineWorld) -> None:
    event = text_event("Uredelivered", "สวัสดี")
    assert post_events(seeded.test_client(), [event]).status_code == 200
    event["deliveryContext"] = {"isRedelivery": True}
    assert post_events(seeded.test_client(), [event]).status_code == 200
    assert _rows(db) == (1, 1)
    assert len(line_world.sent("/v2/bot/message/reply")) == 1


def test_a_members_turn_starts_with_one_statement_on_postgresql(
    seeded: Flask, db: Session, line_world: LineWorld
) -> None:
    """The event's claim and the member's row (with any open question) come in one statement on PostgreSQL, a
    data-modifying WITH; SQLite has none, and two statements in its own process cost no round trip. Redelivered,
    the same statement claims nothing and the event changes nothing."""
    registered(seeded, "Uknown")
    Chat(seeded, line_world, "Uknown").say("ตั้งเตือนราคา")  # an open question, read back with the member
    assert db.scalar(select(func.count()).select_from(Conversation)) == 1
    engine = seeded.extensions["engine"]
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event = text_event("Uknown", "ราคายางวันนี้")
    listen(engine, "before_cursor_execute", seen)
    try:
        assert post_events(seeded.test_client(), [event]).status_code == 200
        assert post_events(seeded.test_client(), [event]).status_code == 200
    finally:
        remove(engine, "before_cursor_execute", seen)
    starts = [s for s in statements if "processed_events" in s or "FROM members" in s]
    first = 1 if engine.dialect.name == "postgresql" else 2
    assert len(starts) == first + 1, starts  # a redelivery's claim inserts nothing, and nothing more is read
    if engine.dialect.name == "postgresql":
        assert all("processed_events" in s and "conversations" in s for s in starts)
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 2
    replies = line_world.sent("/v2/bot/message/reply")
    assert len(replies) == 2 and "ราคา" in texts(replies[-1].json["messages"])


def test_one_failing_event_does_not_disturb_the_others(
    seeded: Flask, db: Session, line_world: LineWorld, caplog: pytest.LogCaptureFixture
) -> None:
    broken = text_event("Ubroken", "สวัสดี")
    broken["source"] = {"type": "user", "userId": "U" + "x" * 100}  # too long for the column on PostgreSQL
    good = text_event("Ugood", "สวัสดี")
    with caplog.at_level(logging.ERROR):
        response = post_events(seeded.test_client(), [broken, good])
    assert response.status_code == 200
    members = db.scalars(select(Member.line_user_id)).all()
    assert "Ugood" in members
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    if "U" + "x" * 100 not in members:  # SQLite does not enforce VARCHAR lengths
        assert failures and broken["webhookEventId"] in failures[0].getMessage()
        assert "สวัสดี" not in caplog.text


def test_healthz_reports_the_database(seeded: Flask) -> None:
    response = seeded.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": True}


def test_sandbox_is_not_mounted_unless_enabled(seeded: Flask) -> None:
    assert seeded.test_client().get("/sandbox").status_code == 404
    assert seeded.test_client().post("/sandbox/line/v2/bot/message/reply").status_code == 404
