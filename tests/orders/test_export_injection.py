"""Supplier exports neutralise spreadsheet formulas (OWASP's CSV injection): members whose name, phone or
membership number starts with =, +, -, @, a tab or a carriage return order in chat, `coopbot orders export` writes
CSV and XLSX, and the files are read back as the cooperative's spreadsheet would get them."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.render import exports
from bot.sandbox.line_api import LineWorld
from tests.orders.conftest import join, register, round_of
from tests.support import Chat, button_data, texts

HYPERLINK = '=HYPERLINK("http://evil.example/steal","ดูยอด")'  # no digit: the name check takes it
STARTS = ("=", "+", "-", "@", "\t", "\r")
# (name, phone, membership_no) of members set up by the test helper, as a row could hold them
STORED = [
    ("@SUM(1+1)*cmd|' /C calc'!A0", "+66812345602", "-1234"),
    ("\t=1+2", None, "\r=3+4"),
    ("-2+3+cmd|' /C calc'!A0", "=1+1", "+5"),
]
PLAIN = ("สมศรี มีสุข", "0812345605", "A-77")


def xml(text: str) -> str:
    """Text as an XLSX file gives it back: XML reads a carriage return as a line feed (still a line break)."""
    return text.replace("\r", "\n")


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, list(args))
    return result.exit_code, result.output


def order(chat: Chat, round_id: int, quantity: int) -> None:
    chat.press(button_data(chat.press(join(round_id, quantity)), "ยืนยัน"))


def register_in_chat(chat: Chat, name: str) -> None:
    """Registration through the real webhook, the name typed by the member."""
    asked = chat.say("สมัคร")
    assert "ขอทราบชื่อและนามสกุล" in texts(asked)
    asked = chat.press(button_data(chat.say(name), "กงหรา"))
    asked = chat.press(button_data(asked, "ไม่ระบุ"))  # no membership number
    assert "เบอร์มือถือ" in texts(asked)
    asked = chat.say("0812345601")
    assert "ลงทะเบียนเรียบร้อยแล้ว" in texts(chat.press(button_data(asked, "ยินยอม")))


def members(catalog: Flask, line_world: LineWorld) -> int:
    """Five members with an order of rice each: one registered in chat, three stored with formula-like details,
    one ordinary. Returns the round."""
    with catalog.extensions["sessions"]() as db:
        rice = round_of(db, "rice-sangyod-5kg").id
    typed = Chat(catalog, line_world)
    register_in_chat(typed, HYPERLINK)
    order(typed, rice, 2)
    for quantity, (name, phone, number) in enumerate([*STORED, PLAIN], start=3):
        chat = Chat(catalog, line_world)
        register(catalog, chat.user_id, name=name, phone=phone, membership_no=number)
        order(chat, rice, quantity)
    return rice


def test_csv_and_xlsx_exports_hold_no_live_formula_and_read_as_typed(
    catalog: Flask, line_world: LineWorld, db: Session, tmp_path: Path
) -> None:
    rice = members(catalog, line_world)
    names = [HYPERLINK, *(name for name, _phone, _number in STORED), PLAIN[0]]

    sheet = tmp_path / "rice.csv"
    code, out = run(catalog, "orders", "export", str(rice), "--format", "csv", "-o", str(sheet))
    assert code == 0, out
    with sheet.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["member"] for r in rows] == ["'" + name for name in names[:-1]] + [PLAIN[0]]
    typed = rows[0]
    assert typed["phone"] == "0812345601" and typed["membership_no"] == ""
    for row, (name, phone, number) in zip(rows[1:], [*STORED, PLAIN], strict=True):
        for cell, value in ((row["member"], name), (row["phone"], phone or ""), (row["membership_no"], number)):
            # what a person reads is what was typed, behind OWASP's quote where it starts like a formula
            assert cell == ("'" + value if value.startswith(STARTS) else value), (cell, value)
    assert rows[-1]["member"] == "สมศรี มีสุข" and rows[-1]["phone"] == "0812345605", "ordinary text unchanged"
    for row in rows:
        assert not any(cell.startswith(STARTS) for cell in row.values()), row
        assert Decimal(row["amount"]) == Decimal(row["final"]) * Decimal(row["unit_price"]), "numbers stay numbers"
    assert [Decimal(r["ordered"]) for r in rows] == [2, 3, 4, 5, 6]

    code, out = run(catalog, "orders", "export", str(rice))  # to standard output: the same writer
    assert code == 0
    printed = list(csv.DictReader(io.StringIO(out.split("wrote")[0])))
    assert [r["member"] for r in printed] == [r["member"] for r in rows]

    book_path = tmp_path / "rice.xlsx"
    code, out = run(catalog, "orders", "export", str(rice), "--format", "xlsx", "-o", str(book_path))
    assert code == 0, out
    with zipfile.ZipFile(book_path) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(part) and b"<f " not in archive.read(part), part
    book = load_workbook(book_path)
    orders = book["Orders"]
    header = [cell.value for cell in orders[1]]
    body = list(orders.iter_rows(min_row=2))
    details = [(n, p or None, m) for n, p, m in STORED] + [PLAIN]
    assert [row[header.index("member")].value for row in body] == [xml(name) for name in names], "read as typed"
    assert [row[header.index("phone")].value for row in body[1:]] == [p for _n, p, _m in details]
    assert [row[header.index("membership_no")].value for row in body[1:]] == [xml(m) for *_x, m in details]
    for ws in (orders, book["By pickup point"]):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    formula_like = cell.value.startswith(STARTS) or cell.value.startswith("\n=")  # "\r=" in XML
                    assert bool(cell.quotePrefix) == formula_like, (ws.title, cell.coordinate, cell.value)
    for row in body:
        for column in ("ordered", "final", "unit_price", "amount"):
            cell = row[header.index(column)]
            assert cell.data_type == "n" and isinstance(cell.value, int | float), (column, cell.value)
    points = list(book["By pickup point"].iter_rows(min_row=2, values_only=True))
    assert points and all(isinstance(value, int | float) for row in points for value in (row[3], row[4], row[8]))


def _csv(table: list[tuple[Any, ...]]) -> list[list[str]]:
    stream = io.StringIO()
    exports.write_csv(table, stream)
    return list(csv.reader(io.StringIO(stream.getvalue())))[1:]


def test_negative_numbers_stay_numbers_and_only_text_is_neutralised(tmp_path: Path) -> None:
    row: tuple[Any, ...] = (7, "rice", "ข้าว", "PROV-AGRI", "-", "", "@คุณ", "+6681", "-5", Decimal("-5"), -2,
                            "bag", Decimal("-0.50"), Decimal("1.00"), "open")
    assert [exports.formula_like(v) for v in ("=1", "+1", "-1", "@a", "\t1", "\r1", "1-", "a=b", "'=1", "", " =1")] \
        == [True] * 6 + [False] * 5
    assert not any(exports.formula_like(v) for v in (-5, Decimal("-5"), -0.5, None))
    [written] = _csv([row])
    assert written[4:10] == ["'-", "", "'@คุณ", "'+6681", "'-5", "-5"]
    assert written[10] == "-2" and written[12] == "-0.50", "numbers are written as numbers, unquoted"

    path = tmp_path / "t.xlsx"
    with path.open("wb") as stream:
        exports.write_xlsx([row], [(7, "ข้าว", "=A1", 1, Decimal("-3"), "bag", 0, "bag", Decimal("-1.5"))], stream)
    book = load_workbook(path)
    [cells] = book["Orders"].iter_rows(min_row=2)
    assert [c.value for c in cells[4:10]] == ["-", None, "@คุณ", "+6681", "-5", -5]
    assert [cells[i].data_type for i in (4, 6, 7, 8, 9, 10, 12)] == ["s", "s", "s", "s", "n", "n", "n"]
    assert [bool(cells[i].quotePrefix) for i in (2, 4, 6, 7, 8, 9)] == [False, True, True, True, True, False]
    assert (cells[10].value, cells[12].value) == (-2, -0.5)
    [point] = book["By pickup point"].iter_rows(min_row=2)
    assert (point[2].value, point[2].data_type, point[2].quotePrefix) == ("=A1", "s", True)
    assert (point[4].value, point[8].value) == (-3, -1.5)
