"""Conversations as declarations (the idea of Rasa's forms and python-telegram-bot's ConversationHandler).

A `Form` names the slots a request needs, in order: how each is read from what the member said and how it is
asked for when it is missing or cannot be used. `Form.run` is the one runner: it reads every slot, asks for
the first that is missing (remembering the others in the member's open question, a database row that any
worker continues), and once all are there hands them to the handler's last step, which acts or shows its
confirm card. What is the same for every conversation is the dispatcher's, once: "ยกเลิก" cancels any form,
a question asked in the middle of one is answered and the form's question asked again, and a command typed
where free text is expected is confirmed before either is done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linebot.v3.messaging import Message

    from bot.nlu import Intent
    from handlers import Turn

Slots = dict[str, Any]


class Problem(Exception):
    """An answer the form cannot use: `messages` say why and what to type; the slot is asked for again."""

    def __init__(self, messages: list[Message]) -> None:
        super().__init__("problem")
        self.messages = messages


class Stop(Exception):
    """Nothing more to ask: the request cannot go on (too many alerts already); `messages` say so."""

    def __init__(self, messages: list[Message]) -> None:
        super().__init__("stop")
        self.messages = messages


@dataclass(frozen=True)
class Ask:
    """One slot of a form: how it is read (a value, None when missing, or Problem) and how it is asked for."""

    slot: str
    question: Callable[[Turn, Slots], list[Message]]
    read: Callable[[Turn, Intent, Slots, bool], Any] | None = None  # default: the slot as given
    needed: Callable[[Slots], bool] = lambda slots: True


@dataclass(frozen=True)
class Form:
    """A conversation: its intent, the slots it asks for, and how the dispatcher treats answers to it."""

    intent: str
    asks: tuple[Ask, ...] = ()
    kept: frozenset[str] = frozenset()  # the slots the open question keeps from one message to the next
    free_text: frozenset[str] = frozenset()  # awaited slots any text answers (a phone number, an announcement)
    confirms_commands: frozenset[str] = frozenset()  # of those, where a short command typed is asked about first
    hears: frozenset[str] = frozenset()  # other intents whose messages answer it ("ไม่เข้าใจ": ask again)
    optional: frozenset[str] = frozenset()  # awaited slots another request closes instead of interrupting
    # a look at the whole message before any slot is read (a number typed with a comma): its Problem asks
    # again what was asked (or the first slot), its Stop ends the request
    check: Callable[[Turn, Intent, Slots], None] | None = None
    # whether a message of the form's own intent starts a new request instead of answering (goods named anew)
    restarts: Callable[[Mapping[str, Any], Mapping[str, Any]], bool] | None = None
    cancel_is_yes: frozenset[str] = frozenset()  # awaited slots to which a typed "cancel" means yes

    def awaiting(self, turn: Turn) -> str | None:
        """The slot this form's open question waits for, if the member's open question is this form's."""
        pending = turn.pending
        return pending.awaiting if pending is not None and pending.intent == self.intent else None

    def wait(self, turn: Turn, slots: Mapping[str, Any], slot: str) -> None:
        """Keep the open question: waiting for `slot`, with the kept slots filled so far."""
        turn.expect(self.intent, {k: _stored(v) for k, v in slots.items() if k in self.kept and v is not None}, slot)

    def run(self, turn: Turn, intent: Intent, done: Callable[[Turn, Slots], list[Message]]) -> list[Message]:
        """Read every slot; ask for the first missing one, or hand them all to `done`."""
        slots: Slots = dict(intent.slots)
        answering = self.awaiting(turn)
        if slots.pop("use_typed", None) and answering and turn.pending is not None:
            # "it is the text": what was typed where free text was awaited, kept while the member was asked
            slots = {**turn.pending.slots, **slots, answering: turn.pending.slots.get("typed")}
        slots.pop("typed", None)
        try:
            if self.check is not None:
                self.check(turn, intent, slots)
        except Problem as problem:
            first = next((ask.slot for ask in self.asks if ask.needed(slots)), "answer")
            self.wait(turn, slots, answering or first)
            return problem.messages
        except Stop as stop:
            turn.finish()
            return stop.messages
        for ask in self.asks:
            if not ask.needed(slots):
                continue
            try:
                value = ask.read(turn, intent, slots, answering == ask.slot) if ask.read else slots.get(ask.slot)
            except Problem as problem:
                slots[ask.slot] = None
                self.wait(turn, slots, ask.slot)
                return problem.messages
            except Stop as stop:
                turn.finish()
                return stop.messages
            slots[ask.slot] = value
            if value is None:
                self.wait(turn, slots, ask.slot)
                return ask.question(turn, slots)
        return done(turn, slots)


def _stored(value: Any) -> Any:
    """As the open question's row keeps it (JSON): a Decimal as its exact string, to keep the satang."""
    return str(value) if isinstance(value, Decimal) else value
