"""Coordinators' quick things from chat: a sign-in link (or the supplier file of a round) and the goods of a
round marked as arrived, through the real webhook path."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from models.rounds import RoundPickup
from models.web_sessions import consume_link
from tests.bot.admin_signin import form_field
from tests.orders.conftest import age, make_coordinator, round_of
from tests.orders.test_reminders_seed import to
from tests.orders.test_rounds import order
from tests.support import Chat, button_data, buttons, texts


def _token(said: str) -> str:
    (url,) = [word for word in said.split() if "/admin/login" in word]
    return url.rpartition("#")[2]


def test_a_coordinator_asks_for_a_sign_in_link_that_works_once(catalog: Flask, line_world: LineWorld,
                                                               db: Session) -> None:
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    said = texts(boss.say("ขอลิงก์เข้าระบบครับ"))
    assert "/admin/login#" in said and "15 นาที" in said
    token = _token(said)
    assert consume_link(db, token, utcnow()).outcome == "ok"
    assert consume_link(db, token, utcnow()).outcome == "used"


def test_a_member_gets_no_link(farmer: Chat) -> None:
    said = texts(farmer.say("ขอลิงก์เข้าระบบ"))
    assert "/admin/login" not in said and "เฉพาะเจ้าหน้าที่" in said


def test_the_supplier_file_link_opens_the_rounds_export_after_signing_in(catalog: Flask, line_world: LineWorld,
                                                                       farmer: Chat, db: Session) -> None:
    acid = round_of(db, "acid-formic")
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    summary = boss.press(Intent("round.summary", {"round": acid.id}).to_postback())
    assert "coopbot" not in texts(summary), "no server commands in chat"
    said = texts(boss.press(button_data(summary, "ไฟล์สั่งซื้อ")))
    assert f"/admin/login?next=/admin/rounds/{acid.id}/export.xlsx#" in said

    # The link's page keeps where to go; signing in goes there, and the file comes down.
    page_path, _, token = said[said.index("/admin/login"):].split()[0].partition("#")
    client = catalog.test_client()
    page = client.get(page_path)
    assert f'action="/admin/login?next=/admin/rounds/{acid.id}/export.xlsx"' in page.get_data(as_text=True)
    signed = client.post(page_path, data={"csrf_token": form_field(page.get_data(as_text=True), "csrf_token"),
                                          "token": token})
    assert signed.status_code == 303 and signed.location == f"/admin/rounds/{acid.id}/export.xlsx"
    download = client.get(signed.location)
    assert download.status_code == 200 and download.data[:2] == b"PK", "an xlsx file"
    elsewhere = client.get("/admin/login?next=https://evil.example/")
    assert 'action="/admin/login"' in elsewhere.get_data(as_text=True), "never on to another site"

    other = Chat(catalog, line_world)
    make_coordinator(catalog, other.user_id, "DIST-05")
    refused = texts(other.press(Intent("console.link", {"round": acid.id}).to_postback()))
    assert "/admin/login" not in refused, "another center's round is not theirs to export"


def test_goods_marked_arrived_from_chat_tell_each_member_once(catalog: Flask, line_world: LineWorld,
                                                              farmer: Chat, db: Session) -> None:
    acid = round_of(db, "acid-formic")
    order(farmer, acid.id, 60)
    boss = Chat(catalog, line_world)
    make_coordinator(catalog, boss.user_id, "PROV-RUBBER")
    open_summary = boss.press(Intent("round.summary", {"round": acid.id}).to_postback())
    assert "ของมาถึงแล้ว" not in buttons(open_summary), "an open round's goods have not been bought yet"
    age(catalog, acid.id, min_total=None)  # goes ahead whatever the total
    assert catalog.test_cli_runner().invoke(cli, ["rounds", "close", str(acid.id)]).exit_code == 0

    summary = boss.press(Intent("round.summary", {"round": acid.id}).to_postback())
    asked = boss.press(button_data(summary, "ของมาถึงแล้ว"))
    assert "มาถึงทุกจุดรับของแล้วใช่ไหม" in texts(asked)
    assert db.scalars(select(RoundPickup.arrived_at).where(RoundPickup.round_id == acid.id)).all() in ([], [None])

    line_world.clear()
    done = boss.press(button_data(asked, "ใช่"))
    assert "กำลังแจ้งสมาชิก 1 คน" in texts(done)
    catalog.extensions["outbox"].drain()
    assert "มาถึงแล้ว" in to(line_world, farmer.user_id)
    again = boss.press(button_data(asked, "ใช่"))
    assert "จะไม่แจ้งสมาชิกซ้ำ" in texts(again)
    catalog.extensions["outbox"].drain()
    assert to(line_world, farmer.user_id).count("มาถึงแล้ว") == 1
