"""Import RAOT's daily opening reference prices (ราคากลางเปิดตลาด) from their exports, exactly as published.

The exports are messy in known ways: a title block of several records, a column header with a line break
inside a quoted cell, dates in Thai words with Buddhist-era years and sometimes two spaces, and empty
cells, "-" or "ปิดทำการ" where no price was published. Columns are found by their Thai names, not by
position. Importing is idempotent: a price already stored is left alone; a corrected one is updated.
A new or corrected price is evaluated for alerts; only one of today fires any (models.alerts.evaluate).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.nlu.normalize import MONTHS, SHORT_MONTHS, arabic_digits, christian_year
from models import alerts
from models.prices import PriceError, PriceQuote, checked

THAI_MONTHS = {name: number for number, names in enumerate(zip(MONTHS, SHORT_MONTHS, strict=True), start=1)
               for name in names}
# Column names as RAOT writes them; the first that a header cell starts with decides the type.
COLUMNS = (("น้ำยางสด", "latex"), ("ยางก้อนถ้วย", "cuplump"), ("ยางแผ่นดิบ", "uss"), ("ยางแผ่นรมควัน", "rss3"))
NO_PRICE = {"": "empty cell", "-": "no price published (-)", "ปิดทำการ": "market closed (ปิดทำการ)"}
_DATE = re.compile(r"(\d{1,2}) (\S+) (\d{4})")


class FormatError(Exception):
    """The file is not a RAOT opening-price export we can read; the message says why, in one line, and `reason`
    names it for a translated answer: not_text or no_header."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Skip:
    line: int
    day: str
    rubber_type: str
    reason: str


@dataclass
class Report:
    file: str
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    fired: int = 0  # alerts fired by today's prices
    skipped: list[Skip] = field(default_factory=list)

    def reasons(self) -> dict[str, list[Skip]]:
        grouped: dict[str, list[Skip]] = {}
        for skip in self.skipped:
            grouped.setdefault(skip.reason, []).append(skip)
        return grouped


def thai_date(text: str) -> date | None:
    """'2  พฤศจิกายน 2565' -> 2022-11-02; None when it is not a Thai date."""
    found = _DATE.fullmatch(" ".join(arabic_digits(text).split()))
    if not found or found.group(2) not in THAI_MONTHS:
        return None
    year = int(found.group(3))
    return date(christian_year(year), THAI_MONTHS[found.group(2)], int(found.group(1)))


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp874")  # the Thai Windows code page, for a file re-saved from Excel
    except UnicodeDecodeError:
        raise FormatError("not a text file: neither UTF-8 nor Thai Windows (cp874) text", "not_text") from None


def _header(record: list[str]) -> dict[int, str] | None:
    columns: dict[int, str] = {}
    for index, cell in enumerate(record):
        name = " ".join(cell.split())
        for thai, rubber_type in COLUMNS:
            if name.startswith(thai) and rubber_type not in columns.values():
                columns[index] = rubber_type
    return columns or None


@dataclass(frozen=True)
class Price:
    line: int
    day: date
    rubber_type: str
    value: Decimal


def parse(raw: bytes, report: Report) -> list[Price]:
    """Every price in the file, with each cell that holds none recorded in the report with its reason."""
    reader = csv.reader(io.StringIO(_text(raw), newline=""))
    columns: dict[int, str] | None = None
    prices: list[Price] = []
    seen: dict[date, int] = {}
    for record in reader:
        line = reader.line_num
        if columns is None:
            columns = _header(record)
            continue
        if not record or not any(cell.strip() for cell in record):
            continue
        try:
            day = thai_date(record[0])
        except ValueError:
            report.rows_read += 1
            report.skipped.append(Skip(line, record[0].strip(), "", "not a real date"))
            continue
        if day is None:
            if report.rows_read:  # a stray line among the prices; before them, it is more header
                report.rows_read += 1
                report.skipped.append(Skip(line, record[0].strip()[:40], "", "first cell is not a Thai date"))
            continue
        report.rows_read += 1
        if day in seen:
            report.skipped.append(Skip(line, record[0].strip(), "", f"date repeated from line {seen[day]}"))
            continue
        seen[day] = line
        for index, rubber_type in columns.items():
            cell = " ".join(record[index].split()) if index < len(record) else ""
            reason = NO_PRICE.get(cell)
            if reason is None:
                try:
                    prices.append(Price(line, day, rubber_type, checked(Decimal(cell))))
                    continue
                except InvalidOperation:
                    reason = f"not a number: {cell[:20]!r}"
                except PriceError:
                    reason = "outside 20–150 baht/kg"
            report.skipped.append(Skip(line, " ".join(record[0].split()), rubber_type, reason))
    if columns is None:
        raise FormatError("not a RAOT opening-price export: no column header naming น้ำยางสด, ยางแผ่นดิบ …",
                          "no_header")
    return prices


def import_file(db: Session, path: Path) -> Report:
    """Read one export and store its prices as source 'raot', evaluating the alerts of those that are new
    or changed; the caller owns the transaction and sends what fired."""
    return import_bytes(db, path.name, path.read_bytes())


def import_bytes(db: Session, name: str, raw: bytes) -> Report:
    """`import_file` for a file's contents (an upload in the console)."""
    report = Report(file=name)
    prices = parse(raw, report)
    if not prices:
        return report
    days = [p.day for p in prices]
    stored = {
        (q.day, q.rubber_type): q
        for q in db.scalars(
            select(PriceQuote).where(
                PriceQuote.source == "raot",
                PriceQuote.center_id.is_(None),
                PriceQuote.day.between(min(days), max(days)),
            )
        )
    }
    changed: list[PriceQuote] = []
    for price in prices:
        quote = stored.get((price.day, price.rubber_type))
        if quote is None:
            quote = PriceQuote(day=price.day, rubber_type=price.rubber_type, baht_per_kg=price.value, source="raot")
            db.add(quote)
            report.imported += 1
        elif quote.baht_per_kg != price.value:
            quote.baht_per_kg = price.value
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        changed.append(quote)
    db.flush()
    report.fired = sum(alerts.evaluate(db, quote) for quote in changed)
    return report
