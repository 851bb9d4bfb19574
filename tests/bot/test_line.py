"""The LINE seam against the local LINE API over real HTTP: batching, retry keys, 409, retries, quota."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line import Line, LineError
from bot.sandbox.line_api import LineWorld
from models.outbox import Delivery, queue

HELLO = [{"type": "text", "text": "ราคายางวันนี้ 58.00 บาท"}]


def _line(app: Flask) -> Line:
    line: Line = app.extensions["line"]
    return line


def test_multicast_goes_in_batches_of_500_each_with_its_own_retry_key(
    app: Flask, db: Session, line_world: LineWorld
) -> None:
    queue(db, [f"U{i:032d}" for i in range(1200)], HELLO, "test")
    db.commit()
    assert _line(app).deliver_pending(db) == 3
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
    _line(app).deliver_pending(db)
    (call,) = line_world.sent("/v2/bot/message/push")
    assert call.json["to"] == "Uone" and call.headers["x-line-retry-key"]


def test_a_5xx_is_retried_with_the_same_key(app: Flask, db: Session, line_world: LineWorld) -> None:
    (delivery,) = queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    line_world.faults.extend([500, 503])
    _line(app).deliver(delivery)
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
    line_world.retry_keys.add(delivery.retry_key)  # LINE took it, then we crashed before recording it
    assert _line(app).deliver_pending(db) == 1
    assert db.get(Delivery, delivery.id).status == "sent"  # type: ignore[union-attr]
    assert line_world.usage == 0, "LINE counted the message once, not twice"


def test_a_4xx_is_not_retried(app: Flask, db: Session, line_world: LineWorld) -> None:
    (delivery,) = queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    line_world.faults.append(400)
    _line(app).deliver(delivery)
    assert delivery.status == "failed" and "400" in (delivery.error or "")
    assert len(line_world.sent("/v2/bot/message/multicast")) == 1


def test_deliveries_over_the_monthly_quota_are_held(app: Flask, db: Session, line_world: LineWorld) -> None:
    line_world.quota = 3
    queue(db, ["Ua", "Ub"], HELLO, "first")
    queue(db, ["Uc", "Ud"], HELLO, "second")
    db.commit()
    assert _line(app).deliver_pending(db) == 1
    held = db.scalars(select(Delivery).where(Delivery.status == "pending")).one()
    assert held.purpose == "second" and "quota" in (held.error or "")
    assert line_world.usage == 2


def test_unreachable_line_keeps_the_delivery_pending(app: Flask, db: Session) -> None:
    line = Line("http://127.0.0.1:9", "http://127.0.0.1:9", lambda: "t", retries=1, backoff=0)
    queue(db, ["Ua", "Ub"], HELLO, "test")
    db.commit()
    delivery = db.scalars(select(Delivery)).one()
    line.deliver(delivery)
    assert delivery.status == "pending" and delivery.attempts == 2


def test_sdk_errors_become_the_projects_own(app: Flask) -> None:
    line = Line(app.config["SETTINGS"].line_api_base_url, "", lambda: "wrong-token")
    with pytest.raises(LineError) as raised:
        line.remaining_quota()
    assert raised.value.status == 401 and not raised.value.retryable
