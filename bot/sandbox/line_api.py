"""A local server that speaks the parts of LINE's Messaging API the bot uses, and records every request.

The sandbox mounts it inside the app at /sandbox/line; tests run it on its own loopback port. It answers
as LINE does: 409 for a repeated X-Line-Retry-Key, 401 without the channel token, and LINE's error
body where a request breaks LINE's rules.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    json: Any
    body: bytes


@dataclass
class LineWorld:
    """What the local LINE knows: requests seen, retry keys used, profiles, quota, faults to inject."""

    token: str
    requests: list[Recorded] = field(default_factory=list)
    retry_keys: set[str] = field(default_factory=set)
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    quota: int | None = None
    usage: int = 0
    faults: list[int] = field(default_factory=list)
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent(self, path_suffix: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path.endswith(path_suffix)]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.retry_keys.clear()
            self.faults.clear()
            self.usage = 0
            self.quota = None


def error(status: int, message: str, details: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


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
        with world.lock:
            world.requests.append(recorded)
            fault = world.faults.pop(0) if world.faults else None
        if request.headers.get("Authorization") != f"Bearer {world.token}":
            return error(401, "Authentication failed. Confirm that the access token in the authorization header is valid.")  # noqa: E501
        if fault:
            return error(fault, "Injected fault")
        return None

    def pushed(recipients: int) -> Response:
        key = request.headers.get("X-Line-Retry-Key")
        with world.lock:
            if key and key in world.retry_keys:
                return error(409, "The retry key is already accepted")
            if key:
                world.retry_keys.add(key)
            world.usage += recipients
        return sent_messages()

    def sent_messages() -> Response:
        messages = (request.get_json(silent=True) or {}).get("messages", [])
        return jsonify({"sentMessages": [{"id": uuid.uuid4().hex[:18], "quoteToken": "q"} for _ in messages]})

    @bp.post("/v2/bot/message/reply")
    def reply() -> Response:
        return sent_messages()

    @bp.post("/v2/bot/message/push")
    def push() -> Response:
        return pushed(1)

    @bp.post("/v2/bot/message/multicast")
    def multicast() -> Response:
        return pushed(len((request.get_json(silent=True) or {}).get("to", [])))

    @bp.get("/v2/bot/profile/<user_id>")
    def profile(user_id: str) -> Response:
        # LINE knows every friend's profile; one not set up by a test gets a plain Thai one.
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
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        world.rich_menus[menu_id] = {"menu": request.get_json(silent=True), "image": None}
        return jsonify({"richMenuId": menu_id})

    @bp.post("/v2/bot/richmenu/<menu_id>/content")
    def upload_rich_menu_image(menu_id: str) -> Response:
        if menu_id not in world.rich_menus:
            return error(404, "Not found")
        world.rich_menus[menu_id]["image"] = request.get_data()
        return jsonify({})

    @bp.post("/v2/bot/user/all/richmenu/<menu_id>")
    def set_default_rich_menu(menu_id: str) -> Response:
        if menu_id not in world.rich_menus:
            return error(404, "Not found")
        world.default_rich_menu = menu_id
        return jsonify({})

    return bp


def create_line_api(world: LineWorld) -> Flask:
    """The local LINE API as an app of its own, for tests and benchmarks on a loopback port."""
    app = Flask(__name__)
    app.register_blueprint(blueprint(world))
    return app
