"""GET /charts/<type>-<days>.png: a price history chart, for LINE's image messages (and the sandbox)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, abort, current_app, request

from bot.i18n import translator
from models.network import center_by_code
from models.prices import MAX_DAYS, MIN_DAYS, RUBBER_TYPES, Preference, history

if TYPE_CHECKING:
    from bot.render.charts import Words

FIRST_YEAR = 2000  # RAOT's exports start in 2560 BE (2017); a chart of earlier days has nothing to show
bp = Blueprint("charts", __name__)


@lru_cache(maxsize=64)
def _cached_png(words: Words, size: str, data: tuple[tuple[str, str], ...]) -> bytes:
    """Rendering takes a good part of a second; the same chart asked again (LINE's preview, then the image,
    then the next member) is drawn once. matplotlib is loaded on the first chart, not by every process."""
    from bot.render.charts import render

    return render([(date.fromisoformat(d), Decimal(p)) for d, p in data], words, size)


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
        series = history(db, kind, Preference(coop.id if coop else None), end - timedelta(days - 1), end)
        if series is None or len(series.points) < 2:
            abort(404)
        first, last = series.points[0][0], series.points[-1][0]
        from bot.routes import chart_words  # here: the command line builds the app without the handlers

        words = chart_words(translator(locale), locale, kind, days, first, last, series.source, series.center,
                            coop.id if coop else None)
        data = tuple((d.isoformat(), str(p)) for d, p in series.points)
    png = _cached_png(words, size, data)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400" if request.args.get("v") else "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
