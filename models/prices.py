"""Rubber price quotes: a center's posted buying price, RAOT's opening price, the Ministry of Commerce's.

What a member acts on is their own cooperative's buying price, so every lookup ranks the sources for that
member: their district cooperative, then the rubber federation, then RAOT, then the Ministry of Commerce.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache

from sqlalchemy import (
    BindParameter,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Numeric,
    Select,
    String,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    false,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from models import kept
from models.base import BANGKOK, Base, utcnow
from models.network import Center, network_center, network_center_query

RUBBER_TYPES = ("latex", "uss", "rss3", "cuplump")
DEFAULT_DAYS, MIN_DAYS, MAX_DAYS = 30, 5, 365  # the history a member may ask for, and a chart shows
BOARD_TABLES = ("price_quotes", "centers", "networks")
"""what the price board is read from: a write to any of them drops the board kept (models.kept)"""
SOURCES = ("center", "raot", "moc")
LOWEST, HIGHEST = Decimal(20), Decimal(150)
BIG_MOVE = Decimal("0.15")
CENT = Decimal("0.01")
_NOT_MINE = 9
BOARD_WINDOW = timedelta(days=45)  # a source's two newest days, as `board` looks for them


class PriceError(ValueError):
    """A price that must not be stored; `reason` is not_a_number, not_positive, too_precise or implausible."""

    def __init__(self, reason: str, value: Decimal) -> None:
        super().__init__(f"{reason}: {value}")
        self.reason = reason
        self.value = value


class PriceQuote(Base):
    __tablename__ = "price_quotes"
    __table_args__ = (
        UniqueConstraint("day", "rubber_type", "source", "center_id"),
        # NULLs are distinct in a unique constraint, so market prices (no center) need their own index.
        Index(
            "uq_price_quotes_market_day", "day", "rubber_type", "source", unique=True,
            sqlite_where=text("center_id IS NULL"), postgresql_where=text("center_id IS NULL"),
        ),
        Index("ix_price_quotes_type_day", "rubber_type", "day"),
        CheckConstraint("rubber_type IN ('latex', 'uss', 'rss3', 'cuplump')", name="rubber_type"),
        CheckConstraint("source IN ('center', 'raot', 'moc')", name="source"),
        CheckConstraint("baht_per_kg > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    rubber_type: Mapped[str] = mapped_column(String(16))
    baht_per_kg: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    source: Mapped[str] = mapped_column(String(16))
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center | None] = relationship()


def local_day(now: datetime) -> date:
    """The calendar day in Thailand, where prices are posted each morning."""
    return now.astimezone(BANGKOK).date()


def checked(value: Decimal | float | int | str) -> Decimal:
    """A price in baht per kg with at most two decimals and within 20–150; raises PriceError otherwise."""
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise PriceError("not_a_number", Decimal(0)) from None
    if not price.is_finite() or price <= 0:
        raise PriceError("not_positive", price if price.is_finite() else Decimal(0))
    try:
        cents = price.quantize(CENT)
    except InvalidOperation:  # more digits than any price has (past 28 of them)
        raise PriceError("implausible", price) from None
    if price != cents:
        raise PriceError("too_precise", price)
    if not LOWEST <= price <= HIGHEST:
        raise PriceError("implausible", price)
    return cents


def big_move(old: Decimal, new: Decimal) -> bool:
    """A move of more than 15 % is more often a typo than a market."""
    return abs(new - old) > old * BIG_MOVE


def move_percent(old: Decimal, new: Decimal) -> Decimal:
    """How far `new` is from `old`, in per cent of `old`, either way (what a big_move warning shows)."""
    return abs(new - old) * 100 / old


def federation(db: Session) -> Center | None:
    """The rubber federation, whose price members fall back on when their cooperative posted none."""
    return network_center(db, "rubber")


@dataclass(frozen=True)
class Preference:
    """Whose prices a member acts on, best first: their cooperative, the federation, RAOT, the Ministry. The
    federation is found inside each statement that ranks, not by a query of its own."""

    cooperative_id: int | None
    with_federation: bool = True

    def rank(self) -> ColumnElement[int]:
        return _rank(self.cooperative_id, self.with_federation)


def _rank(cooperative_id: int | BindParameter[int] | None, with_federation: bool = True) -> ColumnElement[int]:
    own = PriceQuote.source == "center"
    federation = network_center_query("rubber").with_only_columns(Center.id).scalar_subquery()
    return case(
        (and_(own, PriceQuote.center_id == cooperative_id), 0),
        (and_(own, PriceQuote.center_id == federation if with_federation else false()), 1),
        (PriceQuote.source == "raot", 2),
        (PriceQuote.source == "moc", 3),
        else_=_NOT_MINE,
    )


def latest(db: Session, rubber_type: str, prefer: Preference, on_or_before: date) -> PriceQuote | None:
    """The newest day's price of a type, from the best source that posted that day."""
    rank = prefer.rank()
    return db.scalar(
        select(PriceQuote)
        .where(PriceQuote.rubber_type == rubber_type, PriceQuote.day <= on_or_before, rank < _NOT_MINE)
        .order_by(PriceQuote.day.desc(), rank)
        .limit(1)
    )


def previous(db: Session, quote: PriceQuote) -> PriceQuote | None:
    """The same source's price on its previous trading day, so that a change compares like with like."""
    return db.scalar(
        select(PriceQuote)
        .where(
            PriceQuote.rubber_type == quote.rubber_type,
            PriceQuote.source == quote.source,
            PriceQuote.center_id.is_(None) if quote.center_id is None else PriceQuote.center_id == quote.center_id,
            PriceQuote.day < quote.day,
        )
        .order_by(PriceQuote.day.desc())
        .limit(1)
    )


def board(db: Session, rubber_types: Sequence[str], cooperative_id: int | None,
          on_or_before: date) -> list[tuple[PriceQuote, PriceQuote | None]]:
    """Each type's `latest` price for a member of this cooperative, with its `previous`: the commonest question on
    a price morning, so the board is kept a moment (models.kept) and its quotes are detached, for reading only."""
    return kept.read(db, BOARD_TABLES,
                     ("board", tuple(rubber_types), cooperative_id, on_or_before),
                     lambda own: _board(own, rubber_types, cooperative_id, on_or_before))


def _board(db: Session, rubber_types: Sequence[str], cooperative_id: int | None,
           on_or_before: date) -> list[tuple[PriceQuote, PriceQuote | None]]:
    """The board in one statement for the usual case: every source's two newest days within BOARD_WINDOW, ranked
    in the database. A type or a previous day older than that is looked up on its own."""
    rows = db.execute(_board_query(), {"cooperative": cooperative_id, "types": list(rubber_types),
                                       "day": on_or_before, "since": on_or_before - BOARD_WINDOW}).all()
    found = []
    for rubber_type in rubber_types:
        newest = [(quote, quote_rank) for quote, quote_rank, n in rows if quote.rubber_type == rubber_type and n == 1]
        if not newest:
            quote = latest(db, rubber_type, Preference(cooperative_id), on_or_before)
            if quote is not None:
                found.append((quote, previous(db, quote)))
            continue
        quote = min(newest, key=lambda row: (-row[0].day.toordinal(), row[1]))[0]
        before = next((q for q, _, n in rows if n == 2 and (q.rubber_type, q.source, q.center_id)
                       == (rubber_type, quote.source, quote.center_id)), None)
        found.append((quote, before if before is not None else previous(db, quote)))
    for quotes in found:  # each quote's center loaded here: they are read after their session has closed
        for quote in filter(None, quotes):
            quote.center  # noqa: B018
    return found


@cache
def _board_query() -> Select[PriceQuote, int, int]:
    """Built once: putting a statement together costs more CPU than running this one."""
    rank = _rank(bindparam("cooperative"))
    nth = func.row_number().over(partition_by=(PriceQuote.rubber_type, PriceQuote.source, PriceQuote.center_id),
                                 order_by=PriceQuote.day.desc())
    recent = (select(PriceQuote.id, rank.label("rank"), nth.label("nth"))
              .where(PriceQuote.rubber_type.in_(bindparam("types", expanding=True)),
                     PriceQuote.day <= bindparam("day"), PriceQuote.day > bindparam("since"), rank < _NOT_MINE)
              .subquery())
    return (select(PriceQuote, recent.c.rank, recent.c.nth).join(recent, recent.c.id == PriceQuote.id)
            .where(recent.c.nth <= 2).options(joinedload(PriceQuote.center)))


@dataclass(frozen=True)
class Series:
    source: str
    center: Center | None
    points: list[tuple[date, Decimal]]


def history(db: Session, rubber_type: str, prefer: Preference, start: date, end: date) -> Series | None:
    """One source's daily prices over [start, end]: the member's best source that covers the period.

    Sources are not mixed in one line: a cooperative's price sits a baht or two above RAOT's, and a line
    that hops between them would show moves that never happened. A source with far fewer days than the
    fullest one (a cooperative that began posting last week, on a 90-day chart) gives way to a fuller one.
    """
    rank = prefer.rank()
    rows = db.execute(
        select(PriceQuote, rank.label("rank"))
        .where(PriceQuote.rubber_type == rubber_type, PriceQuote.day.between(start, end), rank < _NOT_MINE)
        .order_by(PriceQuote.day)
    ).all()
    by_source: dict[tuple[str, int | None], list[PriceQuote]] = {}
    ranks: dict[tuple[str, int | None], int] = {}
    for quote, quote_rank in rows:
        key = (quote.source, quote.center_id)
        by_source.setdefault(key, []).append(quote)
        ranks[key] = quote_rank
    if not by_source:
        return None
    newest = latest(db, rubber_type, prefer, end)
    order = sorted(by_source, key=lambda k: ranks[k])
    if newest is not None and (newest.source, newest.center_id) in by_source:
        order.insert(0, (newest.source, newest.center_id))
    enough = max(2, max(len(quotes) for quotes in by_source.values()) * 6 // 10)
    key = next((k for k in order if len(by_source[k]) >= enough), order[0])
    quotes = by_source[key]
    return Series(key[0], quotes[0].center, [(q.day, q.baht_per_kg) for q in quotes])



def upsert(
    db: Session,
    day: date,
    rubber_type: str,
    price: Decimal,
    source: str,
    center_id: int | None = None,
    posted_by_id: int | None = None,
) -> PriceQuote:
    """Store the day's price for one source in one statement, so two posts at once leave one row."""
    if rubber_type not in RUBBER_TYPES or source not in SOURCES:
        raise ValueError(f"unknown rubber type or source: {rubber_type}, {source}")
    values = {
        "day": day, "rubber_type": rubber_type, "baht_per_kg": price, "source": source,
        "center_id": center_id, "posted_by_id": posted_by_id, "created_at": utcnow(),
    }
    keys = ["day", "rubber_type", "source"] + ([] if center_id is None else ["center_id"])
    where = PriceQuote.center_id.is_(None) if center_id is None else None
    changes = {"baht_per_kg": price, "posted_by_id": posted_by_id, "created_at": values["created_at"]}
    if db.get_bind().dialect.name == "postgresql":
        statement = pg_insert(PriceQuote).values(**values).on_conflict_do_update(
            index_elements=keys, index_where=where, set_=changes)
    else:
        statement = sqlite_insert(PriceQuote).values(**values).on_conflict_do_update(  # type: ignore[assignment]
            index_elements=keys, index_where=where, set_=changes)
    quote_id = db.execute(statement.returning(PriceQuote.id)).scalar_one()
    quote = db.get(PriceQuote, quote_id, populate_existing=True)
    assert quote is not None
    return quote


def jump_from(db: Session, center_id: int, rubber_type: str, price: Decimal, day: date) -> PriceQuote | None:
    """The last price before `day` (as the center's members see it) when `price` moves more than 15 % from it:
    the poster is asked to confirm. None when the move is ordinary or there is nothing to compare with."""
    before = latest(db, rubber_type, Preference(center_id), day - timedelta(days=1))
    return before if before is not None and big_move(before.baht_per_kg, price) else None


def post(db: Session, center_id: int, rubber_type: str, price: Decimal, now: datetime,
         posted_by_id: int | None = None) -> tuple[PriceQuote, int]:
    """A center's buying price of the day (chat's price.post, `coopbot prices post`, the console), already
    `checked` and confirmed when it jumped: stored, and the alerts it fires queued. Returns the quote and how
    many alerts fired; the caller delivers them after its commit."""
    from models import alerts  # alerts are about prices: they import this module

    quote = upsert(db, local_day(now), rubber_type, price, "center", center_id, posted_by_id)
    return quote, alerts.evaluate(db, quote, now)
