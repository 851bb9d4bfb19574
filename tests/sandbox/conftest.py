"""The bot with its sandbox, served over real HTTP on a free loopback port, talking to the tests' local LINE."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from bot import create_app
from bot.sandbox.line_api import LineWorld


@dataclass
class Sandbox:
    app: Flask
    url: str

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


@pytest.fixture
def sandbox(seeded: Flask, config: dict[str, str], line_world: LineWorld) -> Iterator[Sandbox]:
    app = create_app({**config, "COOPBOT_SANDBOX": "1"})
    # The bot sends to the tests' local LINE on its own port; the page must read what that one received.
    app.extensions["line_world"] = line_world
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Sandbox(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(5)
        app.extensions["engine"].dispose()
