"""`coopbot rounds …` and `coopbot orders …`: open and close rounds, order for members without a phone,
and supplier exports opened back with the csv module and openpyxl."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from models.member import Member
from models.network import center_by_code
from models.rounds import Round
from tests.orders.conftest import join, lines, make_coordinator, neighbour, round_of
from tests.support import Chat, button_data


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, list(args))
    return result.exit_code, result.output


def order(chat: Chat, round_id: int, quantity: int) -> None:
    chat.press(button_data(chat.press(join(round_id, quantity)), "ยืนยัน"))


def test_rounds_list_shows_the_open_rounds(catalog: Flask) -> None:
    code, out = run(catalog, "rounds", "list")
    assert code == 0
    assert len(out.strip().splitlines()) == 8
    assert "feed-cp-pig" in out and "DIST-06" in out and "0/400 sack" in out


def test_open_a_round_routes_feed_by_brand_and_takes_tiers(catalog: Flask, db: Session) -> None:
    assert run(catalog, "rounds", "close", str(round_of(db, "feed-betagro-pig").id))[0] == 0  # one open at a time
    code, out = run(catalog, "rounds", "open", "feed-betagro-pig", "--price", "575", "--closes", "2099-01-31",
                    "--max", "120", "--min", "20", "--tier", "60:570", "--pickup-on", "2099-02-03",
                    "--pickup", "DIST-05=2099-02-05")
    assert code == 0, out
    round_id = int(out.split()[2].rstrip(":"))
    created = db.get(Round, round_id)
    assert created is not None and created.center.code == "FEED-BETAGRO"
    khuan_khanun = center_by_code(db, "DIST-05")
    assert khuan_khanun is not None and khuan_khanun.district == "ควนขนุน"
    assert created.pickup_date(khuan_khanun.id) == date(2099, 2, 5) and created.pickup_date(None) == date(2099, 2, 3)
    assert created.price == Decimal("575.00") and created.tiers == [{"min": "60", "price": "570"}]
    assert created.closes_at.hour == 10, "17:00 in Bangkok is 10:00 UTC"


def test_open_at_a_price_far_from_the_last_rounds_needs_yes(catalog: Flask, db: Session) -> None:
    last = round_of(db, "feed-betagro-pig")
    assert run(catalog, "rounds", "close", str(last.id))[0] == 0
    far = str(last.price * 2)
    code, out = run(catalog, "rounds", "open", "feed-betagro-pig", "--price", far, "--closes", "2099-01-31")
    assert code != 0 and "more than 15%" in out and "--yes" in out and len(out.strip().splitlines()) == 1, out
    assert db.scalar(select(func.count()).select_from(Round).where(Round.status == "open",
                                                                   Round.product_id == last.product_id)) == 0
    code, out = run(catalog, "rounds", "open", "feed-betagro-pig", "--price", far, "--closes", "2099-01-31", "--yes")
    assert code == 0 and out.startswith("opened round"), out


def test_a_cancelled_rounds_price_is_no_reference_for_the_next(catalog: Flask, db: Session) -> None:
    from models.closing import cancel

    last = round_of(db, "feed-betagro-pig")
    usual = last.price
    assert run(catalog, "rounds", "close", str(last.id))[0] == 0
    code, out = run(catalog, "rounds", "open", "feed-betagro-pig", "--price", str(usual * 10), "--closes",
                    "2099-01-31", "--yes")  # a typo, opened all the same
    assert code == 0, out
    typo = int(out.split()[2].rstrip(":"))
    with catalog.extensions["sessions"]() as session, session.begin():
        cancel(session, typo, utcnow())
    code, out = run(catalog, "rounds", "open", "feed-betagro-pig", "--price", str(usual), "--closes", "2099-01-31")
    assert code == 0 and out.startswith("opened round"), out


def test_open_refuses_bad_input_with_one_line(catalog: Flask) -> None:
    for args, words in [
        (("no-such-product", "--price", "1", "--closes", "2099-01-01"), "no product no-such-product"),
        (("feed-cp-pig", "--price", "abc", "--closes", "2099-01-01"), "is not a number"),
        (("feed-cp-pig", "--price", "580", "--closes", "2001-01-01"), "must be in the future"),
        (("feed-cp-pig", "--price", "580", "--closes", "next week"), "is not a date"),
        (("piglet", "--price", "1650", "--closes", "2099-01-01", "--pickup", "NOPE=2099-01-02"), "no center"),
        (("feed-cp-pig", "--price", "580", "--closes", "2099-01-01"), "is open until"),
    ]:
        code, out = run(catalog, "rounds", "open", *args)
        assert code != 0 and words in out, out


def test_order_on_behalf_of_a_member_without_a_smartphone(catalog: Flask, line_world: LineWorld,
                                                          db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    staff = Chat(catalog, line_world)
    make_coordinator(catalog, staff.user_id, "PROV-AGRI")
    code, out = run(catalog, "orders", "add", str(rice.id), "4", "--name", "ยายสมใจ", "--phone", "081-234-5678",
                    "--district", "บางแก้ว", "--by", staff.user_id)
    assert code == 0, out
    assert run(catalog, "orders", "add", str(rice.id), "2", "--name", "ยายสมใจ", "--phone", "0812345678")[0] == 0
    [line] = lines(db, rice.id)
    assert line.quantity == 6 and line.pickup_center is not None and line.pickup_center.district == "บางแก้ว"
    member = db.scalar(select(Member).where(Member.phone == "0812345678"))
    assert member is not None and not member.line_user_id.startswith("U")

    assert run(catalog, "orders", "add", str(rice.id), "2", "--name", "x", "--phone", "12345")[0] != 0
    code, out = run(catalog, "orders", "add", str(rice.id), "0", "--name", "x", "--phone", "0899999999")
    assert code != 0 and "not_positive" in out
    other = Chat(catalog, line_world)
    make_coordinator(catalog, other.user_id, "PROV-RUBBER")
    code, out = run(catalog, "orders", "add", str(rice.id), "1", "--name", "x", "--phone", "0899999999",
                    "--by", other.user_id)
    assert code != 0 and "not a coordinator of PROV-AGRI" in out
    assert sum(line.quantity for line in lines(db, rice.id)) == 6


def test_close_and_export_csv_and_xlsx(catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session,
                                       tmp_path: Path) -> None:
    acid = round_of(db, "acid-formic")
    order(farmer, acid.id, 40)
    order(neighbour(catalog, line_world, "สมศรี มีสุข", district="กงหรา"), acid.id, 35)
    run(catalog, "orders", "add", str(acid.id), "20", "--name", "ยายสมใจ", "--phone", "0812345678",
        "--district", "กงหรา")
    assert run(catalog, "orders", "export")[0] != 0, "nothing closed yet"
    code, out = run(catalog, "rounds", "close", str(acid.id))
    assert code == 0 and "closed, 90 kg in 3 container(s) for 3 members" in out, out
    assert len(line_world.sent("/v2/bot/message/push")) == 2, "the member without LINE is called instead"
    assert run(catalog, "rounds", "close", str(acid.id))[0] != 0

    sheet = tmp_path / "acid.csv"
    assert run(catalog, "orders", "export", str(acid.id), "--format", "csv", "-o", str(sheet))[0] == 0
    with sheet.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["member"], r["ordered"], r["final"], r["amount"]) for r in rows] == [
        ("สมชาย ใจดี", "40.000", "40.000", "1880.00"),
        ("สมศรี มีสุข", "35.000", "35.000", "1645.00"),
        ("ยายสมใจ", "20.000", "15.000", "705.00"),
    ]
    assert rows[0]["pickup_point"] == "สหกรณ์การเกษตรควนขนุน จำกัด" and rows[2]["phone"] == "0812345678"

    book_path = tmp_path / "acid.xlsx"
    assert run(catalog, "orders", "export", "--format", "xlsx", "-o", str(book_path))[0] == 0
    book = load_workbook(book_path)
    assert book.sheetnames == ["Orders", "By pickup point"]
    orders = list(book["Orders"].iter_rows(values_only=True))
    assert orders[0][:3] == ("round", "product_code", "product") and len(orders) == 4
    points = {row[2]: row for row in book["By pickup point"].iter_rows(min_row=2, values_only=True)}
    # 90 kg bought as 3 containers: 50 kg at กงหรา (one full, one shared) and 40 at ควนขนุน load 2 + 1, as bought
    assert points["สหกรณ์การเกษตรกงหรา จำกัด"][3:8] == (2, 50, "kg", 2, "container")
    assert points["สหกรณ์การเกษตรควนขนุน จำกัด"][4] == 40
    assert sum(row[6] for row in points.values()) == 3, "the lorry carries what the round bought"
    assert points["สหกรณ์การเกษตรกงหรา จำกัด"][9] == (
        "1 full container(s) + 1 shared with other points, loaded here (20 kg of it for this point)")
    assert points["สหกรณ์การเกษตรควนขนุน จำกัด"][9] == (
        "1 full container(s); 10 kg travel in a container loaded at another point"), "the split is explained"


def test_csv_goes_to_standard_output_and_bad_rounds_fail(catalog: Flask, farmer: Chat, db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")
    order(farmer, rice.id, 2)
    code, out = run(catalog, "orders", "export", str(rice.id))
    assert code == 0 and out.splitlines()[0].startswith("round,product_code") and "สมชาย ใจดี" in out
    code, out = run(catalog, "orders", "export", "999")
    assert code != 0 and "no round 999" in out
    assert run(catalog, "rounds", "mark", str(rice.id), "delivered")[0] != 0, "an open round is not delivered"
