"""The rules of opening a round and changing its terms (models.opening), which the CLI, the console and chat share;
an order for a member without a smartphone (models.offline)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from models.base import utcnow
from models.closing import cancel
from models.member import member_by_line_id
from models.network import center_by_code
from models.offline import order_for
from models.opening import RoundRefused, Terms, edit_round, extend_round, open_like, open_round
from models.orders import OrderRefused
from models.products import product_by_code
from models.rounds import Round
from tests.orders.conftest import make_coordinator, round_of


def _terms(**changes: object) -> Terms:
    terms = Terms(price=Decimal(45), closes_at=utcnow() + timedelta(days=3))
    for name, value in changes.items():
        setattr(terms, name, value)
    return terms


@pytest.mark.parametrize(("changes", "reason"), [
    ({"price": Decimal(0)}, "bad_price"),
    ({"closes_at": utcnow() - timedelta(hours=1)}, "past_deadline"),
    ({"opens_at": utcnow() + timedelta(days=5)}, "past_deadline"),
    ({"min_total": Decimal(-1)}, "bad_minimum"),
    ({"max_total": Decimal(0)}, "bad_maximum"),
    ({"min_total": Decimal(90), "max_total": Decimal(60)}, "min_above_max"),
    ({"tiers": [(Decimal(60), Decimal(46))]}, "bad_tier"),  # dearer than the price, for a buying round
    ({"tiers": [(Decimal(0), Decimal(40))]}, "bad_tier"),
    ({"shortfall_rule": "lottery"}, "bad_rule"),
    ({"pickups": [(999999, None)]}, "bad_pickup"),
])
def test_terms_no_round_may_have(seeded: Flask, db: Session, changes: dict[str, object], reason: str) -> None:
    with seeded.extensions["sessions"]() as session, session.begin():
        from bot.seed import orders as seed_orders

        seed_orders.products(session)
        product = product_by_code(session, "acid-formic")
        assert product is not None
        with pytest.raises(RoundRefused) as refused:
            open_round(session, product, None, _terms(**changes), utcnow())
        assert refused.value.reason == reason


def test_a_selling_rounds_tier_pays_more(seeded: Flask) -> None:
    with seeded.extensions["sessions"]() as session, session.begin():
        from bot.seed import orders as seed_orders

        seed_orders.products(session)
        latex = product_by_code(session, "rubber-latex")
        assert latex is not None
        opened = open_round(session, latex, None, _terms(price=Decimal(59), direction="sell",
                                                         tiers=[(Decimal(1000), Decimal(60))]), utcnow())
        assert opened.center.code == "PROV-RUBBER" and opened.tiers == [{"min": "1000", "price": "60"}]


def test_one_open_round_of_a_product_at_a_center(catalog: Flask, db: Session) -> None:
    with catalog.extensions["sessions"]() as session, session.begin():
        acid = session.get(Round, round_of(db, "acid-formic").id)
        assert acid is not None
        with pytest.raises(RoundRefused) as refused:
            open_round(session, acid.product, None, _terms(), utcnow())
        assert refused.value.reason == "already_open" and refused.value.facts["round"].id == acid.id
        cancel(session, acid.id, utcnow())
        again = open_like(session, acid, utcnow() + timedelta(days=4), utcnow(), None)
        assert again.price == acid.price and again.min_total == acid.min_total and again.status == "open"


def test_an_open_rounds_terms_change_but_never_below_its_orders(catalog: Flask, db: Session) -> None:
    piglet = round_of(db, "piglet")
    with catalog.extensions["sessions"]() as session, session.begin():
        round_ = session.get(Round, piglet.id)
        assert round_ is not None
        round_.total = Decimal(12)
        edited = edit_round(session, piglet.id, _terms(price=Decimal(2100), max_total=Decimal(20)), utcnow())
        assert edited.price == 2100 and edited.max_total == 20 and edited.direction == "buy"
        with pytest.raises(RoundRefused) as below:
            edit_round(session, piglet.id, _terms(price=Decimal(2100), max_total=Decimal(10)), utcnow())
        assert below.value.reason == "below_total" and below.value.facts["total"] == 12
        with pytest.raises(RoundRefused) as earlier:
            extend_round(session, piglet.id, edited.closes_at - timedelta(hours=1), utcnow())
        assert earlier.value.reason == "past_deadline"
        later = extend_round(session, piglet.id, edited.closes_at + timedelta(days=2), utcnow())
        assert later.price == 2100 and later.max_total == 20  # the rest of the terms stay
        cancel(session, piglet.id, utcnow())
        with pytest.raises(RoundRefused) as closed:
            edit_round(session, piglet.id, _terms(), utcnow())
        assert closed.value.reason == "not_open"


def test_an_order_on_behalf_only_from_the_rounds_centers(catalog: Flask, db: Session) -> None:
    rice = round_of(db, "rice-sangyod-5kg")  # the agricultural federation's, over every district cooperative
    make_coordinator(catalog, "Udistrict", "DIST-05")
    make_coordinator(catalog, "Ufederation", "PROV-AGRI")
    with catalog.extensions["sessions"]() as session, session.begin():
        round_ = session.get(Round, rice.id)
        assert round_ is not None
        district = member_by_line_id(session, "Udistrict")
        with pytest.raises(OrderRefused) as refused:
            order_for(session, round_, Decimal(2), name="ยายสมใจ", phone="0812345678", district="บางแก้ว",
                      now=utcnow(), actor=district)
        assert refused.value.reason == "not_staff"
        for phone, reason in (("12345", "bad_phone"), ("0812345678", "no_name")):
            with pytest.raises(OrderRefused) as bad:
                order_for(session, round_, Decimal(2), name="", phone=phone, district=None, now=utcnow())
            assert bad.value.reason == reason
        done = order_for(session, round_, Decimal(2), name="ยายสมใจ", phone="0812345678", district="บางแก้ว",
                         now=utcnow(), actor=member_by_line_id(session, "Ufederation"))
        kaeo = center_by_code(session, "DIST-09")
        assert done.line.quantity == 2 and kaeo is not None and done.line.pickup_center_id == kaeo.id
        with pytest.raises(OrderRefused) as mistyped:  # her number with another name: neither her order nor her name
            order_for(session, round_, Decimal(1), name="นายสมปอง", phone="081-234-5678", district=None,
                      now=utcnow(), actor=member_by_line_id(session, "Ufederation"))
        assert mistyped.value.reason == "name_mismatch"
        with pytest.raises(OrderRefused) as nan:
            order_for(session, round_, Decimal("NaN"), name="ยายสมใจ", phone="0812345678", district=None,
                      now=utcnow(), actor=member_by_line_id(session, "Ufederation"))
        assert nan.value.reason == "not_positive"
