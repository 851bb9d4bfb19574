"""A local server that speaks the parts of LINE's Messaging API the bot uses, and records every request.

The sandbox mounts it inside the app at /sandbox/line; tests run it on its own loopback port. It answers
as LINE does: 401 without the channel token, 409 for an X-Line-Retry-Key LINE took within the last 24 hours
(with the first request's id in x-line-accepted-request-id, nothing sent again), 400 "Invalid reply token"
for a reply token used twice, and 400 with LINE's error body (see bot.sandbox.rules) where a request breaks
LINE's rules. It can make trouble as LINE does (bot.sandbox.faults: 5xx, time-outs, 429 for a while), and
counts by recipient what it took (`LineWorld.received`), whatever the caller was answered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, Response, g, jsonify, request
from PIL import Image, UnidentifiedImageError

from bot.sandbox import rules
from bot.sandbox.faults import RATE_LIMITED, Failure, Trouble

IMAGE_TYPES = ("image/jpeg", "image/png")
IMAGE_BYTES = 1024 * 1024
RETRY_KEY_LIFE = 24 * 60 * 60  # seconds LINE remembers a retry key it took


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    json: Any
    body: bytes
    status: int = 0
    response: Any = None
    at: float = field(default_factory=time.time)

    @property
    def accepted(self) -> bool:
        return self.status == 200


@dataclass
class LineWorld:
    """What the local LINE knows: requests seen, retry keys used, profiles, quota, faults to inject."""

    token: str
    requests: list[Recorded] = field(default_factory=list)
    retry_keys: dict[str, tuple[float, str]] = field(default_factory=dict)  # taken: when, the request's id
    reply_tokens: set[str] = field(default_factory=set)
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    quota: int | None = None
    usage: int = 0
    # Answers to the next calls that send or change something (not reads such as the quota), in order; 0 is none.
    faults: list[int | tuple[int, str]] = field(default_factory=list)
    refused_users: set[str] = field(default_factory=set)  # ids LINE refuses (another channel's, say)
    trouble: Trouble = field(default_factory=Trouble)  # 5xx, time-outs and 429s on sending calls, by chance
    delivered: Counter[str] = field(default_factory=Counter)  # recipients of every push and multicast LINE took
    clock: Callable[[], float] = time.time  # LINE's clock, for the life of retry keys
    on_profile: Callable[[str], None] | None = None  # a test's look at the bot while LINE is asked for a profile
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    channel_secret: str = ""
    webhook_endpoint: str = ""
    delay: float = 0.0  # seconds LINE takes to answer each call, as a slow or distant LINE does
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent(self, path_suffix: str) -> list[Recorded]:
        """Every request to a path ending so, in order, whatever LINE answered (see Recorded.status)."""
        with self.lock:
            return [r for r in self.requests if r.path.endswith(path_suffix)]

    def rejected(self) -> list[Recorded]:
        """Requests LINE refused: a test that expects none can show LINE's reasons."""
        with self.lock:
            return [r for r in self.requests if r.status and not r.accepted]

    def received(self) -> Counter[str]:
        """Recipients LINE took a push or multicast for, each counted as often as it was taken: whatever the
        caller was answered (a call can fail after LINE took it), this is what members' phones show."""
        with self.lock:
            return Counter(self.delivered)

    def took(self, retry_key: str) -> None:
        """LINE took a call with this retry key (a test's way of saying: before the caller heard back)."""
        with self.lock:
            self.retry_keys[retry_key] = (self.clock(), uuid.uuid4().hex)

    def since(self, index: int) -> list[Recorded]:
        with self.lock:
            return self.requests[index:]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.retry_keys.clear()
            self.reply_tokens.clear()
            self.faults.clear()
            self.usage = 0
            self.quota = None
            self.refused_users.clear()
            self.on_profile = None
            self.delivered.clear()
            self.trouble = Trouble()
            self.clock = time.time
            self.delay = 0.0


def error(status: int, message: str, details: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def _invalid(details: list[dict[str, str]]) -> Response:
    response = jsonify(rules.error_body(details))
    response.status_code = 400
    return response


def _body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _checked(check: Callable[[dict[str, Any]], list[dict[str, str]]]) -> tuple[dict[str, Any], Response | None]:
    body = _body()
    if body is None:
        return {}, error(400, "The request body could not be parsed as a JSON object")
    details = check(body)
    return body, (_invalid(details) if details else None)


def _failed(failure: Failure, stall: float) -> Response:
    if failure.timeout:  # the caller has given up by the time this is answered
        time.sleep(stall)
    return error(failure.status, "Internal server error" if failure.status == 500 else "Service unavailable")


def _valid_retry_key(key: str) -> bool:
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True


def blueprint(world: LineWorld) -> Blueprint:
    bp = Blueprint("line_api", __name__)

    @bp.before_request
    def record_and_authorize() -> Response | None:
        recorded = Recorded(
            method=request.method,
            path=request.path,
            headers={k.lower(): v for k, v in request.headers.items()},
            json=request.get_json(silent=True),
            body=request.get_data(),
        )
        g.line_recorded = recorded
        g.line_request_id = uuid.uuid4().hex
        with world.lock:
            world.requests.append(recorded)
            fault = world.faults.pop(0) if world.faults and request.method != "GET" else None
        if world.delay:
            time.sleep(world.delay)
        if request.headers.get("Authorization") != f"Bearer {world.token}":
            return error(401, "Authentication failed. Confirm that the access token in the authorization header is valid.")  # noqa: E501
        if fault:
            status, message = fault if isinstance(fault, tuple) else (fault, "Injected fault")
            return error(status, message)
        return None

    @bp.after_request
    def remember_answer(response: Response) -> Response:
        recorded: Recorded | None = g.pop("line_recorded", None)
        response.headers["X-Line-Request-Id"] = g.pop("line_request_id", "")
        if recorded is not None:
            recorded.response = response.get_json(silent=True)
            recorded.status = response.status_code  # set last: readers poll for it
        return response

    def sent_messages(body: dict[str, Any]) -> Response:
        return jsonify({"sentMessages": [{"id": uuid.uuid4().hex[:18], "quoteToken": "q"} for _ in body["messages"]]})

    def pushed(check: Callable[[dict[str, Any]], list[dict[str, str]]], recipients: Callable[[Any], int]) -> Response:
        body, refusal = _checked(check)
        if refusal is not None:
            return refusal
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None and not _valid_retry_key(key):
            return error(400, "The retry key must be a UUID", [{"message": "Invalid UUID", "property": "X-Line-Retry-Key"}])  # noqa: E501
        to = [body["to"]] if isinstance(body["to"], str) else body["to"]
        refused = [i for i, user in enumerate(to) if user in world.refused_users]
        if refused:
            prop = "to" if isinstance(body["to"], str) else f"to[{refused[0]}]"
            return error(400, "The request body has 1 error(s)", [{"message": "Invalid user id", "property": prop}])
        trouble = world.trouble
        if trouble.delay:
            time.sleep(trouble.delay)
        if trouble.throttled():
            return error(429, RATE_LIMITED)
        failure = trouble.draw()
        if failure is not None and not failure.taken:
            return _failed(failure, trouble.stall)
        with world.lock:
            taken = world.retry_keys.get(key) if key else None
            if taken is not None and world.clock() - taken[0] < RETRY_KEY_LIFE:
                conflict = error(409, "The retry key is already accepted")
                conflict.headers["X-Line-Accepted-Request-Id"] = taken[1]
                return conflict
            if world.quota is not None and world.usage + recipients(body["to"]) > world.quota:
                return error(429, "You have reached your monthly limit.")
            if key:
                world.retry_keys[key] = (world.clock(), g.line_request_id)
            world.usage += recipients(body["to"])
            world.delivered.update(to)
        if failure is not None:  # taken, and then the answer is lost
            return _failed(failure, trouble.stall)
        return sent_messages(body)

    @bp.post("/v2/bot/message/reply")
    def reply() -> Response:
        body, refusal = _checked(rules.reply)
        if refusal is not None:
            return refusal
        with world.lock:
            if body["replyToken"] in world.reply_tokens:
                return error(400, "Invalid reply token")
            world.reply_tokens.add(body["replyToken"])
        return sent_messages(body)

    @bp.post("/v2/bot/message/push")
    def push() -> Response:
        return pushed(rules.push, lambda to: 1)

    @bp.post("/v2/bot/message/multicast")
    def multicast() -> Response:
        return pushed(rules.multicast, len)

    @bp.get("/v2/bot/profile/<user_id>")
    def profile(user_id: str) -> Response:
        # LINE knows every friend's profile; one not set up by a test gets a plain Thai one.
        if world.on_profile is not None:
            world.on_profile(user_id)
        known = world.profiles.get(user_id, {"displayName": f"ผู้ใช้ {user_id[-4:]}", "language": "th"})
        return jsonify({"userId": user_id, **known})

    @bp.get("/v2/bot/message/quota")
    def quota() -> Response:
        if world.quota is None:
            return jsonify({"type": "none"})
        return jsonify({"type": "limited", "value": world.quota})

    @bp.get("/v2/bot/message/quota/consumption")
    def consumption() -> Response:
        return jsonify({"totalUsage": world.usage})

    @bp.post("/v2/bot/richmenu")
    def create_rich_menu() -> Response:
        body, refusal = _checked(rules.rich_menu)
        if refusal is not None:
            return refusal
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        with world.lock:
            world.rich_menus[menu_id] = {"menu": body, "image": None, "content_type": None}
        return jsonify({"richMenuId": menu_id})

    @bp.post("/v2/bot/richmenu/<menu_id>/content")
    def upload_rich_menu_image(menu_id: str) -> Response:
        menu = world.rich_menus.get(menu_id)
        if menu is None:
            return error(404, "Not found")
        content_type = (request.content_type or "").split(";")[0].strip()
        if content_type not in IMAGE_TYPES:
            return error(415, "Unsupported Media Type: use image/jpeg or image/png")
        image = request.get_data()
        if len(image) > IMAGE_BYTES:
            return error(413, "Request Entity Too Large: a rich menu image is at most 1 MB")
        if menu["image"] is not None:
            return error(400, "An image has already been uploaded to the richmenu")
        if _image_size(image) != (menu["menu"]["size"]["width"], menu["menu"]["size"]["height"]):
            return error(400, "The image size must be the same as the rich menu's size")
        menu["image"], menu["content_type"] = image, content_type
        return jsonify({})

    @bp.post("/v2/bot/user/all/richmenu/<menu_id>")
    def set_default_rich_menu(menu_id: str) -> Response:
        menu = world.rich_menus.get(menu_id)
        if menu is None:
            return error(404, "Not found")
        if menu["image"] is None:
            return error(400, "An image must be uploaded to the rich menu before it is used")
        world.default_rich_menu = menu_id
        return jsonify({})

    @bp.put("/v2/bot/channel/webhook/endpoint")
    def set_webhook_endpoint() -> Response:
        endpoint = str((request.get_json(silent=True) or {}).get("endpoint", ""))
        if not endpoint.startswith("https://") and not endpoint.startswith("http://127.0.0.1"):
            return _invalid([{"message": "Must be a valid HTTPS URL", "property": "endpoint"}])
        world.webhook_endpoint = endpoint
        return jsonify({})

    @bp.get("/v2/bot/channel/webhook/endpoint")
    def get_webhook_endpoint() -> Response:
        return jsonify({"endpoint": world.webhook_endpoint, "active": bool(world.webhook_endpoint)})

    @bp.post("/v2/bot/channel/webhook/test")
    def test_webhook_endpoint() -> Response:
        """As LINE does: send the endpoint a signed body with no events and report how it answered."""
        endpoint = str((request.get_json(silent=True) or {}).get("endpoint") or world.webhook_endpoint)
        body = json.dumps({"destination": "Usandbox", "events": []}).encode()
        signature = base64.b64encode(hmac.new(world.channel_secret.encode(), body, hashlib.sha256).digest())
        probe = urllib.request.Request(endpoint, data=body, method="POST", headers={
            "Content-Type": "application/json", "x-line-signature": signature.decode()})
        try:
            with urllib.request.urlopen(probe, timeout=5) as answer:
                status, reason = answer.status, "OK"
        except urllib.error.HTTPError as exc:
            status, reason = exc.code, "ERROR_STATUS_CODE"
        except (urllib.error.URLError, OSError):
            status, reason = 0, "COULD_NOT_CONNECT"
        return jsonify({"success": status == 200, "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "statusCode": status, "reason": reason, "detail": str(status)})

    return bp


def _image_size(image: bytes) -> tuple[int, int]:
    """The image's pixel size; (0, 0) when it is no image LINE could read."""
    try:
        with Image.open(io.BytesIO(image)) as picture:
            return picture.size
    except (UnidentifiedImageError, OSError):
        return (0, 0)


def create_line_api(world: LineWorld) -> Flask:
    """The local LINE API as an app of its own, for tests and benchmarks on a loopback port."""
    app = Flask(__name__)
    app.register_blueprint(blueprint(world))
    return app
