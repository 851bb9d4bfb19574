"""Thai understanding: `parse(text) -> Intent` with the contract's intent and slot names (README, "Thai understanding").

normalise (Thai digits, sara am, repeated letters) -> tokens (newmm over pythainlp's dictionary merged with
the domain words of lexicon.json; number words; misspellings matched against the domain words) -> an intent
by ordered cue rules -> its slots. Beside them, `understand` gives the readings a reply to the bot's own
question may hold (a yes or no, a name, a mobile number, a district, a bare number, …; bot.nlu.replies), so
that handlers read slots only, never the member's text.

A leaf of the house: it imports nothing of handlers, models, Flask or the LINE SDK. `Intent` costs nothing to
import; the lexicon and pythainlp load on the first message read (or the first use of `LEXICON`), so that a
process that only builds intents (the scheduler, most commands) never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.nlu.intent import NUMBER_SLOTS, POSTBACK_LIMIT, Intent

if TYPE_CHECKING:
    from bot.nlu.replies import Readings

__all__ = ["NUMBER_SLOTS", "POSTBACK_LIMIT", "Intent", "answer", "items", "more", "parse", "readings", "understand"]


def parse(text: str) -> Intent:
    """The intent of a message and its contract slots."""
    from bot.nlu.parser import parse

    return parse(text)


def understand(text: str) -> tuple[Intent, Readings]:
    """The intent with its contract slots, and everything answer-like in the message (bot.nlu.replies), from
    one reading of it."""
    from bot.nlu.parser import understand

    return understand(text)


def readings(text: str) -> Readings:
    """Everything answer-like in the message: what `understand` gives beside the intent (a message the webhook has
    just read is not read again)."""
    from bot.nlu.parser import understand

    return understand(text)[1]


def more(text: str) -> bool:
    """True when the message asks for so many more with no new total (เพิ่มอีก 2 กระสอบ): added, never set."""
    from bot.nlu.parser import more

    return more(text)


def answer(text: str) -> str | None:
    """'yes', 'no' or 'cancel' when the whole message is such a reply (ใช่ครับ, ไม่เอา, ยกเลิก), else None."""
    from bot.nlu.parser import answer

    return answer(text)


def items(text: str) -> list[str]:
    """The items of a message that orders several ("ปุ๋ย 2 กระสอบ ข้าวสาร 3 ถุง"), each as its own text, the
    first with the words before it ("สั่ง"); a message of one item (or none) is [text]. An item starts at a
    product, brand or formula named after the previous item's quantity, and has a quantity of its own."""
    from bot.nlu.parser import items

    return items(text)


def __getattr__(name: str) -> Any:
    if name == "LEXICON":  # the loaded word table, for tests and the benchmark
        from bot.nlu.parser import LEXICON

        return LEXICON
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
