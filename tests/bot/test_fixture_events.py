"""Our own webhook fixture (tests/data/line/webhook-events.json): one event of every kind LINE documents, in
every source and mode, as LINE sends them. The SDK must read each into its own class, and POST /callback must
take every one with a 200 and no error."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from linebot.v3.models.events import UnknownEvent
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import (
    AllMentionee,
    AttachedModuleContent,
    AudioMessageContent,
    DetachedModuleContent,
    Event,
    FileMessageContent,
    GroupSource,
    ImageMessageContent,
    JoinedMembershipContent,
    LeftMembershipContent,
    LocationMessageContent,
    RenewedMembershipContent,
    RoomSource,
    StickerMessageContent,
    TextMessageContent,
    UserMentionee,
    UserSource,
    VideoMessageContent,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.events import ProcessedEvent
from tests.support import CHANNEL_SECRET, sign

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "line" / "webhook-events.json"
# The event types of LINE's webhook.yml (the Event discriminator), from which the SDK's models are generated.
DOCUMENTED = {
    "message", "unsend", "follow", "unfollow", "join", "leave", "memberJoined", "memberLeft", "postback",
    "videoPlayComplete", "beacon", "accountLink", "membership", "module", "activated", "deactivated",
    "botSuspended", "botResumed", "delivery",
}
# LINE sends these too, but webhook.yml does not list them: an edited message (the SDK knows it) and LINE
# Things' device events (the SDK's v3 models do not: they arrive as UnknownEvent, and must still do no harm).
UNDOCUMENTED = {"messageEdited", "things"}
SDK_UNKNOWN = {"things"}
CONTENTS = {"text": TextMessageContent, "image": ImageMessageContent, "video": VideoMessageContent,
            "audio": AudioMessageContent, "file": FileMessageContent, "location": LocationMessageContent,
            "sticker": StickerMessageContent}
SOURCES = {"user": UserSource, "group": GroupSource, "room": RoomSource}
MENTIONEES = {"user": UserMentionee, "all": AllMentionee}
MEMBERSHIPS = {"joined": JoinedMembershipContent, "left": LeftMembershipContent, "renewed": RenewedMembershipContent}
MODULES = {"attached": AttachedModuleContent, "detached": DetachedModuleContent}


def _fixture() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return body


def _post(app: Flask, body: dict[str, Any]) -> Any:
    raw = json.dumps(body, ensure_ascii=False).encode()
    response = app.test_client().post("/callback", data=raw, headers={"x-line-signature": sign(raw)},
                                      content_type="application/json")
    assert app.extensions["replies"].flush()  # replies leave after the webhook has answered
    return response


def _values(events: list[dict[str, Any]], *path: str) -> set[Any]:
    found = set()
    for event in events:
        value: Any = event
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            found.add(value)
    return found


def test_the_fixture_holds_every_kind_of_event_line_documents() -> None:
    body = _fixture()
    events = body["events"]
    assert body["destination"].startswith("U") and len(body["destination"]) == 33
    assert {e["type"] for e in events} == DOCUMENTED | UNDOCUMENTED
    assert all(Event.get_discriminator_value({"type": kind}) for kind in DOCUMENTED), "the SDK knows them all"
    messages = [e["message"] for e in events if e["type"] == "message"]
    assert {m["type"] for m in messages} == set(CONTENTS)
    texts = [m for m in messages if m["type"] == "text"]
    assert any(m.get("emojis") for m in texts) and any(m.get("quotedMessageId") for m in texts)
    assert {p["type"] for m in texts for p in m.get("mention", {}).get("mentionees", [])} == set(MENTIONEES)
    assert _values(events, "source", "type") == set(SOURCES)
    assert {e["mode"] for e in events} == {"active", "standby"}
    assert _values(events, "follow", "isUnblocked") == {True, False}
    params = {key for e in events if e["type"] == "postback" for key in e["postback"].get("params", {})}
    assert params == {"date", "time", "datetime", "newRichMenuAliasId", "status"}
    assert _values(events, "beacon", "type") == {"enter", "banner", "stay"}
    assert _values(events, "link", "result") == {"ok", "failed"}
    assert _values(events, "things", "type") == {"link", "unlink", "scenarioResult"}
    assert _values(events, "membership", "type") == set(MEMBERSHIPS)
    assert _values(events, "module", "type") == set(MODULES)
    assert _values(events, "deliveryContext", "isRedelivery") == {True, False}
    ids = [e["webhookEventId"] for e in events]
    tokens = [e["replyToken"] for e in events if "replyToken" in e]
    assert len(set(ids)) == len(ids) and len(set(tokens)) == len(tokens), "each event is one of its own"


def test_the_sdk_parses_every_event_it_knows_into_its_own_class() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    raw = json.loads(text)["events"]
    parsed = WebhookParser(CHANNEL_SECRET).parse(text, sign(text.encode()))
    assert len(parsed) == len(raw)
    for item, event in zip(raw, parsed, strict=True):
        where = (item["type"], item["webhookEventId"])
        known = Event.get_discriminator_value(item)
        if item["type"] in SDK_UNKNOWN:
            assert known is None and type(event) is UnknownEvent, where
            continue
        # A known type that fails the SDK's validation falls back to UnknownEvent: that would be a wrong shape.
        assert known is not None and type(event).__name__ == known, (where, type(event))
        assert json.loads(event.to_json()) == item, f"{where}: a field the SDK does not read back as written"
        if "source" in item:
            assert type(event.source) is SOURCES[item["source"]["type"]], where
        if item["type"] in ("message", "messageEdited"):
            assert type(event.message) is CONTENTS[item["message"]["type"]], where
            for mentionee in event.message.mention.mentionees if getattr(event.message, "mention", None) else []:
                assert type(mentionee) is MENTIONEES[mentionee.type], where
        if item["type"] == "membership":
            assert type(event.membership) is MEMBERSHIPS[item["membership"]["type"]], where
        if item["type"] == "module":
            assert type(event.module) is MODULES[item["module"]["type"]], where


def test_every_event_of_our_fixture_is_taken_with_200_and_no_errors(
    seeded: Flask, db: Session, line_world: LineWorld, caplog: pytest.LogCaptureFixture
) -> None:
    body = _fixture()
    events = body["events"]
    with caplog.at_level(logging.WARNING):
        for event in events:  # one body per event, so that a failure names its event
            response = _post(seeded, {"destination": body["destination"], "events": [event]})
            assert response.status_code == 200, (event["type"], event["webhookEventId"], response.data)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r for r in caplog.records if r.name.startswith("bot")] == [], "no warnings from the bot either"
    assert line_world.rejected() == []
    active = [e for e in events if e["mode"] == "active"]
    assert {e["webhookEventId"] for e in active} <= set(db.scalars(select(ProcessedEvent.webhook_event_id)))

    replies = line_world.sent("/v2/bot/message/reply")
    tokens = [r.json["replyToken"] for r in replies]
    assert len(tokens) == len(set(tokens)) and set(tokens) <= {e.get("replyToken") for e in events}
    for reply in replies:
        assert 1 <= len(reply.json["messages"]) <= 5
    answered = {e["replyToken"] for e in active if e["type"] == "join"
                or (e["type"] in ("message", "follow", "postback") and e["source"]["type"] == "user")}
    assert answered and answered <= set(tokens), "a member's messages, follows and presses, and a join, are answered"

    before = len(line_world.requests)
    with caplog.at_level(logging.WARNING):
        again = _post(seeded, body)  # the whole file at once, as LINE batches: every event already handled
    assert again.status_code == 200
    assert line_world.requests[before:] == [], "a redelivered event changes nothing and sends nothing"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
