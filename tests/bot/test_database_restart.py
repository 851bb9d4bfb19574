"""The database restarts under load, over real HTTP on loopback: members keep sending price alerts while PostgreSQL
goes away (every connection cut, new ones refused) and comes back a moment later, played by a loopback proxy
the app's DATABASE_URL points at (tests.support.Restartable). No request hangs or half-writes: an event either
took effect with its claim or left neither, and its member was answered (an apology when it failed). The bot
recovers by itself: every event sent once the database is back takes effect, and so do the first ones after a
restart nobody saw (the pool's connections all dead). LINE's redelivery of every event afterwards makes each take
effect exactly once. PostgreSQL only: SQLite has no server to restart."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import text_event
from models.alerts import MAX_ACTIVE, PriceAlert
from models.events import ProcessedEvent
from models.member import Member
from tests.bot.test_webhook_isolation import APOLOGY_TH
from tests.support import Chat, Restartable, registered, serve, sign, texts

MEMBERS = 40
SENDERS = 16
SPACING = 0.015  # seconds between events: 400 of them over six seconds
DOWN_AT, DOWN_FOR = 2.0, 1.5  # seconds into the load; as long as a PostgreSQL restart takes


@pytest.fixture
def database(database_url: str) -> Iterator[Restartable]:
    if not database_url.startswith("postgresql"):
        pytest.skip("a database server that restarts is PostgreSQL's; SQLite is a file in the bot's own process")
    url = make_url(database_url)
    proxy = Restartable(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.close()


@pytest.fixture
def config(config: dict[str, str], database: Restartable) -> dict[str, str]:
    """The app (and the test's own view, `db`) reach PostgreSQL through the proxy."""
    url = make_url(config["DATABASE_URL"]).set(host="127.0.0.1", port=database.port)
    return {**config, "DATABASE_URL": url.render_as_string(hide_password=False)}


@dataclass
class Sent:
    event: dict[str, object]
    at: float
    status: int


def _post(url: str, event: dict[str, object]) -> int:
    body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    request = urllib.request.Request(f"{url}/callback", data=body, method="POST", headers={
        "x-line-signature": sign(body), "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:  # a 5xx is a clean failure; a hang or a dropped connection is not
        return refused.code


def _user(event: dict[str, object]) -> str:
    source = event["source"]
    assert isinstance(source, dict)
    return str(source["userId"])


def _effects(db: Session) -> tuple[set[str], Counter[tuple[str, Decimal]]]:
    """Events claimed, and alerts by member and threshold."""
    claimed = set(db.scalars(select(ProcessedEvent.webhook_event_id)))
    rows = db.execute(select(Member.line_user_id, PriceAlert.threshold).join(PriceAlert.member))
    alerts = Counter((user, threshold) for user, threshold in rows)
    return claimed, alerts


@pytest.mark.timeout(60)  # about 10 s; the rest is room for a cold first set-up of the session's database
def test_the_database_restarting_under_load_half_writes_nothing_and_the_bot_recovers(
        seeded: Flask, database: Restartable, line_world: LineWorld, db: Session) -> None:
    users = [f"Urestart{n:06d}" for n in range(MEMBERS)]
    for user in users:
        registered(seeded, user)
    wanted = [(user, Decimal(40 + n)) for n in range(MAX_ACTIVE) for user in users]  # in turns
    events = [text_event(user, f"แจ้งเตือนเมื่อน้ำยางเกิน {threshold} บาท") for user, threshold in wanted]
    effect = {str(event["webhookEventId"]): alert for event, alert in zip(events, wanted, strict=True)}
    with serve(seeded) as url:
        start = time.monotonic()

        def send(numbered: tuple[int, dict[str, object]]) -> Sent:
            number, event = numbered
            time.sleep(max(0.0, start + number * SPACING - time.monotonic()))
            at = time.monotonic()
            return Sent(event, at, _post(url, event))

        with ThreadPoolExecutor(SENDERS) as pool:
            load = pool.map(send, enumerate(events))
            time.sleep(max(0.0, start + DOWN_AT - time.monotonic()))
            database.down()
            time.sleep(DOWN_FOR)
            database.up()
            back = time.monotonic()
            sent = list(load)
        assert seeded.extensions["replies"].flush(timeout=30)
        statuses = Counter(s.status for s in sent)
        assert set(statuses) <= {200, 500, 503}, statuses

        claimed, alerts = _effects(db)
        failed = {str(s.event["webhookEventId"]) for s in sent} - claimed
        assert failed, "the restart failed no event: it came too early or too late"
        assert not [s for s in sent if s.at > back and str(s.event["webhookEventId"]) in failed], \
            "an event sent once the database was back did not take effect"
        assert max(alerts.values()) == 1
        assert set(alerts) == {effect[event_id] for event_id in claimed}, "an effect without its claim, or the reverse"
        replies: dict[str, list[str]] = {}
        for reply in line_world.sent("/v2/bot/message/reply"):
            replies.setdefault(reply.json["replyToken"], []).append(texts(reply.json["messages"]))
        answered = [s.event for s in sent if s.status == 200]
        assert all(len(said) == 1 for said in replies.values()), "a reply token used twice"
        # a member's replies that waited together leave in one reply, on the last one's token (bot.line.replies):
        # each answered event is answered by its own reply or by one of a later event of the same member
        member = {str(e["replyToken"]): _user(e) for e in events}
        last_answered = {_user(e): n for n, e in enumerate(answered) if str(e["replyToken"]) in replies}
        assert all(last_answered.get(_user(e), -1) >= n for n, e in enumerate(answered)), "an event with no reply"
        apologies: Counter[str] = Counter()
        for token, (said,) in replies.items():
            apologies[member[token]] += said.count(APOLOGY_TH)
        # every failed event is apologised for; an event whose commit landed as the connection died, tried again
        # while the database is still down, is apologised for too (its outcome was unknown to the bot)
        assert apologies >= Counter(_user(e) for e in answered if e["webhookEventId"] in failed), "a failure unsaid"

        redelivered = [{**event, "deliveryContext": {"isRedelivery": True}} for event in events]
        with ThreadPoolExecutor(SENDERS) as pool:
            assert set(pool.map(lambda event: _post(url, event), redelivered)) == {200}
        assert seeded.extensions["replies"].flush(timeout=30)
    claimed, alerts = _effects(db)
    assert claimed == set(effect)
    assert alerts == Counter(effect.values()), "an event took effect twice, or not at all"


def test_after_a_restart_while_all_was_quiet_the_first_events_take_effect(
        seeded: Flask, database: Restartable, db: Session) -> None:
    """The pool's connections all died in the restart; none of them may cost a member's event."""
    users = [f"Uquiet{n:06d}" for n in range(SENDERS)]
    for user in users:
        registered(seeded, user)
    with serve(seeded) as url, ThreadPoolExecutor(SENDERS) as pool:
        before = [text_event(user, "สวัสดีครับ") for user in users]
        assert set(pool.map(lambda event: _post(url, event), before)) == {200}  # connections pooled, one a sender
        database.down()
        database.up()
        after = [text_event(user, "สวัสดีครับ") for user in users]
        assert set(pool.map(lambda event: _post(url, event), after)) == {200}
        assert seeded.extensions["replies"].flush(timeout=30)
    claimed, _ = _effects(db)
    assert claimed == {str(event["webhookEventId"]) for event in before + after}


def test_a_connection_the_database_did_not_open_is_asked_for_once_more(
        seeded: Flask, database: Restartable, chat: Chat, db: Session) -> None:
    """A new connection cut as it opens (a server still starting, or too busy to answer in time, as under a burst
    of events): nothing ran, so the event is tried once more and the member answered, not apologised to. Twice in
    a row, the member is told to try again, and nothing took effect."""
    registered(seeded, chat.user_id)
    assert "สวัสดี" in texts(chat.say("สวัสดีครับ"))
    seeded.extensions["engine"].dispose()  # the next event opens a connection of its own
    database.refuse(1)
    answer = texts(chat.say("แจ้งเตือนเมื่อน้ำยางเกิน 50 บาท"))
    assert APOLOGY_TH not in answer and "50" in answer, answer

    seeded.extensions["engine"].dispose()
    database.refuse(2)
    assert texts(chat.say("แจ้งเตือนเมื่อน้ำยางเกิน 60 บาท")) == APOLOGY_TH
    _, alerts = _effects(db)
    assert alerts == Counter({(chat.user_id, Decimal(50)): 1})
