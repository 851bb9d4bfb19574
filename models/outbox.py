"""Outbound pushes, each stored with its LINE retry key before the call, so a crash resumes without loss
or repeats: a pending row is sent again with the same key, and LINE answers 409 if it already went."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, String, Text, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import BANGKOK, Base, JSONType, utcnow

MULTICAST_LIMIT = 500
# A sender renews its lease while it sends (bot.delivery); one that stopped without releasing it (killed, say) is
# taken over after this. Short, so that a clock restarted after a crash sends again within a minute.
LEASE = timedelta(seconds=60)


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    recipients: Mapped[list[str]] = mapped_column(JSONType)
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    # pending -> sent | failed (LINE refused it for good) | split (a refused multicast, queued again per member)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]  # held (LINE's rate or monthly limit, an outage) until then
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcements.id", ondelete="SET NULL"),
                                                         index=True)


class Sender(Base):
    """Who drains the outbox now (one sender at a time), and the month's quota as LINE last told it."""

    __tablename__ = "outbox_sender"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    quota_left: Mapped[int | None]
    quota_read_at: Mapped[datetime | None]


def queue(db: Session, user_ids: Sequence[str], messages: list[dict[str, Any]], purpose: str,
          announcement_id: int | None = None) -> list[Delivery]:
    """Store one delivery per batch of at most 500 recipients, each with a fresh retry key."""
    unique_ids = list(dict.fromkeys(user_ids))
    deliveries = [
        Delivery(
            retry_key=str(uuid.uuid4()),
            purpose=purpose,
            recipients=unique_ids[start : start + MULTICAST_LIMIT],
            messages=messages,
            announcement_id=announcement_id,
        )
        for start in range(0, len(unique_ids), MULTICAST_LIMIT)
    ]
    db.add_all(deliveries)
    db.flush()
    return deliveries


def unsent(db: Session, now: datetime, limit: int = 1000) -> list[Delivery]:
    """Pending deliveries due by `now` (not held until later), oldest first."""
    due = or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now)
    query = select(Delivery).where(Delivery.status == "pending", due).order_by(Delivery.id).limit(limit)
    return list(db.scalars(query))


SENDER = "outbox"


def next_month(now: datetime) -> datetime:
    """When LINE's monthly message quota starts again: the first of next month, Thai time."""
    local = now.astimezone(BANGKOK)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def take_lease(db: Session, holder: str, now: datetime, lease: timedelta = LEASE) -> bool:
    """Become (or stay) the outbox's one sender until now + lease; False while another holds it. An atomic
    UPDATE … WHERE, so that two processes never both hold it; the caller commits."""
    free = or_(Sender.holder.is_(None), Sender.holder == holder, Sender.lease_until < now)
    taken = db.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        update(Sender).where(Sender.name == SENDER, free).values(holder=holder, lease_until=now + lease)
    ).rowcount
    if taken:
        return True
    if db.get(Sender, SENDER) is not None:
        return False
    try:
        with db.begin_nested():
            db.add(Sender(name=SENDER, holder=holder, lease_until=now + lease))
    except IntegrityError:  # another sender made the row first: it holds the lease
        return False
    return True


def release_lease(db: Session, holder: str) -> None:
    db.execute(update(Sender).where(Sender.name == SENDER, Sender.holder == holder).values(holder=None))


def record_quota(db: Session, left: int | None, now: datetime) -> None:
    sender = db.get(Sender, SENDER)
    if sender is None:
        sender = Sender(name=SENDER)
        db.add(sender)
    sender.quota_left, sender.quota_read_at = left, now


def quota_read_before(db: Session, moment: datetime) -> bool:
    """Whether the quota was last read before `moment` (or never)."""
    sender = db.get(Sender, SENDER)
    return sender is None or sender.quota_read_at is None or sender.quota_read_at < moment


def last_quota(db: Session) -> int | None:
    """Messages left this month as LINE last told the sender; None when unlimited or not yet read."""
    sender = db.get(Sender, SENDER)
    return sender.quota_left if sender is not None else None
