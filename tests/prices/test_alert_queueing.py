"""Queueing fired alerts in chunks while sending: a worker that dies between chunks loses and repeats nothing,
two workers never queue one run, and the month's quota holds across the chunks."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.jobs import price_alerts
from bot.sandbox.line_api import LineWorld
from models.alerts import AlertLog, AlertRun, advance, claim_runs, create, evaluate
from models.base import utcnow
from models.member import Member
from models.outbox import MULTICAST_LIMIT, Delivery
from models.prices import PriceQuote, upsert
from tests.prices.conftest import NOW, TODAY, put
from tests.support import registered

MEMBERS = 30
SMALL = (12, 12)  # member ids per chunk: three chunks for thirty members


def _members_with_digests(app: Flask) -> list[str]:
    users = [f"Uchunk{n:02d}" for n in range(MEMBERS)]
    for user in users:
        registered(app, user)
    with app.extensions["sessions"]() as db, db.begin():
        for member in db.scalars(select(Member).where(Member.line_user_id.in_(users))):
            create(db, member, "latex", "daily", None, None)
            if member.line_user_id.endswith("7"):  # two digests of one member: still one message
                create(db, member, "latex", "daily", None, None)
    return users


def _fire(app: Flask) -> int:
    quote_id = put(app, TODAY, "latex", "58.00")
    with app.extensions["sessions"]() as db, db.begin():
        quote = db.get(PriceQuote, quote_id)
        assert quote is not None
        evaluate(db, quote, NOW)
        return db.scalars(select(AlertRun.id)).one()


def _received(world: LineWorld) -> Counter[str]:
    calls = [r for r in world.requests if r.path.endswith(("/message/multicast", "/message/push"))]
    return Counter(user for r in calls for user in (r.json["to"] if isinstance(r.json["to"], list) else [r.json["to"]]))


def test_a_run_is_queued_in_chunks_and_each_member_alerted_once(seeded: Flask, line_world: LineWorld) -> None:
    users = _members_with_digests(seeded)
    run_id = _fire(seeded)
    with seeded.extensions["sessions"]() as db:
        report = price_alerts.deliver_runs(db, seeded.extensions["outbox"], workers=2, chunks=SMALL)
        run = db.get(AlertRun, run_id)
        assert run is not None and run.status == "queued"
    assert (report.queued, report.sent) == (MEMBERS, 3)
    assert _received(line_world) == Counter(users)


def test_a_worker_that_dies_between_chunks_is_resumed_without_loss_or_repeat(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    users = _members_with_digests(seeded)
    run_id = _fire(seeded)
    sessions = seeded.extensions["sessions"]
    with sessions() as dying:  # claims the run, commits one chunk, and stops before sending anything
        with dying.begin():
            assert claim_runs(dying, utcnow()) == [run_id]
        with dying.begin():
            run = dying.get(AlertRun, run_id)
            assert run is not None
            _values, queued, done = price_alerts.queue_chunk(dying, run, SMALL[0])
    assert (queued, done) == (12, False)  # twelve members, one of them with two digests and one message

    # Within the claim's lease the run is left to its worker; only the committed chunk goes out.
    assert price_alerts.deliver(seeded) == 1
    assert sorted(_received(line_world)) == users[:12]

    db.execute(update(AlertRun).values(claimed_at=utcnow() - timedelta(minutes=5)))
    db.commit()
    with sessions() as worker:
        price_alerts.deliver_runs(worker, seeded.extensions["outbox"], workers=2, chunks=SMALL)
    assert _received(line_world) == Counter(users)  # everyone, once
    run = db.get(AlertRun, run_id, populate_existing=True)
    assert run is not None and run.status == "queued"
    assert db.scalars(select(Delivery).where(Delivery.status != "sent")).all() == []


def test_two_workers_never_queue_one_run(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    _members_with_digests(seeded)
    run_id = _fire(seeded)
    now = utcnow()
    assert claim_runs(db, now) == [run_id]
    assert claim_runs(db, now) == []  # the second worker finds it taken
    # One that took over a claim it thought stale and the first worker both try to move the cursor from 0:
    assert advance(db, run_id, 0, 5, False, now) is True
    assert advance(db, run_id, 0, 9, False, now) is False
    db.rollback()


def test_the_quota_holds_across_chunks(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    left = 20
    users = _members_with_digests(seeded)
    _fire(seeded)
    line_world.quota, line_world.usage = 1000, 1000 - left
    with seeded.extensions["sessions"]() as worker:
        report = price_alerts.deliver_runs(worker, seeded.extensions["outbox"], workers=2, chunks=SMALL)
    assert report.queued == MEMBERS and report.held
    first = _received(line_world)
    assert 0 < sum(first.values()) <= left and max(first.values()) == 1
    held = db.scalars(select(Delivery).where(Delivery.status == "pending")).all()
    assert [d.id for d in held] == report.held
    assert all(d.error == "monthly message quota reached" for d in held)

    line_world.quota = 10_000
    assert price_alerts.deliver(seeded) == len(held)
    assert _received(line_world) == Counter(users)



def test_windows_start_at_the_first_fired_member_and_step_over_members_without_alerts(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    for n in range(20):  # members without alerts before the first with one: no window is spent on them
        registered(seeded, f"Uearly{n:02d}")
    users = _members_with_digests(seeded)
    for n in range(40):  # and between: windows of their ids queue nothing and move on
        registered(seeded, f"Uquiet{n:02d}")
    late = registered(seeded, "Ulate")
    with seeded.extensions["sessions"]() as session, session.begin():
        member = session.get(Member, late)
        assert member is not None
        create(session, member, "latex", "daily", None, None)
    run_id = _fire(seeded)
    first = db.scalars(select(Member.id).where(Member.line_user_id == users[0])).one()
    run = db.get(AlertRun, run_id)
    assert first > 20 and run is not None and run.queued_until == first - 1 and run.last_member == late
    db.rollback()
    with seeded.extensions["sessions"]() as worker:
        report = price_alerts.deliver_runs(worker, seeded.extensions["outbox"], workers=2, chunks=SMALL)
    assert report.queued == MEMBERS + 1
    assert _received(line_world) == Counter([*users, "Ulate"])


def test_a_window_with_more_to_come_is_cut_after_whole_batches_at_a_member_boundary() -> None:
    limit = MULTICAST_LIMIT
    rows = [(n, "above", "th", f"U{n}") for n in range(1, 2 * limit + 101)]
    rows.insert(limit + 2, (limit + 2, "above", "en", "U-en"))  # another message does not count to the batches
    groups, cut_after = price_alerts._cut(rows, more=True)
    assert cut_after == 2 * limit
    assert len(groups["above", "th"]) == 2 * limit and groups["above", "en"] == ["U-en"]

    groups, cut_after = price_alerts._cut(rows, more=False)  # the last window takes everything
    assert cut_after is None and len(groups["above", "th"]) == 2 * limit + 100


def test_a_window_is_not_cut_when_that_would_queue_less_than_half_of_it() -> None:
    thai = [(n, "above", "th", f"U{n}") for n in range(1, MULTICAST_LIMIT + 51)]  # one batch and a bit
    english = [(n, "above", "en", f"U{n}") for n in range(MULTICAST_LIMIT + 51, 2 * MULTICAST_LIMIT + 51)]
    groups, cut_after = price_alerts._cut([*thai, *english], more=True)
    assert cut_after is None and (len(groups["above", "th"]), len(groups["above", "en"])) == (550, 500)


def test_a_run_from_the_release_before_last_member_is_queued_to_its_end(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    """During a rolling release, a web process of the previous release evaluates without last_member."""
    users = _members_with_digests(seeded)
    run_id = _fire(seeded)
    db.execute(update(AlertRun).values(last_member=None, queued_until=0))
    db.commit()
    with seeded.extensions["sessions"]() as worker:
        report = price_alerts.deliver_runs(worker, seeded.extensions["outbox"], workers=2, chunks=SMALL)
    assert report.queued == MEMBERS and _received(line_world) == Counter(users)
    run = db.get(AlertRun, run_id, populate_existing=True)
    assert run is not None and run.status == "queued"


BIG = 1_300  # members: windows of 1,100 ids hold more than two batches of 500, so they are cut


def _many_with_digests(app: Flask, alerted: set[int]) -> tuple[int, Counter[str]]:
    """BIG members with a daily RSS3 price; those in `alerted` also an RSS3 alert above 60, which fires: each
    member gets one message (the alert's, which gives the day's price too)."""
    with app.extensions["sessions"]() as db, db.begin():
        db.execute(insert(Member), [{"line_user_id": f"Ubig{n:05d}", "active": True} for n in range(BIG)])
        for n, member in enumerate(db.scalars(select(Member).where(Member.line_user_id.like("Ubig%"))
                                              .order_by(Member.id))):
            create(db, member, "rss3", "daily", None, None)
            if n in alerted:
                create(db, member, "rss3", "above", Decimal(60), Decimal(50))
        evaluate(db, upsert(db, TODAY, "rss3", Decimal("62.10"), "raot"), NOW)
        run_id = db.scalars(select(AlertRun.id)).one()
    return run_id, Counter({f"Ubig{n:05d}": 1 for n in range(BIG)})


def test_cut_windows_are_read_again_from_the_cut_without_loss_or_repeat(
    app: Flask, line_world: LineWorld, db: Session
) -> None:
    _run_id, expected = _many_with_digests(app, {999, 1000, 1001, 1002})  # around the 1,000th digest
    with app.extensions["sessions"]() as worker:
        price_alerts.deliver_runs(worker, app.extensions["outbox"], workers=2, chunks=(1_100, 1_100))
    assert _received(line_world) == expected
    # The first window (1,100 members) was cut after two whole batches of the digest, at member 1,004 (four
    # members get the alert instead): read whole, it would have left a batch of 96 digests.
    sent = sorted((log.event, log.recipients) for log in db.scalars(select(AlertLog)))
    assert sent == [("above", 4), ("daily", 296), ("daily", 500), ("daily", 500)]


def test_a_worker_dying_after_a_cut_window_is_taken_over_without_loss_or_repeat(
    app: Flask, line_world: LineWorld
) -> None:
    run_id, expected = _many_with_digests(app, {1000})
    sessions = app.extensions["sessions"]
    with sessions() as dying:
        with dying.begin():
            assert claim_runs(dying, utcnow()) == [run_id]
        with dying.begin():
            run = dying.get(AlertRun, run_id)
            assert run is not None
            _values, queued, done = price_alerts.queue_chunk(dying, run, 1_100)
    assert (queued, done) == (1_000, False), "cut after two whole batches"
    with sessions() as session, session.begin():
        session.execute(update(AlertRun).values(claimed_at=utcnow() - timedelta(minutes=5)))
    price_alerts.deliver(app)
    with sessions() as worker:
        price_alerts.deliver_runs(worker, app.extensions["outbox"], workers=2, chunks=(1_100, 1_100))
    assert _received(line_world) == expected
