"""A coordinator's announcement from chat: who gets it and when, by buttons, through the real webhook path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.jobs.announcements import send_due
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import postback_event
from models.announcements import Announcement
from models.base import BANGKOK
from models.member import Member
from tests.support import Chat, button_data, buttons, registered, texts


def _coordinator(app: Flask, world: LineWorld, center: str = "DIST-05") -> Chat:
    coordinator = Chat(app, world)
    registered(app, coordinator.user_id, role="coordinator", center_code=center)
    return coordinator


def _raising(app: Flask, user_id: str, interests: list[str], district: str = "ควนขนุน") -> None:
    member_id = registered(app, user_id, district=district)
    with app.extensions["sessions"]() as db, db.begin():
        db.execute(update(Member).where(Member.id == member_id).values(interests=interests))


def _draft(coordinator: Chat, body: str) -> list[dict[str, Any]]:
    coordinator.press(Intent("broadcast").to_postback())
    return coordinator.say(body)


def _recipients(world: LineWorld, body: str) -> list[str]:
    """Who LINE was asked to deliver the announcement to, by push or multicast (not its author's report)."""
    calls = [call for path in ("/v2/bot/message/push", "/v2/bot/message/multicast") for call in world.sent(path)
             if any(m.get("text", "").startswith("📢") and body in m["text"] for m in call.json["messages"])]
    return sorted(user for call in calls for user in (call.json["to"] if isinstance(call.json["to"], list)
                                                      else [call.json["to"]]))


def _picker(messages: list[dict[str, Any]]) -> dict[str, Any]:
    (item,) = [i["action"] for i in messages[-1]["quickReply"]["items"]
               if i["action"]["type"] == "datetimepicker" and i["action"]["label"] == "เลือกวันเวลา"]
    return dict(item)


def test_an_interest_narrows_the_audience_to_those_who_raise_it(
        seeded: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _coordinator(seeded, line_world)
    _raising(seeded, "Upigs", ["pig"])
    _raising(seeded, "Urubber", ["rubber"])
    preview = _draft(coordinator, "ลูกหมูล็อตใหม่มาถึงวันศุกร์")
    assert "ส่งถึงสมาชิก 2 คน" in texts(preview)

    menu = coordinator.press(button_data(preview, "เลือกผู้รับ"))
    assert {"สมาชิกทุกคน", "หมู", "ยางพารา"} <= set(buttons(menu))
    narrowed = coordinator.press(button_data(menu, "หมู"))
    assert "ส่งถึงสมาชิก 1 คน" in texts(narrowed) and "ที่เลี้ยงหรือปลูก: หมู" in texts(narrowed)
    assert "ใช้ข้อความ LINE 1 ข้อความ" in texts(narrowed)

    coordinator.press(button_data(narrowed, "ส่งเลย"))
    assert send_due(seeded) == 1
    assert _recipients(line_world, "ลูกหมูล็อตใหม่") == ["Upigs"]
    assert db.scalar(select(Announcement.interest)) == "pig"


def test_a_picked_time_in_the_past_is_refused_and_a_future_one_kept(
        seeded: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _coordinator(seeded, line_world)
    _raising(seeded, "Uone", [])
    preview = _draft(coordinator, "ประชุมกลุ่มผู้เลี้ยงหมู")
    picker = _picker(preview)
    assert picker["mode"] == "datetime" and picker["label"] == "เลือกวันเวลา"

    past = (datetime.now(BANGKOK) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    refused = coordinator.send(postback_event(coordinator.user_id, picker["data"], {"datetime": past}))
    assert "ผ่านไปแล้ว" in texts(refused)
    assert db.scalar(select(Announcement.status)) == "draft", "nothing is scheduled"
    assert "ส่งเลย" in buttons(refused), "the choices are offered again"

    later = datetime.now(BANGKOK).replace(second=0, microsecond=0) + timedelta(days=2)
    kept = coordinator.send(postback_event(coordinator.user_id, picker["data"],
                                           {"datetime": later.strftime("%Y-%m-%dT%H:%M")}))
    assert "ตั้งเวลาส่งไว้" in texts(kept) and f"{later:%H:%M} น." in texts(kept)
    announcement = db.scalars(select(Announcement)).one()
    assert announcement.status == "scheduled"
    assert announcement.send_at.replace(tzinfo=announcement.send_at.tzinfo or UTC) == later
    assert send_due(seeded) == 0, "not before its time"
    assert send_due(seeded, later.astimezone(UTC) + timedelta(minutes=1)) == 1


def test_every_monday_repeats_from_the_next_monday_morning(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _coordinator(seeded, line_world)
    _raising(seeded, "Uone", [])
    preview = _draft(coordinator, "ราคายางประจำสัปดาห์ ดูได้ที่สหกรณ์")
    said = coordinator.press(button_data(preview, "ทุกจันทร์ 07:00 น."))
    assert "ส่งซ้ำ" in texts(said)
    announcement = db.scalars(select(Announcement)).one()
    assert announcement.every == "0 7 * * mon" and announcement.status == "scheduled"
    first = announcement.send_at.replace(tzinfo=announcement.send_at.tzinfo or UTC).astimezone(BANGKOK)
    assert (first.weekday(), first.hour, first.minute) == (0, 7, 0)
    assert timedelta(0) < first - datetime.now(BANGKOK) <= timedelta(days=7)


def test_an_audience_of_nobody_offers_no_sending(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _coordinator(seeded, line_world)
    _raising(seeded, "Uone", ["rubber"])
    preview = _draft(coordinator, "ประชุมกลุ่มผู้เลี้ยงสัตว์ปีก")
    menu = coordinator.press(button_data(preview, "เลือกผู้รับ"))
    nobody = coordinator.press(button_data(menu, "เป็ด"))
    assert "ยังไม่มีใครได้รับ" in texts(nobody)
    assert buttons(nobody) == ["เลือกผู้รับ", "ไม่ส่ง"]
    draft = db.scalars(select(Announcement)).one()
    forged = Intent("broadcast", {"draft": draft.id, "when": "now"}).to_postback()
    coordinator.press(forged)
    assert db.scalar(select(Announcement.status)) == "draft", "a forged send to nobody sends nothing"
    assert send_due(seeded) == 0


def test_a_coordinator_reaches_only_the_members_their_center_serves(
        seeded: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = _coordinator(seeded, line_world)  # ควนขนุน's cooperative
    _raising(seeded, "Uhere", [])
    _raising(seeded, "Uthere", [], district="ตะโหมด")
    preview = _draft(coordinator, "ขอเชิญร่วมงานบุญวันเสาร์นี้ที่วัด")
    menu = coordinator.press(button_data(preview, "เลือกผู้รับ"))
    assert "เลือกอำเภอ" not in buttons(menu), "a district cooperative serves its own district"
    draft = db.scalars(select(Announcement)).one()
    forged = coordinator.press(
        Intent("broadcast", {"draft": draft.id, "to": "district", "value": "ตะโหมด"}).to_postback())
    assert "ยังไม่มีใครได้รับ" in texts(forged), "another district's members are not the center's to address"
    coordinator.press(button_data(preview, "ส่งเลย"))
    assert send_due(seeded) == 0, "nothing goes to nobody"
    coordinator.press(button_data(menu, "สมาชิกทุกคน"))
    coordinator.press(button_data(preview, "ส่งเลย"))
    assert send_due(seeded) == 1
    assert _recipients(line_world, "ขอเชิญร่วมงานบุญ") == ["Uhere"], "nobody outside the center's district"

    other = _coordinator(seeded, line_world, "DIST-01")
    assert "ไม่พบประกาศ" in texts(other.press(Intent("broadcast", {"draft": draft.id, "when": "now"}).to_postback()))


def test_a_province_center_can_pick_a_district(seeded: Flask, line_world: LineWorld) -> None:
    coordinator = _coordinator(seeded, line_world, "PROV-RUBBER")
    _raising(seeded, "Ukk", [], district="ควนขนุน")
    _raising(seeded, "Utm", [], district="ตะโหมด")
    preview = _draft(coordinator, "ตลาดยางตะโหมดเปิดวันพุธ")
    assert "ส่งถึงสมาชิก 2 คน" in texts(preview)
    districts = coordinator.press(button_data(coordinator.press(button_data(preview, "เลือกผู้รับ")), "เลือกอำเภอ"))
    narrowed = coordinator.press(button_data(districts, "ตะโหมด"))
    assert "ส่งถึงสมาชิก 1 คน" in texts(narrowed) and "ในอำเภอ ตะโหมด" in texts(narrowed)
    coordinator.press(button_data(narrowed, "ส่งเลย"))
    send_due(seeded)
    assert _recipients(line_world, "ตลาดยางตะโหมด") == ["Utm"]


def test_the_members_with_a_price_alert(seeded: Flask, line_world: LineWorld) -> None:
    coordinator = _coordinator(seeded, line_world)
    watcher = Chat(seeded, line_world, user_id="Uwatch")
    registered(seeded, watcher.user_id)
    watcher.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 60})
                  .to_postback())
    _raising(seeded, "Uquiet", [])
    preview = _draft(coordinator, "ราคาน้ำยางอาจขึ้นสัปดาห์หน้า")
    menu = coordinator.press(button_data(preview, "เลือกผู้รับ"))
    assert len(buttons(menu)) <= 13
    narrowed = coordinator.press(button_data(menu, "ผู้ตั้งเตือนราคา"))
    assert "ส่งถึงสมาชิก 1 คน" in texts(narrowed) and "ที่ตั้งเตือนราคาไว้" in texts(narrowed)
    coordinator.press(button_data(narrowed, "ส่งเลย"))
    send_due(seeded)
    assert _recipients(line_world, "ราคาน้ำยางอาจขึ้น") == ["Uwatch"]


def test_a_meeting_from_chat_asks_its_place_and_members_answer(seeded: Flask, line_world: LineWorld,
                                                                db: Session) -> None:
    coordinator = _coordinator(seeded, line_world)
    _raising(seeded, "Umember", [])
    preview = _draft(coordinator, "ขอเชิญประชุมใหญ่สามัญประจำปี")
    (meeting,) = [i["action"] for i in preview[-1]["quickReply"]["items"]
                  if i["action"]["type"] == "datetimepicker" and i["action"]["label"] == "เป็นการประชุม"]
    past = (datetime.now(BANGKOK) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = coordinator.send(postback_event(coordinator.user_id, meeting["data"], {"datetime": past}))
    assert "เลือกเวลาประชุมใหม่" in texts(refused)
    assert db.scalar(select(Announcement.meeting_at)) is None

    when = (datetime.now(BANGKOK) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    asked = coordinator.send(postback_event(coordinator.user_id, meeting["data"],
                                            {"datetime": when.strftime("%Y-%m-%dT%H:%M")}))
    assert "ประชุมที่ไหน" in texts(asked)
    shown = coordinator.say("ห้องประชุมสหกรณ์การเกษตรควนขนุน")
    assert "ประชุม: " in texts(shown) and "ที่ ห้องประชุมสหกรณ์การเกษตรควนขนุน" in texts(shown)
    assert "ทุกจันทร์ 07:00 น." not in buttons(shown), "a meeting happens once"

    coordinator.press(button_data(shown, "ส่งเลย"))
    assert send_due(seeded) == 1
    (push,) = [c for c in line_world.sent("/v2/bot/message/push") if c.json["to"] == "Umember"]
    assert [item["action"]["label"] for item in push.json["messages"][-1]["quickReply"]["items"]] == ["ไป", "ไม่ไป"]
    member = Chat(seeded, line_world, user_id="Umember")
    member.press(push.json["messages"][-1]["quickReply"]["items"][0]["action"]["data"])
    announcement = db.scalars(select(Announcement)).one()
    assert announcement.place == "ห้องประชุมสหกรณ์การเกษตรควนขนุน" and announcement.status in ("sending", "sent")
    code = seeded.test_cli_runner().invoke(cli, ["announcements", "show", str(announcement.id)])
    assert "1" in code.output and "going" in code.output.lower(), code.output
