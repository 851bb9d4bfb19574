"""Conversations as declarations (the idea of Rasa's forms and python-telegram-bot's ConversationHandler).

A `Form` names the slots a request needs, in order: how each is read from what the member said and how it is
asked for when it is missing or cannot be used; and, when the request is shown back before anything is done, its
`Confirm` step. `Form.run` is the one runner: it reads every slot, asks for the first that is missing
(remembering the others in the member's open question, a database row that any worker continues), shows the
confirm step and waits for its yes or no, and hands the slots to the handler's last step, which acts. What is
the same for every conversation is the dispatcher's, once: "ยกเลิก" cancels any form, a question asked in the
middle of one is answered and the form's question asked again (the form called with its open question's slots
and no new words: `Form.again`), and a command typed where free text is expected is confirmed before either is
done. Of the handlers, only this module reads or writes the open question (`Turn.pending`, `Turn.expect`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bot.nlu import Intent

if TYPE_CHECKING:
    from linebot.v3.messaging import Message

    from handlers import Turn
    from models.conversation import Conversation

Slots = dict[str, Any]
Done = Callable[["Turn", Slots], "list[Message]"]


class Problem(Exception):
    """An answer the form cannot use: `messages` say why and what to type; the slot is asked for again."""

    def __init__(self, messages: list[Message]) -> None:
        super().__init__("problem")
        self.messages = messages


class Stop(Exception):
    """Nothing more to ask: the request cannot go on (too many alerts already), or is answered without a question
    of its own (a list to choose from); `messages` say so and the open question is closed."""

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
    aliases: frozenset[str] = frozenset()  # other names its open question goes by (the welcome asks for the name)


def yes_or_no(slots: Mapping[str, Any]) -> bool | None:
    """A pressed button's `confirm`, or a typed yes or no (slot `answer`); None when neither. Only a real yes
    confirms, not any string a forged button carries."""
    confirm = slots.get("confirm")
    if confirm is None and slots.get("answer") in ("yes", "no"):
        return slots["answer"] == "yes"
    return None if confirm is None else confirm is True


@dataclass(frozen=True)
class Confirm:
    """A form's last question: the request shown back (a card, a question) for a yes or a no.

    A typed answer counts only when this is the question asked; a button's counts whenever it is pressed. The
    open question is closed once it is answered, and the last step gets the answer as slot `confirm`."""

    question: Callable[[Turn, Slots], list[Message]]
    slot: str = "answer"  # what the open question waits for
    answer: Callable[[Mapping[str, Any]], bool | None] = yes_or_no  # consent reads its own words
    # said to a typed answer that is neither yes nor no (default: the question again)
    unclear: Callable[[Turn, Slots], list[Message]] | None = None
    # what a new card carries (a one-time token, what the member had): made for each new card, not when the same
    # card is only shown again after a digression
    prepare: Callable[[Turn, Slots], None] | None = None
    # the slot that names a card: an older card's answer leaves the open question (a newer card) alone
    token: str | None = None
    # whether an answer goes through the asks again (their checks) or straight to the last step, which checks what
    # the card carries itself (a card pressed twice, or after a newer one, must add nothing twice)
    reread: bool = True


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
    confirm: Confirm | None = None  # the request shown back before it is done
    # one of several conversations under one intent (registering, editing a detail, deleting one's data): the
    # open question's slot `flow` says whose it is
    flow: str | None = None

    def _open(self, turn: Turn) -> Conversation | None:
        pending = turn.pending
        if pending is None or pending.intent != self.intent:
            return None
        if self.flow is not None and pending.slots.get("flow") != self.flow:
            return None
        return pending

    def awaiting(self, turn: Turn) -> str | None:
        """The slot this form's open question waits for, if the member's open question is this form's."""
        pending = self._open(turn)
        return pending.awaiting if pending is not None else None

    def open(self, turn: Turn) -> Slots:
        """The slots this form's open question keeps ({} when none is open): the answers given so far."""
        pending = self._open(turn)
        return dict(pending.slots) if pending is not None else {}

    def wait(self, turn: Turn, slots: Mapping[str, Any], slot: str) -> None:
        """Keep the open question: waiting for `slot`, with the kept slots filled so far."""
        kept = {k: _stored(v) for k, v in slots.items() if k in self.kept and v is not None}
        turn.expect(self.intent, {**kept, **({"flow": self.flow} if self.flow else {})}, slot)

    def hold(self, turn: Turn, typed: str) -> None:
        """Keep what was typed where free text was awaited, while the member says whether it is the text (the
        dispatcher's `which`); the open question waits as it was."""
        pending = turn.pending
        assert pending is not None and pending.intent == self.intent
        turn.expect(self.intent, {**pending.slots, "typed": typed}, pending.awaiting)

    def again(self, turn: Turn, done: Done) -> list[Message]:
        """This form's open question asked again, as it was (in another language, after a digression)."""
        return self.run(turn, Intent(self.intent, self.open(turn)), done)

    def run(self, turn: Turn, intent: Intent, done: Done) -> list[Message]:
        """Read every slot; ask for the first missing one; show the confirm step and take its answer; or hand
        them all to `done`."""
        awaited = self.awaiting(turn)
        kept = self.open(turn)
        # Called with its open question's slots and no new words: the question again (a digression answered)
        again = awaited is not None and not intent.text and dict(intent.slots) == kept
        answering = None if again else awaited
        slots: Slots = dict(intent.slots)
        if slots.pop("use_typed", None) and answering:
            # "it is the text": what was typed where free text was awaited, kept while the member was asked
            slots = {**kept, **slots, answering: kept.get("typed")}
        slots.pop("typed", None)
        answer = self._answer(intent, slots, answering)
        if self.confirm is not None and answer is not None and not self.confirm.reread:
            return self._answered(turn, slots, answer, done)
        try:
            if self.check is not None:
                self.check(turn, intent, slots)
        except Problem as problem:
            first = next((ask.slot for ask in self.asks if ask.needed(slots)), "answer")
            self.wait(turn, slots, awaited or first)
            return problem.messages
        except Stop as stop:
            turn.finish()
            return stop.messages
        for ask in self.asks:
            if not ask.needed(slots):
                continue
            this = awaited is not None and (awaited == ask.slot or awaited in ask.aliases)
            waits_as = awaited if this and awaited else ask.slot  # the welcome stays the welcome
            try:
                value = (ask.read(turn, intent, slots, this and not again) if ask.read
                         else slots.get(ask.slot))
            except Problem as problem:
                slots[ask.slot] = None
                self.wait(turn, slots, waits_as)
                return problem.messages
            except Stop as stop:
                turn.finish()
                return stop.messages
            slots[ask.slot] = value
            if value is None:
                self.wait(turn, slots, waits_as)
                return ask.question(turn, slots)
        if self.confirm is None:
            return done(turn, slots)
        if answer is None:
            confirm = self.confirm
            if confirm.unclear is not None and answering == confirm.slot and intent.text:
                self.wait(turn, slots, confirm.slot)
                return confirm.unclear(turn, slots)
            if confirm.prepare is not None and not again:
                confirm.prepare(turn, slots)
            self.wait(turn, slots, confirm.slot)
            return confirm.question(turn, slots)
        return self._answered(turn, slots, answer, done)

    def _answer(self, intent: Intent, slots: Slots, answering: str | None) -> bool | None:
        """The yes or no to the confirm step: a button's, or typed to that very question."""
        if self.confirm is None or (intent.text and answering != self.confirm.slot):
            return None
        return self.confirm.answer(slots)

    def _answered(self, turn: Turn, slots: Slots, answer: bool, done: Done) -> list[Message]:
        token = self.confirm.token if self.confirm is not None else None
        current = self.open(turn).get(token) if token else None
        if current is None or token not in slots or slots[token] == current:
            turn.finish()  # this card's question is answered; an older card's answer leaves the open one alone
        return done(turn, {**slots, "confirm": answer})


def _stored(value: Any) -> Any:
    """As the open question's row keeps it (JSON): a Decimal as its exact string, to keep the satang."""
    return str(value) if isinstance(value, Decimal) else value
