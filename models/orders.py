"""Members' lines in a round, a ledger of every change, and the rules that guard a round's total.

Every change locks the round's row first (SELECT … FOR UPDATE), re-reads its total, and refuses what
would take it past the round's maximum or stock, so concurrent joins on PostgreSQL cannot oversell.
A join carries the token shown on its confirmation: the ledger keeps tokens unique, so a confirm
button pressed twice (or delivered twice) records the order once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ForeignKey, Numeric, Select, String, UniqueConstraint, bindparam, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow
from models.member import Member
from models.network import Center
from models.products import USUAL_DRC, Product
from models.rounds import Round, RoundPickup, lock_round

ZERO = Decimal(0)


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    # How much more the member accepts so that the last pack is complete (the "round_up" rule).
    extra_ok: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=ZERO)
    allocated: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    retail_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    pickup_center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    # latex and cup lump are valued by their dry rubber: the DRC % the line is valued at, measured when weighed,
    # else an estimate (the member's own figure, or the center's average)
    drc: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    drc_measured: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    # The line's place in the first-come queue: set when confirmed, moved to the back when raised.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship()
    member: Mapped[Member] = relationship()
    pickup_center: Mapped[Center | None] = relationship()

    @property
    def final(self) -> Decimal:
        """What the member gets: the allocation once the round closed, the order until then."""
        return self.quantity if self.allocated is None else self.allocated

    @property
    def dry(self) -> Decimal:
        """What the line is priced on: its weight, or for latex and cup lump the dry rubber in it."""
        return self.final if self.drc is None else self.final * self.drc / 100

    @property
    def amount(self) -> Decimal:
        return self.amount_at(self.final, self.unit_price)

    def amount_at(self, quantity: Decimal, price: Decimal) -> Decimal:
        """What `quantity` of this line comes to at `price` (on its dry rubber for latex and cup lump)."""
        dry = quantity if self.drc is None else quantity * self.drc / 100
        return (dry * price).quantize(Decimal("0.01"))


class OrderChange(Base):
    """The ledger: who changed which line when, from what to what."""

    __tablename__ = "order_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(16))
    from_quantity: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    to_quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    token: Mapped[str | None] = mapped_column(String(32), unique=True)


class OrderRefused(Exception):
    """Why a change was refused: not_open, not_positive, not_whole, too_much, full, no_line, stale."""

    def __init__(self, reason: str, **facts: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.facts = facts


@dataclass
class Outcome:
    line: OrderLine
    round: Round
    previous: Decimal | None = None
    repeated: bool = False


def check_quantity(product: Product, quantity: Decimal) -> None:
    """Refuse zero, negative, fractional and absurd quantities (the product's max_order is the limit), and what is
    no number at all (NaN, infinity)."""
    if not quantity.is_finite() or quantity <= 0:
        raise OrderRefused("not_positive")
    if quantity != quantity.to_integral_value():
        raise OrderRefused("not_whole")
    if quantity > product.max_order:
        raise OrderRefused("too_much", limit=product.max_order)


def _locked_open(db: Session, round_id: int, now: datetime) -> Round:
    round_ = lock_round(db, round_id)
    if round_ is None or not round_.joinable(now):
        raise OrderRefused("not_open", round=round_)
    return round_


def _room(round_: Round, old: Decimal, new: Decimal) -> None:
    if round_.max_total is not None and round_.total - old + new > round_.max_total:
        raise OrderRefused("full", remaining=max(ZERO, round_.max_total - round_.total + old))


def _record(db: Session, line: OrderLine, actor: Member | None, action: str, old: Decimal | None,
            now: datetime, token: str | None = None) -> None:
    new = line.final if action == "weigh" else line.quantity if line.status == "active" else ZERO
    db.add(OrderChange(line_id=line.id, actor_id=actor.id if actor else line.member_id, at=now, action=action,
                       from_quantity=old, to_quantity=new, token=token))


def weighed(db: Session, line_ids: list[int]) -> set[int]:
    """Those of these lines (pledges) weighed at collection: their amount is what the member is paid, no estimate."""
    if not line_ids:
        return set()
    return set(db.scalars(select(OrderChange.line_id).where(OrderChange.line_id.in_(line_ids),
                                                            OrderChange.action == "weigh")))


def line_for(db: Session, round_id: int, member_id: int, fresh: bool = False) -> OrderLine | None:
    query = select(OrderLine).where(OrderLine.round_id == round_id, OrderLine.member_id == member_id)
    return db.scalar(query.execution_options(populate_existing=fresh))


def join(db: Session, round_id: int, member: Member, quantity: Decimal, now: datetime, *, token: str | None = None,
         pickup_center_id: int | None = None, actor: Member | None = None, extra_ok: Decimal = ZERO,
         had: Decimal | None = None, drc: Decimal | None = None, reference: Decimal | None = None) -> Outcome:
    """Add `quantity` to the member's line in the round (creating it), within the round's cap.

    `had` is what the member's card said they already had: if their line has changed since (another card
    was confirmed, or the order cancelled), the card is out of date and nothing is added ("stale"). Latex and cup
    lump are valued at `drc` (the member's figure) or the center's estimate until weighed; `reference` is the
    price the member would have had alone (a selling round: the day's local buying price), for savings."""
    round_ = lock_round(db, round_id)
    if token and round_ is not None:
        done = db.scalar(select(OrderChange).where(OrderChange.token == token))
        if done is not None:
            line = db.get(OrderLine, done.line_id)
            if line is None or line.member_id != member.id:
                raise OrderRefused("no_line")
            return Outcome(line, round_, previous=done.from_quantity, repeated=True)
    if round_ is None or not round_.joinable(now):
        raise OrderRefused("not_open", round=round_)
    check_quantity(round_.product, quantity)
    line = line_for(db, round_id, member.id, fresh=True)
    old = line.quantity if line is not None and line.status == "active" else ZERO
    if had is not None and old != had:
        raise OrderRefused("stale", current=old)
    new = old + quantity
    if new > round_.product.max_order:
        raise OrderRefused("too_much", limit=round_.product.max_order, current=old)
    _room(round_, old, new)
    if line is None:
        line = OrderLine(round_id=round_id, member_id=member.id, created_at=now)
        db.add(line)
    line.quantity, line.status, line.queued_at, line.updated_at = new, "active", now, now
    line.extra_ok = max(ZERO, extra_ok)
    line.pickup_center_id = pickup_center_id or line.pickup_center_id
    round_.total += quantity
    line.unit_price = round_.price_at(round_.total)
    line.retail_price = reference if reference is not None else round_.product.retail_price
    if round_.product.by_dry_rubber and not line.drc_measured:
        line.drc = drc if drc is not None else line.drc or estimated_drc(db, round_.center_id, round_.product, now)
    db.flush()
    _record(db, line, actor, "join", old if old else None, now, token)
    db.flush()
    return Outcome(line, round_, previous=old if old else None)


DRC_WINDOW = timedelta(days=90)


def estimated_drc(db: Session, center_id: int, product: Product, now: datetime) -> Decimal:
    """The DRC to value a pledge at before it is weighed: the average measured at this center for this kind of
    rubber in the last 90 days, else the usual one (models.products.USUAL_DRC)."""
    since = now - DRC_WINDOW
    measured = db.scalar(
        select(func.avg(OrderLine.drc)).join(OrderLine.round).join(Round.product)
        .where(Round.center_id == center_id, Product.rubber_type == product.rubber_type,
               OrderLine.drc_measured.is_(True), OrderLine.updated_at >= since))
    return Decimal(str(measured)).quantize(Decimal("0.01")) if measured is not None else USUAL_DRC[
        product.rubber_type or ""]


def weigh(db: Session, line_id: int, kg: Decimal, drc: Decimal | None, now: datetime,
          actor: Member | None = None) -> OrderLine:
    """A pledge weighed at collection: its weight (what the member sold) and, for latex and cup lump, the DRC
    measured; the line's amount follows. Only once the round has closed."""
    line = db.get(OrderLine, line_id)
    if line is None or line.status != "active":
        raise OrderRefused("no_line")
    round_ = line.round
    if round_.direction != "sell" or round_.status in ("open", "cancelled"):
        raise OrderRefused("not_open", round=round_)
    if kg <= 0 or (round_.product.by_dry_rubber and (drc is None or not 0 < drc <= 100)):
        raise OrderRefused("not_positive")
    line.allocated, line.updated_at = kg, now
    if round_.product.by_dry_rubber:
        line.drc, line.drc_measured = drc, True
    _record(db, line, actor, "weigh", line.quantity, now)
    db.flush()
    return line


def change(db: Session, line_id: int, quantity: Decimal, now: datetime, actor: Member | None = None) -> Outcome:
    """Set an active line to `quantity`; a rise goes to the back of the first-come queue."""
    line = db.get(OrderLine, line_id)
    if line is None or line.status != "active":
        raise OrderRefused("no_line")
    round_ = _locked_open(db, line.round_id, now)
    db.refresh(line)
    check_quantity(round_.product, quantity)
    old = line.quantity
    _room(round_, old, quantity)
    round_.total += quantity - old
    if quantity > old:
        line.queued_at = now
    line.quantity, line.updated_at = quantity, now
    line.unit_price = round_.price_at(round_.total)
    _record(db, line, actor, "change", old, now)
    db.flush()
    return Outcome(line, round_, previous=old)


def cancel(db: Session, line_id: int, now: datetime, actor: Member | None = None) -> Outcome:
    line = db.get(OrderLine, line_id)
    if line is None or line.status != "active":
        raise OrderRefused("no_line")
    round_ = _locked_open(db, line.round_id, now)
    db.refresh(line)
    old = line.quantity
    round_.total -= old
    line.status, line.updated_at = "cancelled", now
    _record(db, line, actor, "cancel", old, now)
    db.flush()
    return Outcome(line, round_, previous=old)


def member_lines(db: Session, member_id: int, *, active_only: bool = False, since: datetime | None = None,
                 round_statuses: tuple[str, ...] | None = None) -> list[OrderLine]:
    query = _member_lines(active_only, since is not None, round_statuses or ())
    return list(db.scalars(query, {"member_id": member_id, "since": since}))


@cache
def _member_lines(active_only: bool, since: bool, round_statuses: tuple[str, ...]) -> Select[OrderLine]:
    """Built once for each way of asking, as models.conversation's statements: "my orders" asks on every price
    morning, and putting the statement together cost as much as running it."""
    query = select(OrderLine).join(OrderLine.round).where(OrderLine.member_id == bindparam("member_id"))
    if active_only:
        query = query.where(OrderLine.status == "active")
    if since:
        query = query.where(Round.closes_at >= bindparam("since"))
    if round_statuses:
        query = query.where(Round.status.in_(round_statuses))
    return query.order_by(Round.closes_at.desc(), OrderLine.id.desc())


def last_quantity(db: Session, member_id: int, round_: Round) -> Decimal | None:
    """What the member ordered of this round's product in their latest earlier round, for "the same as last time";
    None when they never did."""
    query = (select(OrderLine.quantity).join(OrderLine.round)
             .where(OrderLine.member_id == member_id, OrderLine.status == "active", OrderLine.round_id != round_.id,
                    Round.product_id == round_.product_id, Round.status != "cancelled")
             .order_by(Round.closes_at.desc()).limit(1))
    return db.scalar(query)


def round_lines(db: Session, round_id: int) -> list[OrderLine]:
    """A round's active lines in first-come order."""
    query = select(OrderLine).where(OrderLine.round_id == round_id, OrderLine.status == "active")
    return list(db.scalars(query.order_by(OrderLine.queued_at, OrderLine.id)))


def arrived(db: Session, round_: Round, center_ids: list[int], now: datetime, until: date | None) -> list[int]:
    """Mark the round's goods as arrived at these pickup points (its points with orders, when none are given);
    returns the points newly marked (marking twice tells nobody twice)."""
    points = center_ids or sorted({cid for cid in db.scalars(
        select(OrderLine.pickup_center_id).where(OrderLine.round_id == round_.id, OrderLine.status == "active"))
        if cid is not None})
    marked = []
    for center_id in points:
        pickup = db.get(RoundPickup, (round_.id, center_id)) or RoundPickup(round_id=round_.id, center_id=center_id)
        if pickup.arrived_at is None:
            pickup.arrived_at, pickup.collect_until = now, until
            db.add(pickup)
            marked.append(center_id)
    db.flush()
    return marked
