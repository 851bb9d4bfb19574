"""Opening a round and changing its terms while it is open: the rules the CLI, the console and chat share.

A round's terms are checked once, here: a price above 0, a deadline in the future and after the opening, a
minimum not above the maximum (or the stock), tiers above 0 and each cheaper (a selling round: dearer) than the
price, pickup points that are centers, and one open round of a product at a center at a time (members would
otherwise see two of the same and join either). Refusals carry a reason and its facts, never wording. A new round's
price more than 15 % from the last round's is refused until the coordinator confirms it (`price_jump`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.network import Center
from models.prices import big_move
from models.products import Product
from models.rounds import BELOW_MINIMUM, DIRECTIONS, SHORTFALL_RULES, Round, RoundPickup, lock_round, still_open


class RoundRefused(Exception):
    """Why terms were refused: bad_price, past_deadline, bad_minimum, bad_maximum, min_above_max,
    bad_tier, bad_rule, bad_pickup, no_center, already_open, not_open, below_total, price_jump (not confirmed)."""

    def __init__(self, reason: str, **facts: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.facts = facts


@dataclass
class Terms:
    """What a coordinator decides about a round. Quantities are in the product's order unit."""

    price: Decimal
    closes_at: datetime
    opens_at: datetime | None = None  # now, when not given
    min_total: Decimal | None = None
    max_total: Decimal | None = None  # the maximum, or the stock on hand
    tiers: list[tuple[Decimal, Decimal]] = field(default_factory=list)  # (from this total, this price)
    shortfall_rule: str = "fcfs"
    below_minimum: str = "cancel"
    extend_days: int = 3
    pickup_on: date | None = None
    pickups: list[tuple[int, date | None]] = field(default_factory=list)  # (center id, its own pickup date)
    direction: str = "buy"
    note: str | None = None

    @classmethod
    def of(cls, round_: Round) -> Terms:
        """A round's terms as they stand (to change some of them)."""
        return cls(price=round_.price, closes_at=round_.closes_at, opens_at=round_.opens_at,
                   min_total=round_.min_total, max_total=round_.max_total,
                   tiers=[(Decimal(t["min"]), Decimal(t["price"])) for t in round_.tiers or ()],
                   shortfall_rule=round_.shortfall_rule, below_minimum=round_.below_minimum,
                   extend_days=round_.extend_days, pickup_on=round_.pickup_on,
                   pickups=[(p.center_id, p.pickup_on) for p in round_.pickups], direction=round_.direction,
                   note=round_.note)


def check(db: Session, terms: Terms, now: datetime) -> None:
    """Refuse terms no round may have (RoundRefused)."""
    opens_at = terms.opens_at or now
    if terms.direction not in DIRECTIONS or terms.shortfall_rule not in SHORTFALL_RULES or \
            terms.below_minimum not in BELOW_MINIMUM or not 1 <= terms.extend_days <= 30:
        raise RoundRefused("bad_rule")
    if not terms.price.is_finite() or terms.price <= 0:
        raise RoundRefused("bad_price")
    if terms.closes_at <= max(opens_at, now):
        raise RoundRefused("past_deadline")
    for name in ("min_total", "max_total"):
        value = getattr(terms, name)
        if value is not None and (not value.is_finite() or value <= 0):
            raise RoundRefused("bad_minimum" if name == "min_total" else "bad_maximum")
    if terms.min_total is not None and terms.max_total is not None and terms.min_total > terms.max_total:
        raise RoundRefused("min_above_max")
    for low, price in terms.tiers:
        better = price < terms.price if terms.direction == "buy" else price > terms.price
        if not (low.is_finite() and price.is_finite()) or low <= 0 or price <= 0 or not better:
            raise RoundRefused("bad_tier", min=low, price=price)
    for center_id, _day in terms.pickups:
        if db.get(Center, center_id) is None:
            raise RoundRefused("bad_pickup", center=center_id)


def price_jump(db: Session, product_id: int, center_id: int, direction: str, price: Decimal) -> Round | None:
    """The last round of the product at the center when `price` moves more than 15 % from its price (the rule of
    posted prices, models.prices.big_move: more often a typo than a market); None when there is none or it is near.
    A cancelled round is no reference: its price may be the typo it was cancelled for."""
    last = db.scalar(select(Round).where(Round.product_id == product_id, Round.center_id == center_id,
                                         Round.direction == direction, Round.status != "cancelled")
                     .order_by(Round.opens_at.desc(), Round.id.desc()).limit(1))
    return last if last is not None and big_move(last.price, price) else None


def _apply(round_: Round, terms: Terms) -> None:
    round_.price, round_.closes_at = terms.price, terms.closes_at
    round_.min_total, round_.max_total = terms.min_total, terms.max_total
    round_.tiers = [{"min": str(low), "price": str(price)} for low, price in sorted(terms.tiers)]
    round_.shortfall_rule, round_.below_minimum = terms.shortfall_rule, terms.below_minimum
    round_.extend_days, round_.pickup_on, round_.note = terms.extend_days, terms.pickup_on, terms.note
    wanted = dict(terms.pickups)
    round_.pickups = [p for p in round_.pickups if p.center_id in wanted]
    for pickup in round_.pickups:
        pickup.pickup_on = wanted.pop(pickup.center_id)
    for center_id, day in wanted.items():
        round_.pickups.append(RoundPickup(center_id=center_id, pickup_on=day))


def open_round(db: Session, product: Product, center: Center | None, terms: Terms, now: datetime,
               created_by_id: int | None = None, sure: bool = True) -> Round:
    """A new round of `product` at `center` (by brand or network when None), on `terms`. Unless `sure`, a price
    far from the last round's is refused (price_jump, with that round as `last`) for the coordinator to confirm
    (chat and the console ask; the command line's operator types what they mean)."""
    from models.products import coordinating_center

    check(db, terms, now)
    center = center or coordinating_center(db, product)
    if center is None:
        raise RoundRefused("no_center")
    with db.no_autoflush:  # nothing half-made is flushed by the question
        running = still_open(db, product.id, center.id, terms.direction)
    if running is not None:
        raise RoundRefused("already_open", round=running)
    last = None if sure else price_jump(db, product.id, center.id, terms.direction, terms.price)
    if last is not None:
        raise RoundRefused("price_jump", last=last)
    round_ = Round(product=product, center=center, direction=terms.direction, opens_at=terms.opens_at or now,
                   status="open", total=Decimal(0), created_by_id=created_by_id)
    _apply(round_, terms)
    db.add(round_)
    db.flush()
    return round_


def edit_round(db: Session, round_id: int, terms: Terms, now: datetime, sure: bool = True) -> Round:
    """New terms for an open round (its product, center and direction stay). Its maximum cannot fall below what
    members have already ordered. Unless `sure`, a new price more than 15 % from the round's own is refused
    (price_jump, with the round itself as `last`): members have ordered at that price."""
    round_ = lock_round(db, round_id)
    if round_ is None or round_.status != "open":
        raise RoundRefused("not_open", round=round_)
    terms.direction, terms.opens_at = round_.direction, round_.opens_at
    check(db, terms, now)
    if terms.max_total is not None and terms.max_total < round_.total:
        raise RoundRefused("below_total", total=round_.total)
    if not sure and big_move(round_.price, terms.price):
        raise RoundRefused("price_jump", last=round_)
    _apply(round_, terms)
    if round_.closes_at > now + timedelta(hours=24):
        round_.reminded_at = None  # a new deadline: its members are reminded again the day before
    db.flush()
    return round_


def extend_round(db: Session, round_id: int, closes_at: datetime, now: datetime) -> Round:
    """A later deadline for an open round."""
    round_ = lock_round(db, round_id)
    if round_ is None or round_.status != "open":
        raise RoundRefused("not_open", round=round_)
    if closes_at <= max(round_.closes_at, now):
        raise RoundRefused("past_deadline")
    terms = Terms.of(round_)
    terms.closes_at = closes_at
    return edit_round(db, round_id, terms, now)


def open_like(db: Session, like: Round, closes_at: datetime, now: datetime, created_by_id: int | None,
              price: Decimal | None = None, sure: bool = True) -> Round:
    """A new round on the same terms as `like` (price unless a new one is given, tiers, minimum, cap, rules),
    open from now until `closes_at`; its pickup date as far after the deadline as the earlier one's was."""
    terms = Terms.of(like)
    terms.opens_at, terms.closes_at, terms.pickups = now, closes_at, []
    if price is not None:
        terms.price = price
    if like.pickup_on is not None:
        terms.pickup_on = closes_at.date() + max(timedelta(0), like.pickup_on - like.closes_at.date())
    return open_round(db, like.product, like.center, terms, now, created_by_id, sure)
