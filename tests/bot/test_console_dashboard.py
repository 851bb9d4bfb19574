"""The dashboard (/admin/): the day's rubber prices with their change, the open rounds of the person's centers
with their progress toward the minimum, the next announcements, and LINE's quota this month as a gauge."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy.orm import Session

from bot import create_app
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from models.base import utcnow
from models.network import center_by_code
from models.outbox import record_quota
from models.prices import local_day, upsert
from tests.bot.test_console import staff
from tests.bot.test_console_rounds import catalog, order_in_chat, page, round_of

__all__ = ["catalog"]  # the fixture


def test_the_dashboard_needs_a_sign_in(seeded: Flask) -> None:
    assert seeded.test_client().get("/admin/").status_code == 401


def test_todays_prices_with_their_change(seeded: Flask) -> None:
    today = local_day(utcnow())
    with seeded.extensions["sessions"]() as db, db.begin():
        rubber = center_by_code(db, "PROV-RUBBER")
        assert rubber is not None
        upsert(db, today - timedelta(days=1), "latex", Decimal("58.50"), "center", rubber.id)
        upsert(db, today, "latex", Decimal("59.00"), "center", rubber.id)
        upsert(db, today - timedelta(days=3), "rss3", Decimal("71.20"), "raot")
        upsert(db, today - timedelta(days=2), "rss3", Decimal("70.00"), "raot")
    shown = page(staff(seeded, "Ucoord"), "/admin/")
    prices = re.findall(r'<section id="prices">.*?</section>', shown, re.S)[0]
    assert "น้ำยางสด" in prices and "59.00" in prices and "▲ 0.50" in prices
    assert "ยางแผ่นรมควัน" in prices and "70.00" in prices and "▼ 1.20" in prices and "ราคาวันที่" in prices
    assert "ยางก้อนถ้วย" not in prices  # no price of it yet


def test_open_rounds_of_the_persons_centers_with_progress(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    acid = round_of(db, "acid-formic")  # minimum 90 kg, in 30 kg containers
    order_in_chat(catalog, line_world, acid.id, 45, "สมชาย ใจดี")
    rubber = page(staff(catalog, "Urubber", center="PROV-RUBBER"), "/admin/")
    card = re.findall(rf'<div class="card" id="round-{acid.id}">.*?</div>\s*</div>', rubber, re.S)[0]
    assert 'aria-valuenow="50"' in card and "50% ของยอดขั้นต่ำ" in card
    assert "ยอดสั่งตอนนี้: <strong>45 กก.</strong>" in card and "อีก 15 กก. จะครบแกลลอนที่ 2" in card
    assert "อาหารหมูขุน ซีพี" not in rubber  # Pak Phayun's round, not theirs
    admin = page(staff(catalog, "Uadmin", role="admin"), "/admin/")
    assert "อาหารหมูขุน ซีพี" in admin and "ขั้นราคาถัดไป: อีก 100 กระสอบ" in admin  # CP's tier at 100 sacks


def test_the_next_announcements_of_the_persons_centers(seeded: Flask) -> None:
    with seeded.extensions["sessions"]() as db, db.begin():
        for code, body, hours in (("DIST-05", "ประชุมใหญ่สามัญประจำปี", 5), ("DIST-06", "ข่าวปากพะยูน", 3),
                                  ("DIST-05", "ส่งไปแล้ว", -2)):
            center = center_by_code(db, code)
            assert center is not None
            db.add(Announcement(center_id=center.id, body=body, send_at=utcnow() + timedelta(hours=hours),
                                status="scheduled" if hours > 0 else "sent"))
    shown = page(staff(seeded, "Ucoord", center="DIST-05"), "/admin/")
    listed = re.findall(r'<section id="announcements">.*?</section>', shown, re.S)[0]
    assert "ประชุมใหญ่สามัญประจำปี" in listed and "ข่าวปากพะยูน" not in listed and "ส่งไปแล้ว" not in listed


def test_lines_quota_as_a_gauge(seeded: Flask, line_world: LineWorld) -> None:
    line_world.quota, line_world.usage = 300, 120
    try:
        shown = page(staff(seeded, "Ucoord"), "/admin/")
    finally:
        line_world.quota, line_world.usage = None, 0
    gauge = re.findall(r'<section id="quota">.*?</section>', shown, re.S)[0]
    assert '<meter min="0" max="300"' in gauge and 'value="120"' in gauge
    assert "ใช้ไป 120 จาก 300 ข้อความ เหลือ 180 ข้อความ" in gauge


def test_an_unlimited_plan_and_line_out_of_reach(seeded: Flask, config: dict[str, str]) -> None:
    assert "แพ็กเกจนี้ไม่จำกัดจำนวนต่อเดือน" in page(staff(seeded, "Ucoord"), "/admin/")
    with seeded.extensions["sessions"]() as db, db.begin():
        record_quota(db, 42, utcnow())
    with socket.socket() as closed:  # a port nothing listens on: LINE out of reach
        closed.bind(("127.0.0.1", 0))
        unreachable = create_app({**config, "LINE_API_BASE_URL": f"http://127.0.0.1:{closed.getsockname()[1]}"})
    try:
        shown = page(staff(unreachable, "Uother"), "/admin/")
    finally:
        unreachable.extensions["engine"].dispose()
    assert "ถาม LINE ไม่ได้ในตอนนี้ ครั้งล่าสุดเหลือ 42 ข้อความ" in shown
