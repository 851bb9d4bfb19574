from __future__ import annotations
import json
from datetime import datetime, timedelta
from flask import Flask
from sqlalchemy import select, func
from sqlalchemy.orm import Session
from bot.sandbox.line_api import LineWorld
from handlers import Intent
from models.alerts import PriceAlert
from models.prices import PriceQuote
from models.conversation import *  # noqa
from tests.prices.conftest import TODAY, coordinator_chat, flex_buttons, put
from tests.support import Chat, buttons, registered, texts, button_data

def n_quotes(db):
    db.expire_all(); return db.scalar(select(func.count()).select_from(PriceQuote))
def n_alerts(db):
    db.expire_all(); return [(a.rubber_type,a.kind,str(a.threshold),a.active) for a in db.scalars(select(PriceAlert))]

def show(label, msgs):
    print("\n==", label, "==\n", texts(msgs), "\n  buttons:", buttons(msgs), "\n  types:", [m["type"] for m in msgs])

def test_post_bad(seeded, line_world, db, clock):
    c = coordinator_chat(seeded, line_world)
    for m in ["ประกาศราคาน้ำยาง 58,50", "ประกาศราคาน้ำยาง -5", "ประกาศราคาน้ำยาง 0", "ประกาศราคายางเครป 58",
              "ประกาศราคาน้ำยาง 58.505", "ประกาศราคาน้ำยาง 1,058", "ประกาศราคาน้ำยาง ๕๘.๕๐ บาท"]:
        c2 = coordinator_chat(seeded, line_world)
        show(m, c2.say(m))
    print("quotes", n_quotes(db))

def test_post_pending_answers(seeded, line_world, db, clock):
    c = coordinator_chat(seeded, line_world)
    show("ask", c.say("ประกาศราคาน้ำยาง"))
    for a in ["58,50", "-5", "๕๘.๕๐ บาท", "ห้าสิบแปด", "abc", "58 บาท/กก."]:
        show("ans "+a, c.say(a))
    print("quotes", n_quotes(db))

def test_bigmove(seeded, line_world, db, clock):
    put(seeded, TODAY - timedelta(days=1), "latex", "50.00", "center", "DIST-05")
    c = coordinator_chat(seeded, line_world)
    card = c.say("ประกาศราคาน้ำยาง 70")
    show("big", card)
    print(json.dumps(card[0].get("contents"), ensure_ascii=False)[:1500])
    done = c.say("ใช่")
    show("typed yes", done)
    print("quotes", n_quotes(db))

def test_latex_bad(chat, db, clock):
    put(chat.app, TODAY, "latex", "58.00")
    registered(chat.app, chat.user_id)
    for m in ["น้ำยาง 30 กก. DRC 34 ราคา -58", "น้ำยาง 30 กก. DRC 34 ราคา 0", "น้ำยาง -30 กก. DRC 34",
              "น้ำยาง 30 กก. DRC -34", "น้ำยาง 30 กก. DRC 0", "น้ำยาง 30 กก. DRC 150", "น้ำยาง 0 กก. DRC 34",
              "น้ำยาง 30 กก. DRC 34 แบ่ง 70/40", "น้ำยาง 1,200 กก. DRC 34", "ยางก้อนถ้วย 30 กก. DRC 60",
              "น้ำยาง 30 กก. DRC 34 ราคา 58,50", "น้ำยาง 30 กก. DRC 34 ราคา 58 บาท แบ่ง 60/40",
              "น้ำยาง 25.5 กก. DRC 35.5 ราคา 58", "น้ำยาง 30 กก. DRC 34 ราคา 300", "น้ำยาง 30 กก. DRC 34 ราคา 58.555",
              "น้ำยาง 30 กก. DRC 34 แบ่ง 100/0", "น้ำยาง 30 กก. DRC 34 แบ่ง 0/100"]:
        c = Chat(chat.app, chat.world); registered(chat.app, c.user_id)
        show(m, c.say(m))

def test_alert_bad(chat, db, clock):
    put(chat.app, TODAY, "latex", "58.00")
    for m in ["แจ้งเตือนน้ำยางเกิน -60", "แจ้งเตือนน้ำยางเกิน 0", "แจ้งเตือนน้ำยางเกิน 1,000", "แจ้งเตือนน้ำยางเกิน 60,5",
              "แจ้งเตือนยางเครปเกิน 60", "แจ้งเตือนน้ำยางเกิน ๖๐ บาท", "แจ้งเตือนน้ำยางเกิน 200", "แจ้งเตือนน้ำยาง 58",
              "แจ้งเตือนราคายางทุกวัน", "แจ้งเตือนน้ำยางเกิน 60.555"]:
        c = Chat(chat.app, chat.world); registered(chat.app, c.user_id)
        show(m, c.say(m))
    print(n_alerts(db))

def test_cancel_wrong_type(chat, db, clock):
    registered(chat.app, chat.user_id)
    chat.press(Intent("alert.create", {"rubber_type": "rss3", "direction": "above", "threshold": 70}).to_postback())
    show("cancel latex", chat.say("ยกเลิกเตือนน้ำยาง"))
    print(n_alerts(db))
