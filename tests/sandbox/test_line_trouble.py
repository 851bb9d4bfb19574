"""The local LINE API's retry keys and trouble, over real HTTP: a key LINE took is answered 409 with the first
request's id for 24 hours; calls fail with 5xx or time out, before or after LINE took the message; 429 for a
while. What members receive is counted by what LINE took, whatever the caller heard."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections import Counter
from typing import Any

from bot.sandbox.faults import RATE_LIMITED, Trouble
from bot.sandbox.line_api import RETRY_KEY_LIFE, LineWorld
from tests.support import CHANNEL_TOKEN

HELLO = [{"type": "text", "text": "ข่าวจากสหกรณ์"}]


def push(url: str, to: str, key: str, timeout: float = 10) -> tuple[int, dict[str, str], Any]:
    """One push with a retry key: LINE's status, headers (lower-case) and body; status 0 for a time-out."""
    request = urllib.request.Request(
        url + "/v2/bot/message/push", data=json.dumps({"to": to, "messages": HELLO}).encode(), method="POST",
        headers={"Authorization": f"Bearer {CHANNEL_TOKEN}", "Content-Type": "application/json",
                 "X-Line-Retry-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, json.loads(exc.read() or b"{}")
    except TimeoutError:
        return 0, {}, None


def test_a_retry_key_line_took_is_answered_409_with_the_first_requests_id_for_24_hours(
    line_api_url: str, line_world: LineWorld
) -> None:
    line_world.clear()
    key = str(uuid.uuid4())
    status, headers, _ = push(line_api_url, "Ua", key)
    assert status == 200 and headers["x-line-request-id"]
    again, again_headers, body = push(line_api_url, "Ua", key)
    assert again == 409 and body["message"] == "The retry key is already accepted"
    assert again_headers["x-line-accepted-request-id"] == headers["x-line-request-id"]
    assert line_world.received() == Counter({"Ua": 1}) and line_world.usage == 1
    now = line_world.clock()
    line_world.clock = lambda: now + RETRY_KEY_LIFE + 1  # a day later LINE has forgotten the key: retry within it
    assert push(line_api_url, "Ua", key)[0] == 200
    assert line_world.received() == Counter({"Ua": 2})


def test_a_call_that_fails_after_line_took_it_was_delivered_and_its_retry_is_a_409(
    line_api_url: str, line_world: LineWorld
) -> None:
    line_world.clear()
    line_world.trouble = Trouble(rate=1.0, taken=1.0, timeouts=0.0)
    key = str(uuid.uuid4())
    assert push(line_api_url, "Ua", key)[0] in (500, 502, 503)
    assert line_world.received() == Counter({"Ua": 1}), "LINE took it: the member has it"
    line_world.trouble = Trouble()
    assert push(line_api_url, "Ua", key)[0] == 409
    assert line_world.received() == Counter({"Ua": 1})


def test_a_call_that_fails_before_line_took_it_delivered_nothing_and_goes_on_retry(
    line_api_url: str, line_world: LineWorld
) -> None:
    line_world.clear()
    line_world.trouble = Trouble(rate=1.0, taken=0.0, timeouts=0.0)
    key = str(uuid.uuid4())
    assert push(line_api_url, "Ua", key)[0] in (500, 502, 503)
    assert line_world.received() == Counter()
    line_world.trouble = Trouble()
    assert push(line_api_url, "Ua", key)[0] == 200
    assert line_world.received() == Counter({"Ua": 1})


def test_a_time_out_keeps_the_caller_waiting_past_its_patience(line_api_url: str, line_world: LineWorld) -> None:
    line_world.clear()
    line_world.trouble = Trouble(rate=1.0, taken=1.0, timeouts=1.0, stall=0.6)
    assert push(line_api_url, "Ua", str(uuid.uuid4()), timeout=0.2)[0] == 0
    assert line_world.received() == Counter({"Ua": 1})


def test_429_for_a_while_then_calls_go_again(line_api_url: str, line_world: LineWorld) -> None:
    line_world.clear()
    line_world.trouble.throttle(60)
    key = str(uuid.uuid4())
    status, _, body = push(line_api_url, "Ua", key)
    assert (status, body["message"]) == (429, RATE_LIMITED)
    assert line_world.received() == Counter()
    line_world.trouble.throttled_until = 0.0  # the minute is over
    assert push(line_api_url, "Ua", key)[0] == 200
    assert line_world.received() == Counter({"Ua": 1})
