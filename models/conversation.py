"""A conversation waiting for the member's next answer, kept in the database so any worker continues it."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Select, String, bindparam, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

if TYPE_CHECKING:
    from models.member import Member

LIFETIME = timedelta(minutes=30)


class Conversation(Base):
    __tablename__ = "conversations"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    intent: Mapped[str] = mapped_column(String(32))
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    awaiting: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime]


def pending(db: Session, member_id: int, now: datetime) -> Conversation | None:
    """The member's open question, or None; an expired one is dropped."""
    conversation = db.get(Conversation, member_id)
    if conversation is not None and conversation.expires_at <= now:
        db.delete(conversation)
        db.flush()
        return None
    return conversation


def member_and_pending(db: Session, line_user_id: str, now: datetime) -> tuple[Member | None, Conversation | None]:
    """The member by LINE user id and their open question (an expired one dropped), in one query: the start of
    every member's turn."""
    row = db.execute(_member_and_pending(), {"line_user_id": line_user_id}).first()
    if row is None:
        return None, None
    member, conversation = row
    if conversation is not None and conversation.expires_at <= now:
        db.delete(conversation)
        db.flush()
        return member, None
    return member, conversation


@cache
def _member_and_pending() -> Select[Member, Conversation]:
    """Built once: it starts every member's turn, and putting it together costs more than running it."""
    from models.member import Member

    return (select(Member, Conversation).outerjoin(Conversation, Conversation.member_id == Member.id)
            .where(Member.line_user_id == bindparam("line_user_id")))


def expect(db: Session, member_id: int, intent: str, slots: dict[str, Any], awaiting: str, now: datetime) -> None:
    """Remember that `intent` waits for `awaiting`, replacing any earlier question."""
    conversation = db.get(Conversation, member_id)
    if conversation is None:
        conversation = Conversation(member_id=member_id)
        db.add(conversation)
    conversation.intent = intent
    conversation.slots = dict(slots)
    conversation.awaiting = awaiting
    conversation.expires_at = now + LIFETIME
    db.flush()


def purge_expired(db: Session, now: datetime) -> int:
    """Drop questions nobody answered: they may hold answers the member never consented to keep."""
    result = db.execute(delete(Conversation).where(Conversation.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)


def finish(db: Session, member_id: int) -> None:
    db.execute(delete(Conversation).where(Conversation.member_id == member_id))
