"""The labelled corpus the reader is trained on (bot/nlu/corpus, shipped in the package) and its stable held-out
split, under the names the tests and the benchmark use."""

from __future__ import annotations

from bot.nlu.classifier import CORPUS, Example, examples, held_out, labelled

Row = Example
corpus = examples
load = labelled
__all__ = ["CORPUS", "Row", "corpus", "held_out", "load"]
