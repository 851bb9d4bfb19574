"""Signing in to the web console: single-use links and server-side sessions.

Only hashes of the link tokens and session ids are stored, so a copy of the database opens nothing. A link
is consumed by one conditional UPDATE, so of two uses (even at the same moment) exactly one signs in. A
session is a row: signing out deletes it, and a cookie copied before then is refused after.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

LINK_LIFETIME = timedelta(minutes=15)
SESSION_IDLE = timedelta(hours=12)
SESSION_LIFETIME = timedelta(days=7)
TOUCH_EVERY = timedelta(minutes=5)  # how stale `seen_at` may get before a request writes it again


class WebLogin(Base):
    """A sign-in link handed out by `coopbot admin link`."""

    __tablename__ = "web_logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser; the cookie carries the id, the row says whether it is still good."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime]


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def issue_link(db: Session, member_id: int, now: datetime) -> str:
    """A new sign-in token for the member (only its hash is stored); old, spent links are swept away."""
    db.execute(delete(WebLogin).where(WebLogin.expires_at < now - timedelta(days=1)))
    token = secrets.token_urlsafe(32)
    db.add(WebLogin(token_hash=digest(token), member_id=member_id, created_at=now, expires_at=now + LINK_LIFETIME))
    return token


@dataclass(frozen=True)
class Consumed:
    outcome: Literal["ok", "used", "expired", "unknown"]
    member_id: int | None = None


def consume_link(db: Session, token: str, now: datetime) -> Consumed:
    """Spend a link: one conditional UPDATE, so a second use fails however close behind it comes."""
    hashed = digest(token)
    member_id = db.scalar(
        update(WebLogin)
        .where(WebLogin.token_hash == hashed, WebLogin.used_at.is_(None), WebLogin.expires_at > now)
        .values(used_at=now)
        .returning(WebLogin.member_id)
    )
    if member_id is not None:
        return Consumed("ok", member_id)
    used_at = db.execute(select(WebLogin.used_at).where(WebLogin.token_hash == hashed)).one_or_none()
    if used_at is None:
        return Consumed("unknown")
    return Consumed("expired" if used_at[0] is None else "used")


@dataclass(frozen=True)
class Opened:
    session_id: str  # for the cookie; the database keeps only its hash
    csrf: str


def open_session(db: Session, member_id: int, now: datetime) -> Opened:
    db.execute(delete(WebSession).where(WebSession.seen_at < now - SESSION_IDLE))
    opened = Opened(secrets.token_urlsafe(32), secrets.token_urlsafe(24))
    db.add(WebSession(id_hash=digest(opened.session_id), member_id=member_id, csrf=opened.csrf, created_at=now,
                      seen_at=now))
    return opened


def find_session(db: Session, session_id: str, now: datetime) -> WebSession | None:
    """The live session with this id, its idle clock restarted; None (and the row gone) once it has lapsed."""
    row = db.get(WebSession, digest(session_id))
    if row is None:
        return None
    if now - row.seen_at > SESSION_IDLE or now - row.created_at > SESSION_LIFETIME:
        db.delete(row)
        return None
    if now - row.seen_at > TOUCH_EVERY:
        row.seen_at = now
    return row


def close_session(db: Session, session_id: str) -> None:
    db.execute(delete(WebSession).where(WebSession.id_hash == digest(session_id)))
