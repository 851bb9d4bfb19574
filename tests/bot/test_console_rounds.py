"""The console's rounds (/admin/rounds): open one from the product list, change it, close, cancel, extend, see who
gets what before and after the close, export it, mark it ordered, arrived and delivered, order for a member
without a smartphone; a coordinator only for their own centers (404 elsewhere), every form CSRF-checked, and a
refused form says why beside the field and changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.sandbox.line_api import LineWorld
from bot.seed import orders as seed_orders
from models.base import BANGKOK, utcnow
from models.member import Member
from models.network import center_by_code
from models.orders import OrderLine
from models.products import product_by_code
from models.rounds import Round
from tests.bot.test_console import csrf_of, staff
from tests.orders.conftest import join, register
from tests.support import Chat, button_data, texts


@pytest.fixture
def catalog(seeded: Flask) -> Flask:
    with seeded.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, seeded.config["SETTINGS"])
    return seeded


def round_of(db: Session, code: str) -> Round:
    db.expire_all()
    product = product_by_code(db, code)
    assert product is not None
    found = db.scalar(select(Round).where(Round.product_id == product.id).order_by(Round.id.desc()))
    assert found is not None
    return found


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return str(response.get_data(as_text=True))


def later(days: int = 5) -> date:
    return (utcnow().astimezone(BANGKOK) + timedelta(days=days)).date()


def new_round(db: Session, code: str, **fields: Any) -> dict[str, Any]:
    product = product_by_code(db, code)
    assert product is not None
    form = {"product": str(product.id), "direction": "buy", "center": "0", "price": "45", "closes_on":
            later().isoformat(), "closes_time": "12:00", "min_total": "", "max_total": "", "shortfall_rule": "fcfs",
            "below_minimum": "cancel", "extend_days": "3", "pickup_on": "", "note": ""}
    form.update({key: str(value) for key, value in fields.items()})
    return form


def order_in_chat(app: Flask, world: LineWorld, round_id: int, quantity: int, name: str,
                  district: str = "ควนขนุน") -> Chat:
    """A member orders in LINE, through the real webhook: the card, then Confirm."""
    chat = Chat(app, world)
    register(app, chat.user_id, name=name, district=district)
    card = chat.press(join(round_id, quantity))
    chat.press(button_data(card, "ยืนยัน"))
    return chat


def rounds_count(db: Session) -> int:
    return int(db.scalar(select(func.count(Round.id))) or 0)


def test_the_rounds_need_a_sign_in(catalog: Flask, db: Session) -> None:
    client = catalog.test_client()
    acid = round_of(db, "acid-formic")
    for path in ("/admin/rounds", f"/admin/rounds/{acid.id}", f"/admin/rounds/{acid.id}/export.csv",
                 "/admin/rounds/new"):
        assert client.get(path).status_code == 401
    assert client.post(f"/admin/rounds/{acid.id}/close").status_code == 400  # no CSRF token: refused first
    assert round_of(db, "acid-formic").status == "open"


def test_a_coordinator_sees_only_their_centers_rounds(catalog: Flask, db: Session) -> None:
    rubber = staff(catalog, "Urubber", center="PROV-RUBBER")
    listed = page(rubber, "/admin/rounds")
    assert "กรดฟอร์มิก (กรดมด)" in listed and "อาหารหมูขุน ซีพี" not in listed
    khuan_khanun = staff(catalog, "Ukk", center="DIST-05")  # and Phanom Wang's (Laemthong feed) under it
    listed = page(khuan_khanun, "/admin/rounds")
    assert "อาหารหมูขุน แหลมทอง" in listed and "กรดฟอร์มิก" not in listed
    admin = staff(catalog, "Uadmin", role="admin")
    assert all(name in page(admin, "/admin/rounds") for name in ("กรดฟอร์มิก", "อาหารหมูขุน ซีพี", "แหลมทอง"))

    acid = round_of(db, "acid-formic")
    token = csrf_of(khuan_khanun, "/admin/rounds")
    for path in (f"/admin/rounds/{acid.id}", f"/admin/rounds/{acid.id}/edit", f"/admin/rounds/{acid.id}/export.csv",
                 f"/admin/rounds/{acid.id}/export.xlsx"):
        assert khuan_khanun.get(path).status_code == 404, path
    for action in ("close", "cancel", "extend", "mark", "arrived", "orders"):
        response = khuan_khanun.post(f"/admin/rounds/{acid.id}/{action}",
                                     data={"csrf_token": token, "status": "delivered", "phone": "0812345678",
                                           "name": "x", "quantity": "30", "closes_on": later(9).isoformat()})
        assert response.status_code == 404, action
    assert khuan_khanun.get("/admin/rounds/999999").status_code == 404
    after = round_of(db, "acid-formic")
    assert (after.status, after.closes_at, after.total) == ("open", acid.closes_at, acid.total)


def test_an_admin_opens_a_round_with_tiers_and_pickup_points(catalog: Flask, db: Session) -> None:
    admin = staff(catalog, "Uadmin", role="admin")
    form = page(admin, "/admin/rounds/new")
    assert "อาหารหมูขุน เบทาโกร (feed-betagro-pig)" in form and "สหกรณ์การเกษตรกงหรา จำกัด" in form
    assert ">รายการที่สั่งหลังสุดได้น้อยลง</option>" in form and ">ขายรวม</option>" in form  # choices in Thai
    betagro = round_of(db, "feed-betagro-pig")
    token = csrf_of(admin, "/admin/rounds/new")
    kong_ra = center_by_code(db, "DIST-02")
    assert kong_ra is not None
    fields = new_round(db, "feed-betagro-pig", price="575", max_total="120", min_total="20", **{
        "tiers-0-min": "60", "tiers-0-price": "570", "pickup_on": later(8).isoformat(),
        "pickups-0-center_id": kong_ra.id, "pickups-0-chosen": "y", "pickups-0-day": later(9).isoformat()})
    refused = admin.post("/admin/rounds/new", data={**fields, "csrf_token": token})
    assert refused.status_code == 400  # Betagro's round of the demo is still open
    assert "มีรอบที่เปิดอยู่แล้ว" in refused.get_data(as_text=True)

    closed = admin.post(f"/admin/rounds/{betagro.id}/cancel", data={"csrf_token": token})
    assert closed.status_code == 303 and round_of(db, "feed-betagro-pig").status == "cancelled"
    opened = admin.post("/admin/rounds/new", data={**fields, "csrf_token": token})
    assert opened.status_code == 303, opened.get_data(as_text=True)
    created = round_of(db, "feed-betagro-pig")
    assert opened.location == f"/admin/rounds/{created.id}"
    assert created.center.code == "FEED-BETAGRO" and created.status == "open" and created.price == Decimal("575")
    assert created.tiers == [{"min": "60", "price": "570"}] and created.max_total == 120 and created.min_total == 20
    assert created.closes_at.astimezone(BANGKOK).hour == 12 and created.created_by_id is not None
    assert created.pickup_date(kong_ra.id) == later(9) and created.pickup_date(None) == later(8)
    shown = page(admin, opened.location)
    assert "575.00" in shown and "สหกรณ์การเกษตรกงหรา จำกัด" in shown and "0 กระสอบ" in shown


@pytest.mark.parametrize(("fields", "message"), [
    ({"price": ""}, "กรุณากรอกช่องนี้ครับ"),
    ({"price": "abc"}, "ต้องเป็นตัวเลขครับ"),
    ({"price": "-5"}, "ราคาต้องมากกว่า 0"),
    ({"closes_on": "2001-01-01"}, "ต้องเป็นเวลาในอนาคต"),
    ({"closes_on": "next week"}, "วันที่ไม่ถูกต้องครับ"),
    ({"min_total": "50", "max_total": "10"}, "ยอดขั้นต่ำต้องไม่มากกว่ายอดสูงสุด"),
    ({"tiers-0-min": "50", "tiers-0-price": "60"}, "ขั้นราคาแต่ละขั้น"),
    ({"extend_days": "99"}, "1 ถึง 30 วัน"),
    ({"shortfall_rule": "whoever"}, "ตัวเลือกนี้ไม่มีในรายการครับ"),
])
def test_a_bad_round_is_refused_beside_its_field(catalog: Flask, db: Session, fields: dict[str, str],
                                                  message: str) -> None:
    admin = staff(catalog, "Uadmin", role="admin")
    before = rounds_count(db)
    token = csrf_of(admin, "/admin/rounds/new")
    response = admin.post("/admin/rounds/new", data={**new_round(db, "piglet", **fields), "csrf_token": token})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and 'class="error"' in body
    assert rounds_count(db) == before


def test_opening_needs_the_csrf_token(catalog: Flask, db: Session) -> None:
    admin = staff(catalog, "Uadmin", role="admin")
    before = rounds_count(db)
    assert admin.post("/admin/rounds/new", data=new_round(db, "piglet")).status_code == 400
    assert admin.post("/admin/rounds/new", data={**new_round(db, "piglet"), "csrf_token": "x"}).status_code == 400
    assert rounds_count(db) == before


def test_a_coordinator_opens_rounds_for_their_own_centers_only(catalog: Flask, db: Session) -> None:
    khuan_khanun = staff(catalog, "Ukk", center="DIST-05")
    token = csrf_of(khuan_khanun, "/admin/rounds/new")
    piglet = round_of(db, "piglet")
    before = rounds_count(db)
    # piglets are the agricultural federation's: not theirs to open
    refused = khuan_khanun.post("/admin/rounds/new", data={**new_round(db, "piglet"), "csrf_token": token})
    assert refused.status_code == 400 and "ชุมนุมสหกรณ์การเกษตรจังหวัดพัทลุง จำกัด" in refused.get_data(as_text=True)
    assert rounds_count(db) == before
    other = center_by_code(db, "PROV-AGRI")
    assert other is not None
    not_offered = khuan_khanun.post("/admin/rounds/new", data={**new_round(db, "piglet", center=other.id),
                                                               "csrf_token": token})
    assert not_offered.status_code == 400 and rounds_count(db) == before  # not among their choices
    own = center_by_code(db, "DIST-05")
    assert own is not None
    opened = khuan_khanun.post("/admin/rounds/new", data={**new_round(db, "piglet", center=own.id, price="2100"),
                                                          "csrf_token": token})
    assert opened.status_code == 303
    created = round_of(db, "piglet")
    assert created.id != piglet.id and created.center.code == "DIST-05"


def test_terms_change_while_open_and_a_maximum_cannot_fall_below_the_orders(
    catalog: Flask, line_world: LineWorld, db: Session
) -> None:
    piglet = round_of(db, "piglet")
    order_in_chat(catalog, line_world, piglet.id, 6, "สมชาย ใจดี")
    admin = staff(catalog, "Uadmin", role="admin")
    edit = page(admin, f"/admin/rounds/{piglet.id}/edit")
    assert 'value="2150.00"' in edit and 'value="40' in edit
    token = csrf_of(admin, f"/admin/rounds/{piglet.id}/edit")
    base = {key: value for key, value in new_round(db, "piglet", price="2100", max_total="30").items()
            if key not in ("product", "direction", "center")}
    saved = admin.post(f"/admin/rounds/{piglet.id}/edit", data={**base, "csrf_token": token})
    assert saved.status_code == 303
    changed = round_of(db, "piglet")
    assert changed.price == Decimal("2100") and changed.max_total == 30 and changed.closes_at.date() == later()
    below = admin.post(f"/admin/rounds/{piglet.id}/edit", data={**base, "max_total": "5", "csrf_token": token})
    assert below.status_code == 400 and "ยอดสูงสุดต้องไม่น้อยกว่าที่สมาชิกสั่งไว้แล้ว (6)" in below.get_data(as_text=True)
    assert round_of(db, "piglet").max_total == 30
    far = admin.post(f"/admin/rounds/{piglet.id}/edit", data={**base, "price": "3000", "csrf_token": token})
    body = far.get_data(as_text=True)
    assert far.status_code == 400 and round_of(db, "piglet").price == Decimal("2100")  # members ordered at it
    assert "ราคานี้ต่างจากราคาปัจจุบันของรอบนี้ 2,100.00 บาท ซึ่งสมาชิกสั่งไว้แล้ว อยู่ 42.9%" in body
    assert 'name="sure"' in body
    meant = admin.post(f"/admin/rounds/{piglet.id}/edit", data={**base, "price": "3000", "sure": "y",
                                                                 "csrf_token": token})
    assert meant.status_code == 303 and round_of(db, "piglet").price == Decimal("3000")


def test_extend_close_and_what_each_member_gets(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    """Formic acid: 90 kg minimum, bought in 30 kg containers, members who agreed take more to fill the last."""
    acid = round_of(db, "acid-formic")
    admin = staff(catalog, "Uadmin", role="admin")
    token = csrf_of(admin, "/admin/rounds")
    assert "ยังไม่มีรายการสั่งซื้อ" in page(admin, f"/admin/rounds/{acid.id}")
    earlier = admin.post(f"/admin/rounds/{acid.id}/extend", data={"closes_on": later(1).isoformat(),
                                                                  "csrf_token": token})
    assert earlier.status_code == 400 and "เส้นตายใหม่ต้องหลังเส้นตายเดิม" in earlier.get_data(as_text=True)
    assert admin.post(f"/admin/rounds/{acid.id}/extend", data={"closes_on": later(9).isoformat(),
                                                               "closes_time": "10:00",
                                                               "csrf_token": token}).status_code == 303
    assert round_of(db, "acid-formic").closes_at.astimezone(BANGKOK).date() == later(9)

    order_in_chat(catalog, line_world, acid.id, 40, "สมชาย ใจดี")
    order_in_chat(catalog, line_world, acid.id, 35, "สมศรี มีสุข", district="กงหรา")
    order_in_chat(catalog, line_world, acid.id, 20, "สมปอง ขยัน")
    before = page(admin, f"/admin/rounds/{acid.id}")
    assert "ถ้าปิดตอนนี้: 3 แกลลอน (90 กก.)" in before  # 95 kg: the latest order gets 5 kg less
    assert "15 กก." in before and "95 กก." in before

    pushes = len(line_world.sent("/v2/bot/message/push"))
    closed = admin.post(f"/admin/rounds/{acid.id}/close", data={"csrf_token": token})
    assert closed.status_code == 303
    acid = round_of(db, "acid-formic")
    assert acid.status == "closed"
    lines = db.scalars(select(OrderLine).where(OrderLine.round_id == acid.id).order_by(OrderLine.id)).all()
    assert [line.final for line in lines] == [40, 35, 15]
    assert len(line_world.sent("/v2/bot/message/push")) == pushes + 3  # each member told their final share
    after = page(admin, f"/admin/rounds/{acid.id}")
    assert "ปิดรอบแล้ว" in after and "ถ้าปิดตอนนี้" not in after and "705.00" in after
    again = admin.post(f"/admin/rounds/{acid.id}/close", data={"csrf_token": token}, follow_redirects=True)
    assert "รอบนี้ไม่ได้เปิดอยู่แล้ว" in again.get_data(as_text=True)


def test_below_the_minimum_a_round_is_cancelled_and_its_members_told(
    catalog: Flask, line_world: LineWorld, db: Session
) -> None:
    fertilizer = round_of(db, "fert-15-15-15")  # minimum 20 sacks, cancelled below it
    chat = order_in_chat(catalog, line_world, fertilizer.id, 3, "สมชาย ใจดี")
    admin = staff(catalog, "Uadmin", role="admin")
    assert "ถ้าปิดตอนนี้: ยอดไม่ถึงขั้นต่ำ รอบนี้จะถูกยกเลิก" in page(admin, f"/admin/rounds/{fertilizer.id}")
    assert admin.post(f"/admin/rounds/{fertilizer.id}/close",
                      data={"csrf_token": csrf_of(admin, "/admin/rounds")}).status_code == 303
    assert round_of(db, "fert-15-15-15").status == "cancelled"
    told = [r for r in line_world.sent("/v2/bot/message/push") if r.json["to"] == chat.user_id]
    assert told and "ยกเลิก" in texts(told[-1].json["messages"])


def test_after_the_close_ordered_arrived_and_delivered(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    member = order_in_chat(catalog, line_world, rice.id, 4, "สมชาย ใจดี")
    admin = staff(catalog, "Uadmin", role="admin")
    token = csrf_of(admin, "/admin/rounds")
    assert admin.post(f"/admin/rounds/{rice.id}/mark", data={"status": "ordered",
                                                             "csrf_token": token}).status_code == 303
    assert round_of(db, "rice-sangyod-5kg").status == "open"  # not before the close
    assert admin.post(f"/admin/rounds/{rice.id}/close", data={"csrf_token": token}).status_code == 303
    assert admin.post(f"/admin/rounds/{rice.id}/mark", data={"status": "opened",
                                                             "csrf_token": token}).status_code == 303
    assert round_of(db, "rice-sangyod-5kg").status == "closed"
    assert admin.post(f"/admin/rounds/{rice.id}/mark", data={"status": "ordered",
                                                             "csrf_token": token}).status_code == 303
    assert round_of(db, "rice-sangyod-5kg").status == "ordered"

    khuan_khanun = center_by_code(db, "DIST-05")
    assert khuan_khanun is not None
    shown = page(admin, f"/admin/rounds/{rice.id}")
    assert "สินค้ามาถึงที่" in shown and "สหกรณ์การเกษตรควนขนุน จำกัด" in shown
    none_ticked = admin.post(f"/admin/rounds/{rice.id}/arrived", data={
        "points-0-center_id": khuan_khanun.id, "csrf_token": token})
    assert none_ticked.status_code == 400 and "เลือกจุดรับของที่ของมาถึงแล้ว" in none_ticked.get_data(as_text=True)
    pushes = len(line_world.sent("/v2/bot/message/push"))
    done = admin.post(f"/admin/rounds/{rice.id}/arrived", data={
        "points-0-center_id": khuan_khanun.id, "points-0-chosen": "y", "until": later(10).isoformat(),
        "csrf_token": token})
    assert done.status_code == 303
    told = line_world.sent("/v2/bot/message/push")[pushes:]
    assert [r.json["to"] for r in told] == [member.user_id] and "มาถึงแล้ว" in texts(told[0].json["messages"])
    assert admin.post(f"/admin/rounds/{rice.id}/mark", data={"status": "delivered",
                                                             "csrf_token": token}).status_code == 303
    assert round_of(db, "rice-sangyod-5kg").status == "delivered"


def test_an_order_for_a_member_without_a_smartphone(catalog: Flask, db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    coordinator = staff(catalog, "Uagri", center="PROV-AGRI")
    token = csrf_of(coordinator, f"/admin/rounds/{rice.id}")
    path = f"/admin/rounds/{rice.id}/orders"
    for fields, message in [
        ({"phone": "12345", "name": "ยายสมใจ", "quantity": "4"}, "ไม่ใช่เบอร์มือถือ"),
        ({"phone": "0812345678", "name": "", "quantity": "4"}, "สมาชิกใหม่ต้องมีชื่อและนามสกุล"),
        ({"phone": "0812345678", "name": "ยายสมใจ", "quantity": "0"}, "จำนวนต้องเป็น 1 ขึ้นไป"),
        ({"phone": "0812345678", "name": "ยายสมใจ", "quantity": "2.5"}, "เป็นจำนวนเต็ม"),
        ({"phone": "0812345678", "name": "ยายสมใจ", "quantity": ""}, "กรุณากรอกช่องนี้ครับ"),
        ({"phone": "0812345678", "name": "ยายสมใจ", "quantity": "4", "district": "ลอนดอน"}, "ตัวเลือกนี้ไม่มีในรายการ"),
    ]:
        response = coordinator.post(path, data={**fields, "csrf_token": token})
        assert response.status_code == 400 and message in response.get_data(as_text=True), message
    assert db.scalar(select(Member).where(Member.phone == "0812345678")) is None
    assert coordinator.post(path, data={"phone": "0812345678", "name": "ยายสมใจ", "quantity": "4"}).status_code == 400

    added = coordinator.post(path, data={"phone": "081-234-5678", "name": "ยายสมใจ", "quantity": "4",
                                         "district": "บางแก้ว", "csrf_token": token})
    assert added.status_code == 303
    again = coordinator.post(path, data={"phone": "0812345678", "name": "", "quantity": "2", "csrf_token": token},
                             follow_redirects=True)
    assert "ยายสมใจ มีรายการสั่งซื้อ 6 ถุง ในรอบนี้" in again.get_data(as_text=True)
    member = db.scalar(select(Member).where(Member.phone == "0812345678"))
    assert member is not None and not member.line_user_id.startswith("U") and member.district == "บางแก้ว"
    line = db.scalar(select(OrderLine).where(OrderLine.member_id == member.id))
    assert line is not None and line.quantity == 6 and line.pickup_center is not None
    assert line.pickup_center.district == "บางแก้ว"


def test_the_supplier_export_downloads_as_csv_and_xlsx(catalog: Flask, line_world: LineWorld, db: Session) -> None:
    acid = round_of(db, "acid-formic")
    order_in_chat(catalog, line_world, acid.id, 60, "สมชาย ใจดี")
    order_in_chat(catalog, line_world, acid.id, 30, "=HYPERLINK(\"http://x\")", district="กงหรา")
    admin = staff(catalog, "Uadmin", role="admin")
    admin.post(f"/admin/rounds/{acid.id}/close", data={"csrf_token": csrf_of(admin, "/admin/rounds")})
    sheet = admin.get(f"/admin/rounds/{acid.id}/export.csv")
    assert sheet.status_code == 200 and sheet.headers["Content-Disposition"] == (
        f"attachment; filename=orders-{acid.id}.csv")
    rows = list(csv.DictReader(io.StringIO(sheet.get_data().decode("utf-8-sig"))))
    assert [(r["member"], r["final"], r["amount"]) for r in rows] == [
        ("สมชาย ใจดี", "60.000", "2820.00"), ("'=HYPERLINK(\"http://x\")", "30.000", "1410.00")]
    book = admin.get(f"/admin/rounds/{acid.id}/export.xlsx")
    assert book.status_code == 200 and book.headers["Content-Disposition"].endswith(f"orders-{acid.id}.xlsx")
    workbook = load_workbook(io.BytesIO(book.get_data()))
    assert workbook.sheetnames == ["Orders", "By pickup point"]
    assert len(list(workbook["Orders"].iter_rows(values_only=True))) == 3
    assert admin.get(f"/admin/rounds/{acid.id}/export.pdf").status_code == 404


def test_the_rounds_pages_in_english(catalog: Flask, db: Session) -> None:
    acid = round_of(db, "acid-formic")
    admin = staff(catalog, "Uadmin", role="admin")
    admin.get("/admin/language/en")
    shown = page(admin, f"/admin/rounds/{acid.id}")
    assert "Formic acid" in shown and "Close the round now" in shown and "Ordered so far" in shown
    assert "ปิดรอบตอนนี้" not in shown and "Minimum for the round to go ahead" in page(admin, "/admin/rounds/new")
    refused = admin.post("/admin/rounds/new", data={**new_round(db, "piglet", price=""),
                                                    "csrf_token": csrf_of(admin, "/admin/rounds")})
    assert "This field is required." in refused.get_data(as_text=True)


def test_a_price_far_from_the_last_rounds_is_confirmed_before_the_round_opens(catalog: Flask, db: Session) -> None:
    admin = staff(catalog, "Uadmin", role="admin")
    token = csrf_of(admin, "/admin/rounds/new")
    rice = round_of(db, "rice-sangyod-5kg")  # the last round, at 175: closed (a cancelled one is no reference)
    db.execute(update(Round).where(Round.id == rice.id).values(status="closed"))
    before = rounds_count(db)
    fields = {**new_round(db, "rice-sangyod-5kg", price="250"), "csrf_token": token}
    asked = admin.post("/admin/rounds/new", data=fields)
    assert asked.status_code == 400
    body = asked.get_data(as_text=True)
    assert "ราคานี้ต่างจากราคารอบก่อน 175.00 บาท (เปิดเมื่อ" in body and "อยู่ 42.9%" in body
    assert "ใช่ ราคานี้ถูกต้อง" in body and 'name="sure"' in body
    assert rounds_count(db) == before, "nothing opens before the box is ticked"
    opened = admin.post("/admin/rounds/new", data={**fields, "sure": "y"})
    assert opened.status_code == 303, opened.get_data(as_text=True)
    assert round_of(db, "rice-sangyod-5kg").price == 250
