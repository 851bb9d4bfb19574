"""LINE's rules for request bodies: the SDK's request models, plus the documented limits its OpenAPI omits.

Each check returns LINE's error details, `[{"message": …, "property": "messages[0].text"}]`; an empty list
means LINE would accept the body. Messages and properties follow what LINE answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from linebot.v3.messaging import (
    Message,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)
from pydantic.v1 import ValidationError

Detail = dict[str, str]

MESSAGES = 5
TEXT_UTF16 = 5000
QUICK_REPLY_ITEMS = 13
QUICK_REPLY_LABEL = 20
POSTBACK_DATA = 300
ACTION_TEXT = 300
ALT_TEXT = 1500
CAROUSEL_BUBBLES = 12
MULTICAST_TO = 500
RICH_MENU_AREAS = 20
CHAT_BAR_TEXT = 14
MESSAGE_TYPES = "[text, image, video, audio, location, sticker, template, imagemap, flex]"
IMAGE_URL = 2000
# LINE fetches images only over https. The sandbox's own chat page shows http images from this machine, so
# loopback addresses pass here; LINE itself could not reach them at all.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def utf16_units(text: str) -> int:
    """LINE counts text in UTF-16 code units: a Thai vowel or tone mark is a unit of its own, an emoji two."""
    return len(text.encode("utf-16-le")) // 2


def _size(items: Any, low: int, high: int, prop: str) -> list[Detail]:
    if not isinstance(items, list) or not low <= len(items) <= high:
        return [{"message": f"Size must be between {low} and {high}", "property": prop}]
    return []


def _length(value: Any, high: int, prop: str, count: Callable[[str], int] = len, low: int = 0) -> list[Detail]:
    if isinstance(value, str) and not low <= count(value) <= high:
        if low and not value:
            return [{"message": "May not be empty", "property": prop}]
        return [{"message": f"Length must be between {low} and {high}", "property": prop}]
    return []


def _action(action: Any, prop: str) -> list[Detail]:
    if not isinstance(action, dict):
        return []
    details = []
    if action.get("type") == "postback":
        details += _length(action.get("data"), POSTBACK_DATA, f"{prop}.data")
        details += _length(action.get("displayText"), ACTION_TEXT, f"{prop}.displayText")
    if action.get("type") == "message":
        details += _length(action.get("text"), ACTION_TEXT, f"{prop}.text", low=1)
    return details


def _actions_within(node: Any, prop: str) -> list[Detail]:
    """Every action anywhere in a message (Flex buttons, boxes, templates, imagemaps) obeys the action limits."""
    details: list[Detail] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("action", "defaultAction"):
                details += _action(value, f"{prop}.{key}")
            if key != "quickReply":
                details += _actions_within(value, f"{prop}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            details += _actions_within(value, f"{prop}[{i}]")
    return details


def _image_url(url: Any, prop: str) -> list[Detail]:
    if not isinstance(url, str):
        return []
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.hostname not in LOOPBACK:
        return [{"message": "must be https", "property": prop}]
    return _length(url, IMAGE_URL, prop)


def _quick_reply(quick: Any, prop: str) -> list[Detail]:
    if not isinstance(quick, dict):
        return []
    items = quick.get("items")
    details = _size(items, 1, QUICK_REPLY_ITEMS, f"{prop}.items")
    for i, item in enumerate(items if isinstance(items, list) else []):
        action = item.get("action") if isinstance(item, dict) else None
        where = f"{prop}.items[{i}].action"
        if isinstance(action, dict):
            details += _length(action.get("label"), QUICK_REPLY_LABEL, f"{where}.label", low=1)
        details += _action(action, where)
    return details


def message(msg: Any, prop: str) -> list[Detail]:
    """LINE's documented limits for one message object."""
    if not isinstance(msg, dict):
        return [{"message": "Must be an object", "property": prop}]
    details: list[Detail] = []
    kind = msg.get("type")
    if kind == "text":
        text = msg.get("text")
        if not isinstance(text, str) or not text:
            details.append({"message": "May not be empty", "property": f"{prop}.text"})
        else:
            details += _length(text, TEXT_UTF16, f"{prop}.text", count=utf16_units)
    elif kind == "flex":
        details += _length(msg.get("altText"), ALT_TEXT, f"{prop}.altText", low=1)
        contents = msg.get("contents")
        if isinstance(contents, dict) and contents.get("type") == "carousel":
            details += _size(contents.get("contents"), 1, CAROUSEL_BUBBLES, f"{prop}.contents.contents")
    elif kind == "template":
        details += _length(msg.get("altText"), 400, f"{prop}.altText", low=1)
    elif kind == "image":
        for key in ("originalContentUrl", "previewImageUrl"):
            details += _image_url(msg.get(key), f"{prop}.{key}")
    details += _quick_reply(msg.get("quickReply"), f"{prop}.quickReply")
    details += _actions_within({k: v for k, v in msg.items() if k != "quickReply"}, prop)
    return details


def _sdk(model: Callable[[dict[str, Any]], Any], body: dict[str, Any], prop: str = "") -> list[Detail]:
    """Structural checks by the SDK's own request models (types, required fields, enumerations)."""
    try:
        model(body)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            where = ".".join(str(part) for part in err["loc"] if part != "__root__")
            out.append({"message": _pydantic_message(err), "property": ".".join(p for p in (prop, where) if p)})
        return out
    except ValueError as exc:  # the SDK's discriminator: an unknown message or action type
        if "discriminator" in str(exc):
            return [{"message": f"Must be one of the following values: {MESSAGE_TYPES}", "property": f"{prop}.type"}]
        return [{"message": str(exc)[:200], "property": prop}]
    except (KeyError, TypeError, AttributeError) as exc:
        missing = exc.args[0] if isinstance(exc, KeyError) and exc.args else ""
        where = ".".join(p for p in (prop, str(missing)) if p)
        return [{"message": "Must be specified", "property": where}]
    return []


def _pydantic_message(err: Mapping[str, Any]) -> str:
    """The SDK's (pydantic's) complaint in LINE's words."""
    kind, limit = str(err.get("type", "")), (err.get("ctx") or {}).get("limit_value")
    if kind in ("value_error.missing", "type_error.none.not_allowed"):
        return "Must be specified"
    if kind == "value_error.any_str.max_length":
        return f"Length must be between 0 and {limit}"
    if kind == "value_error.list.max_items":
        return f"Size must be between 0 and {limit}"
    return str(err.get("msg", "Invalid value")).capitalize()


def _messages(body: dict[str, Any]) -> list[Detail]:
    messages = body.get("messages")
    details = _size(messages, 1, MESSAGES, "messages")
    for i, msg in enumerate(messages if isinstance(messages, list) else []):
        details += message(msg, f"messages[{i}]")
    if details or not isinstance(messages, list):
        return details
    # Checked message by message so that an error names the message it is in.
    for i, msg in enumerate(messages):
        details += _sdk(Message.from_dict, msg, f"messages[{i}]")
    return details


def reply(body: dict[str, Any]) -> list[Detail]:
    details = _messages(body)
    if not isinstance(body.get("replyToken"), str) or not body["replyToken"]:
        details.append({"message": "May not be empty", "property": "replyToken"})
    return details or _sdk(ReplyMessageRequest.from_dict, body)


def push(body: dict[str, Any]) -> list[Detail]:
    details = _messages(body)
    if not isinstance(body.get("to"), str) or not body["to"]:
        details.append({"message": "May not be empty", "property": "to"})
    return details or _sdk(PushMessageRequest.from_dict, body)


def multicast(body: dict[str, Any]) -> list[Detail]:
    details = _size(body.get("to"), 1, MULTICAST_TO, "to") + _messages(body)
    return details or _sdk(MulticastRequest.from_dict, body)


def rich_menu(body: dict[str, Any]) -> list[Detail]:
    size: dict[str, Any] = body["size"] if isinstance(body.get("size"), dict) else {}
    width, height = size.get("width"), size.get("height")
    details: list[Detail] = []
    if not isinstance(width, int) or not 800 <= width <= 2500:
        details.append({"message": "Must be between 800 and 2500", "property": "size.width"})
    if not isinstance(height, int) or height < 250:
        details.append({"message": "Must be 250 or more", "property": "size.height"})
    elif isinstance(width, int) and width / height < 1.45:
        details.append({"message": "Width/height ratio must be 1.45 or more", "property": "size"})
    details += _length(body.get("chatBarText"), CHAT_BAR_TEXT, "chatBarText", low=1)
    details += _length(body.get("name"), 300, "name", low=1)
    areas = body.get("areas")
    details += _size(areas, 0, RICH_MENU_AREAS, "areas")
    for i, area in enumerate(areas if isinstance(areas, list) else []):
        bounds = area.get("bounds", {}) if isinstance(area, dict) else {}
        known = isinstance(width, int) and isinstance(height, int)
        if known and all(isinstance(bounds.get(k), int) for k in ("x", "y", "width", "height")) and (
            bounds["x"] + bounds["width"] > width or bounds["y"] + bounds["height"] > height
        ):
            details.append({"message": "Must be within the rich menu", "property": f"areas[{i}].bounds"})
        details += _action(area.get("action") if isinstance(area, dict) else None, f"areas[{i}].action")
    return details or _sdk(RichMenuRequest.from_dict, body)


def error_body(details: list[Detail]) -> dict[str, Any]:
    return {"message": f"The request body has {len(details)} error(s)", "details": details}
