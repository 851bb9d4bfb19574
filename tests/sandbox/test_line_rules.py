"""The local LINE API over real HTTP refuses what LINE refuses, with LINE's error body, and takes the rest."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
from flask import Flask
from linebot.v3.messaging import TextMessage
from PIL import Image

from bot.line import Line, LineError
from bot.sandbox.line_api import LineWorld
from tests.support import CHANNEL_TOKEN


def call(url: str, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    all_headers = {"Authorization": f"Bearer {CHANNEL_TOKEN}", "Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(url + path, data=data, headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": body, **extra}


def quick(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"items": [{"type": "action", "action": a} for a in actions]}


def postback(label: str = "ราคายาง", data: str = "i=price.today") -> dict[str, Any]:
    return {"type": "postback", "label": label, "data": data, "displayText": label}


def bubble(action: dict[str, Any] | None = None) -> dict[str, Any]:
    button = {"type": "button", "action": action or postback()}
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "ยางแผ่นดิบ 58.00 บาท"}, button]}}


def flex(contents: dict[str, Any], alt: str = "ราคายางวันนี้") -> dict[str, Any]:
    return {"type": "flex", "altText": alt, "contents": contents}


def reply(*messages: dict[str, Any]) -> dict[str, Any]:
    return {"replyToken": uuid.uuid4().hex, "messages": list(messages)}


# น้ำ is one letter, a tone mark and a vowel: 3 UTF-16 units. 5,000 units that show as far fewer characters.
THAI_5000 = "น้ำ" * 1666 + "ยา"
BAD_REPLIES = [
    ("six messages", reply(*[text("ครับ")] * 6), "messages", "Size must be between 1 and 5"),
    ("no messages", reply(), "messages", "Size must be between 1 and 5"),
    ("Thai text of 5,001 UTF-16 units", reply(text(THAI_5000 + "ก")), "messages[0].text",
     "Length must be between 0 and 5000"),
    ("2,501 emoji are 5,002 units", reply(text("😀" * 2501)), "messages[0].text", "Length must be between 0 and 5000"),
    ("empty text", reply(text("")), "messages[0].text", "May not be empty"),
    ("fourteen quick replies", reply(text("เลือก", quickReply=quick(*[postback()] * 14))),
     "messages[0].quickReply.items", "Size must be between 1 and 13"),
    ("a 21-character label", reply(text("เลือก", quickReply=quick(postback(label="ก" * 21)))),
     "messages[0].quickReply.items[0].action.label", "Length must be between 1 and 20"),
    ("301 characters of postback data", reply(text("x", quickReply=quick(postback(data="d" * 301)))),
     "messages[0].quickReply.items[0].action.data", "Length must be between 0 and 300"),
    ("postback data in a Flex button", reply(flex(bubble(postback(data="d" * 301)))),
     "messages[0].contents.body.contents[1].action.data", "Length must be between 0 and 300"),
    ("altText of 1,501", reply(flex(bubble(), alt="ก" * 1501)), "messages[0].altText",
     "Length must be between 1 and 1500"),
    ("13 bubbles", reply(flex({"type": "carousel", "contents": [bubble()] * 13})), "messages[0].contents.contents",
     "Size must be between 1 and 12"),
    ("an unknown message type", reply({"type": "poster", "text": "x"}), "messages[0].type",
     "Must be one of the following values"),
    ("a text message without text", reply({"type": "text"}), "messages[0].text", "May not be empty"),
    ("a Flex message without contents", reply({"type": "flex", "altText": "x"}), "messages[0].contents",
     "Must be specified"),
    ("an image over http", reply({"type": "image", "originalContentUrl": "http://bot.example/a.png",
                                  "previewImageUrl": "https://bot.example/a.png"}),
     "messages[0].originalContentUrl", "must be https"),
]


@pytest.mark.parametrize(("case", "body", "prop", "message"), BAD_REPLIES, ids=[c[0] for c in BAD_REPLIES])
def test_a_reply_breaking_lines_rules_gets_400_with_lines_error_body(
    line_api_url: str, line_world: LineWorld, case: str, body: dict[str, Any], prop: str, message: str
) -> None:
    line_world.clear()
    status, answer = call(line_api_url, "/v2/bot/message/reply", body)
    assert status == 400, case
    assert answer["message"] == f"The request body has {len(answer['details'])} error(s)"
    assert prop in [d["property"] for d in answer["details"]], answer
    assert any(d["message"].startswith(message) for d in answer["details"]), answer
    assert line_world.rejected()[-1].response == answer


GOOD_REPLIES = [
    ("five messages", reply(*[text("ครับ")] * 5)),
    ("Thai text of exactly 5,000 units", reply(text(THAI_5000))),
    ("13 quick replies of 20 characters", reply(text("เลือก", quickReply=quick(*[postback(label="ก" * 20)] * 13)))),
    ("300 characters of postback data", reply(text("x", quickReply=quick(postback(data="d" * 300))))),
    ("a carousel of 12 with altText of 1,500", reply(flex({"type": "carousel", "contents": [bubble()] * 12},
                                                          alt="ก" * 1500))),
    ("an image", reply({"type": "image", "originalContentUrl": "https://bot.test/a.png",
                        "previewImageUrl": "https://bot.test/a.png"})),
    ("an http image of this machine, for the sandbox's page", reply({
        "type": "image", "originalContentUrl": "http://127.0.0.1:8000/a.png",
        "previewImageUrl": "http://127.0.0.1:8000/a.png"})),
]


@pytest.mark.parametrize(("case", "body"), GOOD_REPLIES, ids=[c[0] for c in GOOD_REPLIES])
def test_a_reply_within_the_limits_is_sent(line_api_url: str, case: str, body: dict[str, Any]) -> None:
    status, answer = call(line_api_url, "/v2/bot/message/reply", body)
    assert status == 200, answer
    assert len(answer["sentMessages"]) == len(body["messages"])


def test_a_reply_token_is_good_once(line_api_url: str, line_world: LineWorld) -> None:
    line_world.clear()
    body = reply(text("สวัสดีครับ"))
    assert call(line_api_url, "/v2/bot/message/reply", body)[0] == 200
    assert call(line_api_url, "/v2/bot/message/reply", body) == (400, {"message": "Invalid reply token"})


def test_a_reply_refused_for_its_body_leaves_the_token_usable(line_api_url: str) -> None:
    body = reply(text(""))
    assert call(line_api_url, "/v2/bot/message/reply", body)[0] == 400
    assert call(line_api_url, "/v2/bot/message/reply", {**body, "messages": [text("ครับ")]})[0] == 200


def test_multicast_takes_500_ids_and_refuses_501(line_api_url: str, line_world: LineWorld) -> None:
    line_world.clear()
    ids = [f"U{i:032x}" for i in range(501)]
    status, answer = call(line_api_url, "/v2/bot/message/multicast", {"to": ids, "messages": [text("ข่าว")]},
                          {"X-Line-Retry-Key": str(uuid.uuid4())})
    assert status == 400
    assert answer["details"] == [{"message": "Size must be between 1 and 500", "property": "to"}]
    assert line_world.usage == 0
    status, _ = call(line_api_url, "/v2/bot/message/multicast", {"to": ids[:500], "messages": [text("ข่าว")]},
                     {"X-Line-Retry-Key": str(uuid.uuid4())})
    assert status == 200 and line_world.usage == 500


def test_a_refused_push_neither_spends_quota_nor_uses_up_its_retry_key(
    line_api_url: str, line_world: LineWorld
) -> None:
    line_world.clear()
    key = {"X-Line-Retry-Key": str(uuid.uuid4())}
    assert call(line_api_url, "/v2/bot/message/push", {"to": "Ua", "messages": [text("")]}, key)[0] == 400
    assert call(line_api_url, "/v2/bot/message/push", {"to": "Ua", "messages": [text("ครับ")]}, key)[0] == 200
    assert call(line_api_url, "/v2/bot/message/push", {"to": "Ua", "messages": [text("ครับ")]}, key)[0] == 409
    assert line_world.usage == 1
    status, answer = call(line_api_url, "/v2/bot/message/push", {"messages": [text("ครับ")]})
    assert status == 400 and answer["details"][0]["property"] == "to"


def test_the_seam_surfaces_lines_reasons(app: Flask) -> None:
    line: Line = app.extensions["line"]
    with pytest.raises(LineError) as refused:
        line.send_reply(line.reply_json(uuid.uuid4().hex, [TextMessage(text="ก" * 5001)]))
    assert refused.value.status == 400 and "messages[0].text" in str(refused.value)


def _menu(**overrides: Any) -> dict[str, Any]:
    area = {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843}, "action": postback()}
    return {"size": {"width": 2500, "height": 843}, "selected": True, "name": "test", "chatBarText": "เมนู",
            "areas": [area], **overrides}


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#2E7D32").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("overrides", "prop"), [
    ({"chatBarText": "ก" * 15}, "chatBarText"),
    ({"size": {"width": 700, "height": 843}}, "size.width"),
    ({"areas": [{"bounds": {"x": 2000, "y": 0, "width": 1000, "height": 843}, "action": postback()}]},
     "areas[0].bounds"),
    ({"areas": [{"bounds": {"x": 0, "y": 0, "width": 10, "height": 10}, "action": postback()}] * 21}, "areas"),
])
def test_a_rich_menu_breaking_lines_rules_gets_400(line_api_url: str, overrides: dict[str, Any], prop: str) -> None:
    status, answer = call(line_api_url, "/v2/bot/richmenu", _menu(**overrides))
    assert status == 400 and prop in [d["property"] for d in answer["details"]], answer


def test_a_rich_menu_takes_one_image_of_its_own_size_before_it_is_the_default(line_api_url: str) -> None:
    status, created = call(line_api_url, "/v2/bot/richmenu", _menu())
    assert status == 200
    menu = created["richMenuId"]
    assert call(line_api_url, f"/v2/bot/user/all/richmenu/{menu}", b"")[0] == 400
    image = {"Content-Type": "image/png"}
    assert call(line_api_url, f"/v2/bot/richmenu/{menu}/content", _png(800, 270), image)[0] == 400
    assert call(line_api_url, f"/v2/bot/richmenu/{menu}/content", b"not a picture", image)[0] == 400
    assert call(line_api_url, f"/v2/bot/richmenu/{menu}/content", _png(2500, 843), {"Content-Type": "text/plain"}
                )[0] == 415
    assert call(line_api_url, f"/v2/bot/richmenu/{menu}/content", _png(2500, 843), image)[0] == 200
    assert call(line_api_url, f"/v2/bot/richmenu/{menu}/content", _png(2500, 843), image) == (
        400, {"message": "An image has already been uploaded to the richmenu"})
    assert call(line_api_url, f"/v2/bot/user/all/richmenu/{menu}", b"")[0] == 200
