"""Announcements that a coordination center sends, now or at a scheduled time, to the members it serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String, Text, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, contains_eager, mapped_column, relationship

from models.alerts import PriceAlert
from models.base import BANGKOK, Base, JSONType, utcnow
from models.member import Member, serves, wants
from models.network import Center
from models.orders import OrderLine
from models.outbox import Delivery
from models.products import Product
from models.rounds import Round

INTERESTS = ("pig", "chicken", "duck", "fish", "cattle", "rubber", "rice")
"""what members raise or grow: said by them (Member.interests) or shown by what they ordered"""
NETWORK_INTERESTS = {"rubber": {"rubber"}, "rice_fertilizer": {"rice"},
                     "feed": {"pig", "chicken", "duck", "fish", "cattle"}}
"""the interests of a network's members; the community enterprises' network speaks to everyone"""
NETWORKS = (*NETWORK_INTERESTS, "community")
REMIND_BEFORE = timedelta(days=1)  # a meeting's reminder, to those going
GRACE = timedelta(hours=1)  # an occurrence of a repeating notice missed for longer than this is skipped
REPEATED = ("center_id", "author_id", "body", "body_en", "districts", "round_id", "network", "interest",
            "with_alerts", "every", "image_id")
"""what the next occurrence of a repeating announcement keeps"""
_IMPLIED = {"piglet": "pig", "rubber": "rubber", "acid": "rubber", "rice": "rice", "fertilizer": "rice"}

# draft -> scheduled -> sending (queued; some deliveries pending or held) -> sent (none left pending), or cancelled;
# an occurrence of a repeating one that the clock missed for longer than GRACE is "missed", never sent late
STATUSES = ("draft", "scheduled", "sending", "sent", "cancelled", "missed")


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)  # the same in English, for members who read English
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
    network: Mapped[str | None] = mapped_column(String(32))  # or the members who deal in a network's goods
    interest: Mapped[str | None] = mapped_column(String(16))  # or those who raise or grow this
    with_alerts: Mapped[bool] = mapped_column(default=False)  # or those who keep a price alert
    every: Mapped[str | None] = mapped_column(String(64))  # a cron rule: after each occurrence, the next is due
    meeting_at: Mapped[datetime | None]  # a meeting: its time, its place; members answer ไป / ไม่ไป
    place: Mapped[str | None] = mapped_column(String(300))
    image_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))  # shown first
    reminded_at: Mapped[datetime | None]  # a meeting's reminder to those going, the day before
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    center: Mapped[Center] = relationship()


class Media(Base):
    """An image a coordinator attached, served at /media/<id> for LINE to fetch (kept in the database, so that
    every web process behind a load balancer has it)."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingReply(Base):
    """A member's answer to a meeting: one a member, changed by pressing again, never counted twice."""

    __tablename__ = "meeting_replies"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"),
                                                 primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    going: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)


def audience(db: Session, center: Center, author_id: int | None = None,
             districts: list[str] | None = None, round_id: int | None = None, network: str | None = None,
             interest: str | None = None, with_alerts: bool = False) -> list[Member]:
    """The members a center serves: everyone for a province-wide center (a federation or a feed brand's),
    the members of its district for a district cooperative, its own members for a sub-district one; of those,
    the members of `districts`, with an order in round `round_id`, with a price alert (`with_alerts`), of a
    `network` (whose interests are its goods) or with an `interest`, when given. Only registered members who
    still follow the account and are still told (`told`) are counted, and not the author."""
    query = select(Member).where(Member.active.is_(True), Member.consent_at.is_not(None), Member.id != (author_id or 0),
                                 serves(center))
    if districts:
        query = query.where(Member.district.in_(districts))
    if round_id is not None:
        ordered = select(OrderLine.member_id).where(OrderLine.round_id == round_id, OrderLine.status == "active")
        query = query.where(Member.id.in_(ordered))
    if with_alerts:
        query = query.where(Member.id.in_(select(PriceAlert.member_id).where(PriceAlert.active.is_(True))))
    members = [member for member in db.scalars(query.order_by(Member.id)) if told(member, round_id)]
    wanted = {interest} if interest else NETWORK_INTERESTS.get(network or "")
    if not wanted:
        return members
    interests = interests_of(db, members)
    return [member for member in members if interests[member.id] & wanted]


def told(member: Member, round_id: int | None) -> bool:
    """Whether an announcement reaches a member who may have stopped the centers' news: one narrowed to the members
    of a round concerns their own order (its goods have arrived, collect them), so it reaches them all the same."""
    return round_id is not None or wants(member, "news")


def audience_of(db: Session, announcement: Announcement) -> list[Member]:
    """The members an announcement goes to, as its author chose them."""
    return audience(db, announcement.center, announcement.author_id, announcement.districts, announcement.round_id,
                    announcement.network, announcement.interest, announcement.with_alerts)


def interests_of(db: Session, members: list[Member]) -> dict[int, set[str]]:
    """What each member raises or grows: what they said, and what their orders show (pig feed: pigs; formic
    acid or a pledge: rubber; rice or fertilizer: rice)."""
    found = {member.id: set(member.interests or ()) for member in members}
    ordered = db.execute(
        select(OrderLine.member_id, Product.category, Product.animal).join(OrderLine.round).join(Round.product)
        .where(OrderLine.member_id.in_(list(found))).distinct())
    for member_id, category, animal in ordered:
        implied = interest_in(category, animal)
        if implied:
            found[member_id].add(implied)
    return found


def interest_in(category: str, animal: str | None) -> str | None:
    """The interest a product serves: pig feed pigs, formic acid and rubber rubber, rice and fertilizer rice."""
    return animal if category == "feed" else _IMPLIED.get(category)


def next_time(rule: str, after: datetime) -> datetime | None:
    """When a cron rule (Thai time, five fields) next fires after `after`; None for no rule or one that never
    fires (the 30th of February)."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        trigger = CronTrigger.from_crontab(rule, timezone=BANGKOK)
    except ValueError:
        return None
    fires = trigger.get_next_fire_time(None, after.astimezone(BANGKOK) + timedelta(seconds=1))
    return fires.astimezone(UTC) if fires is not None else None


def answer(db: Session, announcement_id: int, member_id: int, going: bool, at: datetime) -> bool:
    """A member's ไป / ไม่ไป to a meeting, pressed at `at`: one answer a member, changed by a later press (a press
    that LINE redelivers after a newer one changes nothing); returns the answer that stands."""
    key = (announcement_id, member_id)
    found = db.get(MeetingReply, key, with_for_update=True)
    if found is None:
        try:
            with db.begin_nested():
                db.add(MeetingReply(announcement_id=announcement_id, member_id=member_id, going=going, at=at))
            return going
        except IntegrityError:  # the member's other press, at the same moment, made the row first
            found = db.get(MeetingReply, key, with_for_update=True, populate_existing=True)
            assert found is not None
    if found.at <= at:
        found.going, found.at = going, at
    return found.going


def replies(db: Session, announcement_id: int) -> tuple[list[Member], list[Member]]:
    """Who goes to a meeting and who does not, in the order they answered."""
    going: list[Member] = []
    not_going: list[Member] = []
    for member, yes in db.execute(select(Member, MeetingReply.going)
                                  .join(MeetingReply, MeetingReply.member_id == Member.id)
                                  .where(MeetingReply.announcement_id == announcement_id).order_by(MeetingReply.at)):
        (going if yes else not_going).append(member)
    return going, not_going


def meetings_to_remind(db: Session, now: datetime) -> list[Announcement]:
    """Meetings within a day, sent, whose members going have not been reminded."""
    return list(db.scalars(
        select(Announcement).where(Announcement.meeting_at.is_not(None), Announcement.reminded_at.is_(None),
                                   Announcement.status.in_(("sending", "sent")),
                                   Announcement.meeting_at > now, Announcement.meeting_at <= now + REMIND_BEFORE)
        .order_by(Announcement.id).with_for_update(skip_locked=True)))


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
