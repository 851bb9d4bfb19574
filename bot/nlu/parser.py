"""The reader itself: the lexicon, loaded once, and what bot.nlu offers, on tokens read once per message."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from bot.nlu import grammar
from bot.nlu.classifier import Classifier, Example, features, kept, shipped
from bot.nlu.intent import ACTIONS, Intent
from bot.nlu.lexicon import load
from bot.nlu.normalize import normalize
from bot.nlu.replies import Readings, answer_of, read
from bot.nlu.tokens import Token, tokenize

LEXICON = load()
DOUBT = 0.6
"""a reading this unsure whose runner-up is 'nothing the bot does' is read as that, with the reading kept as its
runner-up: the bot asks whether that was meant (one tap) instead of answering a question nobody asked. Chosen on
the held-out fifth of 14,200 messages (bench/nlu.py): from 0.5 to 0.6, out-of-domain messages answered 18 to 13 of
885, intent read right 96.2 % either way (the few doubted now reach their meaning by the button)"""


def parse(text: str, model: Classifier | None = None) -> Intent:
    return _intent(text, tokenize(text, LEXICON), model)


def understand(text: str) -> tuple[Intent, Readings]:
    """The intent with its contract slots, and everything answer-like in the message, from one tokenization.
    A short message is read once for the last few thousand: members send the same words again and again
    ("ราคายางวันนี้" on a price morning, "สวัสดีครับ", "ใช่"); a long one (LINE allows 5,000 letters) is not kept."""
    return _understood(text) if len(text) <= MEMO_LONGEST else _understand(text)


MEMO_LONGEST = 200
"""the longest message kept read: 4,096 of LINE's longest would hold over 100 MB in every worker"""


def _understand(text: str) -> tuple[Intent, Readings]:
    tokens = tokenize(text, LEXICON)
    return _intent(text, tokens, house=True), read(text, tokens, LEXICON)


_understood = lru_cache(maxsize=4096)(_understand)  # both are frozen: handlers change an intent with `with_slots`


def train(rows: Iterable[Example]) -> Classifier:
    """A model of these labelled messages: what `parse` uses, trained on the shipped corpus, unless given one."""
    rows = list(rows)
    documents = []
    for row in rows:
        tokens = tokenize(row.text, LEXICON)
        documents.append(_document(row.text, tokens, grammar.read(tokens)))
    return Classifier.fit(documents, [row.intent for row in rows])


@cache
def trained() -> Classifier:
    """The reader of the shipped corpus, trained once per version of it (bot.nlu.classifier.kept)."""
    return kept(lambda: train(shipped()))


def _document(text: str, tokens: list[Token], reading: grammar.Reading, rule: str | None = None) -> list[str]:
    rule = rule or grammar.intent_of(reading)
    words = [t.text for t in tokens if t.kind == "word"]
    # in the same order in every process (a set's order changes with Python's string hashing, and with it the sums
    # of training, so that two builds of one corpus would not read quite alike)
    tags = [part for t in tokens for tag in t.tags for part in dict.fromkeys((tag, tag.partition(":")[0]))]
    return features(normalize(text), words, tags, rule)


def answer(text: str) -> str | None:
    return answer_of(tokenize(text, LEXICON), LEXICON)


def _intent(text: str, tokens: list[Token], model: Classifier | None = None, house: bool = False) -> Intent:
    """The contract's reading of the message; for the house (`house`), what it does about it: N more (เพิ่มอีก 2
    กระสอบ) is the contract's order.change, which the house does as order.join, whose flow adds N to the
    member's order for those goods (and joins the round when they have none), confirmed with the new total."""
    if answer_of(tokens, LEXICON) is not None:
        # ไม่เอา, ยกเลิก answer the bot's question (the dispatcher's, which also answers one typed with no question
        # open); read as "cancel my order" they would drop the pending question
        return Intent("unknown", {}, text)
    reading = grammar.read(tokens)
    rule = grammar.intent_of(reading)
    ranked = (model or trained()).rank(_document(text, tokens, reading, rule))
    if ranked[0][0] == "price.post" and not grammar.postable(reading) and ranked[0][1] < 1:
        # no price in it to post (ราคายางวันนี้ 3 ธ.ค. asks one): the others' chances, given that it is not a post
        rest = 1 - ranked[0][1]
        ranked = [(name, chance / rest) for name, chance in ranked[1:]]
    (name, confidence), (second, chance) = ranked[0], ranked[1]
    asked_how = rule in ACTIONS and grammar.how_to(reading)  # ยกเลิกยังไงอะ: that action, unsure, never nothing
    if asked_how and name == "unknown":
        (name, confidence), (second, chance) = (rule, _chance(ranked, rule)), (name, confidence)
    elif name != "unknown" and second == "unknown" and confidence < DOUBT and not (asked_how and name == rule):
        (name, confidence), (second, chance) = ranked[1], ranked[0]  # less likely than not, and else nothing
    elif (reading.held or grammar.goods_alone(reading)) and name in ACTIONS:
        # ยังไม่ปิดรอบ, อย่าเพิ่งประกาศ: an action said not (yet) to be done is never done; nor one that only names
        # goods (อาหารเป็ดเบทาโกร): the bot asks if it was meant
        (second, chance) = (name, confidence)
        name, confidence = "unknown", _chance(ranked, "unknown")
    if house and grammar.more_asked(reading):
        name, second = (_JOINED.get(name, name), _JOINED.get(second, second))
    runner_up = Intent(second, grammar.slots_for(second, reading, LEXICON.slots.get(second, frozenset())), text, chance)
    slots = grammar.slots_for(name, reading, LEXICON.slots.get(name, frozenset()))
    return Intent(name, slots, text, confidence, runner_up)


_JOINED = {"order.change": "order.join"}


def _chance(ranked: list[tuple[str, float]], intent: str) -> float:
    return next((p for name, p in ranked if name == intent), 0.0)


def more(text: str) -> bool:
    return grammar.more_asked(grammar.read(tokenize(text, LEXICON)))


def items(text: str) -> list[str]:
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
