"""Announcements that a coordination center sends, now or at a scheduled time, to the members it serves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, and_, func, or_, select
from sqlalchemy.orm import Mapped, Session, contains_eager, mapped_column, relationship

from models.base import Base, JSONType, utcnow
from models.member import Member
from models.network import Center
from models.orders import OrderLine
from models.outbox import Delivery

# draft -> scheduled -> sending (queued; some deliveries pending or held) -> sent (none left pending), or cancelled
STATUSES = ("draft", "scheduled", "sending", "sent", "cancelled")


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    send_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    recipients: Mapped[int] = mapped_column(default=0)  # the audience when it was queued
    # Members, as the outbox last saw them: LINE took it for them / it waits (held, with the reason in
    # `held_reason`) / LINE refused it for good.
    delivered: Mapped[int] = mapped_column(default=0)
    held: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    held_reason: Mapped[str | None] = mapped_column(Text)
    held_until: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]  # when its author was told how it went
    districts: Mapped[list[str] | None] = mapped_column(JSONType)  # narrows the center's audience to these
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))  # or its members
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()


def audience(db: Session, center: Center, author_id: int | None = None,
             districts: list[str] | None = None, round_id: int | None = None) -> list[Member]:
    """The members a center serves: everyone for a province-wide center (a federation or a feed brand's),
    the members of its district for a district cooperative, its own members for a sub-district one; of those,
    the members of `districts`, or with an order in round `round_id`, when given. Only registered members who
    still follow the account are counted, and not the author."""
    query = select(Member).where(Member.active.is_(True), Member.consent_at.is_not(None), Member.id != (author_id or 0))
    if center.level == "district" and center.brand is None:
        query = query.where(or_(Member.district == center.district, Member.cooperative_id == center.id))
    elif center.level == "subdistrict" and center.brand is None:
        query = query.where(Member.cooperative_id == center.id)
    if districts:
        query = query.where(Member.district.in_(districts))
    if round_id is not None:
        ordered = select(OrderLine.member_id).where(OrderLine.round_id == round_id, OrderLine.status == "active")
        query = query.where(Member.id.in_(ordered))
    return list(db.scalars(query.order_by(Member.id)))


def recent_for(db: Session, member: Member, limit: int = 5) -> list[Announcement]:
    """The latest announcements sent by centers that serve this member (the rule of `audience`, seen from
    the member's side), newest first."""
    own = or_(Center.district == member.district, Center.id == member.cooperative_id)
    serving = or_(
        Center.brand.is_not(None),
        Center.level == "province",
        and_(Center.level == "district", own),
        and_(Center.level == "subdistrict", Center.id == member.cooperative_id),
    )
    return list(db.scalars(
        select(Announcement)
        .join(Center, Center.id == Announcement.center_id)
        .where(Announcement.status.in_(("sending", "sent")), serving)
        .order_by(Announcement.send_at.desc(), Announcement.id.desc())
        .limit(limit)
        .options(contains_eager(Announcement.center))
    ))


def due(db: Session, now: datetime) -> list[Announcement]:
    return list(
        db.scalars(
            select(Announcement)
            .where(Announcement.status == "scheduled", Announcement.send_at <= now)
            .order_by(Announcement.id)
            .with_for_update(skip_locked=True)
        )
    )


def refresh_counts(db: Session, announcement_ids: set[int]) -> None:
    """Bring the announcements' counts up to date from their deliveries; those with nothing left pending
    are sent."""
    if not announcement_ids:
        return
    members = func.json_array_length(Delivery.recipients) if db.get_bind().dialect.name == "sqlite" else \
        func.jsonb_array_length(Delivery.recipients)
    counts: dict[int, dict[str, int]] = {}
    reasons: dict[int, tuple[str | None, datetime | None]] = {}
    rows = db.execute(
        select(Delivery.announcement_id, Delivery.status, func.sum(members), func.max(Delivery.error),
               func.max(Delivery.next_attempt_at))
        .where(Delivery.announcement_id.in_(announcement_ids), Delivery.status != "split")
        .group_by(Delivery.announcement_id, Delivery.status)
    )
    for announcement_id, status, count, error, until in rows:
        counts.setdefault(announcement_id, {})[status] = int(count or 0)
        if status == "pending":
            reasons[announcement_id] = (error, until)
    for announcement in db.scalars(select(Announcement).where(Announcement.id.in_(announcement_ids))):
        found = counts.get(announcement.id, {})
        announcement.delivered, announcement.failed = found.get("sent", 0), found.get("failed", 0)
        announcement.held = found.get("pending", 0)
        announcement.held_reason, announcement.held_until = reasons.get(announcement.id, (None, None))
        if announcement.status == "sending" and not announcement.held:
            announcement.status = "sent"


def authored_by(db: Session, member: Member, limit: int = 3) -> list[Announcement]:
    """A coordinator's own latest announcements, newest first, drafts left out."""
    return list(db.scalars(
        select(Announcement).where(Announcement.author_id == member.id, Announcement.status != "draft")
        .order_by(Announcement.send_at.desc(), Announcement.id.desc()).limit(limit)
    ))


def unreported(db: Session) -> list[Announcement]:
    """Announcements that have gone out whose authors have not been told how it went."""
    return list(db.scalars(
        select(Announcement)
        .where(Announcement.status == "sent", Announcement.reported_at.is_(None), Announcement.author_id.is_not(None))
        .order_by(Announcement.id)
    ))
