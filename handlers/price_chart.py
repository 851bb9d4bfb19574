"""The words of a price history chart: its title, whose price it is, the days it covers, and how its axes
read (Thai months and numbers). bot.render.charts draws it; the web route asks for these through bot.routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers import fmt
from handlers.price_ui import Translate, source_line, type_name
from models.network import Center


@dataclass(frozen=True)
class ChartWords:
    title: str
    subtitles: tuple[str, ...]
    unit: str
    months: tuple[str, ...]  # short month names for the day axis

    def day(self, value: date) -> str:
        return f"{value.day} {self.months[value.month - 1]}"

    @staticmethod
    def number(value: float) -> str:
        return fmt.number(value)

    @staticmethod
    def price(value: float) -> str:
        return fmt.baht(value)


def chart_words(_: Translate, locale: str, kind: str, days: int, first: date, last: date, source: str,
                center: Center | None, cooperative_id: int | None) -> ChartWords:
    """What a chart of `days` days of `kind` says, in the member's language."""
    whose = source_line(_, source, center, cooperative_id, locale)
    span = f"{fmt.day(first, locale)} – {fmt.day(last, locale)}"
    return ChartWords(
        title=_("{type}, last {n} days").format(type=type_name(_, kind), n=days),
        subtitles=(whose, span),
        unit=_("baht/kg"),
        months=fmt.EN_MONTHS if locale == "en" else fmt.THAI_MONTHS,
    )
