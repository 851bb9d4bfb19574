"""Order rounds: a product bought (or sold) together through one center, open until a deadline.

A round's `total` is the sum of its members' confirmed lines in the product's order unit. It is the
shared figure the cap guards, so it only changes with the round's row locked (see models.orders).
Status: draft -> open -> closed -> ordered -> delivered, or cancelled.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Numeric, String, select
from sqlalchemy.orm import Mapped, Session, contains_eager, joinedload, mapped_column, relationship

from models import kept
from models.base import Base, JSONType, utcnow
from models.network import Center
from models.products import Product

STATUSES = ("draft", "open", "closed", "ordered", "delivered", "cancelled")
DIRECTIONS = ("buy", "sell")
SHORTFALL_RULES = ("fcfs", "round_up")
BELOW_MINIMUM = ("cancel", "extend")
LIVE = ("open", "closed", "ordered")
CLOSING_TIME = time(17, 0)  # local time a round closes when only its day is given
ROUND_TABLES = ("rounds", "products", "centers")
"""what the open rounds are read from: a write to any of them drops the rounds kept (models.kept)"""


class Round(Base):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8), default="buy")
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # [{"min": "100", "price": "540.00"}]: from `min` in total, everyone pays `price` per unit.
    tiers: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    opens_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    min_total: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    max_total: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal(0))
    shortfall_rule: Mapped[str] = mapped_column(String(16), default="fcfs")
    below_minimum: Mapped[str] = mapped_column(String(16), default="cancel")
    extend_days: Mapped[int] = mapped_column(default=3)
    extensions: Mapped[int] = mapped_column(default=0)
    pickup_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # What members still have to be told ("extended", "closed", "cancelled"); the scheduler sends it.
    notice: Mapped[str | None] = mapped_column(String(16))
    announced_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship()
    center: Mapped[Center] = relationship()
    pickups: Mapped[list[RoundPickup]] = relationship(back_populates="round", cascade="all, delete-orphan")

    def joinable(self, now: datetime) -> bool:
        return self.status == "open" and self.opens_at <= now < self.closes_at

    def price_at(self, total: Decimal) -> Decimal:
        """The unit price everyone pays when the round's total is `total` (the best tier reached)."""
        price = self.price
        for tier in self.tiers or ():
            if Decimal(tier["min"]) <= total:
                tier_price = Decimal(tier["price"])
                price = min(price, tier_price) if self.direction == "buy" else max(price, tier_price)
        return price

    def next_tier(self) -> tuple[Decimal, Decimal] | None:
        """(how much more is needed, how much it saves everyone per unit) for the next tier, if any."""
        current = self.price_at(self.total)
        for tier in sorted(self.tiers or (), key=lambda t: Decimal(t["min"])):
            missing, price = Decimal(tier["min"]) - self.total, Decimal(tier["price"])
            gain = current - price if self.direction == "buy" else price - current
            if missing > 0 and gain > 0:
                return missing, gain
        return None

    def pack_progress(self) -> tuple[int, Decimal]:
        """(the pack being filled, what it still misses): 'ขาดอีก 12 กก. จะครบถังที่ 5'."""
        size = self.product.pack_size
        packs = int((self.total / size).to_integral_value(rounding=ROUND_CEILING))
        return packs, packs * size - self.total

    def remaining(self) -> Decimal | None:
        return None if self.max_total is None else max(Decimal(0), self.max_total - self.total)

    def pickup_date(self, center_id: int | None) -> date | None:
        for pickup in self.pickups:
            if pickup.center_id == center_id:
                return pickup.pickup_on or self.pickup_on
        return self.pickup_on


class RoundPickup(Base):
    """Where and when a district cooperative hands out (or collects) a round's goods."""

    __tablename__ = "round_pickups"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), primary_key=True)
    pickup_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    arrived_at: Mapped[datetime | None]  # the goods are there: members are told to collect them
    collect_until: Mapped[date | None] = mapped_column(Date)

    round: Mapped[Round] = relationship(back_populates="pickups")
    center: Mapped[Center] = relationship()


def open_rounds(db: Session, now: datetime, direction: str | None = "buy", **slots: Any) -> list[Round]:
    """Rounds members can join now, soonest deadline first, narrowed by product slots."""
    return [r for r in _open(db, direction) if r.joinable(now) and _fits(r.product, slots)]


def rounds_to_show(db: Session, now: datetime, **slots: Any) -> list[Round]:
    """`open_rounds` of both directions for showing, not changing: the open rounds are kept a moment (models.kept),
    detached, and shared with other threads."""
    every = kept.read(db, ROUND_TABLES, "open rounds", lambda own: _open(own, None))
    return [r for r in every if r.joinable(now) and _fits(r.product, slots)]


def _open(db: Session, direction: str | None) -> list[Round]:
    """Every round open by status, its product and center with it (shown with every round: one query)."""
    query = (select(Round).join(Round.product).options(contains_eager(Round.product), joinedload(Round.center))
             .where(Round.status == "open").order_by(Round.closes_at, Round.id))
    if direction:
        query = query.where(Round.direction == direction)
    return list(db.scalars(query))


def _fits(product: Product, slots: dict[str, Any]) -> bool:
    if slots.get("product") and product.category != slots["product"]:
        return False
    return all(getattr(product, name) == str(slots[name]) for name in ("brand", "animal", "formula", "rubber_type")
               if slots.get(name))


def round_by_id(db: Session, round_id: Any) -> Round | None:
    try:
        return db.get(Round, int(round_id))
    except (TypeError, ValueError):
        return None


def still_open(db: Session, product_id: int, center_id: int, direction: str) -> Round | None:
    """The round of this product at this center that is still open (one at a time: members would otherwise see
    two of the same and join either)."""
    return db.scalar(select(Round).where(
        Round.product_id == product_id, Round.center_id == center_id, Round.direction == direction,
        Round.status == "open").order_by(Round.closes_at).limit(1))


def lock_round(db: Session, round_id: int) -> Round | None:
    """The round's row, locked until the transaction ends (PostgreSQL; SQLite serialises writers at BEGIN)."""
    query = select(Round).where(Round.id == round_id).with_for_update().execution_options(populate_existing=True)
    return db.scalar(query)


def center_rounds(db: Session, center_id: int, statuses: tuple[str, ...] = LIVE) -> list[Round]:
    query = select(Round).where(Round.center_id == center_id, Round.status.in_(statuses))
    return list(db.scalars(query.order_by(Round.closes_at.desc(), Round.id.desc())))
