"""The sandbox's phone: it sends what a member does as LINE would (a signed webhook to the real /callback)
and shows what LINE delivered to that member (replies to its reply tokens, pushes, multicasts)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.line_api import LineWorld, Recorded

DESTINATION = "U" + "0" * 31 + "1"  # the bot's own user id, as LINE puts it in every webhook body
HISTORY = 200


class CallbackUnreachable(Exception):
    """The bot's own /callback did not answer the sandbox."""


def event(kind: str, user_id: str, **fields: Any) -> dict[str, Any]:
    """One webhook event from a user, as LINE sends it: a fresh webhookEventId and reply token."""
    return {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        **fields,
    }


def text_event(user_id: str, text: str) -> dict[str, Any]:
    message = {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text, "quoteToken": uuid.uuid4().hex}
    return event("message", user_id, message=message)


def postback_event(user_id: str, data: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    postback: dict[str, Any] = {"data": data}
    if params:
        postback["params"] = params
    return event("postback", user_id, postback=postback)


def follow_event(user_id: str) -> dict[str, Any]:
    return event("follow", user_id, follow={"isUnblocked": False})


def signed(events: list[dict[str, Any]], secret: str) -> tuple[bytes, str]:
    body = json.dumps({"destination": DESTINATION, "events": events}, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return body, signature


def post_callback(url: str, body: bytes, signature: str, timeout: float = 10.0) -> int:
    """POST a webhook body to the bot over HTTP, as LINE's servers do; returns the HTTP status."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "x-line-signature": signature,
        "User-Agent": "LineBotWebhook/2.0",
    }
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, TimeoutError) as exc:
        # e.g. one sync worker cannot take a request while it waits for its own: say so instead of a 500.
        raise CallbackUnreachable(f"the sandbox could not reach {url}: {exc}") from None


@dataclass
class Said:
    id: str
    user_id: str
    text: str
    at: float = field(default_factory=time.time)


@dataclass
class Phone:
    """What members did in the sandbox, and which reply token LINE gave to whom."""

    said: list[Said] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)
    menu_tried: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sends(self, body: dict[str, Any], shown: str | None) -> None:
        """Remember an event before it goes out: its reply token is this member's, `shown` their bubble."""
        user_id = body["source"]["userId"]
        with self.lock:
            if body.get("replyToken"):
                self.owners[body["replyToken"]] = user_id
            if shown:
                self.said.append(Said(id=f"s{len(self.said)}", user_id=user_id, text=shown))

    def timeline(self, world: LineWorld, user_id: str) -> list[dict[str, Any]]:
        """What the member's phone shows, oldest first: their own bubbles and everything LINE delivered."""
        with self.lock:
            entries: list[dict[str, Any]] = [
                {"id": s.id, "at": s.at, "from": "me", "text": s.text} for s in self.said if s.user_id == user_id
            ]
            owners = dict(self.owners)
        for index, recorded in enumerate(world.since(0)):
            via = _delivered_to(recorded, user_id, owners)
            if via is None or recorded.status in (0, 409):
                continue
            entry: dict[str, Any] = {"id": f"r{index}", "at": recorded.at, "from": "bot", "via": via}
            if recorded.accepted:
                entry["messages"] = recorded.json["messages"]
            else:
                entry.update(status=recorded.status, error=recorded.response)
            entries.append(entry)
        entries.sort(key=lambda e: float(e["at"]))
        return entries[-HISTORY:]


def _delivered_to(recorded: Recorded, user_id: str, owners: dict[str, str]) -> str | None:
    body = recorded.json if isinstance(recorded.json, dict) else {}
    if recorded.method != "POST":
        return None
    if recorded.path.endswith("/v2/bot/message/reply"):
        token = body.get("replyToken")
        return "reply" if isinstance(token, str) and owners.get(token) == user_id else None
    if recorded.path.endswith("/v2/bot/message/push"):
        return "push" if body.get("to") == user_id else None
    if recorded.path.endswith("/v2/bot/message/multicast"):
        to = body.get("to")
        return "multicast" if isinstance(to, list) and user_id in to else None
    return None
