"""Price alerts at scale: 100,000 members with alerts, and one price post that crosses most thresholds.

Prints the time to evaluate the alerts (set-based SQL, goal < 0.3 s), then the time to deliver them: queue
the outbox rows (multicast batches of 500, each with a retry key) in chunks, each chunk's calls leaving while
the next is queued, to the local LINE API on a loopback port, throttled at LINE's limit of 200 multicast
calls a second, beside the floor that limit sets (1.0 s for 200 calls). Goal: evaluation plus delivery
within 1.25 s. Also the peak memory.

Runs on a throwaway SQLite file (or BENCH_DATABASE_URL, e.g. a PostgreSQL database of your own), touches
nothing but loopback, and stops by itself:  .venv/bin/python bench/alerts.py [--members N]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text
from werkzeug.serving import WSGIRequestHandler, make_server

from bot import create_app, migrate, seed
from bot.i18n import translator
from bot.jobs import price_alerts
from bot.sandbox.line_api import LineWorld, create_line_api
from handlers import fmt
from models.alerts import PriceAlert, evaluate
from models.member import Member
from models.prices import federation, local_day, upsert
from tests.support import CHANNEL_SECRET, CHANNEL_TOKEN

GOAL_EVALUATE, GOAL_TOTAL = 0.3, 1.25
CALLS_PER_SECOND, PER_CALL = 200, 500
YESTERDAY_PRICE, TODAY_PRICE = Decimal("49.00"), Decimal("60.00")


def populate(sessions: object, members: int, today: date) -> None:
    """Members of every district; most watch latex above a level between yesterday's price and today's."""
    rng = random.Random(25)
    now = datetime.now(UTC)
    with sessions() as db, db.begin():  # type: ignore[operator]
        fed = federation(db)
        assert fed is not None
        rows = [
            {"line_user_id": "U" + uuid.UUID(int=rng.getrandbits(128)).hex, "name": f"สมาชิก {n}",
             "district": "ควนขนุน", "consent_at": now, "active": n % 100 != 0, "role": "member", "created_at": now}
            for n in range(members)
        ]
        db.execute(insert(Member), rows)
        ids = list(db.scalars(select(Member.id).order_by(Member.id)))
        alerts = []
        for n, member_id in enumerate(ids):
            kind, threshold, side = "above", Decimal(rng.randrange(5000, 6000)) / 100, "below"  # crosses today
            if n % 20 == 1:
                kind, threshold, side = "above", Decimal(65), "below"  # does not cross
            elif n % 20 == 2:
                kind, threshold, side = "below", Decimal(45), "above"  # does not cross
            elif n % 20 == 3:
                kind, threshold, side = "daily", None, None  # the day's price
            alerts.append({"member_id": member_id, "rubber_type": "latex", "kind": kind, "threshold": threshold,
                           "active": True, "last_side": side, "created_at": now})
        db.execute(insert(PriceAlert), alerts)
        upsert(db, today - timedelta(days=1), "latex", YESTERDAY_PRICE, "center", fed.id)


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


class KeepAlive(WSGIRequestHandler):
    """LINE's servers keep a connection open between calls; werkzeug's development server closes it."""

    protocol_version = "HTTP/1.1"


def serve_line(conn: Connection) -> None:
    """The local LINE API in a process of its own, as LINE is: its work does not share our interpreter."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    world = LineWorld(token=CHANNEL_TOKEN)
    server = make_server("127.0.0.1", 0, create_line_api(world), threaded=True, request_handler=KeepAlive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn.send(server.server_port)
    conn.recv()
    pushes = [r for r in world.requests if r.path.endswith(("/message/multicast", "/message/push"))]
    conn.send(([len(r.json["to"]) if isinstance(r.json["to"], list) else 1 for r in pushes],
               [r.at for r in pushes], len(world.rejected())))
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=price_alerts.WORKERS)
    args = parser.parse_args()
    ours, theirs = multiprocessing.Pipe()
    line = multiprocessing.Process(target=serve_line, args=(theirs,), daemon=True)
    line.start()
    line_url = f"http://127.0.0.1:{ours.recv()}"
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
                          "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN, "LINE_API_BASE_URL": line_url})
        logging.getLogger().setLevel(logging.WARNING)
        engine, sessions = app.extensions["engine"], app.extensions["sessions"]
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        migrate.upgrade(engine)
        with sessions() as db, db.begin():
            seed.network(db)
        today = local_day(datetime.now(UTC))  # Thailand's day: only its price is news (models.alerts)
        started = time.perf_counter()
        populate(sessions, args.members, today)
        if engine.dialect.name == "postgresql":
            # A running database has its planner statistics: autovacuum takes them within a minute of a load.
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        # A running bot has its catalogs and number formats loaded; a fresh process loads them on first use.
        fmt.baht(1), translator("th"), translator("en")
        print(f"set-up: {args.members:,} members with latex alerts on {engine.dialect.name} "
              f"in {time.perf_counter() - started:.1f} s; LINE API on {line_url} (own process)")

        started = time.perf_counter()
        with sessions() as db, db.begin():
            fed = federation(db)
            quote = upsert(db, today, "latex", TODAY_PRICE, "center", fed.id if fed else None)
            fired = evaluate(db, quote)
        evaluated = time.perf_counter() - started

        started, wall = time.perf_counter(), time.time()
        with sessions() as db:
            report = price_alerts.deliver_runs(db, app.extensions["outbox"], workers=args.workers)
        delivery = time.perf_counter() - started
        queued, sent, queueing = report.queued, report.sent, report.queueing
        engine.dispose()

    ours.send("report")
    sizes, times, refused = ours.recv()
    line.join(5)
    floor = (len(sizes) - 1) / CALLS_PER_SECOND if sizes else 0.0
    total = evaluated + delivery
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"price post: latex {YESTERDAY_PRICE} -> {TODAY_PRICE} baht/kg; {fired:,} alerts fired, "
          f"{queued:,} recipients queued ({fired - queued:,} skipped: members who unfollowed)")
    print(f"evaluate (SQL, set-based):  {evaluated:6.3f} s   goal < {GOAL_EVALUATE} s   "
          f"{'OK' if evaluated < GOAL_EVALUATE else 'MISSED'}")
    print(f"deliver (queue in chunks, sending as each commits; {args.workers} threads): {delivery:6.3f} s")
    print(f"  queueing done at {queueing:.3f} s", end="")
    if times:
        print(f"; first call at {min(times) - wall:.3f} s, last call at {max(times) - wall:.3f} s", end="")
    print(f"\n  floor at {CALLS_PER_SECOND} calls/s: {floor:.3f} s for {len(sizes)} calls (1.0 s for 200)")
    print(f"evaluate + deliver:         {total:6.3f} s   goal <= {GOAL_TOTAL} s  "
          f"{'OK' if total <= GOAL_TOTAL else 'MISSED'}")
    print(f"LINE received {sum(sizes):,} recipients in {len(sizes)} calls of at most {max(sizes, default=0)}; "
          f"deliveries sent: {sent}; refused: {refused}; busiest second: {busiest_second(times)} calls")
    print(f"peak memory (RSS, whole run incl. set-up): {peak:.0f} MB")


if __name__ == "__main__":
    main()
