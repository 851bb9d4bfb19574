"""Thai understanding: `parse(text) -> Intent` with the contract's intent and slot names (DESIGN.md).

normalise (Thai digits, sara am, repeated letters) -> tokens (newmm over pythainlp's dictionary merged with
the domain words of lexicon.json; number words; misspellings matched against the domain words) -> an intent
by ordered cue rules -> its slots. The lexicon is loaded once, at import.
"""

from __future__ import annotations

from bot.nlu import grammar
from bot.nlu.lexicon import load
from bot.nlu.tokens import Token, tokenize
from handlers import Intent

LEXICON = load()


def parse(text: str) -> Intent:
    tokens = tokenize(text, LEXICON)
    if _answer(tokens) in ("yes", "no"):
        # ไม่เอา answers the bot's question; read as "cancel my order" it would drop the pending question
        return Intent("unknown", {}, text)
    reading = grammar.read(tokens)
    name = grammar.intent_of(reading)
    slots = grammar.slots_for(name, reading, LEXICON.slots.get(name, frozenset()))
    return Intent(name, slots, text)


def items(text: str) -> list[str]:
    """The items of a message that orders several ("ปุ๋ย 2 กระสอบ ข้าวสาร 3 ถุง"), each as its own text, the
    first with the words before it ("สั่ง"); a message of one item (or none) is [text]. An item starts at a
    product, brand or formula named after the previous item's quantity, and has a quantity of its own."""
    tokens = tokenize(text, LEXICON)
    starts: list[int] = []
    counted = False
    for i, token in enumerate(tokens):
        goods = token.kind == "formula" or token.slot("product") or token.slot("brand")
        if goods and (not starts or counted):
            starts.append(i)
            counted = False
        elif token.kind == "num" and starts:
            counted = True
    if len(starts) < 2:
        return [text]
    pieces = [tokens[start:end] for start, end in zip(starts, [*starts[1:], len(tokens)], strict=True)]
    if not all(any(t.kind == "num" for t in piece) for piece in pieces[1:]):
        return [text]
    return [" ".join(t.text for t in part) for part in (tokens[: starts[1]], *pieces[1:])]


def answer(text: str) -> str | None:
    """'yes', 'no' or 'cancel' when the whole message is such a reply (ใช่ครับ, ไม่เอา, ยกเลิก), else None."""
    return _answer(tokenize(text, LEXICON))


def _answer(tokens: list[Token]) -> str | None:
    answers = LEXICON.answers
    words = [t.text for t in tokens if t.kind != "mark"]
    for candidate in (words, [w for w in words if w in answers or w not in LEXICON.fillers]):
        if not candidate:
            return None
        joined = "".join(candidate)
        if joined in answers:
            return answers[joined]
        kinds = {answers.get(word) for word in candidate}
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
    return None
