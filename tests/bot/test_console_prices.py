"""The console's prices page: posting the day's buying price (chat's rules: checked, a big move confirmed, alerts
fired), importing RAOT exports (a file that is not one refused with the reason), the history chart."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from models.alerts import PriceAlert
from models.base import utcnow
from models.network import center_by_code
from models.prices import PriceQuote, local_day, upsert
from tests.bot.admin_signin import form_field
from tests.bot.test_console import staff
from tests.support import registered

RAOT = Path(__file__).resolve().parent.parent / "data" / "raot"


def _csrf(client: FlaskClient) -> str:
    return form_field(client.get("/admin/prices").get_data(as_text=True), "csrf_token")


def _center(db: Session, code: str) -> str:
    center = center_by_code(db, code)
    assert center is not None
    return str(center.id)


def _quotes(db: Session) -> list[tuple[str, str, str]]:
    db.expire_all()
    quotes = db.scalars(select(PriceQuote).order_by(PriceQuote.id))
    return [(q.rubber_type, str(q.baht_per_kg), q.source) for q in quotes]


def test_the_prices_page_needs_a_sign_in(seeded: Flask) -> None:
    client = seeded.test_client()
    assert client.get("/admin/prices").status_code == 401
    assert client.post("/admin/prices", data={"price": "58"}).status_code in (400, 401)


def test_a_coordinator_posts_todays_price_and_the_alerts_it_crosses_go_out(
        seeded: Flask, db: Session, line_world: LineWorld) -> None:
    member_id = registered(seeded, "Uwatcher", district="ควนขนุน")
    with seeded.extensions["sessions"]() as session, session.begin():
        session.add(PriceAlert(member_id=member_id, rubber_type="latex", kind="above", threshold=Decimal(58),
                               active=True))
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    posted = coordinator.post("/admin/prices", data={"csrf_token": _csrf(coordinator), "center": _center(db, "DIST-05"),
                                                     "rubber_type": "latex", "price": "58.50"})
    assert posted.status_code == 303
    assert _quotes(db) == [("latex", "58.50", "center")]
    quote = db.scalars(select(PriceQuote)).one()
    assert quote.day == local_day(utcnow()) and quote.posted_by_id is not None
    page = coordinator.get(posted.location).get_data(as_text=True)
    assert "ประกาศแล้วครับ: น้ำยางสด 58.50 บาท/กก." in page and "แจ้งเตือนราคา" in page
    pushed = {user for path in ("/v2/bot/message/push", "/v2/bot/message/multicast")
              for request in line_world.sent(path) for user in (request.json.get("to") if isinstance(
                  request.json.get("to"), list) else [request.json.get("to")])}
    assert "Uwatcher" in pushed


def test_a_bad_price_is_refused_beside_its_field_and_nothing_is_stored(seeded: Flask, db: Session) -> None:
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    base = {"csrf_token": _csrf(coordinator), "center": _center(db, "DIST-05"), "rubber_type": "latex"}
    for price, message in (("abc", "กรุณาพิมพ์ราคาเป็นตัวเลข"), ("500", "นอกช่วงปกติ 20–150"),
                           ("58.123", "ทศนิยมไม่เกินสองตำแหน่ง"), ("0", "ราคาต้องมากกว่า 0"),
                           ("-5", "ราคาต้องมากกว่า 0"), ("", "กรุณาพิมพ์ราคาเป็นตัวเลข")):
        refused = coordinator.post("/admin/prices", data={**base, "price": price})
        assert refused.status_code == 400, price
        assert message in refused.get_data(as_text=True), price
    unknown_type = coordinator.post("/admin/prices", data={**base, "rubber_type": "gold", "price": "58"})
    assert unknown_type.status_code == 400
    other_center = coordinator.post("/admin/prices", data={**base, "center": _center(db, "DIST-06"), "price": "58"})
    assert other_center.status_code == 400 and "ตัวเลือกนี้ไม่มีในรายการ" in other_center.get_data(as_text=True)
    assert coordinator.post("/admin/prices", data={**base, "csrf_token": "", "price": "58"}).status_code == 400
    assert _quotes(db) == []


def test_a_big_move_is_posted_only_when_confirmed(seeded: Flask, db: Session) -> None:
    today = local_day(utcnow())
    with seeded.extensions["sessions"]() as session, session.begin():
        center = center_by_code(session, "DIST-05")
        assert center is not None
        upsert(session, today - timedelta(days=1), "latex", Decimal("58.00"), "center", center.id)
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    data = {"csrf_token": _csrf(coordinator), "center": _center(db, "DIST-05"), "rubber_type": "latex", "price": "80"}
    asked = coordinator.post("/admin/prices", data=data)
    assert asked.status_code == 400
    page = asked.get_data(as_text=True)
    assert "ต่างจากราคาครั้งก่อน 58.00 บาท/กก." in page and "37.9%" in page and 'name="sure"' in page
    assert len(_quotes(db)) == 1
    assert coordinator.post("/admin/prices", data={**data, "sure": "y"}).status_code == 303
    assert _quotes(db)[-1] == ("latex", "80.00", "center")


def test_an_admin_imports_a_raot_export_and_a_file_that_is_not_one_is_refused(seeded: Flask, db: Session) -> None:
    admin = staff(seeded, "Uadmin", role="admin")
    csrf = _csrf(admin)
    raw = (RAOT / "rubber_2565.csv").read_bytes()
    imported = admin.post("/admin/prices/import", content_type="multipart/form-data",
                          data={"csrf_token": csrf, "file": (io.BytesIO(raw), "rubber_2565.csv")})
    assert imported.status_code == 303
    count = len(db.scalars(select(PriceQuote).where(PriceQuote.source == "raot")).all())
    assert count > 500
    assert "rubber_2565.csv: อ่าน" in admin.get(imported.location).get_data(as_text=True)
    again = admin.post("/admin/prices/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf, "file": (io.BytesIO(raw), "rubber_2565.csv")})
    assert again.status_code == 303 and f"มีอยู่แล้ว {count} รายการ" in admin.get(again.location).get_data(as_text=True)
    for content, reason in ((b"name,phone\nsomchai,0812345678\n", "ไม่ใช่ไฟล์ราคากลางเปิดตลาดของ กยท."),
                            (b"\x89PNG\r\n\x1a\n\xff\xfe\xfa", "ไม่ใช่ไฟล์ข้อความ")):
        refused = admin.post("/admin/prices/import", content_type="multipart/form-data",
                             data={"csrf_token": csrf, "file": (io.BytesIO(content), "prices.csv")})
        assert refused.status_code == 400 and reason in refused.get_data(as_text=True)
    empty = admin.post("/admin/prices/import", content_type="multipart/form-data", data={"csrf_token": csrf})
    assert empty.status_code == 400 and "กรุณาเลือกไฟล์ที่จะนำเข้า" in empty.get_data(as_text=True)
    assert len(db.scalars(select(PriceQuote)).all()) == count


def test_coordinators_do_not_import(seeded: Flask, db: Session) -> None:
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    page = coordinator.get("/admin/prices").get_data(as_text=True)
    assert "/admin/prices/import" not in page
    raw = (RAOT / "rubber_2565.csv").read_bytes()
    refused = coordinator.post("/admin/prices/import", content_type="multipart/form-data",
                               data={"csrf_token": _csrf(coordinator), "file": (io.BytesIO(raw), "r.csv")})
    assert refused.status_code == 404 and _quotes(db) == []


def test_the_history_chart(seeded: Flask) -> None:
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    assert "ช่วงนี้ยังมีราคาไม่พอสำหรับทำกราฟ" in coordinator.get("/admin/prices").get_data(as_text=True)
    today = local_day(utcnow())
    with seeded.extensions["sessions"]() as session, session.begin():
        for back in range(10):
            upsert(session, today - timedelta(days=back), "uss", Decimal(60) + back, "raot")
    page = coordinator.get("/admin/prices", query_string={"type": "uss", "days": "30"}).get_data(as_text=True)
    start = page.index('<img src="') + len('<img src="')
    src = page[start:page.index('"', start)].replace("&amp;", "&")
    assert src.startswith("/charts/uss-30.png?")
    chart = coordinator.get(src)
    assert chart.status_code == 200 and chart.mimetype == "image/png" and chart.data.startswith(b"\x89PNG")
