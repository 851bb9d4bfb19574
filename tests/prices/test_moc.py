"""The Ministry of Commerce fetcher against a local server that answers in the API's JSON shape."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from flask import Flask, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bot.cli import cli
from bot.importers import moc
from models.alerts import create
from models.member import Member
from models.prices import PriceQuote
from tests.support import registered


@dataclass
class FakeMoc:
    """Answers gis-product-prices as the Ministry does; can fail or stall the next few calls."""

    calls: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    stall: float = 0.0

    def price(self, product_id: str, day: date) -> tuple[float, float]:
        base = {"W16036": 58.0, "W16034": 50.0, "W16033": 63.0, "W16024": 60.0, "W16027": 61.0}[product_id]
        return base + day.day / 10, base + day.day / 10 + 1.0

    def app(self) -> Flask:
        app = Flask("fake_moc")

        @app.get("/gis-product-prices")
        def prices() -> Any:
            product_id = request.args["product_id"]
            start, end = date.fromisoformat(request.args["from_date"]), date.fromisoformat(request.args["to_date"])
            self.calls.append((product_id, request.args["from_date"], request.args["to_date"]))
            if self.stall:
                time.sleep(self.stall)
            if self.failures:
                return jsonify({"message": "busy"}), self.failures.pop(0)
            days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
            listed = [] if product_id == "W16024" else [
                {"date": f"{d.isoformat()}T00:00:00", "price_min": self.price(product_id, d)[0],
                 "price_max": self.price(product_id, d)[1]}
                for d in days if d.weekday() < 5
            ]
            return jsonify({"product_id": product_id, "product_name": "ยางพารา", "unit": "บาท/กก.",
                            "price_min_avg": 0, "price_max_avg": 0, "price_list": listed})

        return app


@pytest.fixture
def fake() -> FakeMoc:
    return FakeMoc()


@pytest.fixture
def moc_url(fake: FakeMoc) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, fake.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_windows_are_at_most_three_weeks() -> None:
    spans = list(moc.windows(date(2026, 1, 1), date(2026, 3, 1)))
    assert spans[0] == (date(2026, 1, 1), date(2026, 1, 21))
    assert all((last - first).days + 1 <= 21 for first, last in spans)
    assert spans[-1][1] == date(2026, 3, 1)
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in pairwise(spans))


def test_fetches_every_type_in_windows(fake: FakeMoc, moc_url: str) -> None:
    client = moc.MocClient(moc_url, backoff=0)
    rows = moc.fetch(client, date(2026, 10, 1), date(2026, 11, 15))
    latex_calls = [c for c in fake.calls if c[0] == "W16036"]
    assert latex_calls == [("W16036", "2026-10-01", "2026-10-21"), ("W16036", "2026-10-22", "2026-11-11"),
                           ("W16036", "2026-11-12", "2026-11-15")]
    by = {(r.day, r.rubber_type): r.value for r in rows}
    assert by[date(2026, 11, 2), "latex"] == Decimal("58.70"), "the middle of 58.20 and 59.20"
    assert by[date(2026, 11, 2), "uss"] == Decimal("61.70"), "W16027 fills in where W16024 has nothing"
    assert (date(2026, 11, 1), "latex") not in by, "a Sunday"


def test_a_500_is_retried_and_then_succeeds(fake: FakeMoc, moc_url: str) -> None:
    fake.failures = [500, 503]
    prices = moc.MocClient(moc_url, backoff=0).prices("W16036", date(2026, 11, 2), date(2026, 11, 2))
    assert prices == {date(2026, 11, 2): Decimal("58.70")}
    assert len(fake.calls) == 3


def test_a_server_that_keeps_failing_stops_with_one_line(fake: FakeMoc, moc_url: str) -> None:
    fake.failures = [500] * 10
    with pytest.raises(moc.MocError, match="unavailable: HTTP 500 after 3 tries"):
        moc.MocClient(moc_url, retries=2, backoff=0).prices("W16036", date(2026, 11, 2), date(2026, 11, 2))
    fake.failures = [404]
    with pytest.raises(moc.MocError, match="HTTP 404"):
        moc.MocClient(moc_url, backoff=0).prices("W16036", date(2026, 11, 2), date(2026, 11, 2))


def test_a_stalled_server_times_out(fake: FakeMoc, moc_url: str) -> None:
    fake.stall = 0.5
    started = time.monotonic()
    with pytest.raises(moc.MocError, match="ReadTimeoutError after 2 tries"):
        moc.MocClient(moc_url, retries=1, backoff=0, timeout=0.1).prices("W16036", date(2026, 11, 2), date(2026, 11, 2))
    assert time.monotonic() - started < 2


def test_the_daily_job_stores_prices_when_enabled(
    config: dict[str, str], fake: FakeMoc, moc_url: str, db: Session
) -> None:
    from bot import create_app

    off = create_app({**config, "MOC_API_BASE_URL": moc_url})
    assert moc.daily(off) == 0 and fake.calls == [], "off unless MOC_PRICES_ENABLED"
    on = create_app({**config, "MOC_API_BASE_URL": moc_url, "MOC_PRICES_ENABLED": "1"})
    stored = moc.daily(on)
    assert stored > 0
    quotes = db.scalars(select(PriceQuote)).all()
    assert {q.source for q in quotes} == {"moc"} and len(quotes) == stored
    assert moc.daily(on) == stored
    db.expire_all()
    assert len(db.scalars(select(PriceQuote)).all()) == stored, "fetching again changes nothing"


def test_the_command(app: Flask, config: dict[str, str], fake: FakeMoc, moc_url: str) -> None:
    from bot import create_app

    configured = create_app({**config, "MOC_API_BASE_URL": moc_url})
    result = configured.test_cli_runner().invoke(cli, ["prices", "fetch-moc", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "Ministry of Commerce prices stored" in result.output
    fake.failures = [400]
    failed = configured.test_cli_runner().invoke(cli, ["prices", "fetch-moc"])
    assert failed.exit_code != 0 and "HTTP 400" in failed.output


def test_only_a_price_of_today_fires_alerts(seeded: Flask, db: Session) -> None:
    """The daily job catches up on the last week; yesterday's price is not news, and not a paid push."""
    now = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # noon in Bangkok
    member = db.get(Member, registered(seeded, "Umocdaily"))
    assert member is not None
    create(db, member, "latex", "daily", None, None)
    db.commit()
    yesterday, today = date(2026, 11, 24), date(2026, 11, 25)
    with seeded.extensions["sessions"]() as session, session.begin():
        assert moc.store(session, [moc.Fetched(yesterday - timedelta(days=1), "latex", Decimal("57.00")),
                                   moc.Fetched(yesterday, "latex", Decimal("58.00"))], now) == (2, 0)
    with seeded.extensions["sessions"]() as session, session.begin():
        assert moc.store(session, [moc.Fetched(today, "latex", Decimal("58.50"))], now) == (1, 1)
