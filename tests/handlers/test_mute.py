"""A member stops (and resumes) a kind of notice: typed or pressed, through the real webhook path; round notices
and announcements then pass them by."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.jobs.announcements import send_due
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from models.base import utcnow
from models.member import Member
from models.network import center_by_code
from tests.support import Chat, button_data, buttons, registered, texts


def _muted(db: Session, user_id: str) -> list[str] | None:
    return db.scalar(select(Member.muted).where(Member.line_user_id == user_id))


def test_typed_stop_and_a_button_to_resume(chat: Chat, db: Session) -> None:
    registered(chat.app, chat.user_id)
    said = chat.say("ไม่ต้องแจ้งเรื่องลูกหมูแล้วครับ")
    assert "ไม่ส่งเรื่อง รอบลูกหมู" in texts(said)
    assert _muted(db, chat.user_id) == ["piglet"]
    again = chat.say("ไม่ต้องแจ้งเรื่องลูกหมู")
    assert _muted(db, chat.user_id) == ["piglet"], "said twice, kept once"
    resumed = chat.press(button_data(again, "แจ้งอีกครั้ง"))
    assert "แจ้งเรื่อง รอบลูกหมู ให้ท่านอีกครั้ง" in texts(resumed)
    assert _muted(db, chat.user_id) is None


def test_no_kind_named_lists_each_with_its_state(chat: Chat, db: Session) -> None:
    registered(chat.app, chat.user_id)
    chat.say("เลิกส่งข่าวปุ๋ยมาแล้วค่ะ")
    choices = chat.press(Intent("news.mute").to_postback())
    assert "✕ รอบปุ๋ย" in buttons(choices) and "ข่าวจากสหกรณ์" in buttons(choices)
    assert "ที่หยุดแจ้งไว้: รอบปุ๋ย" in texts(choices)
    chat.press(button_data(choices, "ข่าวจากสหกรณ์"))
    assert _muted(db, chat.user_id) == ["fertilizer", "news"]
    forged = chat.press(Intent("news.mute", {"kind": "lottery", "on": "no"}).to_postback())
    assert "ไม่ต้องแจ้งเรื่องไหน" in texts(forged), "an unknown kind changes nothing and asks"
    assert _muted(db, chat.user_id) == ["fertilizer", "news"]


def test_muted_news_leaves_the_member_out_of_announcements(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    for user in ("Ukeeps", "Ustops"):
        registered(seeded, user)
    Chat(seeded, line_world, user_id="Ustops").say("ไม่ต้องส่งข่าวมาแล้ว")
    with seeded.extensions["sessions"]() as session, session.begin():
        center = center_by_code(session, "DIST-05")
        assert center is not None
        session.add(Announcement(center_id=center.id, body="ประชุมกลุ่มวันศุกร์", send_at=utcnow(), status="scheduled"))
    send_due(seeded)
    told = {user for path in ("/v2/bot/message/push", "/v2/bot/message/multicast") for call in line_world.sent(path)
            for user in (call.json["to"] if isinstance(call.json["to"], list) else [call.json["to"]])}
    assert "Ukeeps" in told and "Ustops" not in told
    assert db.scalar(select(Announcement.recipients)) == 1


def test_muted_news_still_brings_what_is_said_to_a_round_the_member_ordered_in(
        seeded: Flask, line_world: LineWorld, db: Session) -> None:
    from bot.cli import cli
    from bot.seed import orders as seed_orders
    from tests.orders.conftest import join, round_of

    with seeded.extensions["sessions"]() as session, session.begin():
        seed_orders.demo_rounds(session, seeded.config["SETTINGS"])
    rice = round_of(db, "rice-sangyod-5kg")
    registered(seeded, "Ubuyer")
    buyer = Chat(seeded, line_world, user_id="Ubuyer")
    buyer.press(button_data(buyer.press(join(rice.id, 2)), "ยืนยัน"))
    buyer.say("ไม่ต้องส่งข่าวมาแล้ว")
    assert _muted(db, "Ubuyer") == ["news"]

    coordinator = Chat(seeded, line_world)
    registered(seeded, coordinator.user_id, role="coordinator", center_code="PROV-AGRI")
    coordinator.press(Intent("broadcast").to_postback())
    menu = Intent.from_postback(button_data(coordinator.say("ข้าวสารถึงศูนย์แล้ว เชิญรับวันเสาร์"), "เลือกผู้รับ"))
    assert menu is not None
    draft = menu.slots["draft"]
    narrowed = coordinator.press(Intent("broadcast", {"draft": draft, "to": "round", "value": rice.id}).to_postback())
    assert "ส่งถึงสมาชิก 1 คน" in texts(narrowed), "the count the coordinator sees counts them"
    result = seeded.test_cli_runner().invoke(cli, ["announce", "ข้าวสารถึงศูนย์แล้ว", "--center", "PROV-AGRI",
                                                   "--round", str(rice.id)])
    assert result.exit_code == 0 and result.output.splitlines()[1].startswith("1 members"), result.output

    coordinator.press(button_data(narrowed, "ส่งเลย"))
    send_due(seeded)
    told = [call.json["to"] for call in line_world.sent("/v2/bot/message/push")
            if any(m.get("text", "").startswith("📢") and "ข้าวสารถึงศูนย์แล้ว" in m["text"] for m in call.json["messages"])]
    assert told == ["Ubuyer", "Ubuyer"], "both announcements, the chat's and the command line's, reach the buyer"
