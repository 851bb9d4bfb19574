"""One announcement to 10,000 members while the local LINE API fails a fifth of the calls (5xx and time-outs,
some after it had taken the message), answers 429 for a while, and the sending process is killed with SIGKILL
mid-send and started again, twice: every member's phone shows the announcement exactly once, counted at the
LINE API by recipient. The sender is a real process running the clock's own jobs (tests/bot/clock_process.py)
against the database and the LINE API over loopback HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sandbox.faults import Trouble
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from models.outbox import Delivery
from tests.handlers.test_announce_cli import run
from tests.support import many_members

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 10_000
KILLS = (3_000, 6_500)  # recipients LINE has taken when the sender is killed, run after run


def clock_env(config: dict[str, str]) -> dict[str, str]:
    """The environment a clock process reads its settings from: the test's database and local LINE API."""
    return {**os.environ, **config, "PYTHONPATH": str(ROOT), "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}


@contextmanager
def clock_process(config: dict[str, str], seconds: float = 90) -> Iterator[subprocess.Popen[bytes]]:
    """A sending process, killed with SIGKILL when the block ends if it has not stopped by itself."""
    process = subprocess.Popen([sys.executable, "-m", "tests.bot.clock_process", str(seconds)], cwd=ROOT,
                               env=clock_env(config), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            err = process.stderr.read().decode()[-3000:] if process.stderr else ""
            raise AssertionError(f"the clock process stopped (exit {process.returncode}) before {what}:\n{err}")
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.01)


def taken(world: LineWorld) -> int:
    return sum(world.received().values())


def taken_at_least(world: LineWorld, count: int) -> Callable[[], bool]:
    return lambda: taken(world) >= count


def posted_since(world: LineWorld, index: int) -> Callable[[], bool]:
    return lambda: any(call.method == "POST" for call in world.since(index))


@pytest.mark.timeout(240)
def test_ten_thousand_members_get_an_announcement_once_through_faults_and_kills(
    seeded: Flask, config: dict[str, str], line_world: LineWorld, db: Session
) -> None:
    members = many_members(seeded, MEMBERS)
    code, out = run(seeded, "announce", "ประชุมใหญ่สามัญประจำปี วันเสาร์ 9 โมง ที่หอประชุมอำเภอ", "--center", "PROV-AGRI")
    assert code == 0 and out.splitlines()[1].startswith("10,000 members"), out
    announcement_id = int(out.splitlines()[0])
    # A fifth of the calls fail: half of those after LINE took the message, half as time-outs (1.5 s, past the
    # sender's 1 s); each call takes a little while, so that a kill lands between calls and their answers.
    line_world.trouble = Trouble(rate=0.2, taken=0.5, timeouts=0.5, stall=1.5, delay=0.05, seed=2026)
    started = time.monotonic()

    for kill_at in KILLS:
        with clock_process(config) as clock:
            if kill_at == KILLS[-1]:  # LINE's rate limit, for a while from the restarted sender's first call
                wait_for(posted_since(line_world, len(line_world.requests)), clock, 30,
                         "a call from the restarted sender")
                line_world.trouble.throttle(1.5)
            wait_for(taken_at_least(line_world, kill_at), clock, 60, f"{kill_at:,} recipients taken")
            clock.send_signal(signal.SIGKILL)
            clock.wait(10)
        assert taken(line_world) < MEMBERS, "killed mid-send"

    def all_sent() -> bool:
        db.expire_all()
        return db.scalar(select(func.count()).select_from(Delivery).where(Delivery.status != "sent")) == 0

    with clock_process(config) as clock:
        wait_for(all_sent, clock, 90, "every delivery sent")
    elapsed = time.monotonic() - started

    received = line_world.received()
    assert received == Counter(dict.fromkeys(members, 1)), (
        f"{sum(n > 1 for n in received.values())} members got it more than once, "
        f"{MEMBERS - len(received)} not at all")
    calls = line_world.sent("/message/multicast") + line_world.sent("/message/push")
    statuses = Counter(call.status for call in calls)
    assert statuses[409] > 0, "a killed sender's calls were repeated with their keys, and LINE said so"
    assert statuses[429] > 0, "LINE's rate limit was met"
    assert sum(statuses[s] for s in (500, 502, 503, 504)) > 0, "LINE failed calls"  # ~9 of ~45 calls, by chance
    assert all(len(call.json["to"]) <= 500 for call in calls if isinstance(call.json["to"], list))
    announcement = db.get(Announcement, announcement_id)
    assert announcement is not None
    assert (announcement.status, announcement.delivered, announcement.held, announcement.failed) == (
        "sent", MEMBERS, 0, 0)
    print(f"10,000 members through faults and two kills: {elapsed:.1f} s, LINE answered {dict(statuses)}")


def _scheduled(db: Session) -> list[Announcement]:
    db.expire_all()
    return list(db.scalars(select(Announcement).where(Announcement.status == "scheduled").order_by(Announcement.id)))


def _sleep_until(moment: datetime, *alive: subprocess.Popen[bytes]) -> None:
    while datetime.now(UTC) < moment:
        assert all(process.poll() is None for process in alive), "a clock process stopped by itself"
        time.sleep(0.02)


@pytest.mark.timeout(180)
def test_a_repeating_notice_goes_once_an_occurrence_across_clock_kills_and_restarts(
    seeded: Flask, config: dict[str, str], line_world: LineWorld, db: Session
) -> None:
    """Every minute: one occurrence fell due while no clock ran, and goes when one is back, though that clock is
    killed mid-send; the next is due while an old clock and its replacement both run, the old one is killed
    just after it, and the replacement is killed mid-send too. Each member gets each occurrence once."""
    members = many_members(seeded, 1_200, prefix="R")  # three multicasts an occurrence
    code, out = run(seeded, "announce", "ตลาดนัดยางทุกนาที", "--center", "PROV-AGRI", "--every", "* * * * *")
    assert code == 0, out
    with seeded.extensions["sessions"]() as session, session.begin():
        first = session.get(Announcement, int(out.splitlines()[0]))
        assert first is not None
        first.send_at = datetime.now(UTC) - timedelta(seconds=10)  # due while no clock ran: within the grace time
    line_world.trouble = Trouble(rate=0.1, stall=1.5, delay=0.2, seed=7)

    with clock_process(config) as clock:
        wait_for(taken_at_least(line_world, 500), clock, 30, "the first occurrence's first multicast")
        clock.send_signal(signal.SIGKILL)
    with clock_process(config) as old:
        wait_for(taken_at_least(line_world, len(members)), old, 60, "the first occurrence delivered")
        db.expire_all()
        first_id = int(out.splitlines()[0])
        following = db.scalars(select(Announcement).where(Announcement.id > first_id).order_by(Announcement.id)).first()
        assert following is not None and following.send_at - first.send_at <= timedelta(minutes=2)
        _sleep_until(following.send_at - timedelta(seconds=1), old)
        with clock_process(config) as new:  # a replacement starts before the old clock stops
            _sleep_until(following.send_at + timedelta(seconds=0.5), old, new)
            old.send_signal(signal.SIGKILL)
            wait_for(taken_at_least(line_world, len(members) + 500), new, 60, "the second occurrence going out")
            new.send_signal(signal.SIGKILL)

    def both_sent() -> bool:
        db.expire_all()
        pending = db.scalar(select(func.count()).select_from(Delivery).where(Delivery.status != "sent"))
        return pending == 0 and len(_scheduled(db)) == 1 and _scheduled(db)[0].id != following.id

    with clock_process(config) as last:
        wait_for(both_sent, last, 60, "the second occurrence delivered")
        time.sleep(1)  # a few more ticks: nothing goes again

    assert line_world.received() == Counter(dict.fromkeys(members, 2))
    db.expire_all()
    rows = db.scalars(select(Announcement).order_by(Announcement.id)).all()
    assert [(a.status, a.delivered) for a in rows] == [("sent", 1_200), ("sent", 1_200), ("scheduled", 0)]
    assert rows[2].send_at - rows[1].send_at == timedelta(minutes=1)
