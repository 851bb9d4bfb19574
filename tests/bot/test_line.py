"""The LINE seam and the outbox's sender against the local LINE API over real HTTP: batching, retry keys, 409,
retries, holds on 429, final refusals per member, the quota, and one sender at a time."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery import MONTHLY, RATE, REFUSED, Outbox
from bot.line import Line, LineError
from bot.sandbox.line_api import LineWorld
from models.outbox import Delivery, queue, take_lease

HELLO = [{"type": "text", "text": "ราคายางวันนี้ 58.00 บาท"}]


def _outbox(app: Flask) -> Outbox:
    outbox: Outbox = app.extensions["outbox"]
    return outbox


def _later(app: Flask, minutes: float) -> Outbox:
    """The same outbox, its clock moved on: what is held until then is due."""
    outbox = _outbox(app)
    outbox.clock = lambda: datetime.now(UTC) + timedelta(minutes=minutes)
    return outbox


def test_multicast_goes_in_batches_of_500_each_with_its_own_retry_key(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    queue(db, [f"U{i:032d}" for i in range(1200)], HELLO, "test")
    db.commit()
    assert _outbox(app).drain() == 3
    calls = line_world.sent("/v2/bot/message/multicast")
    assert [len(c.json["to"]) for c in calls] == [500, 500, 200]
    keys = [c.headers["x-line-retry-key"] for c in calls]
    assert len(set(keys)) == 3
    stored = db.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert [d.retry_key for d in stored] == keys
    assert {d.status for d in stored} == {"sent"}


def test_one_recipient_is_a_push(app: Flask, db: Session, line_world: LineWorld) -> None:
    queue(db, ["Uone"], HELLO, "test")
    db.commit()
    _outbox(app).drain()
    (call,) = line_world.sent("/v2/bot/message/push")
    assert call.json["to"] == "Uone" and call.headers["x-line-retry-key"]


def test_a_5xx_is_retried_with_the_same_key(app: Flask, db: Session, line_world: LineWorld) -> None:
    (delivery,) = queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    line_world.faults.extend([500, 503])
    _outbox(app).send(delivery)
    assert delivery.status == "sent"
    calls = line_world.sent("/v2/bot/message/multicast")
    assert len(calls) == 3
    assert len({c.headers["x-line-retry-key"] for c in calls}) == 1
    assert delivery.attempts == 3


def test_a_repeat_after_a_crash_answers_409_and_counts_as_sent(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    (delivery,) = queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    line_world.took(delivery.retry_key)  # LINE took it, then we crashed before recording it
    assert _outbox(app).drain() == 1
    db.expire_all()  # the sender wrote in its own transactions
    assert db.get(Delivery, delivery.id).status == "sent"  # type: ignore[union-attr]
    assert line_world.usage == 0, "LINE counted the message once, not twice"


def test_a_4xx_is_not_retried(app: Flask, db: Session, line_world: LineWorld) -> None:
    (delivery,) = queue(db, ["Ua"], HELLO, "test")
    db.commit()
    line_world.faults.append(400)
    _outbox(app).send(delivery)
    assert delivery.status == "failed" and "400" in (delivery.error or "")
    assert len(line_world.sent("/v2/bot/message/push")) == 1


def test_a_refused_multicast_fails_only_the_members_line_refuses(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    line_world.refused_users.add("Ugone")
    queue(db, ["Ua", "Ugone", "Ub"], HELLO, "test")
    db.commit()
    _outbox(app).drain()
    assert line_world.received() == Counter({"Ua": 1, "Ub": 1})
    rows = db.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert rows[0].status == "split"
    assert {tuple(d.recipients): d.status for d in rows[1:]} == {("Ua",): "sent", ("Ugone",): "failed",
                                                                 ("Ub",): "sent"}
    assert len(line_world.sent("/v2/bot/message/multicast")) == 1, "the 4xx itself is not retried"


def test_deliveries_over_the_monthly_quota_are_held(app: Flask, db: Session, line_world: LineWorld) -> None:
    line_world.quota = 3
    queue(db, ["Ua", "Ub"], HELLO, "first")
    queue(db, ["Uc", "Ud"], HELLO, "second")
    db.commit()
    assert _outbox(app).drain() == 1
    held = db.scalars(select(Delivery).where(Delivery.status == "pending")).one()
    assert held.purpose == "second" and "quota" in (held.error or "")
    assert line_world.usage == 2
    line_world.quota = 10
    assert _outbox(app).drain() == 1, "more messages bought: the held delivery goes at the next drain"
    assert line_world.received() == Counter({"Ua": 1, "Ub": 1, "Uc": 1, "Ud": 1})


def test_a_429_for_the_rate_limit_holds_and_retries_later_with_the_same_key(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    (delivery,) = queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    line_world.faults.append((429, "The API rate limit has been exceeded. Try again later."))
    assert _outbox(app).drain() == 0
    db.expire_all()
    held = db.get(Delivery, delivery.id)
    assert held is not None and held.status == "pending" and held.error == RATE
    assert held.next_attempt_at is not None and held.next_attempt_at > datetime.now(UTC)
    assert _outbox(app).drain() == 0, "not before its time"
    assert len(line_world.sent("/v2/bot/message/multicast")) == 1

    assert _later(app, 5).drain() == 1
    calls = line_world.sent("/v2/bot/message/multicast")
    assert len(calls) == 2 and len({c.headers["x-line-retry-key"] for c in calls}) == 1
    assert line_world.received() == Counter({"Ua": 1, "Ub": 1})


def test_linees_monthly_limit_holds_the_delivery_and_loses_nothing(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    """LINE's own 429 'monthly limit' (the quota reading said there was room): held, not failed."""
    line_world.faults.append((429, "You have reached your monthly limit."))
    (delivery,) = queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    _outbox(app).drain()
    db.expire_all()
    held = db.get(Delivery, delivery.id)
    assert held is not None and held.status == "pending" and held.error == MONTHLY
    assert _later(app, 61).drain() == 1
    assert line_world.received() == Counter({"Ua": 1, "Ub": 1})


def test_a_refused_token_holds_instead_of_failing(app: Flask, db: Session, line_world: LineWorld) -> None:
    line_world.faults.append(401)
    (delivery,) = queue(db, ["Ua"], HELLO, "test")
    db.commit()
    _outbox(app).drain()
    db.expire_all()
    held = db.get(Delivery, delivery.id)
    assert held is not None and held.status == "pending" and held.error == REFUSED
    assert _later(app, 11).drain() == 1


def test_unreachable_line_keeps_the_delivery_pending(app: Flask, db: Session) -> None:
    line = Line("http://127.0.0.1:9", "http://127.0.0.1:9", lambda: "t")
    outbox = Outbox(app.extensions["sessions"], line, retries=1, backoff=0)
    queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    delivery = db.scalars(select(Delivery)).one()
    outbox.send(delivery)
    assert delivery.status == "pending" and delivery.attempts == 2
    assert delivery.next_attempt_at is not None


def test_sdk_errors_become_the_projects_own(app: Flask) -> None:
    line = Line(app.config["SETTINGS"].line_api_base_url, "", lambda: "wrong-token")
    with pytest.raises(LineError) as raised:
        line.remaining_quota()
    assert raised.value.status == 401 and not raised.value.retryable


def test_one_sender_at_a_time_across_processes_and_threads(app: Flask, db: Session, line_world: LineWorld) -> None:
    """Four senders (two 'processes', each with two threads) drain one outbox at once, LINE failing now and
    then: every member gets each message once, and no call is a repeat LINE had to refuse with 409."""
    for batch in range(20):
        queue(db, [f"U{batch:02d}{i:030d}" for i in range(3)], HELLO, "test")
    db.commit()
    line_world.faults.extend([500, 0, 503, 0, 0, 500] * 3)
    senders = [Outbox(app.extensions["sessions"], app.extensions["line"], backoff=0.001) for _ in range(2)]
    start = threading.Barrier(4)

    def drain(outbox: Outbox) -> None:
        start.wait()
        while outbox.drain():
            pass

    threads = [threading.Thread(target=drain, args=(sender,)) for sender in senders for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    while _outbox(app).drain():
        pass
    assert line_world.received() == Counter({f"U{b:02d}{i:030d}": 1 for b in range(20) for i in range(3)})
    assert [c for c in line_world.requests if c.status == 409] == []


def test_a_sender_keeps_the_outbox_while_it_sends_and_one_that_stopped_is_taken_over(app: Flask) -> None:
    sessions, lease = app.extensions["sessions"], timedelta(seconds=1.5)  # renewed every 0.5 s
    sending = Outbox(sessions, app.extensions["line"], lease=lease)
    other = Outbox(sessions, app.extensions["line"], lease=lease)

    def take(outbox_holder: str) -> bool:
        with sessions() as session, session.begin():
            return take_lease(session, outbox_holder, datetime.now(UTC), lease)

    with sending.sending() as mine:
        assert mine
        deadline = time.monotonic() + 2 * lease.total_seconds()  # a long send: its lease is renewed meanwhile
        while time.monotonic() < deadline:
            assert not take(other.holder), "taken from a sender still at work"
            time.sleep(0.1)
    assert take("killed")  # a sender that then stops without a word (SIGKILL)
    assert not take(other.holder)
    time.sleep(lease.total_seconds() + 0.1)
    assert take(other.holder), "the lease of a sender that stopped runs out"


def test_two_senders_splitting_one_refused_multicast_queue_its_pushes_once(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    """Two senders at once (one whose lease lapsed mid-send) each have LINE refuse the same multicast."""
    line_world.refused_users.add("Ugone")
    (multicast,) = queue(db, ["Ua", "Ugone"], HELLO, "test")
    db.commit()
    outbox = _outbox(app)
    copies = [Delivery(id=multicast.id, retry_key=multicast.retry_key, purpose="test", recipients=["Ua", "Ugone"],
                       messages=HELLO, attempts=0, status="pending") for _ in range(2)]
    for copy in copies:
        outbox.send(copy)
        assert copy.status == "split"
    for copy in copies:
        with app.extensions["sessions"]() as session, session.begin():
            outbox.write_back(session, [copy])
    pushes = db.scalars(select(Delivery).where(Delivery.id != multicast.id)).all()
    assert sorted(tuple(d.recipients) for d in pushes) == [("Ua",), ("Ugone",)]
    outbox.drain()
    assert line_world.received() == Counter({"Ua": 1})


def test_a_reply_refused_or_unanswered_becomes_the_projects_own_error(app: Flask, line_world: LineWorld) -> None:
    line: Line = app.extensions["line"]
    body = line.reply_json("a" * 32, [])
    body["messages"] = HELLO
    line_world.faults.extend([503])
    with pytest.raises(LineError) as refused:
        line.send_reply(body)
    assert refused.value.status == 503 and refused.value.retryable and "Injected fault" in str(refused.value)
    with pytest.raises(LineError) as unreachable:
        Line("http://127.0.0.1:9", "", lambda: "t").send_reply(body)
    assert unreachable.value.status == 0 and unreachable.value.retryable
    line.send_reply(body)  # and once LINE answers, it goes, written in UTF-8 as LINE takes it
    (sent,) = [r for r in line_world.sent("/v2/bot/message/reply") if r.accepted]
    assert sent.json["messages"] == HELLO


def test_a_reply_from_the_senders_loop_fails_and_goes_the_same_way(app: Flask, line_world: LineWorld) -> None:
    """Line.post_reply, the reply senders' way (bot.line.replies): the same errors, the same call as LINE sees it."""
    line: Line = app.extensions["line"]
    body = {"replyToken": "b" * 32, "messages": HELLO}

    def post(to: Line) -> None:
        async def posting() -> None:
            async with to.reply_session(1) as session:
                await to.post_reply(session, body)

        with ThreadPoolExecutor(1) as thread:  # a loop of its own: the browser tests' Playwright runs one here
            thread.submit(asyncio.run, posting()).result()

    line_world.faults.extend([503])
    with pytest.raises(LineError) as refused:
        post(line)
    assert refused.value.status == 503 and refused.value.retryable and "Injected fault" in str(refused.value)
    with pytest.raises(LineError) as unreachable:
        post(Line("http://127.0.0.1:9", "", lambda: "t"))
    assert unreachable.value.status == 0 and unreachable.value.retryable
    post(line)
    (sent,) = [r for r in line_world.sent("/v2/bot/message/reply") if r.accepted]
    assert sent.json == body
    assert sent.headers["authorization"].startswith("Bearer ") and "line-bot-sdk-python" in sent.headers["user-agent"]
