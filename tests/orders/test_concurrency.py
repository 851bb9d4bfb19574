"""Many members joining at the same moment never oversell a round, and a confirm pressed many times at
once records one order. Threads with their own sessions (and their own webhook requests), started
together by a barrier; on PostgreSQL (TEST_DATABASE_URL) as well as SQLite."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from models.member import Member
from models.orders import OrderLine, OrderRefused, join
from tests.orders.conftest import join as join_postback
from tests.orders.conftest import lines, register, round_of, total
from tests.support import Chat, button_data, post_events, postback_event, texts

THREADS = 60


def together(count: int, work: Callable[[int], str]) -> Counter[str]:
    """Run work(0..count-1) in threads released at the same instant; counts what each returned."""
    barrier, results, lock = threading.Barrier(count), Counter[str](), threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        outcome = work(i)
        with lock:
            results[outcome] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def _members(app: Flask, count: int) -> list[int]:
    return [register(app, f"U{i:032x}", name=f"สมาชิก {i}") for i in range(count)]


def test_sixty_simultaneous_joins_never_pass_the_stock(catalog: Flask, db: Session) -> None:
    piglets = round_of(db, "piglet")  # 40 heads in stock
    members = _members(catalog, THREADS)
    sessions = catalog.extensions["sessions"]

    def one(i: int) -> str:
        with sessions() as session, session.begin():
            member = session.get(Member, members[i])
            assert member is not None
            try:
                join(session, piglets.id, member, Decimal(1 + i % 3), utcnow(), token=f"{i:016x}")
            except OrderRefused as exc:
                return exc.reason
            return "joined"

    results = together(THREADS, one)
    assert set(results) <= {"joined", "full"} and results["full"] > 0
    recorded = sum((line.quantity for line in lines(db, piglets.id)), Decimal(0))
    assert recorded == total(db, piglets.id) <= 40
    assert recorded >= 40 - 2, "the stock is sold out up to what no one's order could still fit"
    assert len(lines(db, piglets.id)) == results["joined"]


def test_fifty_members_confirming_at_once_through_the_webhook(catalog: Flask, line_world: LineWorld,
                                                               db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")  # at most 400 sacks
    chats = [Chat(catalog, line_world) for _ in range(50)]
    for chat in chats:
        register(catalog, chat.user_id)
    confirms = [button_data(chat.press(join_postback(cp.id, 10)), "ยืนยัน") for chat in chats]
    assert total(db, cp.id) == 0, "the cards wrote nothing"

    def press(i: int) -> str:
        response = post_events(catalog.test_client(), [postback_event(chats[i].user_id, confirms[i])])
        return str(response.status_code)

    assert together(50, press) == Counter({"200": 50})
    assert total(db, cp.id) == 400
    assert sum((line.quantity for line in lines(db, cp.id)), Decimal(0)) == 400
    replies = [texts(r.json["messages"]) for r in line_world.sent("/v2/bot/message/reply")[-50:]]
    assert sum("บันทึกรายการสั่งซื้อแล้ว" in reply for reply in replies) == 40
    assert sum("เต็มแล้ว" in reply for reply in replies) == 10


def test_one_confirm_pressed_twenty_times_at_once_records_one_order(farmer: Chat, catalog: Flask,
                                                                     db: Session) -> None:
    cp = round_of(db, "feed-cp-pig")
    confirm = button_data(farmer.press(join_postback(cp.id, 7)), "ยืนยัน")

    def press(i: int) -> str:
        return str(post_events(catalog.test_client(), [postback_event(farmer.user_id, confirm)]).status_code)

    assert together(20, press) == Counter({"200": 20})
    assert total(db, cp.id) == 7
    assert db.scalar(select(func.count()).select_from(OrderLine)) == 1
    assert "7 กระสอบ" in texts(farmer.say("ออเดอร์ของผม"))
