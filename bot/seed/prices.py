"""A demo price history for `coopbot seed --demo`, ending today, so that charts and alerts show something.

The shape is real: RAOT's opening prices over 120 trading days of 2022 (raot_shape.json, taken from the
published export), scaled to today's level and laid on the last 120 weekdays. On top, the rubber
federation posts latex and cup lump a baht above RAOT (what selling together earns) for the last
four weeks, and one district cooperative posts latex for the last two. Re-running changes nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from bot.settings import Settings
from models.network import center_by_code
from models.prices import CENT, RUBBER_TYPES, federation, local_day, upsert

SHAPE = Path(__file__).resolve().parent / "raot_shape.json"
LATEX_TODAY = Decimal("58.00")  # where the demo's latex ends; the other types keep their real ratios to it
SELLING_TOGETHER = Decimal("1.00")
FEDERATION_DAYS, COOPERATIVE_DAYS = 20, 10
DEMO_COOPERATIVE = "DIST-01"


def trading_days(end: date, count: int) -> list[date]:
    """The last `count` weekdays up to and including `end` (and `end` itself, even on a weekend)."""
    days = [end]
    day = end
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def demo_prices(db: Session, settings: Settings, today: date | None = None) -> dict[str, int]:
    shape = json.loads(SHAPE.read_text())
    scale = LATEX_TODAY / Decimal(shape["latex"][-1])
    days = trading_days(today or local_day(datetime.now(UTC)), len(shape["latex"]))
    count = 0
    raot: dict[tuple[date, str], Decimal] = {}
    for rubber_type in RUBBER_TYPES:
        for day, value in zip(days, shape[rubber_type], strict=True):
            raot[day, rubber_type] = (Decimal(value) * scale).quantize(CENT)
            upsert(db, day, rubber_type, raot[day, rubber_type], "raot")
            count += 1
    posters = [(federation(db), ("latex", "cuplump"), FEDERATION_DAYS, SELLING_TOGETHER),
               (center_by_code(db, DEMO_COOPERATIVE), ("latex",), COOPERATIVE_DAYS, SELLING_TOGETHER / 2)]
    for center, types, recent, extra in posters:
        if center is None:
            continue
        for day in days[-recent:]:
            for rubber_type in types:
                upsert(db, day, rubber_type, raot[day, rubber_type] + extra, "center", center.id)
                count += 1
    return {"prices": count}
