"""The console's rounds in a real headless Chromium, on an office PC's screen and on a phone's: a coordinator
signs in from a link, opens a formic acid round from the product list, watches its progress when a member
orders it in the sandbox (the real signed webhook), closes it and downloads the supplier export.

Screenshots of each step go to tests/screenshots/ (git-ignored), for a person to look at."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import create_app
from bot.sandbox.line_api import LineWorld
from bot.seed import orders as seed_orders
from models.base import BANGKOK, utcnow
from models.network import center_by_code
from models.orders import OrderLine
from models.prices import local_day, upsert
from models.rounds import Round
from tests.bot.admin_signin import link_for
from tests.support import registered, serve

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "locale": "th-TH"},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2, "locale": "th-TH"},
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def console(seeded: Flask, config: dict[str, str], line_world: LineWorld) -> Iterator[tuple[Flask, str]]:
    """The bot with its sandbox over real HTTP: the demo products (no rounds yet) and a coordinator of the rubber
    federation, which coordinates formic acid."""
    port = _free_port()
    app = create_app({**config, "COOPBOT_SANDBOX": "1", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    app.extensions["line_world"] = line_world  # the sandbox page shows what the tests' LINE received
    today = local_day(utcnow())
    with app.extensions["sessions"]() as db, db.begin():
        seed_orders.products(db)
        rubber = center_by_code(db, "PROV-RUBBER")
        assert rubber is not None
        upsert(db, today - timedelta(days=1), "latex", Decimal("58.50"), "center", rubber.id)
        upsert(db, today, "latex", Decimal("59.00"), "center", rubber.id)
        upsert(db, today, "rss3", Decimal("70.20"), "raot")
    registered(app, "Ucoordinator", role="coordinator", center_code="PROV-RUBBER")
    line_world.quota = 300  # the free plan's month
    with serve(app, port) as url:
        yield app, url
    app.extensions["engine"].dispose()


@pytest.mark.parametrize("screen", SCREENS)
def test_a_coordinator_runs_a_round_from_open_to_export(browser: Any, console: tuple[Flask, str], db: Session,
                                                        screen: str) -> None:
    app, url = console
    SCREENSHOTS.mkdir(exist_ok=True)

    def shot(name: str) -> None:
        staff.screenshot(path=str(SCREENSHOTS / f"console-{screen}-{name}.png"), full_page=True)

    context = browser.new_context(**SCREENS[screen], accept_downloads=True)
    staff = context.new_page()
    problems: list[str] = []  # the Content-Security-Policy refusing something, or a script error (a refused
    # form's 400 and the browser's own favicon request are not problems)
    staff.on("console", lambda m: problems.append(m.text) if "Failed to load resource" not in m.text and (
        m.type == "error" or "Policy" in m.text) else None)
    staff.on("pageerror", lambda exc: problems.append(str(exc)))

    staff.goto(link_for(app, "Ucoordinator"))
    staff.click("button:has-text('เข้าสู่ระบบ')")
    staff.wait_for_url(f"{url}/admin/")
    assert "ไม่มีรอบที่เปิดอยู่" in staff.locator("#rounds").inner_text()
    assert "▲ 0.50" in staff.locator("#prices").inner_text()
    assert staff.locator("#quota meter").get_attribute("max") == "300"
    assert staff.locator("nav a", has_text="ช่องทาง LINE").count() == 0  # a coordinator's menu
    shot("1-dashboard")

    staff.click("nav >> text=รอบ")
    staff.wait_for_url(f"{url}/admin/rounds")
    staff.click("text=เปิดรอบใหม่")
    staff.select_option("#product", label="กรดฟอร์มิก (กรดมด) (acid-formic)")
    closes = (utcnow().astimezone(BANGKOK) + timedelta(days=5)).date()
    staff.fill("#price", "0")
    staff.fill("#closes_on", closes.isoformat())
    staff.fill("#min_total", "40")
    staff.fill("[name='tiers-0-min']", "90")
    staff.fill("[name='tiers-0-price']", "45")
    point = staff.locator(".point", has_text="สหกรณ์การเกษตรควนขนุน จำกัด")
    point.locator("input[type=checkbox]").check()
    point.locator("input[type=date]").fill((closes + timedelta(days=3)).isoformat())
    staff.click("button:has-text('เปิดรอบ')")
    assert "ราคาต้องมากกว่า 0 ครับ" in staff.locator(".field.invalid").inner_text()  # beside the price
    shot("2-refused")
    staff.fill("#price", "47")
    staff.click("button:has-text('เปิดรอบ')")
    staff.wait_for_url(re.compile(rf"{url}/admin/rounds/\d+$"))
    assert "เปิดรอบ" in staff.locator(".flash").inner_text()
    round_id = int(staff.url.rsplit("/", 1)[1])
    assert staff.locator(".bar").get_attribute("aria-valuenow") == "0"

    member = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    member.goto(f"{url}/sandbox")
    member.locator("#member option").first.wait_for(state="attached")  # the coordinator is a member already
    if not member.locator("#new").evaluate("details => details.open"):
        member.click("#new summary")
    member.fill("input[name=name]", "มานี ใจงาม")
    member.check("input[name=registered]")
    member.select_option("select[name=district]", "ควนขนุน")
    member.click("#create button[type=submit]")
    replies = member.locator(".row.bot")
    replies.first.wait_for()
    before = replies.count()
    member.fill("[data-testid=text]", "สั่งกรดมด 60 กิโล")
    member.press("[data-testid=text]", "Enter")
    confirm = member.locator(".fx-button.primary", has_text="ยืนยัน")
    confirm.last.wait_for(timeout=10000)
    before = replies.count()
    confirm.last.click()
    replies.nth(before).wait_for(timeout=10000)
    member.screenshot(path=str(SCREENSHOTS / f"console-{screen}-3-member-orders.png"))
    member.context.close()

    staff.reload()  # the coordinator watches the round fill
    assert staff.locator(".bar").get_attribute("aria-valuenow") == "100"
    assert "60 กก." in staff.locator("#summary").inner_text()
    assert "มานี ใจงาม" in staff.locator("#orders").inner_text()
    assert "ถ้าปิดตอนนี้: 2 แกลลอน (60 กก.)" in staff.locator("#orders").inner_text()
    shot("4-progress")
    staff.click("nav >> text=ภาพรวม")
    assert "กรดฟอร์มิก (กรดมด)" in staff.locator("#rounds").inner_text()
    staff.go_back()

    staff.click("button:has-text('ปิดรอบตอนนี้')")
    staff.wait_for_url(f"{url}/admin/rounds/{round_id}")
    assert "ปิดรอบแล้ว: 2 แกลลอน สำหรับสมาชิก 1 คน" in staff.locator(".flash").inner_text()
    with staff.expect_download() as download:
        staff.click("text=ไฟล์ส่งผู้ขาย (Excel)")
    saved = SCREENSHOTS / f"console-{screen}-orders-{round_id}.xlsx"
    download.value.save_as(str(saved))
    assert download.value.suggested_filename == f"orders-{round_id}.xlsx"
    shot("5-closed")
    context.close()

    rows = list(load_workbook(saved)["Orders"].iter_rows(values_only=True))
    assert rows[1][6] == "มานี ใจงาม" and float(rows[1][10]) == 60
    round_ = db.get(Round, round_id)
    assert round_ is not None and round_.status == "closed" and round_.center.code == "PROV-RUBBER"
    assert [line.final for line in db.scalars(select(OrderLine).where(OrderLine.round_id == round_id))] == [60]
    assert problems == []
