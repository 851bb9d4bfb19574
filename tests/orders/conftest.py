"""Orders fixtures: the demo catalog (products and open rounds) and registered members in chat."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from bot.seed import orders as seed_orders
from models.base import utcnow
from models.member import Member
from models.network import center_by_code, district_cooperative
from models.orders import OrderLine
from models.products import product_by_code
from models.rounds import Round
from tests.support import Chat


@pytest.fixture
def catalog(seeded: Flask) -> Flask:
    with seeded.extensions["sessions"]() as db, db.begin():
        seed_orders.demo_rounds(db, seeded.config["SETTINGS"])
    return seeded


def register(app: Flask, user_id: str, name: str = "สมชาย ใจดี", district: str = "ควนขนุน", **fields: Any) -> int:
    """A member who finished registration (test set-up: the row as registration leaves it)."""
    with app.extensions["sessions"]() as db, db.begin():
        member = db.scalar(select(Member).where(Member.line_user_id == user_id)) or Member(line_user_id=user_id)
        member.name, member.district, member.consent_at = name, district, utcnow()
        member.cooperative = district_cooperative(db, district)
        for key, value in fields.items():
            setattr(member, key, value)
        db.add(member)
        db.flush()
        return member.id


def make_coordinator(app: Flask, user_id: str, center_code: str) -> int:
    member_id = register(app, user_id, name="ผู้ประสานงาน " + center_code)
    with app.extensions["sessions"]() as db, db.begin():
        center = center_by_code(db, center_code)
        member = db.get(Member, member_id)
        assert center is not None and member is not None
        member.role, member.center_id = "coordinator", center.id
    return member_id


@pytest.fixture
def farmer(catalog: Flask, line_world: LineWorld) -> Chat:
    chat = Chat(catalog, line_world)
    register(catalog, chat.user_id)
    return chat


def neighbour(app: Flask, world: LineWorld, name: str = "สมศรี มีสุข", district: str = "ควนขนุน") -> Chat:
    chat = Chat(app, world)
    register(app, chat.user_id, name=name, district=district)
    return chat


def round_of(db: Session, code: str) -> Round:
    product = product_by_code(db, code)
    assert product is not None
    found = db.scalar(select(Round).where(Round.product_id == product.id).order_by(Round.id.desc()))
    assert found is not None
    db.refresh(found)
    return found


def lines(db: Session, round_id: int) -> list[OrderLine]:
    db.expire_all()
    return list(db.scalars(select(OrderLine).where(OrderLine.round_id == round_id).order_by(OrderLine.id)))


def join(round_id: int, quantity: Any, **slots: Any) -> str:
    return Intent("order.join", {"round": round_id, "quantity": quantity, **slots}).to_postback()


def age(app: Flask, round_id: int, **changes: Any) -> None:
    """Move a round in time (its deadline or opening), as the calendar would."""
    with app.extensions["sessions"]() as db, db.begin():
        round_ = db.get(Round, round_id)
        assert round_ is not None
        for key, value in changes.items():
            setattr(round_, key, value)


def past() -> Any:
    return utcnow() - timedelta(minutes=1)


def total(db: Session, round_id: int) -> Decimal:
    db.expire_all()
    round_ = db.get(Round, round_id)
    assert round_ is not None
    return round_.total
