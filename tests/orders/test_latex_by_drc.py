"""Field latex sold together is valued on its dry rubber (kg × DRC % × price): the member's own DRC or
the center's average, said to be an estimate until the rubber is weighed; weighing replaces it; savings count the
dry rubber's gain over the day's local buying price."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.sandbox.line_api import LineWorld
from models.base import BANGKOK, utcnow
from models.orders import OrderLine
from models.products import USUAL_DRC
from tests.orders.conftest import lines, neighbour, round_of
from tests.support import Chat, button_data, texts


def _run(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _latex_round(app: Flask, db: Session) -> int:
    closes = (utcnow() + timedelta(days=3)).astimezone(BANGKOK).date().isoformat()
    _run(app, "rounds", "open", "rubber-latex", "--price", "59", "--closes", closes, "--direction", "sell")
    return round_of(db, "rubber-latex").id


def test_latex_is_valued_on_its_dry_rubber_until_weighed(catalog: Flask, line_world: LineWorld, farmer: Chat,
                                                        db: Session) -> None:
    round_id = _latex_round(catalog, db)
    card = texts(farmer.say("ขายน้ำยาง 500 กิโล"))
    usual = USUAL_DRC["latex"]
    value = (500 * usual / 100 * 59).quantize(Decimal("0.01"))
    assert f"{usual}% (ค่าเฉลี่ยของสหกรณ์" in card and "ต่อ กก. ยางแห้ง" in card
    assert f"{value:,.0f} บาท" in card and "29,500" not in card, "not priced as if latex were dry rubber"
    farmer.press(button_data(farmer.say("ขายน้ำยาง 500 กิโล"), "ยืนยัน"))

    other = neighbour(catalog, line_world, name="สมศรี มีสุข")
    own = texts(other.say("ขายน้ำยาง 300 กิโล 36%"))
    assert "36% ตามที่ท่านแจ้ง" in own and "6,372 บาท" in own  # 300 × 36 % × 59
    other.press(button_data(other.say("ขายน้ำยาง 300 กิโล 36%"), "ยืนยัน"))
    first, second = lines(db, round_id)
    assert (first.drc, first.drc_measured, first.amount) == (usual, False, value)
    assert (second.drc, second.amount) == (Decimal(36), Decimal("6372.00"))

    _run(catalog, "rounds", "close", str(round_id))
    notice = texts([m.json["messages"][0] for m in line_world.sent("/v2/bot/message/push")
                    if m.json["to"] == farmer.user_id][-1:])
    assert f"DRC {usual}%" in notice and "ค่าประมาณ" in notice, notice

    told = _run(catalog, "orders", "weigh", str(round_id), _phone(db, first), "--kg", "480", "--drc", "35")
    assert "= 9912.00 baht" in told  # 480 × 35 % × 59
    db.expire_all()
    weighed = db.get(OrderLine, first.id)
    assert weighed is not None and (weighed.final, weighed.drc, weighed.drc_measured) == (480, 35, True)

    # the next pledge at this center is estimated at the DRC measured here, not the usual one
    _run(catalog, "rounds", "mark", str(round_id), "ordered")
    again = _latex_round(catalog, db)
    assert again != round_id
    assert "35% (ค่าเฉลี่ยของสหกรณ์" in texts(farmer.say("ขายน้ำยาง 100 กิโล"))


def test_selling_savings_count_dry_rubber_over_the_local_price(catalog: Flask, farmer: Chat, db: Session) -> None:
    _run(catalog, "prices", "post", "latex", "58", "--center", "DIST-05")  # the farmer's cooperative, ควนขนุน
    round_id = _latex_round(catalog, db)
    farmer.press(button_data(farmer.say("ขายน้ำยาง 500 กิโล 34%"), "ยืนยัน"))
    (line,) = lines(db, round_id)
    assert line.retail_price == Decimal("58.00"), "the reference is the day's local buying price"
    _run(catalog, "rounds", "close", str(round_id))
    _run(catalog, "orders", "weigh", str(round_id), _phone(db, line), "--kg", "500", "--drc", "34")
    _run(catalog, "rounds", "mark", str(round_id), "ordered")
    _run(catalog, "rounds", "mark", str(round_id), "delivered")
    assert "170 บาท" in texts(farmer.say("ประหยัดได้เท่าไหร่"))  # (59 - 58) × 500 × 34 %


def _phone(db: Session, line: OrderLine) -> str:
    member = line.member
    if member.phone is None:
        member.phone = "0812345678"
        db.commit()
    return member.phone


def test_hundreds_said_in_words_after_digits_are_pledged_whole(catalog: Flask, farmer: Chat, db: Session) -> None:
    """"3 ร้อย 50 กิโล", as a member types it: 350 kilos, not 3 or 50."""
    round_id = _latex_round(catalog, db)
    card = texts(farmer.say("ขายน้ำยาง 3 ร้อย 50 กิโล 36%"))
    assert "350" in card and "7,434 บาท" in card, card  # 350 × 36 % × 59
    farmer.press(button_data(farmer.say("ขายน้ำยาง 3 ร้อย 50 กิโล 36%"), "ยืนยัน"))
    (line,) = lines(db, round_id)
    assert (line.quantity, line.drc) == (Decimal(350), Decimal(36))
