"""Price history charts drawn as PNG (bot.web.charts serves them under PUBLIC_BASE_URL for LINE's image
messages; the words on them come from handlers, through bot.routes).

Thai needs a Thai font: Sarabun comes from the fontpkg_sarabun package and is registered with matplotlib
here, so the chart looks the same on any server whatever fonts the system has. Big type and a thick line,
because most members read it on a phone.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.render import fonts

FONT = fonts.FAMILY
LINE_COLOUR, FILL, INK, GREY = "#1B6E3A", "#DCEFE2", "#222222", "#777777"
SIZES = {"full": (8.0, 6.0, 130), "preview": (4.0, 3.0, 120)}
_lock = threading.Lock()


class Words(Protocol):
    """What a chart says: its title and subtitles, its unit, and how its axes read."""

    title: str
    subtitles: Sequence[str]
    unit: str

    def day(self, value: date) -> str: ...
    def number(self, value: float) -> str: ...
    def price(self, value: float) -> str: ...


@lru_cache(maxsize=1)
def register_font() -> str:
    """Add Sarabun to matplotlib's font list once per process (not a system font: it ships with a package)."""
    for weight in fonts.WEIGHTS:
        font_manager.fontManager.addfont(str(fonts.path(weight)))
    return FONT


def render(points: list[tuple[date, Decimal]], words: Words, size: str = "full") -> bytes:
    """A line chart of daily prices with the last price written large, in the words given; returns PNG bytes."""
    family = register_font()
    width, height, dpi = SIZES[size]
    scale = width / SIZES["full"][0]
    days = date2num([d for d, _price in points])
    values = [float(p) for _day, p in points]
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.13, 0.1, 0.83, 0.64))
    axes.plot(days, values, color=LINE_COLOUR, linewidth=3.5 * scale, marker="o" if len(days) <= 31 else None,
              markersize=5 * scale)
    low = min(values) - max(0.5, (max(values) - min(values)) * 0.15)
    axes.fill_between(days, values, low, color=FILL)
    axes.set_ylim(bottom=low)
    axes.annotate(words.price(values[-1]), (days[-1], values[-1]), xytext=(0, 12 * scale), textcoords="offset points",
                  ha="right", fontsize=22 * scale, fontweight="bold", color=INK, family=family)
    axes.grid(axis="y", color="#DDDDDD")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(5))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: words.day(_num_to_date(x))))
    axes.yaxis.set_major_locator(MaxNLocator(5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: words.number(y)))
    axes.tick_params(labelsize=15 * scale)
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontfamily(family)
    axes.set_ylabel(words.unit, fontsize=15 * scale, family=family, color=GREY)
    figure.text(0.04, 0.92, words.title, fontsize=24 * scale, fontweight="bold", family=family, color=INK)
    for line, text in enumerate(words.subtitles):
        figure.text(0.04, 0.86 - 0.045 * line, text, fontsize=14 * scale, family=family, color=GREY)
    buffer = io.BytesIO()
    with _lock:  # matplotlib's text layout is not safe across threads
        figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _num_to_date(value: float) -> date:
    return num2date(value).date()
