"""Price history charts as PNG, served under PUBLIC_BASE_URL for LINE image messages.

Thai needs a Thai font: Sarabun comes from the fontpkg_sarabun package and is registered with matplotlib
here, so the chart looks the same on any server whatever fonts the system has. Big type and a thick line,
because most members read it on a phone.
"""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from flask import Blueprint, Flask, Response, abort, current_app, request
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.i18n import translator
from bot.render import fonts
from handlers import fmt
from handlers.price_ui import source_line, type_name
from handlers.prices import MAX_DAYS, MIN_DAYS
from models.network import center_by_code
from models.prices import RUBBER_TYPES, history, preference

FONT = fonts.FAMILY
LINE_COLOUR, FILL, INK, GREY = "#1B6E3A", "#DCEFE2", "#222222", "#777777"
SIZES = {"full": (8.0, 6.0, 130), "preview": (4.0, 3.0, 120)}
FIRST_YEAR = 2000  # RAOT's exports start in 2560 BE (2017); a chart of earlier days has nothing to show
_lock = threading.Lock()
bp = Blueprint("charts", __name__)


@lru_cache(maxsize=1)
def register_font() -> str:
    """Add Sarabun to matplotlib's font list once per process (not a system font: it ships with a package)."""
    for weight in fonts.WEIGHTS:
        font_manager.fontManager.addfont(str(fonts.path(weight)))
    return FONT


def _short_day(value: date, locale: str) -> str:
    months = fmt.EN_MONTHS if locale == "en" else fmt.THAI_MONTHS
    return f"{value.day} {months[value.month - 1]}"


def render(
    points: list[tuple[date, Decimal]], title: str, subtitles: list[str], unit: str, locale: str, size: str = "full"
) -> bytes:
    """A line chart of daily prices with the last price written large; returns PNG bytes."""
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
    axes.annotate(fmt.baht(values[-1]), (days[-1], values[-1]), xytext=(0, 12 * scale), textcoords="offset points",
                  ha="right", fontsize=22 * scale, fontweight="bold", color=INK, family=family)
    axes.grid(axis="y", color="#DDDDDD")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(5))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _short_day(_num_to_date(x), locale)))
    axes.yaxis.set_major_locator(MaxNLocator(5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: fmt.number(y)))
    axes.tick_params(labelsize=15 * scale)
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontfamily(family)
    axes.set_ylabel(unit, fontsize=15 * scale, family=family, color=GREY)
    figure.text(0.04, 0.92, title, fontsize=24 * scale, fontweight="bold", family=family, color=INK)
    for line, text in enumerate(subtitles):
        figure.text(0.04, 0.86 - 0.045 * line, text, fontsize=14 * scale, family=family, color=GREY)
    buffer = io.BytesIO()
    with _lock:  # matplotlib's text layout is not safe across threads
        figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _num_to_date(value: float) -> date:
    return num2date(value).date()


@lru_cache(maxsize=64)
def _cached_png(kind: str, days: int, locale: str, size: str, source: str, data: tuple[tuple[str, str], ...]) -> bytes:
    """Rendering takes a good part of a second; the same data asked again (LINE's preview, then the image,
    then the next member) is drawn once."""
    _ = translator(locale)
    points = [(date.fromisoformat(d), Decimal(p)) for d, p in data]
    first, last = points[0][0], points[-1][0]
    title = _("{type}, last {n} days").format(type=type_name(_, kind), n=days)
    span = f"{fmt.day(first, locale)} – {fmt.day(last, locale)}"
    return render(points, title, [source, span], _("baht/kg"), locale, size)


@bp.get("/charts/<any(latex, uss, rss3, cuplump):kind>-<int:days>.png")
def chart(kind: str, days: int) -> Response:
    if kind not in RUBBER_TYPES or not MIN_DAYS <= days <= MAX_DAYS:
        abort(404)
    try:
        end = date.fromisoformat(request.args.get("end", ""))
    except ValueError:
        abort(404)
    if end.year < FIRST_YEAR:  # no prices before then, and 0001-01-01 minus a year is no date at all
        abort(404)
    locale = "en" if request.args.get("lang") == "en" else "th"
    size = "preview" if request.args.get("size") == "preview" else "full"
    with current_app.extensions["sessions"]() as db:
        code = request.args.get("coop")
        coop = center_by_code(db, code) if code else None
        if code and coop is None:
            abort(404)
        series = history(db, kind, preference(db, coop.id if coop else None), end - timedelta(days - 1), end)
        if series is None or len(series.points) < 2:
            abort(404)
        _ = translator(locale)
        source = source_line(_, series.source, series.center, coop.id if coop else None, locale)
        data = tuple((d.isoformat(), str(p)) for d, p in series.points)
    png = _cached_png(kind, days, locale, size, source, data)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400" if request.args.get("v") else "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
