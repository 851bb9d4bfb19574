"""Numbers and dates the way Thai readers expect them: 1,234.50 and 3 พ.ย. 2565 (Buddhist era)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BUDDHIST_ERA_OFFSET = 543


def number(value: float | Decimal, decimals: int = 0) -> str:
    """1234.5 -> '1,234.50' with decimals=2; whole numbers without decimals by default."""
    return _format(value, "#,##0" + ("." + "0" * decimals if decimals else ""))


def baht(value: float | Decimal) -> str:
    """Exact money and prices: always the satang, '58.50', '591.60', '58.00'."""
    return number(value, 2)


def money(value: float | Decimal) -> str:
    """A total a member reads: whole baht without '.00' ('6,984'), the satang only when there are some ('106.50')."""
    satang = Decimal(str(value)).quantize(Decimal("0.01"))
    return number(satang) if satang % 1 == 0 else number(satang, 2)


def quantity(value: float | Decimal) -> str:
    """A quantity: whole numbers plain, fractions with up to two decimals."""
    return number(value) if float(value).is_integer() else _format(value, "#,##0.##")


def precise(value: Decimal) -> str:
    """Two decimals, or up to four when the value has them: a dry weight of 9.0525 kg is not 9.05."""
    return _format(value.quantize(Decimal("0.0001")), "#,##0.00##")


def day(value: date | datetime, locale: str) -> str:
    """'3 พ.ย. 2565' in Thai (Buddhist era), '3 Nov 2022' in English."""
    if locale == "en":
        return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BUDDHIST_ERA_OFFSET}"


def moment(value: datetime, locale: str) -> str:
    """A date and a 24-hour time, '3 พ.ย. 2565 17:00 น.'; the caller passes local time."""
    clock = value.strftime("%H:%M")
    return f"{day(value, locale)} {clock}" + ("" if locale == "en" else " น.")


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format(value: float | Decimal, pattern: str) -> str:
    """Babel's formatting with its pattern parsed once (parsing it was most of each call's cost)."""
    return _pattern(pattern).apply(value, _english())


@cache
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@cache
def _english() -> Locale:
    """en_US: a comma every three digits and a point before the satang, which Thai readers use too."""
    return Locale.parse("en_US")
