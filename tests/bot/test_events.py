"""A member's plain text is read without pydantic's walk (bot.line.events.text_message): property, it is the very
model the SDK's parser makes of the same event, or it declines and the SDK reads it; what the SDK refuses, it
refuses too."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from linebot.v3.webhooks import Event, MessageEvent

from bot.line.events import parse, text_message

FIXTURE = Path(__file__).parents[1] / "data" / "line" / "webhook-events.json"
TEXT_EVENT: dict[str, Any] = {
    "type": "message", "mode": "active", "timestamp": 1764633600000, "webhookEventId": "01JDQ4Y5Y0AAAAAAAAAAAAAAAA",
    "source": {"type": "user", "userId": "U4af4980629a0e4f1f5c0d6d2f1a0c0a1"},
    "deliveryContext": {"isRedelivery": False}, "replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
    "message": {"type": "text", "id": "468789577898262530", "quoteToken": "q3Plxr4AgKd", "text": "ราคายางวันนี้"},
}
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
PATHS = st.sampled_from([(), ("type",), ("mode",), ("timestamp",), ("webhookEventId",), ("replyToken",), ("source",),
                         ("source", "type"), ("source", "userId"), ("deliveryContext",),
                         ("deliveryContext", "isRedelivery"), ("message",), ("message", "type"), ("message", "id"),
                         ("message", "text"), ("message", "quoteToken"), ("message", "quotedMessageId"),
                         ("message", "emojis"), ("source", "groupId"), ("extra",)])


def _sdk(raw: dict[str, Any]) -> Event | None:
    try:
        return Event.from_dict(raw)
    except Exception:
        return None


def _changed(path: tuple[str, ...], value: Any, drop: bool) -> dict[str, Any]:
    raw = copy.deepcopy(TEXT_EVENT)
    if not path:
        return raw
    *parents, last = path
    node: Any = raw
    for key in parents:
        node = node[key]
    if drop:
        node.pop(last, None)
    else:
        node[last] = value
    return raw


@settings(max_examples=400, deadline=None)
@given(PATHS, JSON | st.sampled_from(["user", "group", "text", "message", "standby", "active", 7, True]),
       st.booleans())
def test_the_same_model_as_the_sdk_or_none(path: tuple[str, ...], value: Any, drop: bool) -> None:
    raw = _changed(path, value, drop)
    sdk, fast = _sdk(copy.deepcopy(raw)), text_message(raw)
    if fast is not None:
        assert sdk is not None, "read an event the SDK refuses"
        assert type(fast) is type(sdk) and fast == sdk and fast.to_dict() == sdk.to_dict()


def test_a_plain_text_takes_the_fast_way_and_reads_the_same() -> None:
    quoting = {**TEXT_EVENT["message"], "quotedMessageId": "4687895778982625", "text": ""}
    for raw in (TEXT_EVENT, {**TEXT_EVENT, "mode": "standby", "replyToken": None}, {**TEXT_EVENT, "message": quoting}):
        fast = text_message(copy.deepcopy(raw))
        assert isinstance(fast, MessageEvent)
        assert fast == Event.from_dict(copy.deepcopy(raw))


def test_unencodable_characters_are_replaced_as_on_the_sdks_way() -> None:
    raw = {**TEXT_EVENT, "message": {**TEXT_EVENT["message"], "text": "ราคา\ud800ยาง\x00"}}
    event = parse(raw)
    assert isinstance(event, MessageEvent) and event.message.text == "ราคา\ufffdยาง\ufffd"


def test_the_fixtures_plain_texts_read_as_the_sdk_reads_them() -> None:
    events = json.loads(FIXTURE.read_text())["events"]
    fast = [(raw, text_message(copy.deepcopy(raw))) for raw in events]
    taken = [(raw, event) for raw, event in fast if event is not None]
    assert taken, "the fixture's plain text from a user takes the fast way"
    assert len(taken) < len(events), "and the rest (emojis, mentions, groups, stickers, follows) the SDK's"
    for raw, event in taken:
        assert event == _sdk(copy.deepcopy(raw))
