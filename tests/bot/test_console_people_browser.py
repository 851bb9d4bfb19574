"""The console's prices, members and announcements pages in a real headless Chromium, on an office PC's screen and a
phone's: a coordinator signs in with a link, posts the day's price, finds a member, and composes an announcement
whose audience is counted live by the page's own script, then schedules it. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import create_app, seed
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from models.base import BANGKOK, utcnow
from models.member import Member
from models.prices import PriceQuote
from tests.bot.admin_signin import link_for
from tests.support import registered, serve

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_a_coordinator_posts_a_price_finds_a_member_and_schedules_an_announcement(
    screen: str, browser: Any, config: dict[str, str], line_world: LineWorld, db: Session, app: Any
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    port = _free_port()
    served = create_app({**config, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    with served.extensions["sessions"]() as session, session.begin():
        seed.network(session)
    registered(served, "Ucoord", role="coordinator", center_code="DIST-05")
    for user in ("Usomchai", "Umalee", "Uprasit"):
        registered(served, user)
    with served.extensions["sessions"]() as session, session.begin():
        found = session.scalars(select(Member).where(Member.line_user_id == "Usomchai")).one()
        found.name, found.phone = "สมชาย ใจดี", "0812345678"
    with serve(served, port) as url:
        context = browser.new_context(viewport=VIEWPORTS[screen], is_mobile=screen == "phone",
                                      has_touch=screen == "phone")
        page = context.new_page()
        refused: list[str] = []  # the Content-Security-Policy blocking something the pages need
        page.on("console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None)
        page.goto(link_for(served, "Ucoord"))
        page.click("button:has-text('เข้าสู่ระบบ')")
        page.wait_for_url(f"{url}/admin/")

        page.click("nav >> text=ราคา")
        page.wait_for_url(f"{url}/admin/prices")
        page.select_option("select[name=rubber_type]", "latex")
        page.fill("input[name=price]", "58.50")
        page.click("button:has-text('ประกาศราคา')")
        assert "ประกาศแล้วครับ: น้ำยางสด 58.50 บาท/กก." in page.locator(".flash").inner_text()
        page.screenshot(path=str(SCREENSHOTS / f"console-prices-{screen}.png"), full_page=True)

        page.click("nav >> text=สมาชิก")
        page.fill("input[name=q]", "081-234-5678")
        page.click("button:has-text('ค้นหา')")
        page.click("text=สมชาย ใจดี")
        assert page.locator("#member h2").inner_text() == "สมชาย ใจดี"
        page.screenshot(path=str(SCREENSHOTS / f"console-member-{screen}.png"), full_page=True)

        page.click("nav >> text=ประกาศ")
        page.wait_for_url(f"{url}/admin/announcements")
        audience = page.locator("#audience")
        audience.filter(has_text="สมาชิก 3 คน").wait_for()  # the script asked the server: the district's members
        page.check("input[name=with_alerts]")
        audience.filter(has_text="สมาชิก 0 คน").wait_for()  # nobody keeps a price alert
        page.uncheck("input[name=with_alerts]")
        audience.filter(has_text="สมาชิก 3 คน").wait_for()
        page.fill("textarea[name=body]", "รถอาหารสัตว์มาวันพฤหัส รับของที่สหกรณ์ 9 โมง")
        page.check("input[name=when][value=at]")
        when = (utcnow() + timedelta(days=1)).astimezone(BANGKOK)
        page.fill("input[name=at]", f"{when:%Y-%m-%dT%H:%M}")
        page.screenshot(path=str(SCREENSHOTS / f"console-compose-{screen}.png"), full_page=True)
        page.click("button:has-text('บันทึกและตั้งเวลาส่ง')")
        page.wait_for_url(f"{url}/admin/announcements/*")
        assert "จะส่งถึงสมาชิก 3 คน" in page.locator(".flash").inner_text()
        assert "ตั้งเวลาไว้" in page.locator("#announcement").inner_text()
        page.screenshot(path=str(SCREENSHOTS / f"console-announcement-{screen}.png"), full_page=True)
        if screen == "phone":  # nothing wider than the phone's screen
            assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
        context.close()
    assert refused == []
    served.extensions["engine"].dispose()
    quote = db.scalars(select(PriceQuote)).one()
    assert str(quote.baht_per_kg) == "58.50"
    announcement = db.scalars(select(Announcement)).one()
    assert announcement.status == "scheduled" and announcement.body.startswith("รถอาหารสัตว์")
    assert abs(announcement.send_at - when.replace(second=0, microsecond=0)) < timedelta(minutes=1)
