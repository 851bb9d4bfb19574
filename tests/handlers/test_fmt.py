"""Numbers as Thai readers read them: handlers.fmt formats with Python's own format, held here to what Babel's CLDR
patterns for en_US give (the formatting the bot used before), for any value a reply may show."""

from decimal import Decimal

from babel import Locale
from babel.numbers import parse_pattern
from hypothesis import given
from hypothesis import strategies as st

from handlers import fmt

ENGLISH = Locale.parse("en_US")
values = st.one_of(
    st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=6),
    st.floats(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-10**9, max_value=10**9).map(Decimal),
)


def babel(value: float | Decimal, pattern: str) -> str:
    return parse_pattern(pattern).apply(value, ENGLISH)


@given(values)
def test_numbers_read_as_babel_wrote_them(value: float | Decimal) -> None:
    assert fmt.number(value) == babel(value, "#,##0")
    assert fmt.number(value, 1) == babel(value, "#,##0.0")
    assert fmt.baht(value) == babel(value, "#,##0.00")


@given(values)
def test_quantities_and_weights_drop_only_the_zeros_they_may(value: float | Decimal) -> None:
    if not float(value).is_integer():
        assert fmt.quantity(value) == babel(value, "#,##0.##")
    exact = Decimal(str(value))
    assert fmt.precise(exact) == babel(exact.quantize(Decimal("0.0001")), "#,##0.00##")


def test_the_numbers_members_see() -> None:
    assert fmt.number(1234.5, 2) == "1,234.50"
    assert fmt.baht(Decimal("58.5")) == "58.50"
    assert fmt.money(6984) == "6,984"
    assert fmt.money(Decimal("106.5")) == "106.50"
    assert fmt.quantity(2.5) == "2.5"
    assert fmt.quantity(3) == "3"
    assert fmt.precise(Decimal("9.0525")) == "9.0525"
    assert fmt.precise(Decimal("9.05")) == "9.05"
    assert fmt.number(Decimal("0.125"), 2) == "0.12"  # half to even, as CLDR rounds
    assert fmt.number(1250000) == "1,250,000"
