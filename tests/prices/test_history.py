"""price.history: a one-line summary and a PNG chart the bot serves under PUBLIC_BASE_URL."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from flask import Flask
from PIL import Image

from bot import create_app
from bot.nlu import Intent
from bot.render.charts import register_font
from bot.sandbox.line_api import LineWorld
from tests.prices.conftest import NOW, TODAY, put
from tests.support import Chat, buttons, registered, texts

PNG = b"\x89PNG\r\n\x1a\n"


def _history(app: Flask, days: int = 30) -> None:
    for n in range(days):
        day = TODAY - timedelta(days=n)
        if day.weekday() < 5:
            put(app, day, "latex", str(Decimal("55.00") + Decimal(n % 7) / 2))


def test_the_chart_and_its_summary(chat: Chat, clock: datetime) -> None:
    _history(chat.app)
    image, summary = chat.say("กราฟราคาน้ำยาง 30 วัน")
    assert image["type"] == "image"
    url = urlsplit(image["originalContentUrl"])
    assert f"{url.scheme}://{url.netloc}" == "https://bot.test"
    assert url.path == "/charts/latex-30.png"
    assert image["previewImageUrl"].startswith(image["originalContentUrl"])
    assert summary["text"].startswith("น้ำยางสด 30 วัน: ต่ำสุด 55.00 สูงสุด 58.00 เฉลี่ย ")
    assert "ราคากลางเปิดตลาด" in summary["text"]
    assert "7 วัน" in buttons([summary]) and "ยางแผ่นดิบ" in buttons([summary])

    client = chat.app.test_client()
    full = client.get(f"{url.path}?{url.query}")
    assert full.status_code == 200 and full.mimetype == "image/png" and full.data.startswith(PNG)
    assert Image.open(io.BytesIO(full.data)).size == (1040, 780)
    assert "max-age" in full.headers["Cache-Control"]
    preview = client.get(urlsplit(image["previewImageUrl"]).path + "?" + urlsplit(image["previewImageUrl"]).query)
    assert preview.status_code == 200 and len(preview.data) < 1024 * 1024
    assert Image.open(io.BytesIO(preview.data)).size == (480, 360)


def test_the_chart_follows_the_members_cooperative(seeded: Flask, line_world, clock: datetime) -> None:
    _history(seeded)
    for n in range(3):
        put(seeded, TODAY - timedelta(days=n), "latex", "60.00", "center", "DIST-05")
    chat = Chat(seeded, line_world)
    registered(seeded, chat.user_id, district="ควนขนุน")
    image, summary = chat.press(Intent("price.history", {"rubber_type": "latex", "days": 7}).to_postback())
    assert "coop=DIST-05" in image["originalContentUrl"]
    assert "ต่ำสุด 60.00 สูงสุด 60.00" in summary["text"]
    assert "(สหกรณ์ของท่าน)" in summary["text"]


def test_bad_chart_addresses_are_404(seeded: Flask) -> None:
    client = seeded.test_client()
    _history(seeded)
    end = TODAY.isoformat()
    assert client.get(f"/charts/latex-30.png?end={end}").status_code == 200
    for path in (f"/charts/latex-3.png?end={end}", f"/charts/latex-999.png?end={end}",
                 f"/charts/wood-30.png?end={end}", "/charts/latex-30.png?end=yesterday",
                 f"/charts/latex-30.png?end={end}&coop=NOPE", f"/charts/uss-30.png?end={end}",
                 "/charts/latex-365.png?end=0001-01-01"):
        assert client.get(path).status_code == 404, path


def test_too_little_data_and_odd_periods(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "uss", "60.00")
    assert "ราคายางแผ่นดิบ ใน 30 วันที่ผ่านมายังมีไม่พอ" in texts(
        chat.press(Intent("price.history", {"rubber_type": "uss"}).to_postback()))
    assert "ดูย้อนหลังได้ 5 ถึง 365 วัน" in texts(
        chat.press(Intent("price.history", {"rubber_type": "uss", "days": 1000}).to_postback()))


def test_the_thai_font_comes_from_the_package() -> None:
    from matplotlib import font_manager

    family = register_font()
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "fontpkg_sarabun" in found


def test_without_https_the_chart_goes_as_its_text(seeded: Flask, config: dict[str, str], line_world: LineWorld) -> None:
    """LINE fetches images only over https and refuses a reply with an http one, text and all."""
    app = create_app({**config, "PUBLIC_BASE_URL": "http://bot.example"})  # on the seeded test database
    try:
        chat = Chat(app, line_world)
        registered(app, chat.user_id)
        app.extensions["dispatcher"].clock = lambda: NOW
        _history(app)
        (summary,) = chat.say("กราฟราคาน้ำยาง 30 วัน")
        assert summary["type"] == "text" and summary["text"].startswith("น้ำยางสด 30 วัน: ต่ำสุด 55.00")
        assert line_world.rejected() == []
    finally:
        app.extensions["engine"].dispose()
