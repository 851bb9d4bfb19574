"""Crossing logic as properties: an alert fires once per crossing onto its side, and the SQL agrees with the rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from bot.jobs import price_alerts
from bot.sandbox.line_api import LineWorld
from models.alerts import create, evaluate, fires, side
from models.member import Member
from models.prices import upsert
from tests.prices.conftest import morning

prices = st.decimals(min_value=20, max_value=150, places=2)
kinds = st.sampled_from(["above", "below"])
START = date(2026, 1, 5)


def model(kind: str, threshold: Decimal, opening: Decimal | None, sequence: list[Decimal]) -> list[bool]:
    """The rule stated plainly: fire when the price is on the watched side and the last one was not."""
    last = side(kind, opening, threshold) if opening is not None else None
    fired = []
    for price in sequence:
        now = side(kind, price, threshold)
        fired.append(now == kind and last != kind)
        last = now
    return fired


@given(kind=kinds, threshold=prices, opening=prices, sequence=st.lists(prices, max_size=30))
def test_fires_once_per_crossing(kind: str, threshold: Decimal, opening: Decimal, sequence: list[Decimal]) -> None:
    fired = model(kind, threshold, opening, sequence)
    sides = [side(kind, p, threshold) for p in [opening, *sequence]]
    crossings = sum(1 for before, after in pairwise(sides) if after == kind and before != kind)
    assert sum(fired) == crossings
    for i, did in enumerate(fired):  # never twice in a row: a second firing needs a move back first
        if did and i + 1 < len(fired):
            assert not fired[i + 1]


@given(kind=kinds, threshold=prices, price=prices)
def test_reaching_the_level_counts(kind: str, threshold: Decimal, price: Decimal) -> None:
    assert fires(kind, None, threshold, threshold)
    assert fires(kind, None, price, threshold) == (price >= threshold if kind == "above" else price <= threshold)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    alerts=st.lists(st.tuples(kinds, prices), min_size=1, max_size=4),
    opening=st.none() | prices,
    sequence=st.lists(prices, min_size=1, max_size=8),
)
def test_the_sql_evaluation_agrees_with_the_rule(
    app: Flask, alerts: list[tuple[str, Decimal]], opening: Decimal | None, sequence: list[Decimal]
) -> None:
    with app.extensions["sessions"]() as db:
        member = Member(line_user_id="Uproperty", active=True)
        db.add(member)
        db.flush()
        made = [create(db, member, "latex", kind, threshold, opening) for kind, threshold in alerts]
        expected = [model(kind, threshold, opening, sequence) for kind, threshold in alerts]
        for step, price in enumerate(sequence):
            quote = upsert(db, START + timedelta(days=step), "latex", price, "raot")
            assert evaluate(db, quote, morning(quote.day)) == sum(fired[step] for fired in expected), (step, price)
        db.expire_all()
        for alert, (kind, threshold) in zip(made, alerts, strict=True):
            assert alert.last_side == side(kind, sequence[-1], threshold)
        db.rollback()


def test_an_old_price_fires_nothing(app: Flask) -> None:
    with app.extensions["sessions"]() as db:
        member = Member(line_user_id="Uold", active=True)
        db.add(member)
        db.flush()
        create(db, member, "latex", "above", Decimal(60), Decimal(55))
        upsert(db, START + timedelta(days=1), "latex", Decimal(55), "raot")
        backfilled = upsert(db, START, "latex", Decimal(65), "raot")
        assert evaluate(db, backfilled, morning(START + timedelta(days=1))) == 0
        db.rollback()


def test_a_thousand_members_go_out_in_multicasts_of_500(app: Flask, line_world: LineWorld) -> None:
    with app.extensions["sessions"]() as db, db.begin():
        db.execute(insert(Member), [{"line_user_id": f"U{n:05d}", "active": True} for n in range(1201)])
        for member in db.scalars(select(Member)):
            create(db, member, "rss3", "daily", None, None)
        assert evaluate(db, upsert(db, START, "rss3", Decimal("62.10"), "raot"), morning(START)) == 1201
    assert price_alerts.deliver(app) == 3
    calls = line_world.sent("/v2/bot/message/multicast")
    assert sorted(len(c.json["to"]) for c in calls) == [201, 500, 500]
    assert len({u for c in calls for u in c.json["to"]}) == 1201
    assert len({c.headers["x-line-retry-key"] for c in calls}) == 3
    assert price_alerts.deliver(app) == 0, "nothing is sent twice"
