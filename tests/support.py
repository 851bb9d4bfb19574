"""Test plumbing at the process boundary: signed webhook bodies, a local LINE API on a real port, transcripts, and a
loopback proxy in front of the database that can play its restart."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import struct
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from bot.sandbox.line_api import LineWorld, create_line_api
from bot.sandbox.phone import event, postback_event, text_event

CHANNEL_SECRET = "test-channel-secret"
CHANNEL_TOKEN = "test-access-token"


def sign(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@contextmanager
def serve_line_api(world: LineWorld) -> Iterator[str]:
    """Run the local LINE API on a free loopback port; yields its base URL."""
    with serve(create_line_api(world)) as url:
        yield url


@contextmanager
def serve(app: Any, port: int = 0) -> Iterator[str]:
    """Serve a WSGI app over real HTTP on a loopback port (a free one by default); yields its base URL."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


class Restartable:
    """A loopback TCP proxy in front of a server (PostgreSQL) that restarts as the server does: `down()` cuts every
    open connection and refuses new ones (the port is closed), `up()` accepts again on the same port. Clients see
    exactly what a server restart shows them; the server behind sees its clients vanish and rolls them back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._accepting = threading.Event()
        self._listener: threading.Thread | None = None
        self._refusing = 0
        self.up()

    def refuse(self, count: int) -> None:
        """Cut the next `count` new connections as they open, as a server still starting (or too busy) does."""
        with self._lock:
            self._refusing = count

    def up(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._accepting.set()
        self._listener = threading.Thread(target=self._accept, args=(listener,), name="proxy-accept", daemon=True)
        self._listener.start()

    def down(self) -> None:
        self._accepting.clear()
        if self._listener is not None:
            self._listener.join(5)
        with self._lock:
            cut, self._open = self._open, set()
        for sock in cut:
            _close(sock, reset=True)

    def close(self) -> None:
        self.down()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._accepting.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                with self._lock:
                    refused, self._refusing = self._refusing > 0, max(0, self._refusing - 1)
                if refused:
                    _close(client, reset=True)
                    continue
                try:
                    server = socket.create_connection(self.target, timeout=5)
                except OSError:
                    _close(client, reset=True)
                    continue
                client.settimeout(None)
                server.settimeout(None)
                with self._lock:
                    self._open.update((client, server))
                for source, sink in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(source, sink), name="proxy-pump", daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            ours = source in self._open
            self._open.difference_update((source, sink))
        if ours:  # one side hung up: so does the other, once what it was sent has gone (down() cuts its own)
            _close(sink)
            _close(source)


def _close(sock: socket.socket, reset: bool = False) -> None:
    """Close, waking any thread blocked on the socket; with `reset`, at once (RST), dropping what is unsent."""
    try:
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def post_events(client: FlaskClient, events: list[dict[str, Any]], secret: str = CHANNEL_SECRET) -> Any:
    """Post a signed webhook body, as LINE does; returns once the replies it caused have reached LINE (they are
    sent after the webhook has answered, bot.line.replies)."""
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    response = client.post("/callback", data=body, headers={"x-line-signature": sign(body, secret)},
                           content_type="application/json")
    assert client.application.extensions["replies"].flush(), "replies still queued after 10 s"
    return response


@dataclass
class Chat:
    """A member's conversation through the real webhook, read back from what the local LINE API received."""

    app: Flask
    world: LineWorld
    user_id: str = field(default_factory=lambda: "U" + uuid.uuid4().hex)

    def send(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        response = post_events(self.app.test_client(), [body])
        assert response.status_code == 200, response.data
        token = body.get("replyToken")
        replies = [r for r in self.world.sent("/v2/bot/message/reply") if r.json["replyToken"] == token]
        assert len(replies) <= 1, "a reply token must be used once"
        if not replies:
            return []
        assert replies[0].accepted, f"LINE refused the reply: {replies[0].response}"
        return list(replies[0].json["messages"])

    def say(self, text: str) -> list[dict[str, Any]]:
        return self.send(text_event(self.user_id, text))

    def press(self, data: str) -> list[dict[str, Any]]:
        return self.send(postback_event(self.user_id, data))

    def follow(self) -> list[dict[str, Any]]:
        return self.send(event("follow", self.user_id, follow={"isUnblocked": False}))

    def unfollow(self) -> list[dict[str, Any]]:
        body = event("unfollow", self.user_id)
        del body["replyToken"]
        return self.send(body)


def texts(messages: list[dict[str, Any]]) -> str:
    """Everything a phone would show as text, joined, for transcript assertions."""
    return "\n".join(m.get("text") or m.get("altText") or "" for m in messages)


def buttons(messages: list[dict[str, Any]]) -> list[str]:
    """The labels of the quick-reply buttons under the last message."""
    if not messages or not messages[-1].get("quickReply"):
        return []
    return [item["action"]["label"] for item in messages[-1]["quickReply"]["items"]]


def button_data(messages: list[dict[str, Any]], label: str) -> str:
    for item in messages[-1]["quickReply"]["items"]:
        if item["action"]["label"] == label:
            return str(item["action"].get("data") or item["action"].get("text"))
    raise AssertionError(f"no button {label!r} in {buttons(messages)}")


def registered(app: Flask, user_id: str, district: str = "ควนขนุน", role: str = "member",
               center_code: str | None = None, language: str | None = None) -> int:
    """Test set-up: a member who has registered and consented (rows, as registration would leave them)."""
    from datetime import UTC, datetime

    from models.member import Member
    from models.network import center_by_code, district_cooperative

    with app.extensions["sessions"]() as db, db.begin():
        center = center_by_code(db, center_code) if center_code else None
        member = Member(
            line_user_id=user_id, name=f"สมาชิก {user_id[-4:]}", display_name="ทดสอบ", district=district,
            cooperative=district_cooperative(db, district), role=role, center=center, language=language,
            consent_at=datetime.now(UTC), active=True,
        )
        db.add(member)
        db.flush()
        return member.id


def many_members(app: Flask, count: int, prefix: str = "U") -> list[str]:
    """Test set-up: `count` registered members of Khuan Khanun's cooperative, inserted at once."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from models.member import Member
    from models.network import district_cooperative

    ids = [f"{prefix}{i:032x}" for i in range(count)]
    with app.extensions["sessions"]() as db, db.begin():
        cooperative = district_cooperative(db, "ควนขนุน")
        assert cooperative is not None
        db.execute(insert(Member), [
            {"line_user_id": user, "name": f"สมาชิก {n}", "district": "ควนขนุน", "cooperative_id": cooperative.id,
             "role": "member", "consent_at": datetime.now(UTC), "active": True}
            for n, user in enumerate(ids)
        ])
    return ids
