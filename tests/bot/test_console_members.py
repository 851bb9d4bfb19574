"""The console's members page: searching, a member's orders and alerts, roles by picking the member, their data
as a file or erased (PDPA); a coordinator sees only the members their centers serve."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.alerts import PriceAlert
from models.member import Member
from models.network import center_by_code
from tests.bot.admin_signin import form_field
from tests.bot.test_console import staff
from tests.support import registered


def _member(app: Flask, user_id: str, district: str = "ควนขนุน", **values: object) -> int:
    member_id = registered(app, user_id, district=district)
    with app.extensions["sessions"]() as db, db.begin():
        member = db.get(Member, member_id)
        assert member is not None
        for name, value in values.items():
            setattr(member, name, value)
    return member_id


def _alert(app: Flask, member_id: int) -> None:
    with app.extensions["sessions"]() as db, db.begin():
        db.add(PriceAlert(member_id=member_id, rubber_type="latex", kind="above", threshold=Decimal(60), active=True))


def test_the_members_page_needs_a_sign_in(seeded: Flask) -> None:
    member_id = _member(seeded, "Ufarmer")
    client = seeded.test_client()
    for path in ("/admin/members", f"/admin/members/{member_id}", f"/admin/members/{member_id}/data.json"):
        assert client.get(path).status_code == 401
    assert client.post(f"/admin/members/{member_id}/erase", data={"sure": "y"}).status_code in (400, 401)


def test_search_by_name_mobile_district_and_membership_number(seeded: Flask) -> None:
    _member(seeded, "Usomchai", name="สมชาย ใจดี", phone="0812345678", membership_no="KK-0042")
    _member(seeded, "Umalee", district="ปากพะยูน", name="มาลี ศรีสุข", phone="0899999999")
    admin = staff(seeded, "Uadmin", role="admin")
    for words in ("สมชาย", "081-234-5678", "+66812345678", "KK-0042"):
        page = admin.get("/admin/members", query_string={"q": words}).get_data(as_text=True)
        assert "สมชาย ใจดี" in page and "มาลี ศรีสุข" not in page, words
    by_district = admin.get("/admin/members", query_string={"district": "ปากพะยูน"}).get_data(as_text=True)
    assert "มาลี ศรีสุข" in by_district and "สมชาย ใจดี" not in by_district
    by_typed_district = admin.get("/admin/members", query_string={"q": "ปากพะยูน"}).get_data(as_text=True)
    assert "มาลี ศรีสุข" in by_typed_district
    nobody = admin.get("/admin/members", query_string={"q": "ไม่มีใครชื่อนี้"}).get_data(as_text=True)
    assert "ไม่พบสมาชิก" in nobody


def test_a_coordinator_finds_only_the_members_their_center_serves(seeded: Flask) -> None:
    mine = _member(seeded, "Umine", name="สมชาย ควนขนุน")
    other = _member(seeded, "Uother", district="ปากพะยูน", name="สมชาย ปากพะยูน")
    coordinator = staff(seeded, "Ucoord", center="DIST-05")  # Khuan Khanun's district cooperative
    page = coordinator.get("/admin/members", query_string={"q": "สมชาย"}).get_data(as_text=True)
    assert "สมชาย ควนขนุน" in page and "สมชาย ปากพะยูน" not in page
    assert coordinator.get(f"/admin/members/{mine}").status_code == 200
    assert coordinator.get(f"/admin/members/{other}").status_code == 404
    assert coordinator.get(f"/admin/members/{other}/data.json").status_code == 404
    csrf = form_field(coordinator.get(f"/admin/members/{mine}").get_data(as_text=True), "csrf_token")
    assert coordinator.post(f"/admin/members/{other}/erase", data={"csrf_token": csrf, "sure": "y"}).status_code == 404
    federation = staff(seeded, "Ufed", center="PROV-RUBBER")  # a province-wide center serves everyone
    assert "สมชาย ปากพะยูน" in federation.get("/admin/members", query_string={"q": "สมชาย"}).get_data(as_text=True)


def test_a_members_page_shows_their_orders_and_alerts(seeded: Flask) -> None:
    member_id = _member(seeded, "Ufarmer", name="สมศรี")
    _alert(seeded, member_id)
    page = staff(seeded, "Uadmin", role="admin").get(f"/admin/members/{member_id}").get_data(as_text=True)
    assert "สมศรี" in page and "น้ำยางสด" in page and "60.00" in page
    assert "ยังไม่มีรายการสั่งซื้อ" in page


def test_an_admin_picks_a_member_and_makes_them_a_coordinator(seeded: Flask, db: Session) -> None:
    member_id = _member(seeded, "Ustaff", name="ผู้ช่วย")
    admin = staff(seeded, "Uadmin", role="admin")
    page = admin.get(f"/admin/members/{member_id}").get_data(as_text=True)
    csrf = form_field(page, "csrf_token")
    center = center_by_code(db, "FEED-BETAGRO")
    assert center is not None
    missing = admin.post(f"/admin/members/{member_id}/role", data={"csrf_token": csrf, "role": "coordinator",
                                                                   "center": ""})
    assert missing.status_code == 400 and "ผู้ประสานงานต้องสังกัดศูนย์" in missing.get_data(as_text=True)
    assert db.get(Member, member_id).role == "member"  # type: ignore[union-attr]
    done = admin.post(f"/admin/members/{member_id}/role", data={"csrf_token": csrf, "role": "coordinator",
                                                                "center": str(center.id)})
    assert done.status_code == 303
    db.expire_all()
    changed = db.get(Member, member_id)
    assert changed is not None and changed.role == "coordinator" and changed.center_id == center.id
    assert "ผู้ช่วย" in admin.get(done.location).get_data(as_text=True)


def test_roles_are_for_admins_and_need_the_csrf_token(seeded: Flask, db: Session) -> None:
    member_id = _member(seeded, "Ufarmer")
    admin = staff(seeded, "Uadmin", role="admin")
    assert admin.post(f"/admin/members/{member_id}/role", data={"role": "admin"}).status_code == 400
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    page = coordinator.get(f"/admin/members/{member_id}").get_data(as_text=True)
    assert f"/admin/members/{member_id}/role" not in page
    csrf = form_field(page, "csrf_token")
    assert coordinator.post(f"/admin/members/{member_id}/role",
                            data={"csrf_token": csrf, "role": "admin"}).status_code == 404
    db.expire_all()
    assert db.get(Member, member_id).role == "member"  # type: ignore[union-attr]
    own_id = db.scalar(select(Member.id).where(Member.line_user_id == "Uadmin"))
    assert own_id is not None
    csrf = form_field(admin.get(f"/admin/members/{own_id}").get_data(as_text=True), "csrf_token")
    refused = admin.post(f"/admin/members/{own_id}/role", data={"csrf_token": csrf, "role": "member", "center": ""})
    assert refused.status_code == 400 and "ไม่สามารถถอดสิทธิ์ผู้ดูแลของตนเองได้" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.get(Member, own_id).role == "admin"  # type: ignore[union-attr]


def test_a_members_data_downloads_as_a_file(seeded: Flask) -> None:
    member_id = _member(seeded, "Ufarmer", name="สมศรี", phone="0811111111")
    _alert(seeded, member_id)
    response = staff(seeded, "Ucoord").get(f"/admin/members/{member_id}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=member-{member_id}.json"
    data = json.loads(response.get_data(as_text=True))
    assert data["member"]["name"] == "สมศรี" and data["member"]["phone"] == "0811111111"
    assert data["price_alerts"][0]["rubber_type"] == "latex"


def test_erasing_needs_the_box_ticked_then_deletes_and_stops_alerts(seeded: Flask, db: Session) -> None:
    member_id = _member(seeded, "Ufarmer", name="สมศรี", phone="0811111111", membership_no="KK-1")
    _alert(seeded, member_id)
    coordinator = staff(seeded, "Ucoord")
    csrf = form_field(coordinator.get(f"/admin/members/{member_id}").get_data(as_text=True), "csrf_token")
    assert coordinator.post(f"/admin/members/{member_id}/erase", data={"sure": "y"}).status_code == 400
    unticked = coordinator.post(f"/admin/members/{member_id}/erase", data={"csrf_token": csrf})
    assert unticked.status_code == 400 and "ติ๊กช่องนี้" in unticked.get_data(as_text=True)
    kept = db.get(Member, member_id)
    assert kept is not None and kept.name == "สมศรี"
    done = coordinator.post(f"/admin/members/{member_id}/erase", data={"csrf_token": csrf, "sure": "y"})
    assert done.status_code == 303
    db.expire_all()
    gone = db.get(Member, member_id)
    assert gone is not None and gone.name is None and gone.phone is None and gone.membership_no is None
    assert gone.consent_at is None and gone.district is None
    assert db.scalars(select(PriceAlert).where(PriceAlert.member_id == member_id, PriceAlert.active)).all() == []
    assert "ลบข้อมูลส่วนตัวของสมาชิกแล้ว" in coordinator.get(done.location).get_data(as_text=True)


def test_staff_data_is_not_erased_before_the_role_goes(seeded: Flask, db: Session) -> None:
    registered(seeded, "Uother", role="coordinator", center_code="DIST-05")
    other_id = db.scalar(select(Member.id).where(Member.line_user_id == "Uother"))
    admin = staff(seeded, "Uadmin", role="admin")
    csrf = form_field(admin.get(f"/admin/members/{other_id}").get_data(as_text=True), "csrf_token")
    response = admin.post(f"/admin/members/{other_id}/erase", data={"csrf_token": csrf, "sure": "y"})
    assert response.status_code == 303
    kept = db.get(Member, other_id)
    assert kept is not None and kept.name is not None and kept.consent_at is not None
    assert datetime.now(UTC) > kept.consent_at


def test_a_members_orders_show_and_erasing_cancels_those_in_open_rounds(seeded: Flask, db: Session) -> None:
    from bot.seed import orders as seed_orders
    from models import orders
    from models.orders import OrderLine
    from tests.orders.conftest import round_of

    with seeded.extensions["sessions"]() as session, session.begin():
        seed_orders.demo_rounds(session, seeded.config["SETTINGS"])
    member_id = _member(seeded, "Ufarmer", name="สมศรี")
    round_id = round_of(db, "acid-formic").id
    with seeded.extensions["sessions"]() as session, session.begin():
        member = session.get(Member, member_id)
        assert member is not None
        orders.join(session, round_id, member, Decimal(60), datetime.now(UTC))
    coordinator = staff(seeded, "Ucoord")
    page = coordinator.get(f"/admin/members/{member_id}").get_data(as_text=True)
    assert "กรดฟอร์มิก (กรดมด)" in page and "60 กก." in page
    assert "รายการสั่งซื้อในรอบที่เปิดอยู่จะถูกยกเลิก (1 รายการ)" in page
    done = coordinator.post(f"/admin/members/{member_id}/erase", data={"csrf_token": form_field(page, "csrf_token"),
                                                                        "sure": "y"})
    assert "ยกเลิกรายการสั่งซื้อในรอบที่เปิดอยู่แล้ว (1 รายการ)" in coordinator.get(done.location).get_data(as_text=True)
    line = db.scalars(select(OrderLine).where(OrderLine.member_id == member_id)).one()
    assert line.status == "cancelled"
