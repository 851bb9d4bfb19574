"""Announcements that a coordination center sends, now or at a scheduled time, to the members it serves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, and_, or_, select
from sqlalchemy.orm import Mapped, Session, contains_eager, mapped_column, relationship

from models.base import Base, utcnow
from models.member import Member
from models.network import Center

STATUSES = ("draft", "scheduled", "sent", "cancelled")


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    send_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()


def audience(db: Session, center: Center, author_id: int | None = None) -> list[Member]:
    """The members a center serves: everyone for a province-wide center (a federation or a feed brand's),
    the members of its district for a district cooperative, its own members for a sub-district one.
    Only registered members who still follow the account are counted, and not the author."""
    query = select(Member).where(Member.active.is_(True), Member.consent_at.is_not(None), Member.id != (author_id or 0))
    if center.level == "district" and center.brand is None:
        query = query.where(or_(Member.district == center.district, Member.cooperative_id == center.id))
    elif center.level == "subdistrict" and center.brand is None:
        query = query.where(Member.cooperative_id == center.id)
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
        .where(Announcement.status == "sent", serving)
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
