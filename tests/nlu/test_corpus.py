"""The labelled corpus: big and varied enough, and parsed right (all of the training split; most of the held-out
split, which is kept for measuring and not tuned on)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.nlu import parse
from tests.nlu.corpus import Row, corpus, held_out, load
from tests.nlu.test_contract import INTENTS, NUMBERS, VALUES

ROWS = corpus()
TRAIN = [row for row in ROWS if not held_out(row.text)]
TEST = [row for row in ROWS if held_out(row.text)]
# The shared development set, copied in; in a folder of its own so that corpus() never reads it.
DEV = Path(__file__).resolve().parents[1] / "data" / "nlu" / "dev" / "dev.jsonl"


def test_the_corpus_covers_every_intent_and_slot_value() -> None:
    assert len(ROWS) >= 500
    assert len({row.text for row in ROWS}) == len(ROWS), "duplicate messages"
    intents = Counter(row.intent for row in ROWS)
    assert set(intents) == INTENTS and min(intents.values()) >= 8, intents
    seen = {(name, value) for row in ROWS for name, value in row.slots.items()}
    for name, values in VALUES.items():
        assert {(name, value) for value in values} <= seen, name
    assert {name for name, _ in seen} >= NUMBERS | {"formula", "daily"}
    assert 0.15 < len(TEST) / len(ROWS) < 0.25


def test_the_corpus_copies_nothing_from_the_development_set() -> None:
    dev = {row.text for row in load(DEV)}
    assert len(dev) >= 60, "the development set is here, whole"
    assert not dev & {row.text for row in ROWS}


@pytest.mark.parametrize("row", TRAIN, ids=[row.text for row in TRAIN])
def test_training_split(row: Row) -> None:
    intent = parse(row.text)
    assert (intent.name, dict(intent.slots)) == (row.intent, row.slots)


def test_held_out_split() -> None:
    results = [(row, parse(row.text)) for row in TEST]
    exact = sum((i.name, dict(i.slots)) == (r.intent, r.slots) for r, i in results)
    assert exact / len(TEST) >= 0.95
    assert not [r.text for r, i in results if r.intent == "unknown" and not r.slots and i.name != "unknown"]
