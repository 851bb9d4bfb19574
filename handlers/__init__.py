"""Intent handlers: plain functions `handle(turn, intent) -> list[Message]` that return replies and never send.

They receive the member's words already read: the intent and its slots from bot.nlu (with the readings of an
answer merged in by the dispatcher), never text to read again. `Intent` is bot.nlu's: import it from there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from linebot.v3.messaging import Message
from sqlalchemy.orm import Session

from bot.nlu import Intent
from models import conversation
from models.conversation import Conversation
from models.member import Member

__all__ = ["Handler", "Turn"]


@dataclass
class Turn:
    """One member's turn in the conversation: the session of this event's transaction and the member."""

    db: Session
    member: Member
    now: datetime
    _: Callable[[str], str]
    locale: str
    pending: Conversation | None = None
    translators: Callable[[str], Callable[[str], str]] | None = None
    image_base_url: str = ""  # where LINE fetches the bot's images (charts): Settings.image_base_url
    console_url: Callable[[], str] = lambda: ""  # where the web console is reached (its sign-in links start there)
    # When the member pressed or typed, as LINE stamped the event: a redelivered event comes late, out of order.
    acted_at: datetime | None = None

    def use_language(self, locale: str) -> None:
        """Store the member's language and answer the rest of this turn in it."""
        self.member.language = locale
        if self.translators is not None:
            self._ = self.translators(locale)
            self.locale = locale

    def expect(self, intent: str, slots: Mapping[str, Any], awaiting: str) -> None:
        """Wait for the member's next answer to fill `awaiting` (kept in the database for 30 minutes). Handlers
        keep their questions through handlers.forms, the one module that calls this."""
        conversation.expect(self.db, self.member.id, intent, dict(slots), awaiting, self.now)
        self.pending = conversation.pending(self.db, self.member.id, self.now)

    def finish(self) -> None:
        conversation.finish(self.db, self.member.id)
        self.pending = None


Handler = Callable[[Turn, Intent], list[Message]]
