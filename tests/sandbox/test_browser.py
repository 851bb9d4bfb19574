"""The sandbox in a real headless Chromium: a newcomer creates a member, types Thai, taps a quick reply and a
rich-menu button, and sees a pushed Flex card, all through the real signed webhook."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from models.outbox import queue
from tests.sandbox.conftest import Sandbox

SCREENSHOT = Path("/tmp/coopbot-sandbox.png")

pytestmark = pytest.mark.browser


def test_a_newcomer_chats_in_thai_taps_buttons_and_sees_pushes(browser: Any, sandbox: Sandbox, db: Session) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(sandbox.url + "/sandbox")

    page.fill("input[name=name]", "มานี ใจงาม")
    page.click("#create button[type=submit]")
    bot_rows = page.locator(".row.bot")
    bot_rows.first.wait_for()

    before = bot_rows.count()
    started = time.perf_counter()
    page.fill("[data-testid=text]", "สวัสดีครับ")
    page.press("[data-testid=text]", "Enter")
    bot_rows.nth(before).wait_for(timeout=5000)
    typed_to_reply = time.perf_counter() - started
    assert "สวัสดี" in bot_rows.nth(before).inner_text()
    assert page.locator(".row.me").last.inner_text().startswith("สวัสดีครับ")
    assert typed_to_reply < 1.0, f"the bot answered in {typed_to_reply:.2f} s"
    assert page.evaluate("document.fonts.check('16px Sarabun', 'สวัสดีครับ')"), "the Thai web font is served"

    chips = page.locator("[data-testid=quick] .chip")
    assert chips.count() >= 1
    label = chips.last.inner_text()
    before = bot_rows.count()
    chips.last.click()
    bot_rows.nth(before).wait_for(timeout=5000)
    assert page.locator(".row.me").last.inner_text().startswith(label)

    areas = page.locator("[data-testid=richmenu] .menu-area")
    areas.first.wait_for(timeout=10000)
    assert areas.count() == 6
    before = bot_rows.count()
    areas.nth(1).click()
    bot_rows.nth(before).wait_for(timeout=5000)

    user = page.evaluate("localStorage.getItem('sandbox-user')")
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "ยางแผ่นดิบ", "weight": "bold"}, {"type": "separator"},
        {"type": "text", "text": "58.00 บาท/กก."},
        {"type": "button", "style": "primary", "action": {"type": "message", "label": "ราคายาง", "text": "ราคายาง"}}]}}
    card = {"type": "flex", "altText": "ราคายางวันนี้", "contents": {"type": "carousel", "contents": [bubble] * 2}}
    queue(db, [user], [card], "test")
    db.commit()
    sandbox.app.extensions["outbox"].drain()
    page.locator(".fx-carousel .fx-bubble").first.wait_for(timeout=5000)
    assert page.locator(".fx-carousel .fx-bubble").count() == 2
    assert "58.00 บาท/กก." in page.locator(".fx-carousel").inner_text()
    before = bot_rows.count()
    page.locator(".fx-button.primary").first.click()
    bot_rows.nth(before).wait_for(timeout=5000)

    page.screenshot(path=str(SCREENSHOT))
    assert errors == []
