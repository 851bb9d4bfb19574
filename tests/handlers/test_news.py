"""News, contact and coordinators' announcements, as transcripts through the real webhook."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.jobs.announcements import send_due
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from tests.support import Chat, button_data, buttons, registered, texts


def test_no_news_yet_says_so(chat: Chat) -> None:
    registered(chat.app, chat.user_id)
    assert "ยังไม่มีประกาศ" in texts(chat.press(Intent("news").to_postback()))


def test_contact_names_the_members_cooperative(chat: Chat) -> None:
    registered(chat.app, chat.user_id, district="ป่าบอน")
    answer = texts(chat.press(Intent("contact").to_postback()))
    assert "สหกรณ์การเกษตรป่าบอน จำกัด" in answer
    assert "ชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด" in answer


def test_members_cannot_broadcast(chat: Chat, db: Session) -> None:
    registered(chat.app, chat.user_id)
    assert "เฉพาะเจ้าหน้าที่สหกรณ์" in texts(chat.press(Intent("broadcast").to_postback()))
    assert db.scalars(select(Announcement)).all() == []


def test_a_coordinator_announces_to_the_members_the_center_serves(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    coordinator = Chat(seeded, line_world)
    registered(seeded, coordinator.user_id, role="coordinator", center_code="DIST-05")  # ควนขนุน
    for user in ("Uk1", "Uk2"):
        registered(seeded, user, district="ควนขนุน")
    registered(seeded, "Uother", district="ตะโหมด")

    assert "พิมพ์ข้อความประกาศ" in texts(coordinator.press(Intent("broadcast").to_postback()))
    preview = coordinator.say("ประชุมใหญ่สามัญประจำปี วันเสาร์นี้ 9 โมง ที่สหกรณ์")
    assert "ส่งถึงสมาชิก 2 คน" in texts(preview)
    assert buttons(preview) == ["ส่งเลย", "พรุ่งนี้ 07:00 น.", "เลือกวันเวลา", "ทุกจันทร์ 07:00 น.",
                                "ทุกวันที่ 1 07:00 น.", "เป็นการประชุม", "เลือกผู้รับ", "ไม่ส่ง"]

    assert "กำลังส่ง" in texts(coordinator.press(button_data(preview, "ส่งเลย")))
    assert "เลือกไว้แล้ว" in texts(coordinator.press(button_data(preview, "ส่งเลย")))
    assert send_due(seeded) == 1
    assert send_due(seeded) == 0, "nothing is sent twice"
    (call,) = line_world.sent("/v2/bot/message/multicast")
    assert sorted(call.json["to"]) == ["Uk1", "Uk2"]
    assert "ประชุมใหญ่สามัญประจำปี" in call.json["messages"][0]["text"]

    member = Chat(seeded, line_world, user_id="Uk1")
    assert "ประชุมใหญ่สามัญประจำปี" in texts(member.press(Intent("news").to_postback()))
    other = Chat(seeded, line_world, user_id="Uother")
    assert "ยังไม่มีประกาศ" in texts(other.press(Intent("news").to_postback()))


def test_cancel_leaves_the_announcement_unwritten(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    coordinator = Chat(seeded, line_world)
    registered(seeded, coordinator.user_id, role="coordinator", center_code="PROV-RUBBER")
    coordinator.press(Intent("broadcast").to_postback())
    assert "ยกเลิกแล้ว" in texts(coordinator.say("ยกเลิก"))
    assert db.scalars(select(Announcement)).all() == []


def test_a_province_centers_news_reaches_every_district(seeded: Flask, line_world: LineWorld) -> None:
    coordinator = Chat(seeded, line_world)
    registered(seeded, coordinator.user_id, role="coordinator", center_code="PROV-RUBBER")
    registered(seeded, "Unear", district="เมืองพัทลุง")
    coordinator.press(Intent("broadcast").to_postback())
    preview = coordinator.say("ตลาดนัดยางพาราวันพุธนี้")
    registered(seeded, "Ufar", district="ศรีนครินทร์")  # registers after the preview: the audience is read at sending
    coordinator.press(button_data(preview, "ส่งเลย"))
    send_due(seeded)
    for user in ("Unear", "Ufar"):
        reader = Chat(seeded, line_world, user_id=user)
        assert "ตลาดนัดยางพาราวันพุธนี้" in texts(reader.press(Intent("news").to_postback()))
