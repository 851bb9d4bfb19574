"""`coopbot prices post` and the demo price history of `coopbot seed --demo`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import seed
from bot.cli import cli
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from bot.seed.prices import demo_prices, trading_days
from models.prices import PriceQuote, local_day
from tests.prices.conftest import put
from tests.support import Chat, registered, texts


def _run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, ["prices", *args])
    return result.exit_code, result.output


def test_post_from_the_command_line_sends_the_alerts(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    member = Chat(seeded, line_world, user_id="Ucli")
    registered(seeded, "Ucli", district="ควนขนุน")
    member.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())

    code, output = _run(seeded, "post", "latex", "58.50", "--center", "DIST-05")
    assert code == 0, output
    today = local_day(datetime.now(UTC))
    assert output.strip() == f"posted latex 58.50 baht/kg for DIST-05 on {today}: 1 alerts fired, 1 messages sent"
    (push,) = line_world.sent("/v2/bot/message/push")
    assert push.json["to"] == "Ucli" and "58.50" in push.json["messages"][0]["text"]

    code, output = _run(seeded, "post", "cuplump", "52")
    assert code == 0 and "for PROV-RUBBER" in output, "without --center, the rubber federation posts"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("latex", "58,50"), "price must be a number of baht per kg such as 58.50"),
        (("latex", "๕๘"), "price must be a number"),
        (("latex", "58บาท"), "price must be a number"),
        (("latex", "0"), "it must be more than zero"),
        (("latex", "500"), "outside the plausible 20–150 baht/kg"),
        (("latex", "58.505"), "more than two decimals"),
        (("latex", "58", "--center", "NOPE"), "no center with code NOPE"),
        (("wood", "58"), "Invalid value for 'TYPE'"),
    ],
)
def test_bad_input_stops_with_one_line_and_writes_nothing(
    seeded: Flask, db: Session, args: tuple[str, ...], message: str
) -> None:
    code, output = _run(seeded, "post", *args)
    assert code != 0
    assert message in output
    assert db.scalar(select(func.count()).select_from(PriceQuote)) == 0


def test_a_big_move_needs_yes(seeded: Flask, db: Session) -> None:
    put(seeded, local_day(datetime.now(UTC)) - timedelta(days=1), "latex", "50.00", "center", "DIST-05")
    code, output = _run(seeded, "post", "latex", "60", "--center", "DIST-05")
    assert code != 0 and "more than 15% away from the last price" in output and "--yes" in output
    assert _run(seeded, "post", "latex", "60", "--center", "DIST-05", "--yes")[0] == 0
    assert db.scalar(select(func.max(PriceQuote.baht_per_kg))) == Decimal("60.00")


def test_the_demo_history_ends_today_and_is_idempotent(seeded: Flask, line_world: LineWorld, db: Session) -> None:
    with seeded.extensions["sessions"]() as session, session.begin():
        counts = seed.demo(session, seeded.config["SETTINGS"])
    assert counts["prices"] == 530
    today = local_day(datetime.now(UTC))
    assert db.scalar(select(func.max(PriceQuote.day))) == today
    assert db.scalar(select(func.count(func.distinct(PriceQuote.day)))) == 120
    latex = db.scalar(select(PriceQuote.baht_per_kg).where(
        PriceQuote.day == today, PriceQuote.rubber_type == "latex", PriceQuote.source == "raot"))
    assert latex == Decimal("58.00")
    with seeded.extensions["sessions"]() as session, session.begin():
        demo_prices(session, seeded.config["SETTINGS"])
    assert db.scalar(select(func.count()).select_from(PriceQuote)) == 530

    member = Chat(seeded, line_world)
    registered(seeded, member.user_id, district="เมืองพัทลุง")
    shown = texts(member.press(Intent("price.today").to_postback()))
    assert "น้ำยางสด: 58.50 บาท/กก." in shown and "(สหกรณ์ของท่าน)" in shown


def test_trading_days_skip_weekends() -> None:
    days = trading_days(datetime(2026, 11, 25).date(), 6)
    assert [d.isoformat() for d in days] == [
        "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24", "2026-11-25"]
