"""The Ministry of Commerce open-data prices (dataapi.moc.go.th/gis-product-prices), fetched daily when enabled.

The API answers `{"product_id", …, "price_list": [{"date", "price_min", "price_max"}]}` for one product and
a date range. Ranges are asked for in windows of at most three weeks (longer ones are refused or cut short),
a 5xx or a time-out is retried a few times with a pause, and anything else stops with one clear error.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import urllib3
from flask import Flask
from sqlalchemy.orm import Session

from models import alerts
from models.prices import PriceError, checked, local_day, upsert

log = logging.getLogger(__name__)

# Product ids per rubber type, in order of preference (USS3 has two series at the Songkhla market).
PRODUCTS: dict[str, tuple[str, ...]] = {
    "latex": ("W16036",),
    "cuplump": ("W16034",),
    "rss3": ("W16033",),
    "uss": ("W16024", "W16027"),
}
WINDOW_DAYS = 21
CATCH_UP_DAYS = 7


class MocError(Exception):
    """The Ministry's API could not give us prices; the message is one line."""


def windows(start: date, end: date, days: int = WINDOW_DAYS) -> Iterator[tuple[date, date]]:
    """[start, end] cut into inclusive windows of at most `days` days."""
    while start <= end:
        last = min(end, start + timedelta(days=days - 1))
        yield start, last
        start = last + timedelta(days=1)


class MocClient:
    def __init__(self, base_url: str, retries: int = 3, backoff: float = 1.0, timeout: float = 10.0) -> None:
        self.url = base_url.rstrip("/") + "/gis-product-prices"
        self.retries, self.backoff = retries, backoff
        self.http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=min(3.05, timeout), read=timeout),
                                        retries=False)

    def _get(self, fields: dict[str, str]) -> dict[str, object]:
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.http.request("GET", self.url, fields=fields)
            except urllib3.exceptions.HTTPError as exc:  # time-outs and refused connections
                problem = f"{type(exc).__name__} after {attempt + 1} tries"
                continue
            if response.status >= 500:
                problem = f"HTTP {response.status} after {attempt + 1} tries"
                continue
            if response.status != 200:
                raise MocError(f"Ministry of Commerce API answered HTTP {response.status} for {fields['product_id']}")
            try:
                body = json.loads(response.data)
            except ValueError:
                raise MocError("Ministry of Commerce API answered something that is not JSON") from None
            if not isinstance(body, dict):
                raise MocError("Ministry of Commerce API answered JSON without a price_list")
            return body
        raise MocError(f"Ministry of Commerce API unavailable: {problem}")

    def prices(self, product_id: str, start: date, end: date) -> dict[date, Decimal]:
        """Daily prices of one product: the middle of the day's minimum and maximum, to the satang."""
        found: dict[date, Decimal] = {}
        for first, last in windows(start, end):
            body = self._get({"product_id": product_id, "from_date": first.isoformat(), "to_date": last.isoformat()})
            for item in body.get("price_list") or []:  # type: ignore[attr-defined]
                try:
                    day = date.fromisoformat(str(item["date"])[:10])
                    low, high = Decimal(str(item["price_min"])), Decimal(str(item["price_max"]))
                    found[day] = checked(((low + high) / 2).quantize(Decimal("0.01")))
                except (KeyError, TypeError, ValueError, InvalidOperation, PriceError):
                    log.warning("MoC %s: unreadable or implausible entry %r", product_id, item)
        return found


@dataclass(frozen=True)
class Fetched:
    day: date
    rubber_type: str
    value: Decimal


def fetch(client: MocClient, start: date, end: date) -> list[Fetched]:
    """Every rubber type's prices over [start, end]; a second product id fills days the first lacks."""
    rows: list[Fetched] = []
    for rubber_type, product_ids in PRODUCTS.items():
        days: dict[date, Decimal] = {}
        for product_id in product_ids:
            for day, value in client.prices(product_id, start, end).items():
                days.setdefault(day, value)
        rows += [Fetched(day, rubber_type, value) for day, value in sorted(days.items())]
    return rows


def store(db: Session, rows: list[Fetched], now: datetime | None = None) -> tuple[int, int]:
    """Upsert as source 'moc' and evaluate their alerts (only today's price fires any); returns (stored,
    alerts fired)."""
    quotes = [upsert(db, row.day, row.rubber_type, row.value, "moc") for row in rows]
    return len(rows), sum(alerts.evaluate(db, quote, now) for quote in quotes)


def daily(app: Flask) -> int:
    """The scheduler job: the last week's prices (to catch up after a gap), when MOC_PRICES_ENABLED is on."""
    settings = app.config["SETTINGS"]
    if not settings.moc_prices_enabled:
        return 0
    now = datetime.now(UTC)
    end = local_day(now)
    rows = fetch(MocClient(settings.moc_api_base_url), end - timedelta(days=CATCH_UP_DAYS - 1), end)
    with app.extensions["sessions"]() as db, db.begin():
        stored, fired = store(db, rows, now)
    log.info("MoC prices: %d stored, %d alerts", stored, fired)
    if fired:
        from bot.jobs import price_alerts  # here: the CLI loads this module without the handlers

        price_alerts.deliver(app)
    return stored
