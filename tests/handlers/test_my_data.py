"""A member's right of access: "ขอข้อมูลของฉัน" gives them everything the bot keeps about them."""

from __future__ import annotations

from flask import Flask

from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from bot.seed import orders as seed_orders
from tests.orders.conftest import join, register, round_of
from tests.support import Chat, button_data, texts


def test_a_member_gets_a_copy_of_their_data(seeded: Flask, line_world: LineWorld) -> None:
    with seeded.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, seeded.config["SETTINGS"])
    chat = Chat(seeded, line_world)
    register(seeded, chat.user_id, phone="0812345678", membership_no="KK-1234")
    with seeded.extensions["sessions"]() as db:
        round_id = round_of(db, "feed-cp-pig").id
    chat.press(button_data(chat.press(join(round_id, 5)), "ยืนยัน"))
    chat.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())

    copy = texts(chat.say("ขอข้อมูลของฉัน"))
    assert "ข้อมูลทั้งหมดของท่านที่สหกรณ์เก็บไว้" in copy
    assert "สมชาย ใจดี" in copy and "KK-1234" in copy and "081" in copy
    assert "ให้ความยินยอมเมื่อ" in copy
    assert "อาหารหมูขุน ซีพี: 5 กระสอบ" in copy
    assert "การแจ้งเตือนราคา: 1 รายการ" in copy and "ทุกวัน" in copy
