"""The RAOT importer on every real export in tests/data/raot/, as published, and `coopbot prices import`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.importers.raot import THAI_MONTHS, Report, import_file, parse, thai_date
from bot.sandbox.line_api import LineWorld
from models.alerts import create
from models.member import Member
from models.prices import PriceQuote, local_day
from tests.support import registered

RAOT = Path(__file__).resolve().parents[1] / "data" / "raot"
# file: (date rows read, prices imported, cells without a price)
EXPECTED = {
    "rubber_2560.csv": (69, 138, 138),
    "rubber_2561.csv": (242, 607, 361),
    "rubber_2562.csv": (239, 837, 119),
    "rubber_2563.csv": (244, 975, 1),
    "rubber_2564.csv": (246, 984, 0),
    "rubber_2565.csv": (204, 812, 4),
}


def _price(db: Session, day: date, rubber_type: str) -> Decimal | None:
    return db.scalar(select(PriceQuote.baht_per_kg).where(PriceQuote.day == day, PriceQuote.rubber_type == rubber_type))


def test_every_published_file_is_here() -> None:
    assert sorted(p.name for p in RAOT.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_imports_with_its_counts(app: Flask, db: Session, name: str) -> None:
    rows, imported, skipped = EXPECTED[name]
    with app.extensions["sessions"]() as session, session.begin():
        report = import_file(session, RAOT / name)
    assert (report.rows_read, report.imported, len(report.skipped)) == (rows, imported, skipped)
    assert db.scalar(select(func.count()).select_from(PriceQuote)) == imported


def test_known_values_and_a_second_import_changing_nothing(app: Flask, db: Session) -> None:
    with app.extensions["sessions"]() as session, session.begin():
        for path in sorted(RAOT.glob("*.csv")):
            import_file(session, path)
    total = sum(imported for _rows, imported, _skipped in EXPECTED.values())
    assert db.scalar(select(func.count()).select_from(PriceQuote)) == total
    assert _price(db, date(2022, 11, 3), "latex") == Decimal("44.50")
    assert _price(db, date(2022, 11, 2), "latex") == Decimal("45.10"), "'2  พฤศจิกายน 2565' has two spaces"
    assert _price(db, date(2022, 11, 3), "rss3") == Decimal("48.00")
    assert _price(db, date(2017, 9, 19), "uss") == Decimal("52.56")
    assert _price(db, date(2017, 9, 19), "latex") is None, "latex starts in 2562"
    assert _price(db, date(2020, 1, 27), "latex") is None, "ปิดทำการ: the market was closed"
    assert _price(db, date(2020, 1, 27), "cuplump") == Decimal("34.00")
    assert _price(db, date(2022, 11, 4), "latex") is None, "the last row is empty"
    before = {(q.day, q.rubber_type, q.baht_per_kg, q.created_at) for q in db.scalars(select(PriceQuote))}

    with app.extensions["sessions"]() as session, session.begin():
        reports = [import_file(session, path) for path in sorted(RAOT.glob("*.csv"))]
    assert [r.imported + r.updated for r in reports] == [0] * len(EXPECTED)
    assert sum(r.unchanged for r in reports) == total
    db.expire_all()
    assert {(q.day, q.rubber_type, q.baht_per_kg, q.created_at) for q in db.scalars(select(PriceQuote))} == before


def test_skips_carry_their_line_and_reason() -> None:
    report = Report("rubber_2563.csv")
    parse((RAOT / "rubber_2563.csv").read_bytes(), report)
    (closed,) = report.skipped
    assert (closed.line, closed.rubber_type, closed.reason) == (24, "latex", "market closed (ปิดทำการ)")
    report = Report("rubber_2565.csv")
    parse((RAOT / "rubber_2565.csv").read_bytes(), report)
    assert {(s.line, s.reason) for s in report.skipped} == {(210, "empty cell")}


def test_thai_dates() -> None:
    assert thai_date("3 พฤศจิกายน 2565") == date(2022, 11, 3)
    assert thai_date("2  พฤศจิกายน 2565") == date(2022, 11, 2)
    assert thai_date("๕ ม.ค. ๒๕๖๖") == date(2023, 1, 5)
    assert thai_date("คอลัมน์1") is None
    with pytest.raises(ValueError):
        thai_date("31 กุมภาพันธ์ 2565")


def test_a_corrected_file_updates_and_odd_cells_are_reported(app: Flask, db: Session, tmp_path: Path) -> None:
    header = (RAOT / "rubber_2565.csv").read_bytes().split(b"\n3 ")[0]
    body = "\n3 มกราคม 2565,48.50,46.50,53.88,5613\n31 กุมภาพันธ์ 2565,1,1,1,1\nหมายเหตุ: ราคาเบื้องต้น,,,,\n"
    edited = tmp_path / "rubber_2565_fixed.csv"
    edited.write_bytes(header + body.encode())
    with app.extensions["sessions"]() as session, session.begin():
        import_file(session, RAOT / "rubber_2565.csv")
        report = import_file(session, edited)
    assert (report.rows_read, report.imported, report.updated, report.unchanged) == (3, 0, 1, 2)
    assert sorted(s.reason for s in report.skipped) == [
        "first cell is not a Thai date", "not a real date", "outside 20–150 baht/kg"]
    assert _price(db, date(2022, 1, 3), "latex") == Decimal("48.50")


def test_the_command_reports_and_fails_clearly(app: Flask, db: Session, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["prices", "import", str(RAOT / "rubber_2563.csv"), str(RAOT / "rubber_2565.csv")])
    assert result.exit_code == 0, result.output
    assert "rubber_2563.csv: 244 rows read, 975 prices imported, 0 updated, 0 already there, 1 skipped" in result.output
    assert "skipped 1: market closed (ปิดทำการ): line 24 (27 มกราคม 2563 latex)" in result.output
    assert "rubber_2565.csv: 204 rows read, 812 prices imported" in result.output

    again = runner.invoke(cli, ["prices", "import", str(RAOT / "rubber_2565.csv")])
    assert "0 prices imported, 0 updated, 812 already there" in again.output

    stranger = tmp_path / "orders.csv"
    stranger.write_text("name,qty\nปุ๋ย,3\n")
    failed = runner.invoke(cli, ["prices", "import", str(stranger)])
    assert failed.exit_code != 0
    assert failed.output.strip().splitlines()[-1] == (
        "Error: orders.csv: not a RAOT opening-price export: no column header naming น้ำยางสด, ยางแผ่นดิบ …")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 2)
    garbled = runner.invoke(cli, ["prices", "import", str(binary)])
    assert garbled.exit_code != 0 and garbled.output.strip().splitlines()[-1] == (
        "Error: photo.csv: not a text file: neither UTF-8 nor Thai Windows (cp874) text")
    missing = runner.invoke(cli, ["prices", "import", str(tmp_path / "nope.csv")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_todays_prices_in_an_import_fire_alerts_once(seeded: Flask, line_world: LineWorld, db: Session,
                                                     tmp_path: Path) -> None:
    def thai(day: date) -> str:  # as RAOT writes it: "3 มกราคม 2565"
        month = next(name for name, number in THAI_MONTHS.items() if number == day.month and "." not in name)
        return f"{day.day} {month} {day.year + 543}"

    today = local_day(datetime.now(UTC))
    header = (RAOT / "rubber_2565.csv").read_bytes().split(b"\n3 ")[0]
    body = (f"\n{thai(today - timedelta(days=1))},50.00,46.50,53.88,56.13\n"
            f"{thai(today)},61.00,46.50,53.88,56.13\n")
    export = tmp_path / "rubber_today.csv"
    export.write_bytes(header + body.encode())
    for user, kind, threshold in (("Uraotdaily", "daily", None), ("Uraotabove", "above", Decimal(60)),
                                  ("Uraotquiet", "above", Decimal(70))):
        member = db.get(Member, registered(seeded, user))
        assert member is not None
        create(db, member, "latex", kind, threshold, Decimal(50))
    db.commit()

    runner = seeded.test_cli_runner()
    result = runner.invoke(cli, ["prices", "import", str(export)])
    assert result.exit_code == 0, result.output
    assert "today's prices fired 2 alerts: 2 messages sent" in result.output
    pushed = [r for r in line_world.requests if r.path.endswith(("/message/multicast", "/message/push"))]
    to = sorted(user for r in pushed for user in (r.json["to"] if isinstance(r.json["to"], list) else [r.json["to"]]))
    assert to == ["Uraotabove", "Uraotdaily"]

    again = runner.invoke(cli, ["prices", "import", str(export)])
    assert "0 prices imported, 0 updated, 8 already there" in again.output and "fired" not in again.output

    late = tmp_path / "rubber_late.csv"  # a file whose newest day is yesterday: an old price is not news
    late.write_bytes(header + f"\n{thai(today - timedelta(days=1))},59.00,46.50,53.88,56.13\n".encode())
    with seeded.extensions["sessions"]() as session, session.begin():
        session.execute(delete(PriceQuote))
    old = runner.invoke(cli, ["prices", "import", str(late)])
    assert "4 prices imported" in old.output and "fired" not in old.output
    assert len([r for r in line_world.requests if r.path.endswith(("/message/multicast", "/message/push"))]) == 2
