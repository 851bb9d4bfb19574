"""The console's announcement composer: the audience's size and cost before sending, now / at a time / repeating,
a meeting whose replies are listed by name, an image, status and counts, cancelling; every refusal beside its
field and nothing stored; a coordinator addresses only their centers' members."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.jobs.announcements import send_due
from bot.sandbox.line_api import LineWorld
from models.alerts import PriceAlert
from models.announcements import Announcement, Media, answer
from models.base import BANGKOK, utcnow
from models.network import center_by_code
from tests.bot.admin_signin import form_field
from tests.bot.test_console import staff
from tests.support import registered

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _people(app: Flask) -> dict[str, int]:
    """Three members in Khuan Khanun, two in Pak Phayun; one of each keeps a price alert."""
    ids = {user: registered(app, user, district=district) for user, district in (
        ("Ukk1", "ควนขนุน"), ("Ukk2", "ควนขนุน"), ("Ukk3", "ควนขนุน"), ("Upp1", "ปากพะยูน"), ("Upp2", "ปากพะยูน"))}
    with app.extensions["sessions"]() as db, db.begin():
        for user in ("Ukk1", "Upp1"):
            db.add(PriceAlert(member_id=ids[user], rubber_type="latex", kind="above", threshold=Decimal(60),
                              active=True))
    return ids


def _center_id(db: Session, code: str) -> str:
    center = center_by_code(db, code)
    assert center is not None
    return str(center.id)


def _csrf(client: FlaskClient) -> str:
    return form_field(client.get("/admin/announcements").get_data(as_text=True), "csrf_token")


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(BANGKOK):%Y-%m-%dT%H:%M}"


def _count(db: Session) -> int:
    return len(db.scalars(select(Announcement)).all())


def test_the_announcements_pages_need_a_sign_in(seeded: Flask) -> None:
    client = seeded.test_client()
    assert client.get("/admin/announcements").status_code == 401
    assert client.get("/admin/announcements/audience.json").status_code == 401
    assert client.post("/admin/announcements", data={"body": "x"}).status_code in (400, 401)


def test_the_audience_is_counted_with_its_cost_before_sending(seeded: Flask, db: Session) -> None:
    _people(seeded)
    admin = staff(seeded, "Uadmin", role="admin")
    province = _center_id(db, "PROV-AGRI")
    everyone = admin.get("/admin/announcements/audience.json", query_string={"center": province}).get_json()
    assert everyone["members"] == 5 and everyone["messages"] == 5 and everyone["quota_left"] is None
    assert "สมาชิก 5 คน" in everyone["summary"]
    district = admin.get("/admin/announcements/audience.json",
                         query_string={"center": province, "districts": "ปากพะยูน"}).get_json()
    assert district["members"] == 2
    alerts = admin.get("/admin/announcements/audience.json",
                       query_string={"center": province, "with_alerts": "y"}).get_json()
    assert alerts["members"] == 2
    with_image = admin.get("/admin/announcements/audience.json",
                           query_string={"center": province, "with_alerts": "y", "image": "1"}).get_json()
    assert with_image["messages"] == 4
    kk = admin.get("/admin/announcements/audience.json", query_string={"center": _center_id(db, "DIST-05")})
    assert kk.get_json()["members"] == 3  # a district cooperative serves its district
    bad = admin.get("/admin/announcements/audience.json", query_string={"center": province, "network": "spaceships"})
    assert bad.status_code == 400


def test_a_coordinator_addresses_only_their_centers_members(seeded: Flask, db: Session) -> None:
    _people(seeded)
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    page = coordinator.get("/admin/announcements").get_data(as_text=True)
    other = _center_id(db, "DIST-06")
    assert f'value="{other}"' not in page
    assert coordinator.get("/admin/announcements/audience.json", query_string={"center": other}).status_code == 400
    refused = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": other, "body": "ประชุม", "when": "now"})
    assert refused.status_code == 400 and _count(db) == 0
    narrowed = coordinator.get("/admin/announcements/audience.json", query_string={
        "center": _center_id(db, "DIST-05"), "districts": "ปากพะยูน"}).get_json()
    assert narrowed["members"] == 0  # another district's members are not theirs to address
    nobody = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": _center_id(db, "DIST-05"), "districts": "ปากพะยูน",
        "body": "ประชุม", "when": "now"})
    assert nobody.status_code == 400 and "ไม่มีสมาชิกคนใดได้รับ" in nobody.get_data(as_text=True)
    assert _count(db) == 0


def test_sent_now_it_goes_out_and_its_page_counts_the_deliveries(seeded: Flask, db: Session,
                                                                   line_world: LineWorld) -> None:
    _people(seeded)
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    created = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": _center_id(db, "DIST-05"), "body": "รถอาหารสัตว์มาวันพฤหัส",
        "when": "now"})
    assert created.status_code == 303
    item = db.scalars(select(Announcement)).one()
    assert item.status == "scheduled" and item.author_id is not None and item.send_at <= utcnow()
    assert "จะส่งถึงสมาชิก 3 คน" in coordinator.get(created.location).get_data(as_text=True)
    assert send_due(seeded) == 1
    page = coordinator.get(created.location).get_data(as_text=True)
    db.expire_all()
    assert db.get(Announcement, item.id).delivered == 3  # type: ignore[union-attr]
    assert '<td id="delivered">3</td>' in page and "ส่งแล้ว" in page
    pushed = {user for request in line_world.sent("/v2/bot/message/multicast") for user in request.json["to"]}
    assert pushed == {"Ukk1", "Ukk2", "Ukk3"}
    assert "/cancel" not in page  # gone out: nothing to cancel


def test_at_a_time_repeating_with_an_image(seeded: Flask, db: Session) -> None:
    _people(seeded)
    admin = staff(seeded, "Uadmin", role="admin")
    at = utcnow() + timedelta(days=2)
    created = admin.post("/admin/announcements", content_type="multipart/form-data", data={
        "csrf_token": _csrf(admin), "center": _center_id(db, "PROV-RUBBER"), "body": "ราคายางสัปดาห์นี้",
        "when": "every", "at": _local(at), "every": "0 7 * * mon", "image": (io.BytesIO(PNG), "poster.png")})
    assert created.status_code == 303, created.get_data(as_text=True)
    item = db.scalars(select(Announcement)).one()
    assert item.every == "0 7 * * mon" and item.image_id is not None
    assert abs(item.send_at - at.replace(second=0, microsecond=0)) < timedelta(minutes=1)
    media = db.get(Media, item.image_id)
    assert media is not None and media.content_type == "image/png"


def test_a_meeting_lists_who_goes_by_name(seeded: Flask, db: Session) -> None:
    ids = _people(seeded)
    admin = staff(seeded, "Uadmin", role="admin")
    meeting = utcnow() + timedelta(days=3)
    created = admin.post("/admin/announcements", data={
        "csrf_token": _csrf(admin), "center": _center_id(db, "PROV-COMMUNITY"), "body": "ประชุมใหญ่สามัญประจำปี",
        "when": "now", "meeting_at": _local(meeting), "place": "หอประชุมอำเภอควนขนุน"})
    assert created.status_code == 303
    item = db.scalars(select(Announcement)).one()
    with seeded.extensions["sessions"]() as session, session.begin():
        answer(session, item.id, ids["Ukk1"], True, utcnow())
        answer(session, item.id, ids["Ukk2"], False, utcnow())
        answer(session, item.id, ids["Ukk2"], True, utcnow())  # changed their mind: counted once
        answer(session, item.id, ids["Upp1"], False, utcnow())
    page = admin.get(created.location).get_data(as_text=True)
    assert "หอประชุมอำเภอควนขนุน" in page
    assert "ไป (2 คน)" in page and "ไม่ไป (1 คน)" in page
    going = page.split("ไป (2 คน)")[1].split("ไม่ไป")[0]
    assert "สมาชิก Ukk1" in going and "สมาชิก Ukk2" in going and "สมาชิก Upp1" not in going


def test_bad_input_is_refused_beside_its_field_and_nothing_is_stored(seeded: Flask, db: Session) -> None:
    _people(seeded)
    admin = staff(seeded, "Uadmin", role="admin")
    csrf = _csrf(admin)
    base = {"csrf_token": csrf, "center": _center_id(db, "PROV-AGRI"), "body": "ประกาศ", "when": "now"}
    past = utcnow() - timedelta(hours=1)
    cases = [
        ({"body": "   "}, "กรุณาพิมพ์ประกาศ"),
        ({"body": "ก" * 5001}, "5,001"),
        ({"when": "at", "at": _local(past)}, "เวลานี้ผ่านไปแล้ว"),
        ({"when": "at"}, "กรุณาเลือกวันและเวลา"),
        ({"when": "every", "every": "0 7 30 2 *"}, "ไม่มีวันถึงเวลา"),
        ({"when": "every", "every": "every monday"}, "ไม่มีวันถึงเวลา"),
        ({"meeting_at": _local(utcnow() + timedelta(days=1))}, "กรุณาระบุสถานที่ประชุม"),
        ({"place": "หอประชุม"}, "กรุณาระบุวันเวลาประชุม"),
        ({"meeting_at": _local(past), "place": "หอประชุม"}, "การประชุมจะผ่านไปก่อน"),
        ({"districts": "เชียงใหม่"}, "ตัวเลือกนี้ไม่มีในรายการ"),
        ({"interest": "dragons"}, "ตัวเลือกนี้ไม่มีในรายการ"),
    ]
    for change, message in cases:
        refused = admin.post("/admin/announcements", data={**base, **change})
        assert refused.status_code == 400, change
        assert message in refused.get_data(as_text=True), change
    not_image = admin.post("/admin/announcements", content_type="multipart/form-data",
                           data={**base, "image": (io.BytesIO(b"GIF89a..."), "x.gif")})
    assert not_image.status_code == 400 and "JPEG หรือ PNG" in not_image.get_data(as_text=True)
    without_token = admin.post("/admin/announcements", data={k: v for k, v in base.items() if k != "csrf_token"})
    assert without_token.status_code == 400
    assert _count(db) == 0 and db.scalars(select(Media)).all() == []


def test_cancel_one_not_sent_yet_and_only_ones_own_centers(seeded: Flask, db: Session) -> None:
    _people(seeded)
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    created = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": _center_id(db, "DIST-05"), "body": "ประชุมกลุ่ม",
        "when": "at", "at": _local(utcnow() + timedelta(days=1))})
    item_id = db.scalars(select(Announcement.id)).one()
    stranger = staff(seeded, "Ustranger", center="DIST-06")
    assert stranger.get(created.location).status_code == 404
    assert stranger.post(f"/admin/announcements/{item_id}/cancel",
                         data={"csrf_token": _csrf(stranger)}).status_code == 404
    assert "ประชุมกลุ่ม" not in stranger.get("/admin/announcements").get_data(as_text=True)
    assert db.get(Announcement, item_id).status == "scheduled"  # type: ignore[union-attr]
    assert coordinator.post(f"/admin/announcements/{item_id}/cancel").status_code == 400  # no CSRF token
    done = coordinator.post(f"/admin/announcements/{item_id}/cancel", data={"csrf_token": _csrf(coordinator)})
    assert done.status_code == 303
    db.expire_all()
    assert db.get(Announcement, item_id).status == "cancelled"  # type: ignore[union-attr]
    again = coordinator.post(f"/admin/announcements/{item_id}/cancel", data={"csrf_token": _csrf(coordinator)})
    assert "ยกเลิกได้เฉพาะประกาศที่ยังไม่ได้ส่ง" in coordinator.get(again.location).get_data(as_text=True)


def test_a_district_coordinator_does_not_speak_for_a_feed_brands_center_under_it(seeded: Flask, db: Session) -> None:
    """Phanom Wang's cooperative sits under Khuan Khanun but coordinates Laemthong feed for the whole province."""
    _people(seeded)
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    brand = _center_id(db, "FEED-LAEMTHONG")
    assert f'value="{brand}"' not in coordinator.get("/admin/announcements").get_data(as_text=True)
    assert coordinator.get("/admin/announcements/audience.json", query_string={"center": brand}).status_code == 400
    own = staff(seeded, "Ulaemthong", center="FEED-LAEMTHONG")
    counted = own.get("/admin/announcements/audience.json", query_string={"center": brand}).get_json()
    assert counted["members"] == 6  # its own coordinators speak to the province: the five and the other coordinator


def test_over_the_quota_the_composer_warns_and_the_page_says_why_some_wait(
        seeded: Flask, db: Session, line_world: LineWorld) -> None:
    _people(seeded)
    line_world.quota = 2
    seeded.extensions["outbox"].drain()  # the clock's idle drain keeps the month's quota reading fresh
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    counted = coordinator.get("/admin/announcements/audience.json",
                              query_string={"center": _center_id(db, "DIST-05")}).get_json()
    assert counted["members"] == 3 and counted["quota_left"] == 2
    assert "เกินโควตาที่เหลือ" in counted["summary"]
    created = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": _center_id(db, "DIST-05"), "body": "ประชุมกลุ่ม", "when": "now"})
    send_due(seeded)
    page = coordinator.get(created.location).get_data(as_text=True)
    assert '<td id="held">3 · ข้อความ LINE ของเดือนนี้หมดแล้ว' in page  # a send is not split: all of it waits


def test_members_who_read_english_get_the_english_text_from_the_composer(seeded: Flask, db: Session,
                                                                         line_world: LineWorld) -> None:
    registered(seeded, "Uthai", district="ควนขนุน")
    registered(seeded, "Uenglish", district="ควนขนุน", language="en")
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    created = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": _center_id(db, "DIST-05"), "body": "ประชุมกลุ่มวันเสาร์",
        "body_en": "Group meeting on Saturday", "when": "now"})
    assert created.status_code == 303
    assert send_due(seeded) == 1
    said = {call.json["to"]: call.json["messages"][0]["text"] for call in line_world.sent("/v2/bot/message/push")}
    assert said["Uthai"].endswith("ประชุมกลุ่มวันเสาร์") and said["Uenglish"].endswith("Group meeting on Saturday")
    too_long = coordinator.post("/admin/announcements", data={
        "csrf_token": _csrf(coordinator), "center": _center_id(db, "DIST-05"), "body": "ประชุม",
        "body_en": "x" * 5001, "when": "now"})
    assert too_long.status_code == 400 and "5001" in too_long.get_data(as_text=True).replace(",", "")
    assert _count(db) == 1, "nothing stored from a refused form"
