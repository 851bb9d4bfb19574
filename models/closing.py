"""Closing a round: whole packs and final shares, or, below the minimum, an extension or a cancellation.

Closing only marks what members must be told (`Round.notice`); the scheduler composes and queues the
pushes in each member's language, so a close from chat, the CLI or the deadline tells everyone alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from models.allocation import Want, allocate, whole_packs
from models.member import Member
from models.orders import OrderChange, OrderLine, round_lines
from models.rounds import Round, lock_round


@dataclass(frozen=True)
class Closing:
    round: Round
    outcome: str  # closed, extended, cancelled, or not_open when it was not open any more
    packs: int = 0
    quantity: Decimal = Decimal(0)
    members: int = 0


@dataclass(frozen=True)
class Forecast:
    """What closing the round would do with these lines: its outcome, each line's share, the packs bought."""

    outcome: str  # closed, extended or cancelled
    shares: dict[int, Decimal]
    packs: int
    quantity: Decimal
    price: Decimal


def forecast(round_: Round, lines: list[OrderLine]) -> Forecast:
    """The round's minimum rule, then its whole-pack rule, applied to `lines` (first-come order); nothing written.
    The console shows it before the close; `close` applies it."""
    if round_.min_total is not None and round_.total < round_.min_total:
        extend = round_.below_minimum == "extend" and round_.extensions == 0
        shares = {line.id: line.quantity if extend else Decimal(0) for line in lines}
        return Forecast("extended" if extend else "cancelled", shares, 0, round_.total if extend else Decimal(0),
                        round_.price_at(round_.total))
    size = round_.product.pack_size
    shares = allocate([Want(line.id, line.quantity, line.extra_ok) for line in lines], size, round_.shortfall_rule)
    final_total = sum(shares.values(), Decimal(0))
    return Forecast("closed", shares, whole_packs(final_total, size), final_total, round_.price_at(final_total))


def close(db: Session, round_id: int, now: datetime, actor: Member | None = None) -> Closing | None:
    """Close an open round now: apply its minimum rule, then its whole-pack rule to every line."""
    round_ = lock_round(db, round_id)
    if round_ is None:
        return None
    if round_.status != "open":
        return Closing(round_, "not_open")
    lines = round_lines(db, round_.id)
    outcome = forecast(round_, lines)
    if outcome.outcome == "extended":
        round_.closes_at = max(round_.closes_at, now) + timedelta(days=round_.extend_days)
        round_.extensions += 1
        round_.reminded_at = None
        round_.notice = "extended"
        return Closing(round_, "extended", quantity=round_.total, members=len(lines))
    if outcome.outcome == "cancelled":
        return _cancelled(round_, lines, now)
    for line in lines:
        line.allocated, line.unit_price = outcome.shares[line.id], outcome.price
        if line.allocated != line.quantity:
            db.add(OrderChange(line_id=line.id, actor_id=actor.id if actor else None, at=now, action="allocate",
                               from_quantity=line.quantity, to_quantity=line.allocated))
    round_.status, round_.closed_at, round_.notice = "closed", now, "closed"
    db.flush()
    return Closing(round_, "closed", packs=outcome.packs, quantity=outcome.quantity, members=len(lines))


def _cancelled(round_: Round, lines: list[OrderLine], now: datetime) -> Closing:
    round_.status, round_.closed_at, round_.notice = "cancelled", now, "cancelled"
    for line in lines:
        line.allocated = Decimal(0)
    return Closing(round_, "cancelled", quantity=round_.total, members=len(lines))


def cancel(db: Session, round_id: int, now: datetime) -> Closing | None:
    """Call an open round off: nobody gets anything, and its members are told (as below its minimum)."""
    round_ = lock_round(db, round_id)
    if round_ is None:
        return None
    if round_.status != "open":
        return Closing(round_, "not_open")
    closing = _cancelled(round_, round_lines(db, round_.id), now)
    db.flush()
    return closing


def advance(db: Session, round_id: int, status: str, now: datetime) -> Round | None:
    """Move a closed round on: 'ordered' from the supplier, then 'delivered' to the pickup points."""
    round_ = lock_round(db, round_id)
    allowed = {"ordered": ("closed",), "delivered": ("closed", "ordered")}
    if round_ is None or round_.status not in allowed.get(status, ()):
        return None
    round_.status = status
    if status == "delivered":
        round_.delivered_at = now
    db.flush()
    return round_
