"""Every contract intent, typed in Thai by the member it is for, through the real webhook: the bot answers that
intent (no 'did not understand', no apology), and out-of-domain messages change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from bot import nlu
from bot.sandbox.line_api import LineWorld
from tests.orders.conftest import register
from tests.prices.conftest import put
from tests.support import Chat, texts

NOT_UNDERSTOOD, APOLOGY = "ผมไม่เข้าใจ", "ระบบขัดข้อง"

MEMBER_SAYS = [
    ("greeting", "หวัดดีจ้า", "สวัสดี"),
    ("help", "ใช้ยังไงครับ", "สั่งซื้อรวม"),
    ("register", "ข้อมูลของฉัน", "ชื่อ"),
    ("order.join", "ขออาหารหมูซีพี ๓ กส.", "3 กระสอบ"),
    ("order.change", "แก้เป็น 5 กระสอบครับ", ""),
    ("order.cancel", "ยกเลิกที่สั่งไว้", ""),
    ("order.list", "ออเดอร์ของผม", ""),
    ("rounds.list", "มีอะไรเปิดสั่งบ้าง", ""),
    ("price.today", "น้ำยางวันนี้กี่บาทคับ", "59.00"),
    ("price.history", "กราฟราคาน้ำยาง 30 วัน", ""),
    ("alert.create", "เตือนด้วยถ้าน้ำยางเกินหกสิบ", "60"),
    ("alert.list", "การแจ้งเตือนของผม", ""),
    ("alert.cancel", "ยกเลิกการแจ้งเตือนราคา", ""),
    ("latex.calc", "น้ำยาง ๓๐ โล ๓๔ เปอร์เซ็นต์ ได้กี่บาท", "601.80"),
    ("sell.pledge", "จะขายยางแผ่นดิบ 120 กิโล", "120"),
    ("savings", "ประหยัดได้เท่าไหร่", ""),
    ("news", "มีประกาศอะไรบ้าง", ""),
    ("contact", "เบอร์ติดต่อสหกรณ์", "สหกรณ์การเกษตรควนขนุน"),
]
COORDINATOR_SAYS = [
    ("price.post", "ตั้งราคาน้ำยาง 59.50", "59.50"),
    ("round.close", "ปิดรอบสั่งกรด", ""),
    ("round.summary", "สรุปยอดรอบนี้", ""),
    ("broadcast", "ประกาศถึงสมาชิกทุกคน", ""),
]


@pytest.fixture
def priced(catalog: Flask) -> Flask:
    """The demo rounds (open now, on the real clock) and the rubber federation's prices of today and yesterday."""
    today = datetime.now(ZoneInfo("Asia/Bangkok")).date()
    put(catalog, today - timedelta(days=1), "latex", "58.00", center="PROV-RUBBER")
    put(catalog, today, "latex", "59.00", center="PROV-RUBBER")
    return catalog


@pytest.mark.parametrize(("intent", "typed", "expected"), MEMBER_SAYS + COORDINATOR_SAYS,
                         ids=[row[0] for row in MEMBER_SAYS + COORDINATOR_SAYS])
def test_each_intent_is_understood_and_answered(
    priced: Flask, line_world: LineWorld, intent: str, typed: str, expected: str
) -> None:
    assert nlu.parse(typed).name == intent
    chat = Chat(priced, line_world)
    coordinator = intent in {row[0] for row in COORDINATOR_SAYS}
    register(priced, chat.user_id, **({"role": "coordinator", "center_id": _center_id(priced, "PROV-RUBBER")}
                                      if coordinator else {}))
    answer = texts(chat.say(typed))
    assert answer, f"{intent}: no reply"
    assert NOT_UNDERSTOOD not in answer and APOLOGY not in answer
    assert "กรุณาลงทะเบียน" not in answer and "เฉพาะเจ้าหน้าที่สหกรณ์" not in answer
    assert expected in answer


def _center_id(app: Flask, code: str) -> int:
    from models.network import center_by_code

    with app.extensions["sessions"]() as db:
        center = center_by_code(db, code)
        assert center is not None
        return center.id
