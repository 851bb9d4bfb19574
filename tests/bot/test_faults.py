"""Faults under load, over real HTTP on loopback (the bot served by a threaded server, the local LINE API beside
it), bounded in time: LINE slow, failing or refusing (429) while many members write at once, and every event of
a thousand delivered twice. The webhook keeps answering 200 at once, nothing is done twice, and what LINE did
not take is logged, not retried into a second reply."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld, Recorded
from bot.sandbox.phone import text_event
from models.alerts import MAX_ACTIVE, PriceAlert
from models.events import ProcessedEvent
from tests.support import registered, serve, sign

SENDERS = 16


@pytest.fixture
def url(seeded: Flask) -> Iterator[str]:
    with serve(seeded) as base:
        yield base


def _post(url: str, events: list[dict[str, object]]) -> tuple[int, float]:
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    request = urllib.request.Request(f"{url}/callback", data=body, method="POST", headers={
        "x-line-signature": sign(body), "Content-Type": "application/json"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, time.monotonic() - started


def _members(app: Flask, count: int) -> list[str]:
    users = [f"Ufault{n:06d}" for n in range(count)]
    for user in users:
        registered(app, user)
    return users


def _load(url: str, bodies: list[dict[str, object]]) -> list[tuple[int, float]]:
    with ThreadPoolExecutor(SENDERS) as pool:
        return list(pool.map(lambda event: _post(url, [event]), bodies))


def _answered(replies: list[Recorded], events: list[dict[str, object]]) -> int:
    """How many answers the replies carried, each on a token of the events' (a member's waiting replies may leave
    together on the newest of their tokens); each event here is answered by one message."""
    tokens = {str(event["replyToken"]) for event in events}
    assert {r.json["replyToken"] for r in replies} <= tokens
    return sum(len(r.json["messages"]) for r in replies)


def _unanswered(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the bot logged of replies it did not send, or events that failed: why an answer is missing."""
    return [record.getMessage() for record in caplog.records
            if record.levelno >= logging.WARNING and record.name in ("bot.line.replies", "bot.dispatch")]


def _in_turns(users: list[str], per_member: int, text: str = "สวัสดีครับ") -> list[dict[str, object]]:
    return [text_event(user, text) for _ in range(per_member) for user in users]


def test_a_slow_line_holds_no_webhook_thread(seeded: Flask, url: str, line_world: LineWorld,
                                             caplog: pytest.LogCaptureFixture) -> None:
    users = _members(seeded, 8)
    line_world.delay = 2.0
    events = _in_turns(users, 5)
    with caplog.at_level(logging.WARNING):
        answered = _load(url, events)
        assert seeded.extensions["replies"].flush(timeout=60)
    assert {status for status, _ in answered} == {200}
    assert max(took for _, took in answered) < line_world.delay, "a webhook waited on LINE"
    replies = line_world.sent("/v2/bot/message/reply")
    assert all(r.accepted for r in replies)
    assert _answered(replies, events) == len(events), _unanswered(caplog)[:5]


@pytest.mark.parametrize("status", [500, 429])
def test_line_failing_or_refusing_under_load(seeded: Flask, url: str, line_world: LineWorld, db: Session,
                                            status: int, caplog: pytest.LogCaptureFixture) -> None:
    users = _members(seeded, 8)
    failing = 20
    line_world.faults = [status] * failing  # the first twenty replies, whichever they are
    events = _in_turns(users, 6)
    with caplog.at_level(logging.WARNING, logger="bot.line.replies"):
        answered = _load(url, events)
        assert seeded.extensions["replies"].flush(timeout=60)
    assert {status for status, _ in answered} == {200}
    replies = line_world.sent("/v2/bot/message/reply")
    tokens = [r.json["replyToken"] for r in replies]
    assert len(tokens) == len(set(tokens)), "a reply token is not retried"
    assert _answered(replies, events) == len(events), "each reply is tried once"
    assert sum(not r.accepted for r in replies) == failing
    assert sum("not sent" in record.getMessage() for record in caplog.records) == failing
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == len(events)


def test_a_thousand_events_each_delivered_twice_take_effect_once(
        seeded: Flask, url: str, line_world: LineWorld, db: Session, caplog: pytest.LogCaptureFixture) -> None:
    users = _members(seeded, 100)
    events = [text_event(user, f"แจ้งเตือนเมื่อน้ำยางเกิน {40 + n} บาท") for n in range(MAX_ACTIVE) for user in users]
    assert len(events) == 1000
    twice = events + [dict(event) for event in events]
    random.Random(15).shuffle(twice)
    lock = threading.Lock()
    statuses: list[int] = []

    def deliver(event: dict[str, object]) -> None:
        status, _ = _post(url, [event])
        with lock:
            statuses.append(status)

    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(SENDERS) as pool:
        list(pool.map(deliver, twice))
        assert seeded.extensions["replies"].flush(timeout=120)
    assert statuses == [200] * len(twice)
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == len(events)
    assert db.scalar(select(func.count()).select_from(PriceAlert)) == len(events)
    replies = line_world.sent("/v2/bot/message/reply")
    assert all(r.accepted for r in replies), line_world.rejected()[:1]
    assert _answered(replies, events) == len(events), _unanswered(caplog)[:5]
