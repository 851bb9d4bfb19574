"""The admin page in a real headless Chromium: sign in with a link (its page's button POSTs the code from
after '#'), save a phone, set and test the webhook, sign out."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import create_app, seed
from bot.sandbox.line_api import LineWorld
from models.network import Center
from tests.bot.admin_signin import link_for
from tests.support import CHANNEL_SECRET, registered, serve

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_admin_configures_the_network_and_the_webhook(
    browser: Any, config: dict[str, str], line_world: LineWorld, db: Session, app: Any
) -> None:
    port = _free_port()
    served = create_app({**config, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    with served.extensions["sessions"]() as session, session.begin():
        seed.network(session)
    registered(served, "Uadmin", role="admin")
    line_world.channel_secret = CHANNEL_SECRET
    with serve(served, port) as url:
        link = link_for(served, "Uadmin")
        page = browser.new_page()
        refused: list[str] = []  # the Content-Security-Policy blocking something the pages need
        page.on("console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None)
        page.goto(link)
        assert page.url == f"{url}/admin/login"  # the script took the code out of the address bar
        assert page.locator("#token").is_hidden()
        page.click("button:has-text('เข้าสู่ระบบ')")
        page.wait_for_url(f"{url}/admin/")
        assert page.locator("h1").inner_text() == "ระบบงานเจ้าหน้าที่สหกรณ์"
        page.goto(f"{url}/admin/catalog")  # the centers' contacts are kept on the catalog page
        heading = page.get_by_role("heading", name="ชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด", exact=True)
        row = page.locator("#centers form").filter(has=heading)
        row.locator("input[name$=phone]").fill("074-613-000")
        row.locator("button").click()
        assert "ชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด" in page.locator(".flash").inner_text()

        page.click("nav >> text=ช่องทาง LINE")
        page.wait_for_url(f"{url}/admin/channel")

        page.click("text=ตั้งค่าที่ LINE และทดสอบ")
        assert f"ตั้ง Webhook เป็น {url}/callback แล้ว การทดสอบจาก LINE สำเร็จ" in page.locator(".flash").inner_text()
        page.screenshot(path="/tmp/coopbot-admin.png", full_page=True)

        page.click("text=ออกจากระบบ")
        assert "coopbot admin link" in page.locator("main").inner_text()
        page.goto(link)  # the same link again: spent
        page.click("button:has-text('เข้าสู่ระบบ')")
        assert "ลิงก์เข้าสู่ระบบนี้ถูกใช้ไปแล้ว" in page.locator("main").inner_text()
        page.close()
    assert refused == []
    served.extensions["engine"].dispose()
    assert line_world.webhook_endpoint == f"{url}/callback"
    center = db.scalars(select(Center).where(Center.code == "PROV-RUBBER")).one()
    assert center.phone == "074-613-000"
