"""A web worker told to stop (SIGTERM, as a deploy or a scale-down sends it) sends the replies still queued in
memory before it exits: the webhook had answered LINE 200 for their events, so nobody would send them again.
The web process is the Procfile's own gunicorn, one worker, against the test's database and local LINE API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from flask import Flask

from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import text_event
from tests.support import registered, sign
from tests.test_procfile import BIN, ROOT, _free_port, _processes

MEMBERS = 4
EACH = 5  # events per member; each member's replies leave one after another


@contextmanager
def gunicorn(config: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The Procfile's web process with one worker, answering /healthz; killed if the test leaves it running."""
    port = _free_port()
    env = {**os.environ, **config, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(ROOT), "PORT": str(port), "WEB_CONCURRENCY": "1"}
    command = "exec " + _processes()["web"].replace("0.0.0.0", "127.0.0.1")
    web = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                assert web.poll() is None, web.stderr.read().decode()[-3000:] if web.stderr else "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
                time.sleep(0.2)
        yield web, url
    finally:
        if web.poll() is None:
            web.kill()
        web.wait(10)
        if web.stderr is not None:
            web.stderr.close()


def _post(url: str, event: dict[str, object]) -> int:
    body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    request = urllib.request.Request(f"{url}/callback", data=body, method="POST", headers={
        "x-line-signature": sign(body), "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


@pytest.mark.timeout(120)  # gunicorn's worker loads the app and trains the reader first
def test_a_worker_stopping_sends_the_replies_it_still_holds(
        seeded: Flask, config: dict[str, str], line_world: LineWorld) -> None:
    users = [f"Ugraceful{n:04d}" for n in range(MEMBERS)]
    for user in users:
        registered(seeded, user)
    events = {user: [text_event(user, "สวัสดีครับ") for _ in range(EACH)] for user in users}
    with gunicorn(config) as (web, url):
        line_world.delay = 0.3  # a member's five replies take LINE 1.5 s

        def member(user: str) -> list[int]:
            return [_post(url, event) for event in events[user]]

        with ThreadPoolExecutor(MEMBERS) as pool:
            assert {status for statuses in pool.map(member, users) for status in statuses} == {200}
        web.send_signal(signal.SIGTERM)
        answered_then = [r for r in line_world.sent("/v2/bot/message/reply") if r.status]
        assert web.wait(30) == 0
        stopped_log = web.stderr.read().decode() if web.stderr else ""
    tokens = {str(event["replyToken"]) for sent in events.values() for event in sent}
    assert sum(len(r.json["messages"]) for r in answered_then) < len(tokens), \
        "every reply had gone before the worker was told to stop"
    replies = line_world.sent("/v2/bot/message/reply")  # a member's waiting replies may leave together
    assert {r.json["replyToken"] for r in replies} <= tokens
    assert sum(len(r.json["messages"]) for r in replies) == len(tokens), stopped_log[-3000:]  # one answer an event
    assert all(r.accepted for r in replies)
