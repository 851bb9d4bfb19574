"""The goods of a closed round marked as arrived at pickup points (`coopbot rounds arrived`): their members are
told what, where and until when, once; "my orders" and "has it come?" say so."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.sandbox.line_api import LineWorld
from tests.orders.conftest import neighbour, round_of
from tests.orders.test_rounds import order, pushed_to
from tests.support import Chat, texts


def _run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_members_at_the_point_are_told_once_and_their_orders_say_so(
    catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session
) -> None:
    acid = round_of(db, "acid-formic")
    elsewhere = neighbour(catalog, line_world, "สมปอง", district="ตะโหมด")
    order(farmer, acid.id, 60)
    order(elsewhere, acid.id, 30)
    code, out = _run(catalog, "rounds", "arrived", str(acid.id))
    assert code != 0 and "closed buying round" in out, "not before the round has closed"
    assert _run(catalog, "rounds", "close", str(acid.id))[0] == 0

    code, out = _run(catalog, "rounds", "arrived", str(acid.id), "--point", "DIST-05", "--until", "2026-12-10")
    assert code == 0 and "1 member(s) told" in out, out
    told = pushed_to(line_world, farmer.user_id)
    assert "มาถึงแล้วที่ สหกรณ์การเกษตรควนขนุน" in told and "10 ธ.ค. 2569" in told
    assert "มาถึงแล้ว" not in pushed_to(line_world, elsewhere.user_id), "another point's goods have not come"
    assert "มาถึงแล้วที่" in texts(farmer.say("ของมาถึงหรือยัง"))

    code, out = _run(catalog, "rounds", "arrived", str(acid.id), "--point", "DIST-05")
    assert code == 0 and "0 member(s) told" in out, "marking twice tells nobody twice"
    code, out = _run(catalog, "rounds", "arrived", str(acid.id))
    assert code == 0 and "1 member(s) told" in out, "the rest of the points with orders"
    assert "มาถึงแล้ว" in pushed_to(line_world, elsewhere.user_id)
