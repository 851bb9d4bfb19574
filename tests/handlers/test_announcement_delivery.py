"""An announcement to more members than LINE will take this month, with LINE refusing now and then: nothing
is lost or sent twice, the counts say the truth, and the author is told what went out, what waits and why."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery import Outbox
from bot.jobs.announcements import send_due
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from tests.support import Chat, button_data, many_members, registered, texts

MEMBERS = 1_100  # three multicasts: 500, 500 and 100


def _members(app: Flask) -> list[str]:
    return many_members(app, MEMBERS)


def test_an_announcement_over_the_quota_waits_and_its_author_is_told(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    members = _members(seeded)
    coordinator = Chat(seeded, line_world)
    registered(seeded, coordinator.user_id, role="coordinator", center_code="DIST-05")
    outbox: Outbox = seeded.extensions["outbox"]
    line_world.quota = 600
    outbox.drain()  # the clock's idle drain keeps the month's quota reading fresh

    coordinator.press(Intent("broadcast").to_postback())
    preview = coordinator.say("รถอาหารสัตว์จากซีพีจะมาส่งที่สหกรณ์วันพฤหัสนี้ครับ")
    assert "ส่งถึงสมาชิก 1,100 คน" in texts(preview)
    assert "เดือนนี้เหลือข้อความ LINE 600 ข้อความ สมาชิกอีก 500 คน" in texts(preview)
    assert "สมาชิกอีก 500 คน" in texts(coordinator.press(button_data(preview, "ส่งเลย")))

    line_world.faults.extend([503, (429, "The API rate limit has been exceeded. Try again later.")])
    assert send_due(seeded) == 1
    db.expire_all()
    announcement = db.scalars(select(Announcement)).one()
    assert announcement.status == "sending" and announcement.recipients == MEMBERS
    sent_so_far = sum(line_world.received().values())
    assert announcement.delivered == sent_so_far and announcement.held == MEMBERS - sent_so_far
    assert announcement.failed == 0

    # LINE's rate limit lifts: what it refused goes with its own retry key; the month's quota still holds.
    outbox.clock = lambda: datetime.now(UTC) + timedelta(minutes=5)
    outbox.drain()
    db.expire_all()
    assert sum(line_world.received().values()) == 600
    announcement = db.scalars(select(Announcement)).one()
    assert (announcement.delivered, announcement.held) == (600, 500)
    status = texts(coordinator.press(Intent("news").to_postback()))
    assert "ส่งถึงแล้ว 600 จาก 1,100 คน" in status and "รอส่ง 500 คน (ข้อความ LINE ของเดือนนี้หมดแล้ว" in status
    assert line_world.received()[coordinator.user_id] == 0, "not told it has gone out: it has not"

    line_world.quota = 5_000  # the cooperative buys more messages
    outbox.drain()
    send_due(seeded)
    db.expire_all()
    announcement = db.scalars(select(Announcement)).one()
    assert announcement.status == "sent" and (announcement.delivered, announcement.held) == (MEMBERS, 0)
    assert line_world.received() == Counter({**{user: 1 for user in members}, coordinator.user_id: 1})
    (report,) = [c for c in line_world.sent("/v2/bot/message/push") if c.json["to"] == coordinator.user_id]
    assert "ส่งเรียบร้อยแล้ว" in report.json["messages"][0]["text"]
    assert "ส่งถึงแล้ว 1,100 จาก 1,100 คน" in report.json["messages"][0]["text"]
    send_due(seeded)
    assert len([c for c in line_world.sent("/v2/bot/message/push") if c.json["to"] == coordinator.user_id]) == 1


def test_members_line_refuses_are_counted_as_failed_not_the_others(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    coordinator = Chat(seeded, line_world)
    registered(seeded, coordinator.user_id, role="coordinator", center_code="DIST-05")
    for user in ("Uk1", "Uk2", "Ugone"):
        registered(seeded, user, district="ควนขนุน")
    line_world.refused_users.add("Ugone")
    coordinator.press(Intent("broadcast").to_postback())
    preview = coordinator.say("ประชุมสมาชิกวันเสาร์ 9 โมง")
    coordinator.press(button_data(preview, "ส่งเลย"))
    send_due(seeded)
    send_due(seeded)
    db.expire_all()
    announcement = db.scalars(select(Announcement)).one()
    assert (announcement.status, announcement.delivered, announcement.failed) == ("sent", 2, 1)
    assert line_world.received() == Counter({"Uk1": 1, "Uk2": 1, coordinator.user_id: 1})
