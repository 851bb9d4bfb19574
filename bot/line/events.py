"""One event of a webhook body read into the SDK's model, its strings made storable; a malformed one skipped."""

from __future__ import annotations

import logging
import re
from typing import Any

from linebot.v3.models.events import UnknownEvent
from linebot.v3.webhooks import DeliveryContext, Event, EventMode, MessageEvent, TextMessageContent, UserSource

log = logging.getLogger(__name__)
EVENT_ID_LENGTH = 64  # models.events.ProcessedEvent.webhook_event_id; LINE's own ids have 26 characters
# A lone UTF-16 surrogate (JSON's "\ud800") has no UTF-8 form, so neither the database nor a reply can carry
# it; PostgreSQL refuses a NUL in text and in JSON. Both become U+FFFD where the event is read.
_UNENCODABLE = re.compile("[\ud800-\udfff\x00]")
# What a member's plain typed message holds (LINE's webhook reference); anything more (emojis, a mention, a field
# newer than this list) is read by the SDK's own parser.
_TEXT_EVENT = frozenset({"type", "mode", "timestamp", "source", "webhookEventId", "deliveryContext", "replyToken",
                         "message"})
_TEXT_MESSAGE = frozenset({"type", "id", "text", "quoteToken", "quotedMessageId", "markAsReadToken"})
_MODES = {mode.value: mode for mode in EventMode}


def clean(value: Any) -> Any:
    """Every string in a parsed webhook event (or any JSON value) with unencodable characters replaced."""
    if isinstance(value, str):
        return _UNENCODABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {clean(key): clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def parse(raw: Any) -> Event | None:
    """One event of a webhook body as the SDK's model, its strings cleaned; None when it is malformed: logged by
    its type and id only (never its text) and skipped, so that the rest of its body goes on."""
    kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
    event_id = raw.get("webhookEventId") if isinstance(raw, dict) else None
    try:
        event = text_message(raw)
        if event is None:
            event = _by_sdk(raw)
    except Exception:  # pydantic's ValidationError, a nested type the SDK does not know, any other bad shape
        event = None  # not logged: the SDK's messages quote the whole event, text and all
    identified = isinstance(event_id, str) and 0 < len(event_id) <= EVENT_ID_LENGTH
    if event is None or not identified:
        log.warning("webhook: malformed event skipped: type %.40r, id %.70r", kind, event_id)
        return None
    return event


def _by_sdk(raw: Any) -> Event:
    if isinstance(raw, dict) and not Event.get_discriminator_value(raw):
        # a type newer than the SDK: recorded all the same (as the SDK's own parser does), and left alone
        log.info("webhook: event of a type the SDK does not know: type %.40r, id %.70r", raw.get("type"),
                 raw.get("webhookEventId"))
        return UnknownEvent.new_from_json_dict(clean(raw))
    return Event.from_dict(clean(raw))


def text_message(raw: Any) -> MessageEvent | None:
    """A member's plain text in their one-to-one chat, the webhook's commonest event, as the very model
    `Event.from_dict(clean(raw))` makes, built without pydantic's validation walk (three quarters of the cost of
    reading an event) once every field is checked to be of the type the model declares; None for any other shape."""
    if not (isinstance(raw, dict) and raw.keys() <= _TEXT_EVENT and raw.get("type") == "message"):
        return None
    source, context, message, mode = raw.get("source"), raw.get("deliveryContext"), raw.get("message"), raw.get("mode")
    stamp, event_id, token = raw.get("timestamp"), raw.get("webhookEventId"), raw.get("replyToken")
    if not (isinstance(source, dict) and source.keys() == {"type", "userId"} and source["type"] == "user"
            and isinstance(context, dict) and context.keys() == {"isRedelivery"}
            and isinstance(message, dict) and message.keys() <= _TEXT_MESSAGE and message.get("type") == "text"
            and type(stamp) is int and type(context["isRedelivery"]) is bool and type(mode) is str and mode in _MODES
            and _strings(source["userId"], event_id, message.get("id"), message.get("text"),
                         message.get("quoteToken"))
            and _strings(token, message.get("quotedMessageId"), message.get("markAsReadToken"), optional=True)):
        return None
    return MessageEvent.construct(
        type="message", timestamp=stamp, mode=_MODES[mode], webhook_event_id=clean(event_id),
        source=UserSource.construct(type="user", user_id=clean(source["userId"])),
        delivery_context=DeliveryContext.construct(is_redelivery=context["isRedelivery"]),
        reply_token=clean(token),
        message=TextMessageContent.construct(
            type="text", id=clean(message["id"]), text=clean(message["text"]), quote_token=clean(message["quoteToken"]),
            emojis=None, mention=None, quoted_message_id=clean(message.get("quotedMessageId")),
            mark_as_read_token=clean(message.get("markAsReadToken"))))


def _strings(*values: Any, optional: bool = False) -> bool:
    return all(type(value) is str or (optional and value is None) for value in values)
