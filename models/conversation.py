"""A conversation waiting for the member's next answer, kept in the database so any worker continues it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Select, String, bindparam, delete, select
from sqlalchemy.orm import Mapped, Session, make_transient_to_detached, mapped_column

from models.base import Base, utcnow
from models.events import claim_event, claim_statement

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
    return _unexpired(db, row[0], _open_question(db, row[1:]), now)


def claim_and_start(db: Session, webhook_event_id: str, event_type: str, line_user_id: str,
                    now: datetime) -> tuple[Member | None, Conversation | None] | None:
    """models.events.claim_event and member_and_pending together: None when the event was handled before,
    else the member and their open question. On PostgreSQL one statement, the claim a data-modifying WITH
    (a round trip and a statement's cost saved on every message); elsewhere two, as SQLite has no INSERT in a
    WITH and no round trip to save."""
    if db.get_bind().dialect.name != "postgresql":
        if not claim_event(db, webhook_event_id, event_type):
            return None
        return member_and_pending(db, line_user_id, now)
    row = db.execute(_claim_and_start(), {"id": webhook_event_id, "type": event_type, "at": utcnow(),
                                          "line_user_id": line_user_id}).first()
    if row is None:  # the claim inserted nothing: the WITH returned no row to join the member to
        return None
    return _unexpired(db, row[1], _open_question(db, row[2:]), now)


def _open_question(db: Session, columns: Sequence[Any]) -> Conversation | None:
    """The conversation from its columns in the turn's first row, in the session as if loaded there. Most turns
    have none: read as columns, not as an entity, they skip the ORM's loader set-up, which costs about as much
    as the statement (the ORM's own recipe, make_transient_to_detached and merge, makes the rare one)."""
    if columns[0] is None:
        return None
    conversation = Conversation(**dict(zip(_COLUMNS, columns, strict=True)))
    make_transient_to_detached(conversation)
    return db.merge(conversation, load=False)  # the session's own instance when it holds one already


def _unexpired(db: Session, member: Member | None, conversation: Conversation | None,
               now: datetime) -> tuple[Member | None, Conversation | None]:
    if conversation is not None and conversation.expires_at <= now:
        db.delete(conversation)
        db.flush()
        return member, None
    return member, conversation


_COLUMNS = ("member_id", "intent", "slots", "awaiting", "expires_at")


@cache
def _member_and_pending() -> Select[Any]:
    """Built once: it starts every member's turn, and putting it together costs more than running it."""
    from models.member import Member

    return (select(Member, *_conversation_columns()).outerjoin(Conversation, Conversation.member_id == Member.id)
            .where(Member.line_user_id == bindparam("line_user_id")))


@cache
def _claim_and_start() -> Select[Any]:
    """Built once, as _member_and_pending: one row when the claim inserted its own, the member's columns NULL
    (read as None) for a newcomer."""
    from models.member import Member

    claimed = claim_statement("postgresql").cte("claimed")
    return (select(claimed.c.webhook_event_id, Member, *_conversation_columns()).select_from(claimed)
            .outerjoin(Member, Member.line_user_id == bindparam("line_user_id"))
            .outerjoin(Conversation, Conversation.member_id == Member.id))


def _conversation_columns() -> list[Any]:
    return [getattr(Conversation, name) for name in _COLUMNS]


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
