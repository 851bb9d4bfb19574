"""What a round produces adds up, for any orders, pack sizes, tiers and rules, on SQLite and on PostgreSQL: the
members' amounts are their final quantity × the price the tier gives, to the satang; nobody gets more than they
accepted; the supplier's packs per point add up to the round's packs; the exports' totals are the database's; and
savings are the sum of each line's difference from the retail price."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.render import exports
from models.allocation import whole_packs
from models.base import utcnow
from models.closing import advance, close
from models.member import Member
from models.network import Center, center_by_code
from models.orders import join, round_lines
from models.products import Product
from models.rounds import Round
from models.savings import gained

CENT = Decimal("0.01")
SERIAL = itertools.count(1)
POINTS = ("DIST-00", "DIST-01", "DIST-04", "DIST-05")
ORDERS = st.lists(st.tuples(st.integers(1, 90).map(Decimal), st.booleans(), st.sampled_from(POINTS)),
                  min_size=1, max_size=7)
PRICE = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("999.99"), places=2)
TIERS = st.lists(st.tuples(st.integers(1, 300), st.decimals(min_value=CENT, max_value=Decimal("0.90"), places=2)),
                 max_size=3)


def _round(db: Session, pack: Decimal, price: Decimal, retail: Decimal, tiers: list[tuple[int, Decimal]],
           rule: str) -> Round:
    n = next(SERIAL)
    product = Product(code=f"prop-{n}", name_th=f"สินค้า {n}", name_en=f"Goods {n}", category="feed", unit="kg",
                      pack_unit="container", pack_size=pack, max_order=Decimal(1000), retail_price=retail)
    center = center_by_code(db, "PROV-RUBBER")
    assert center is not None
    now = utcnow()
    round_ = Round(product=product, center=center, price=price, opens_at=now - timedelta(hours=1),
                   closes_at=now + timedelta(days=1), shortfall_rule=rule,
                   tiers=[{"min": str(low), "price": str((price * (1 - cut)).quantize(CENT))} for low, cut in tiers])
    db.add(round_)
    db.flush()
    return round_


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orders=ORDERS, pack=st.sampled_from([Decimal(1), Decimal(20), Decimal(30)]), price=PRICE, tiers=TIERS,
       rule=st.sampled_from(["fcfs", "round_up"]), markup=st.decimals(min_value=0, max_value=50, places=2))
def test_a_rounds_money_adds_up(catalog: Flask, orders: list[tuple[Decimal, bool, str]], pack: Decimal,
                                price: Decimal, tiers: list[tuple[int, Decimal]], rule: str, markup: Decimal) -> None:
    with catalog.extensions["sessions"]() as db, db.begin():
        round_ = _round(db, pack, price, price + markup, tiers, rule)
        now = utcnow()
        members = []
        for quantity, willing, point in orders:
            member = Member(line_user_id=f"Uprop{next(SERIAL)}", name="สมาชิก", consent_at=now)
            db.add(member)
            db.flush()
            pickup = db.scalar(select(Center.id).where(Center.code == point))
            join(db, round_.id, member, quantity, now, pickup_center_id=pickup, extra_ok=pack if willing else 0)
            members.append(member)
        closing = close(db, round_.id, now)
        assert closing is not None and closing.outcome == "closed"
        lines = round_lines(db, round_.id)
        final_total = sum((line.final for line in lines), Decimal(0))
        tier_price = round_.price_at(final_total)
        for line in lines:
            assert line.final <= line.quantity + line.extra_ok, "(b) nobody gets more than they accepted"
            assert line.amount == (line.final * tier_price).quantize(CENT), "(c) quantity × the tier's price"
        packs = whole_packs(final_total, pack)
        assert final_total == packs * pack

        table = exports.rows(db, [round_])
        column = exports.HEADER.index("amount")
        assert sum(row[column] for row in table) == sum(line.amount for line in lines), "(d) the export's total"
        points = exports.by_point(db, [round_])
        header = exports.POINT_HEADER
        assert sum(row[header.index("packs")] for row in points) == packs, "(a) the lorry carries what was bought"
        assert sum(row[header.index("amount")] for row in points) == sum(line.amount for line in lines)
        assert sum(row[header.index("quantity")] for row in points) == final_total

        advance(db, round_.id, "delivered", now)
        for member in members:
            own = [line for line in lines if line.member_id == member.id]
            expected = sum(((line.retail_price - line.unit_price) * line.final for line in own if line.final > 0),
                           Decimal(0)).quantize(CENT)
            assert gained(db, now - timedelta(days=1), member_id=member.id) == expected, "(e) savings"
