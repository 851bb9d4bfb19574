"""Intent handlers: plain functions `handle(turn, intent) -> list[Message]` that return replies and never send."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

if TYPE_CHECKING:  # `coopbot parse` and bot.nlu need Intent alone; they should not pay for the SDK and ORM
    from linebot.v3.messaging import Message
    from sqlalchemy.orm import Session

    from models.conversation import Conversation
    from models.member import Member

NUMBER_SLOTS = frozenset({"quantity", "threshold", "price", "weight_kg", "drc", "days"})
POSTBACK_LIMIT = 300


@dataclass(frozen=True)
class Intent:
    """What the member wants: a contract intent name and its slots (see DESIGN.md)."""

    name: str
    slots: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""

    def to_postback(self) -> str:
        """Encode for a button's postback data (at most 300 characters, as LINE allows)."""
        data = urlencode({"i": self.name, **{k: _encode(v) for k, v in self.slots.items()}})
        if len(data) > POSTBACK_LIMIT:
            raise ValueError(f"postback data for {self.name} is {len(data)} characters, over LINE's 300")
        return data

    @classmethod
    def from_postback(cls, data: str) -> Intent | None:
        pairs = dict(parse_qsl(data, keep_blank_values=False))
        name = pairs.pop("i", None)
        if not name:
            return None
        try:
            slots = {k: _decode(k, v) for k, v in pairs.items()}
        except ValueError:
            return None
        return cls(name, slots)

    def with_slots(self, **slots: Any) -> Intent:
        return Intent(self.name, {**self.slots, **slots}, self.text)


def _encode(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(name: str, value: str) -> Any:
    if name in NUMBER_SLOTS:
        number = float(value)
        return int(number) if number.is_integer() else number
    if value in ("true", "false"):
        return value == "true"
    return value


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

    def use_language(self, locale: str) -> None:
        """Store the member's language and answer the rest of this turn in it."""
        self.member.language = locale
        if self.translators is not None:
            self._ = self.translators(locale)
            self.locale = locale

    def expect(self, intent: str, slots: Mapping[str, Any], awaiting: str) -> None:
        """Wait for the member's next answer to fill `awaiting` (kept in the database for 30 minutes)."""
        from models import conversation

        conversation.expect(self.db, self.member.id, intent, dict(slots), awaiting, self.now)

    def finish(self) -> None:
        from models import conversation

        conversation.finish(self.db, self.member.id)
        self.pending = None


Handler = Callable[[Turn, Intent], "list[Message]"]
