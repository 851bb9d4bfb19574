"""Composing an announcement: the checks every way of making one shares (`coopbot announce`, the console's
composer), the audience it reaches and what it costs, and cancelling one that has not gone out.

A refusal is an `AnnouncementRefused` naming the field at fault and why; each caller words it for its reader
(the command line in English, the console in the staff member's language)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from models.announcements import Announcement, Media, audience, next_time
from models.member import Member
from models.network import DISTRICTS, Center
from models.rounds import Round

TEXT_LIMIT = 5000  # LINE's, for one text message
IMAGE_LIMIT = 10 * 1024 * 1024  # LINE's, for an image message's original
IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}  # what LINE shows
PLACE_LIMIT = 300


class AnnouncementRefused(ValueError):
    """What is wrong with an announcement: `field` (body, districts, at, every, meeting, place, image, round,
    audience, announcement) and `reason`, with `details` for the wording."""

    def __init__(self, field: str, reason: str, **details: Any) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.details = field, reason, details


@dataclass
class Draft:
    """An announcement as its author asks for it; times are aware datetimes (None: now)."""

    center: Center
    body: str
    author_id: int | None = None
    body_en: str | None = None  # the same in English, for members who read English
    districts: list[str] = field(default_factory=list)
    network: str | None = None
    interest: str | None = None
    round_id: int | None = None
    with_alerts: bool = False
    at: datetime | None = None
    every: str | None = None
    meeting_at: datetime | None = None
    place: str | None = None
    image: bytes | None = None


def image_kind(data: bytes) -> str:
    """The image's content type; refuses one LINE would not show or take."""
    if len(data) > IMAGE_LIMIT:
        raise AnnouncementRefused("image", "too_big", size=len(data), limit=IMAGE_LIMIT)
    kind = next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise AnnouncementRefused("image", "not_an_image")
    return kind


def send_time(draft: Draft, now: datetime) -> datetime:
    """When it first goes out, after checking the text, the districts, the times and the meeting."""
    body = draft.body.strip()
    if not body:
        raise AnnouncementRefused("body", "empty")
    if len(body) > TEXT_LIMIT:
        raise AnnouncementRefused("body", "too_long", length=len(body), limit=TEXT_LIMIT)
    english = (draft.body_en or "").strip()
    if len(english) > TEXT_LIMIT:
        raise AnnouncementRefused("body_en", "too_long", length=len(english), limit=TEXT_LIMIT)
    known = dict(DISTRICTS)
    for district in draft.districts:
        if district not in known:
            raise AnnouncementRefused("districts", "unknown", district=district, known=list(known))
    send_at = draft.at or now
    if draft.at is not None and draft.at <= now:
        raise AnnouncementRefused("at", "past")
    if draft.every:
        first = next_time(draft.every, send_at - timedelta(seconds=1) if draft.at else now)
        if first is None:
            raise AnnouncementRefused("every", "never_fires", rule=draft.every)
        send_at = first if draft.at is None else send_at
    place = (draft.place or "").strip()
    if draft.meeting_at is not None and draft.meeting_at <= send_at:
        raise AnnouncementRefused("meeting", "before_sending")
    if draft.meeting_at is not None and not place:
        raise AnnouncementRefused("place", "missing")
    if place and draft.meeting_at is None:
        raise AnnouncementRefused("meeting", "missing")
    if len(place) > PLACE_LIMIT:
        raise AnnouncementRefused("place", "too_long", length=len(place), limit=PLACE_LIMIT)
    return send_at


def reach(db: Session, draft: Draft) -> list[Member]:
    """Who would get it (the rule of `models.announcements.audience`)."""
    if draft.round_id is not None and db.get(Round, draft.round_id) is None:
        raise AnnouncementRefused("round", "unknown", round_id=draft.round_id)
    return audience(db, draft.center, draft.author_id, draft.districts or None, draft.round_id, draft.network,
                    draft.interest, draft.with_alerts)


def cost(members: int, has_image: bool) -> int:
    """Messages counted against LINE's monthly quota: one a member, and one more for an image."""
    return members * (2 if has_image else 1)


def create(db: Session, draft: Draft, now: datetime) -> tuple[Announcement, list[Member]]:
    """A new scheduled announcement, after every check; the clock sends it at its time. Refuses an audience of
    nobody."""
    send_at = send_time(draft, now)
    kind = image_kind(draft.image) if draft.image is not None else None
    members = reach(db, draft)
    if not members:
        raise AnnouncementRefused("audience", "nobody")
    media = None
    if draft.image is not None and kind is not None:
        media = Media(content_type=kind, data=draft.image)
        db.add(media)
        db.flush()
    announcement = Announcement(
        center_id=draft.center.id, author_id=draft.author_id, body=draft.body.strip(),
        body_en=(draft.body_en or "").strip() or None, send_at=send_at,
        status="scheduled", districts=list(draft.districts) or None, round_id=draft.round_id, network=draft.network,
        interest=draft.interest, with_alerts=draft.with_alerts, every=draft.every or None,
        meeting_at=draft.meeting_at, place=(draft.place or "").strip() or None, image_id=media.id if media else None)
    db.add(announcement)
    db.flush()
    return announcement, members


def cancel(db: Session, announcement_id: int) -> Announcement:
    """Cancel an announcement that has not gone out yet (a repeating one: its next occurrence, and so the rest)."""
    item = db.get(Announcement, announcement_id, with_for_update=True)
    if item is None:
        raise AnnouncementRefused("announcement", "unknown", announcement_id=announcement_id)
    if item.status not in ("draft", "scheduled"):
        raise AnnouncementRefused("announcement", "gone_out", status=item.status)
    item.status = "cancelled"
    return item
