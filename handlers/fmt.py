"""Numbers and dates the way Thai readers expect them: 1,234.50 and 3 พ.ย. 2565 (Buddhist era)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bot.nlu.normalize import BUDDHIST_ERA, SHORT_MONTHS

THAI_MONTHS = SHORT_MONTHS
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def number(value: float | Decimal, decimals: int = 0) -> str:
    """1234.5 -> '1,234.50' with decimals=2; whole numbers without decimals by default."""
    return _format(value, decimals, decimals)


def baht(value: float | Decimal) -> str:
    """Exact money and prices: always the satang, '58.50', '591.60', '58.00'."""
    return number(value, 2)


def money(value: float | Decimal) -> str:
    """A total a member reads: whole baht without '.00' ('6,984'), the satang only when there are some ('106.50')."""
    satang = Decimal(str(value)).quantize(Decimal("0.01"))
    return number(satang) if satang % 1 == 0 else number(satang, 2)


def quantity(value: float | Decimal) -> str:
    """A quantity: whole numbers plain, fractions with up to two decimals."""
    return number(value) if float(value).is_integer() else _format(value, 0, 2)


def precise(value: Decimal) -> str:
    """Two decimals, or up to four when the value has them: a dry weight of 9.0525 kg is not 9.05."""
    return _format(value.quantize(Decimal("0.0001")), 2, 4)


def day(value: date | datetime, locale: str) -> str:
    """'3 พ.ย. 2565' in Thai (Buddhist era), '3 Nov 2022' in English."""
    if locale == "en":
        return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BUDDHIST_ERA}"


def moment(value: datetime, locale: str) -> str:
    """A date and a 24-hour time, '3 พ.ย. 2565 17:00 น.'; the caller passes local time."""
    clock = value.strftime("%H:%M")
    return f"{day(value, locale)} {clock}" + ("" if locale == "en" else " น.")


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format(value: float | Decimal, fewest: int, most: int) -> str:
    """A comma every three digits and a point before the decimals (en_US, which Thai readers use too), rounded
    half to even at `most` decimals as CLDR's patterns are, with trailing zeros dropped down to `fewest`. Python's
    own format does it (tests/handlers/test_fmt.py holds it to Babel's patterns) at a tenth of Babel's cost, and
    a reply may show a dozen numbers."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    whole, _, decimals = format(exact, f",.{most}f").partition(".")
    decimals = decimals[:fewest] + decimals[fewest:].rstrip("0")
    return f"{whole}.{decimals}" if decimals else whole
