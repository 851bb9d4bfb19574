"""Price alerts: above or below a threshold, or a daily digest; the runs that fired them; what was sent.

An alert fires once per crossing: it remembers the side of its threshold the price was last on, and fires
only when the price moves onto the side it watches; it re-arms when the price goes back. Evaluation is
set-based SQL (a price post can concern a hundred thousand alerts), and each firing is an atomic
UPDATE … WHERE on that remembered side, so two evaluations at once cannot fire the same crossing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
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
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow
from models.member import LANGUAGES, Member
from models.prices import PriceQuote, federation, local_day

KINDS = ("above", "below", "daily")
MAX_ACTIVE = 10
STALE_CLAIM = timedelta(minutes=2)  # a worker queueing a run commits a chunk every few hundred ms
# A source that posted a type within this many days is one its members follow: a lower one that comes in
# first on a morning must neither re-arm their alerts nor use up their daily price.
FOLLOWED_FOR = timedelta(days=7)


class PriceAlert(Base):
    __tablename__ = "price_alerts"
    __table_args__ = (
        Index("ix_price_alerts_type_active", "rubber_type", "active"),
        CheckConstraint("kind IN ('above', 'below', 'daily')", name="kind"),
        CheckConstraint("kind = 'daily' OR threshold IS NOT NULL", name="threshold"),
        # Room on each page for evaluation's UPDATE to write rows in place, touching no index (migration 0103).
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    rubber_type: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    threshold: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    active: Mapped[bool] = mapped_column(default=True)
    last_side: Mapped[str | None] = mapped_column(String(8))
    last_day: Mapped[date | None]
    # The run (AlertRun.id) that last fired this alert. No foreign key: checking one for each of a hundred
    # thousand rows in the firing UPDATE would cost more than the UPDATE.
    fired_run: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()


class AlertRun(Base):
    """One evaluation that fired alerts; the alerts it fired carry its id until they fire again.

    Firing writes no row per member (a post can fire a hundred thousand alerts): the run is the one row,
    and the queueing job reads its alerts by the run's id.
    """

    __tablename__ = "alert_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("price_quotes.id", ondelete="CASCADE"))
    fired: Mapped[int]
    # pending -> queueing (claimed; chunks being queued) -> queued (every recipient is in the outbox)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # The cursor: every recipient with a member id up to this one is queued. It moves in the transaction
    # that stores each chunk's deliveries, so a crash resumes after the last chunk, with no loss or repeat.
    # Evaluation sets it just before the first member the run fired.
    queued_until: Mapped[int] = mapped_column(default=0, server_default="0")
    # The last member the run fired: queueing is done once the cursor reaches it. None for a run evaluated
    # before the column existed; queueing works it out from the run's alerts.
    last_member: Mapped[int | None]
    # When the worker queueing the run last showed life: a claim older than STALE_CLAIM is taken over.
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    quote: Mapped[PriceQuote] = relationship()


class AlertLog(Base):
    """What was sent: one message (a price, an event, a language) to the recipients of one delivery."""

    __tablename__ = "alert_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("alert_runs.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(8))
    locale: Mapped[str] = mapped_column(String(8))
    recipients: Mapped[int]
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"))
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


def served(db: Session, quote: PriceQuote) -> ColumnElement[bool] | bool:
    """Which members' alerts this price concerns: False when none, True when every member's, else a
    condition on PriceAlert.member_id.

    Each member's alerts follow one source, the best that has posted the type lately (FOLLOWED_FOR): their
    cooperative, else the rubber federation, else RAOT, else the Ministry. Mixing sources would make an
    alert fire on every morning that RAOT's price, a baht below the cooperative's, comes in first."""
    fed = federation(db)
    if quote.source == "center" and (fed is None or quote.center_id != fed.id):
        return PriceAlert.member_id.in_(select(Member.id).where(Member.cooperative_id == quote.center_id))
    lately = select(PriceQuote.source, PriceQuote.center_id).where(
        PriceQuote.day > quote.day - FOLLOWED_FOR, PriceQuote.day <= quote.day,
        PriceQuote.rubber_type == quote.rubber_type).distinct()
    posted = {(source, center) for source, center in db.execute(lately)}
    better = {"moc": {"raot", "federation"}, "raot": {"federation"}}.get(quote.source, set())
    if ("federation" in better and fed is not None and ("center", fed.id) in posted) or (
        "raot" in better and any(source == "raot" for source, _ in posted)
    ):
        return False
    cooperatives = [center for source, center in posted if source == "center" and center is not None]
    cooperatives = [center for center in cooperatives if fed is None or center != fed.id]
    if not cooperatives:
        return True
    # Members whose own cooperative posts act on its price, not on this one.
    return PriceAlert.member_id.not_in(select(Member.id).where(Member.cooperative_id.in_(cooperatives)))


def evaluate(db: Session, quote: PriceQuote, now: datetime | None = None) -> int:
    """Fire the alerts this price crosses and the daily digests it completes; returns how many fired.

    One UPDATE does it all: it moves every concerned alert to the side of its threshold the price is on
    now, marks the day's digests done, and stamps the ones that fire with this run's id. Only a price of
    the day it is in Thailand is news: an import's earlier days and the Ministry's catch-up fire nothing,
    whoever stores them. Members who unfollowed are left to the queueing step, which skips them, so that
    this stays one pass over the alerts.
    """
    now = now or utcnow()
    if quote.day != local_day(now):
        return 0
    audience = served(db, quote)
    if audience is False:
        return 0
    price = quote.baht_per_kg
    run = AlertRun(quote_id=quote.id, fired=0, created_at=now)
    db.add(run)
    db.flush()
    new_side = case(
        (and_(PriceAlert.kind == "above", PriceAlert.threshold <= price), "above"),
        (PriceAlert.kind == "above", "below"),
        (PriceAlert.threshold >= price, "below"),
        else_="above",
    )
    daily = PriceAlert.kind == "daily"
    moves = and_(PriceAlert.kind.in_(("above", "below")), func.coalesce(PriceAlert.last_side, "") != new_side)
    due = and_(daily, or_(PriceAlert.last_day.is_(None), PriceAlert.last_day < quote.day))
    concerned: list[ColumnElement[bool]] = [
        PriceAlert.active.is_(True), PriceAlert.rubber_type == quote.rubber_type, or_(moves, due)
    ]
    if not isinstance(audience, bool):
        concerned.append(audience)
    db.execute(
        update(PriceAlert)
        .where(*concerned)
        .values(
            last_side=case((daily, PriceAlert.last_side), else_=new_side),
            last_day=case((daily, quote.day), else_=PriceAlert.last_day),
            # The WHERE let through only alerts whose side changed, so those now on their watched side fire.
            fired_run=case((or_(daily, new_side == PriceAlert.kind), run.id), else_=PriceAlert.fired_run),
        )
        .execution_options(synchronize_session=False)
    )
    run.fired, first, run.last_member = fired_members(db, run.id)
    if run.fired and first is not None:
        run.queued_until = first - 1
    else:
        db.delete(run)
    db.flush()
    return run.fired


def claim_runs(db: Session, now: datetime, stale_after: timedelta = STALE_CLAIM) -> list[int]:
    """Ids of the runs this worker now queues: pending ones, and ones whose worker stopped mid-way (claimed
    longer ago than `stale_after` and not finished). Each is claimed by an atomic UPDATE … WHERE, so that two
    workers never both take one; the caller commits. Even a worker wrongly thought dead cannot queue a chunk
    twice: each chunk moves the cursor with a compare-and-set (advance)."""
    open_runs = or_(AlertRun.status == "pending",
                    and_(AlertRun.status == "queueing", AlertRun.claimed_at < now - stale_after))
    claimed = []
    for run_id in list(db.scalars(select(AlertRun.id).where(open_runs).order_by(AlertRun.id))):
        taken = db.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            update(AlertRun).where(AlertRun.id == run_id, open_runs).values(status="queueing", claimed_at=now)
        ).rowcount
        if taken:
            claimed.append(run_id)
    return claimed


def fired_members(db: Session, run_id: int) -> tuple[int, int | None, int | None]:
    """How many alerts a run fired, and the first and the last member they belong to."""
    count, first, last = db.execute(
        select(func.count(), func.min(PriceAlert.member_id), func.max(PriceAlert.member_id))
        .where(PriceAlert.fired_run == run_id)
    ).one()
    return count, first, last


def advance(db: Session, run_id: int, cursor: int, to: int, done: bool, now: datetime) -> bool:
    """Move a run's cursor from `cursor` to `to` (and finish it when `done`), in the transaction that queued
    the chunk; False if another worker moved it first, and then that transaction must be rolled back."""
    moved = db.execute(  # type: ignore[attr-defined]
        update(AlertRun)
        .where(AlertRun.id == run_id, AlertRun.status == "queueing", AlertRun.queued_until == cursor)
        .values(queued_until=to, claimed_at=now, status="queued" if done else "queueing")
    ).rowcount
    return bool(moved)


def recipients(db: Session, run_id: int, after: int, upto: int) -> Sequence[tuple[int, str, str, str]]:
    """(member id, event, locale, LINE user id) for the alerts the run fired that still stand (the member
    still follows the account, has not cancelled the alert, and a corrected price has not moved it back off
    its watched side since), of members after `after` up to `upto`, in member order. The locale is
    Member.locale, worked out in SQL. Thousands of rows come back at a time, so they are fetched as the
    driver's plain tuples: SQLAlchemy rows take four times as long.

    A window of member ids rather than a LIMIT: the run's id is new to the planner's statistics, so with a
    LIMIT PostgreSQL expects a handful of rows, reads all of them and sorts; a range keeps it on the index."""
    profile = func.lower(Member.profile_language)
    locale = case(
        (or_(*[Member.language == language for language in LANGUAGES]), Member.language),
        *[(or_(profile == language, profile.like(f"{language}-%")), language) for language in LANGUAGES],
        else_="th",
    )
    query = (
        select(PriceAlert.member_id, PriceAlert.kind, locale.label("locale"), Member.line_user_id)
        .join(Member, Member.id == PriceAlert.member_id)
        .where(PriceAlert.fired_run == run_id, PriceAlert.member_id > after, PriceAlert.member_id <= upto,
               PriceAlert.active.is_(True), Member.active.is_(True),
               or_(PriceAlert.kind == "daily", PriceAlert.last_side == PriceAlert.kind))
        .order_by(PriceAlert.member_id)
    )
    connection = db.connection()
    compiled = query.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    cursor = connection.connection.cursor()
    try:
        arguments = [params[name] for name in compiled.positiontup or ()] if compiled.positional else params
        cursor.execute(str(compiled), arguments)
        return cursor.fetchall()
    finally:
        cursor.close()

