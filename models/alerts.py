"""Price alerts: above or below a threshold, or a daily digest, and the log of what they sent.

An alert fires once per crossing: it remembers the side of its threshold the price was last on, and fires
only when the price moves onto the side it watches; it re-arms when the price goes back. Evaluation is
set-based SQL (a price post can concern a hundred thousand alerts), and each firing is an atomic
UPDATE … WHERE on that remembered side, so two evaluations at once cannot fire the same crossing twice.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Numeric,
    String,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.member import Member
from models.prices import PriceQuote, federation, has_later

KINDS = ("above", "below", "daily")
MAX_ACTIVE = 10


class PriceAlert(Base):
    __tablename__ = "price_alerts"
    __table_args__ = (
        Index("ix_price_alerts_type_active", "rubber_type", "active"),
        CheckConstraint("kind IN ('above', 'below', 'daily')", name="kind"),
        CheckConstraint("kind = 'daily' OR threshold IS NOT NULL", name="threshold"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    rubber_type: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    threshold: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    active: Mapped[bool] = mapped_column(default=True)
    last_side: Mapped[str | None] = mapped_column(String(8))
    last_day: Mapped[date | None]
    # Marks the rows one evaluation fired, so that the log is written in one INSERT … SELECT.
    fired_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()


class AlertLog(Base):
    """One alert that fired for one price: queued for LINE once, then linked to the delivery that sent it."""

    __tablename__ = "alert_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("price_alerts.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    quote_id: Mapped[int] = mapped_column(ForeignKey("price_quotes.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(8))
    price: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def side(kind: str, price: Decimal, threshold: Decimal) -> str:
    """Which side of its threshold a price is on, for an alert of `kind`; reaching the level counts."""
    if kind == "above":
        return "above" if price >= threshold else "below"
    return "below" if price <= threshold else "above"


def fires(kind: str, last_side: str | None, price: Decimal, threshold: Decimal) -> bool:
    """The rule the SQL below applies: the price is now on the watched side and was not before."""
    return side(kind, price, threshold) == kind and last_side != kind


def active_alerts(db: Session, member_id: int) -> list[PriceAlert]:
    return list(
        db.scalars(
            select(PriceAlert)
            .where(PriceAlert.member_id == member_id, PriceAlert.active.is_(True))
            .order_by(PriceAlert.rubber_type, PriceAlert.kind, PriceAlert.threshold, PriceAlert.id)
        )
    )


def create(
    db: Session, member: Member, rubber_type: str, kind: str, threshold: Decimal | None, current: Decimal | None
) -> PriceAlert:
    """A new alert, already on the side of today's price, so that it waits for a real crossing."""
    alert = PriceAlert(
        member_id=member.id, rubber_type=rubber_type, kind=kind, threshold=threshold, active=True,
        last_side=side(kind, current, threshold) if current is not None and threshold is not None else None,
    )
    db.add(alert)
    db.flush()
    return alert


def cancel(db: Session, alert: PriceAlert, now: datetime) -> None:
    alert.active, alert.cancelled_at = False, now


def served(db: Session, quote: PriceQuote) -> ColumnElement[bool] | None:
    """Which members act on this price: None when a better source already posted that day for everyone."""
    fed = federation(db)
    if quote.source == "center" and (fed is None or quote.center_id != fed.id):
        return Member.cooperative_id == quote.center_id
    same_day = select(PriceQuote.source, PriceQuote.center_id).where(
        PriceQuote.day == quote.day, PriceQuote.rubber_type == quote.rubber_type
    )
    posted = {(source, center) for source, center in db.execute(same_day)}
    better = {"moc": {"raot", "federation"}, "raot": {"federation"}}.get(quote.source, set())
    if ("federation" in better and fed is not None and ("center", fed.id) in posted) or (
        "raot" in better and any(source == "raot" for source, _ in posted)
    ):
        return None
    cooperatives = select(PriceQuote.center_id).where(
        PriceQuote.day == quote.day,
        PriceQuote.rubber_type == quote.rubber_type,
        PriceQuote.source == "center",
        PriceQuote.center_id.is_not(None),
    )
    return or_(Member.cooperative_id.is_(None), Member.cooperative_id.not_in(cooperatives))


def evaluate(db: Session, quote: PriceQuote, now: datetime | None = None) -> int:
    """Fire the alerts this price crosses and the daily digests it completes; returns how many were logged.

    Old prices (a back-filled import) fire nothing: only the newest day of a type is news.
    """
    audience = served(db, quote)
    if audience is None or has_later(db, quote):
        return 0
    price, token = quote.baht_per_kg, uuid.uuid4().hex
    members = select(Member.id).where(Member.active.is_(True), audience)
    mine = and_(
        PriceAlert.active.is_(True), PriceAlert.rubber_type == quote.rubber_type, PriceAlert.member_id.in_(members)
    )
    watched = func.coalesce(PriceAlert.last_side, "")
    crossing = or_(
        and_(PriceAlert.kind == "above", PriceAlert.threshold <= price, watched != "above"),
        and_(PriceAlert.kind == "below", PriceAlert.threshold >= price, watched != "below"),
    )
    db.execute(
        update(PriceAlert)
        .where(mine, crossing)
        .values(last_side=PriceAlert.kind, fired_token=token)
        .execution_options(synchronize_session=False)
    )
    due = and_(PriceAlert.kind == "daily", or_(PriceAlert.last_day.is_(None), PriceAlert.last_day < quote.day))
    db.execute(
        update(PriceAlert)
        .where(mine, due)
        .values(last_day=quote.day, fired_token=token)
        .execution_options(synchronize_session=False)
    )
    logged = db.execute(  # type: ignore[attr-defined]  # an INSERT's result is a CursorResult
        insert(AlertLog).from_select(
            ["alert_id", "member_id", "quote_id", "event", "price", "status", "created_at"],
            select(
                PriceAlert.id,
                PriceAlert.member_id,
                literal(quote.id),
                PriceAlert.kind,
                literal(price, Numeric(8, 2)),
                literal("pending"),
                literal(now or utcnow(), UTCDateTime()),
            ).where(PriceAlert.fired_token == token),
        )
    ).rowcount
    # Re-arm: alerts now on the far side of their threshold may fire again when the price comes back.
    new_side = case(
        (and_(PriceAlert.kind == "above", PriceAlert.threshold <= price), "above"),
        (PriceAlert.kind == "above", "below"),
        (PriceAlert.threshold >= price, "below"),
        else_="above",
    )
    db.execute(
        update(PriceAlert)
        .where(mine, PriceAlert.kind.in_(("above", "below")), watched != new_side)
        .values(last_side=new_side)
        .execution_options(synchronize_session=False)
    )
    return int(logged or 0)


def pending_log(db: Session) -> list[tuple[int, int, str, str, str | None, str | None]]:
    """Fired alerts not yet queued for LINE: (log id, quote id, event, LINE user id, language, profile language)."""
    rows = db.execute(
        select(
            AlertLog.id, AlertLog.quote_id, AlertLog.event, Member.line_user_id, Member.language,
            Member.profile_language,
        )
        .join(Member, Member.id == AlertLog.member_id)
        .where(AlertLog.status == "pending")
        .order_by(AlertLog.id)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]
