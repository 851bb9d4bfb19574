"""Supplier exports of a round's orders: CSV (one row per member line) and XLSX (the same rows, plus a
sheet of totals per pickup point in whole packs, which is what the supplier loads on the lorry).

The cooperative opens both in a spreadsheet, and members type their own names: a text cell that a spreadsheet
would take for a formula (`=HYPERLINK(…)`) is neutralised in both formats, and still reads as typed."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.allocation import packs_by_point
from models.orders import round_lines
from models.rounds import Round

HEADER = ("round", "product_code", "product", "center", "pickup_point", "pickup_date", "member", "phone",
          "membership_no", "ordered", "final", "unit", "drc", "drc_measured", "unit_price", "amount", "round_status")
POINT_HEADER = ("round", "product", "pickup_point", "members", "quantity", "unit", "packs", "pack_unit", "amount",
                "packs_note")
READY = ("closed", "ordered")
# OWASP's CSV-injection rule: text starting with one of these is a formula (or starts one) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rounds_to_export(db: Session, round_id: int | None) -> list[Round]:
    """The given round, or every round closed and not yet delivered (what suppliers still need)."""
    if round_id is not None:
        found = db.get(Round, round_id)
        return [found] if found is not None else []
    return list(db.scalars(select(Round).where(Round.status.in_(READY)).order_by(Round.id)))


def rows(db: Session, rounds: Iterable[Round]) -> list[tuple[Any, ...]]:
    table: list[tuple[Any, ...]] = []
    for round_ in rounds:
        product = round_.product
        for line in round_lines(db, round_.id):
            point = line.pickup_center
            day = round_.pickup_date(point.id if point else None)
            table.append((
                round_.id, product.code, product.name_th, round_.center.code, point.name_th if point else "",
                day.isoformat() if day else "", line.member.name or line.member.display_name or "",
                line.member.phone or "", line.member.membership_no or "", line.quantity, line.final, product.unit,
                "" if line.drc is None else line.drc, "" if line.drc is None else line.drc_measured,
                line.unit_price, line.amount, round_.status,
            ))
    return table


def by_point(db: Session, rounds: Iterable[Round]) -> list[tuple[Any, ...]]:
    table: list[tuple[Any, ...]] = []
    for round_ in rounds:
        product = round_.product
        points: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
        for line in round_lines(db, round_.id):
            point = points[line.pickup_center.name_th if line.pickup_center else ""]
            point[0] += 1
            point[1] += line.final
            point[2] += line.amount
        packs = packs_by_point({name: point[1] for name, point in points.items()}, product.pack_size)
        for name, (members, quantity, amount) in points.items():
            table.append((round_.id, product.name_th, name, members, quantity, product.unit, packs[name],
                          product.pack_unit, amount, packs_note(quantity, packs[name], product.pack_size,
                                                                product.unit, product.pack_unit)))
    return table


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would run this cell as a formula, when it opens the file or when the cell is
    edited. Only text is: numbers (quantities, prices, a negative amount) stay numbers."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_csv(table: Sequence[Sequence[Any]], stream: IO[str]) -> None:
    """CSV has no types: a formula-like text gets OWASP's leading single quote, which marks it as text."""
    writer = csv.writer(stream)
    for row in (HEADER, *table):
        writer.writerow(["'" + value if formula_like(value) else value for value in row])


def packs_note(quantity: Decimal, packs: int, size: Decimal, unit: str, pack_unit: str) -> str:
    """Why a point loads the packs it does: its own full packs, and a pack shared with other points loaded here
    (the point with the largest part-filled pack takes it) or elsewhere."""
    full = int(quantity // size)
    rest = quantity - full * size
    if size == 1 or not rest:
        return f"{full} full {pack_unit}(s)"
    if packs > full:
        return (f"{full} full {pack_unit}(s) + 1 shared with other points, loaded here ({rest.normalize():f} {unit} "
                "of it for this point)")
    return f"{full} full {pack_unit}(s); {rest.normalize():f} {unit} travel in a {pack_unit} loaded at another point"


def write_xlsx(table: Sequence[Sequence[Any]], points: Sequence[Sequence[Any]], stream: IO[bytes]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Orders"
    for row in (HEADER, *table):
        _append(sheet, row)
    totals = book.create_sheet("By pickup point")
    for row in (POINT_HEADER, *points):
        _append(totals, row)
    for ws in (sheet, totals):
        ws.freeze_panes = "A2"
    book.save(stream)


def _append(sheet: Any, row: Sequence[Any]) -> None:
    """A row whose text stays text, exactly as typed: openpyxl would store a str starting with "=" as a formula
    (and "#N/A" as an error), so every text cell is typed a string; a formula-like one also gets Excel's quote
    prefix, so that editing the cell in Excel does not turn it into a formula either."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if formula_like(cell.value):
                cell.quotePrefix = True
