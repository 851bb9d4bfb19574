"""The contract of DESIGN.md: intent names, slot names and canonical values, whatever the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu import LEXICON, parse

INTENTS = {"greeting", "help", "register", "order.join", "order.change", "order.cancel", "order.list", "rounds.list",
           "price.today", "price.history", "alert.create", "alert.list", "alert.cancel", "latex.calc", "sell.pledge",
           "savings", "news", "news.mute", "contact", "payment", "pickup", "delivery.status", "handoff", "price.post",
           "round.close", "round.summary", "broadcast", "console.link", "unknown"}
VALUES = {
    "product": {"feed", "acid", "fertilizer", "rice", "piglet"},
    "brand": {"cp", "betagro", "laemthong"},
    "animal": {"pig", "chicken", "duck", "fish", "cattle"},
    "unit": {"sack", "kg", "container", "head", "bag"},
    "rubber_type": {"latex", "uss", "rss3", "cuplump"},
    "direction": {"above", "below"},
}
NUMBERS = {"quantity", "threshold", "price", "weight_kg", "drc", "days"}


def assert_contract(text: str) -> None:
    intent = parse(text)
    assert intent.name in INTENTS
    assert intent.text == text
    for name, value in intent.slots.items():
        if name in VALUES:
            assert value in VALUES[name], (text, name, value)
        elif name in NUMBERS:
            assert type(value) in (int, float) and value >= 0, (text, name, value)
        elif name == "formula":
            assert isinstance(value, str) and value.count("-") == 2
        else:
            assert (name, value) == ("daily", True), (text, name, value)


def test_the_lexicon_speaks_only_contract_values() -> None:
    for word, tags in LEXICON.tags.items():
        for tag in tags:
            if not tag.startswith("#"):
                name, _, value = tag.partition(":")
                assert value in VALUES[name], (word, tag)
    assert set(LEXICON.slots) <= INTENTS
    assert set().union(*LEXICON.slots.values()) <= {*VALUES, *NUMBERS, "formula", "daily"}


_PIECES = [*sorted(LEXICON.tags), "5", "๑๒", "58.50", "15-15-15", "%", " ", "ครับ", "ทุเรียน", "😀", "ห้า", "ไม่"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_any_mix_of_domain_words_gives_contract_output(text: str) -> None:
    assert_contract(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_contract_output(text: str) -> None:
    assert_contract(text)
