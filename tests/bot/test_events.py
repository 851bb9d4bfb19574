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

from bot.line.events import clean, parse, text_message

FIXTURE = Path(__file__).parents[1] / "data" / "line" / "webhook-events.json"
TEXT_EVENT: dict[str, Any] = {
    "type": "message", "mode": "active", "timestamp": 1764633600000, "webhookEventId": "01JDQ4Y5Y0AAAAAAAAAAAAAAAA",
    "source": {"type": "user", "userId": "U4af4980629a0e4f1f5c0d6d2f1a0c0a1"},
    "deliveryContext": {"isRedelivery": False}, "replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
    "message": {"type": "text", "id": "468789577898262530", "quoteToken": "q3Plxr4AgKd", "text": "ราคายางวันนี้"},
}
# text with a character neither the database nor a reply can carry, which both ways turn into U+FFFD
UNENCODABLE = st.builds(lambda a, bad, b: a + bad + b, st.text(max_size=4),
                        st.sampled_from(["\x00", "\ud800", "\udfff"]), st.text(max_size=4))
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | UNENCODABLE,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
PATHS = st.sampled_from([(), ("type",), ("mode",), ("timestamp",), ("webhookEventId",), ("replyToken",), ("source",),
                         ("source", "type"), ("source", "userId"), ("deliveryContext",),
                         ("deliveryContext", "isRedelivery"), ("message",), ("message", "type"), ("message", "id"),
                         ("message", "text"), ("message", "quoteToken"), ("message", "quotedMessageId"),
                         ("message", "markAsReadToken"),
                         ("message", "emojis"), ("source", "groupId"), ("extra",)])


def _sdk(raw: dict[str, Any]) -> Event | None:
    """The SDK's reading of an event whose strings were made storable, as bot.line.events reads every other event."""
    try:
        return Event.from_dict(clean(copy.deepcopy(raw)))
    except Exception:
        return None


def _same(fast: Any, sdk: Any) -> None:
    """The same classes, values and enum members all the way down (repr shows them; pydantic's == compares dicts
    only), and the same fields set at each level."""
    assert repr(fast) == repr(sdk)
    for name in ("", "source", "delivery_context", "message"):
        a, b = (getattr(fast, name), getattr(sdk, name)) if name else (fast, sdk)
        assert a.__fields_set__ == b.__fields_set__, name or "event"


def _changed(event: dict[str, Any], path: tuple[str, ...], value: Any, drop: bool) -> dict[str, Any]:
    raw = copy.deepcopy(event)
    if not path:
        return raw
    *parents, last = path
    node: Any = raw
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return raw  # an earlier change replaced what held this field
    if drop:
        node.pop(last, None)
    else:
        node[last] = value
    return raw


CHANGE = st.tuples(PATHS, JSON | st.sampled_from(["user", "group", "text", "message", "standby", "active", 7, True]),
                   st.booleans())


@settings(max_examples=500, deadline=None)
@given(st.lists(CHANGE, min_size=1, max_size=3))
def test_the_same_model_as_the_sdk_or_none(changes: list[tuple[tuple[str, ...], Any, bool]]) -> None:
    raw = copy.deepcopy(TEXT_EVENT)
    for path, value, drop in changes:
        raw = _changed(raw, path, value, drop)
    sdk, fast = _sdk(raw), text_message(copy.deepcopy(raw))
    if fast is not None:
        assert sdk is not None, "read an event the SDK refuses"
        _same(fast, sdk)


def test_a_plain_text_takes_the_fast_way_and_reads_the_same() -> None:
    quoting = {**TEXT_EVENT["message"], "quotedMessageId": "4687895778982625", "text": ""}
    for raw in (TEXT_EVENT, {**TEXT_EVENT, "mode": "standby", "replyToken": None}, {**TEXT_EVENT, "message": quoting}):
        fast = text_message(copy.deepcopy(raw))
        assert isinstance(fast, MessageEvent)
        _same(fast, _sdk(raw))


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
        _same(event, _sdk(raw))
