"""Benchmark of bot.nlu against the baseline a practitioner would try first, and its speed.

    PYTHAINLP_OFFLINE=1 PYTHAINLP_READ_ONLY=1 .venv/bin/python bench/nlu.py [--dev PATH] [--repeat N]

Figures, for the shared development set and for the held-out 20 % of the corpus (bot/nlu/corpus, split by a
stable hash of the text; the reader measured there is trained on the other 80 %): intent accuracy, slot
exact-match (intent and every slot right), per-intent confusion, out-of-domain messages that became an action,
messages read as an action not asked for (as read, and after the confidence gate: an unsure action is asked
about, not done), how often the bot asks; the same for the rules alone and for a character n-gram TF-IDF +
logistic regression baseline; then the blind sets (tests/data/nlu/blind, totals only, read by the shipped
reader trained on the whole corpus); then speed and memory.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from bot.nlu.intent import ACTIONS  # noqa: E402
from tests.nlu.corpus import Row, corpus, held_out, load  # noqa: E402

Parser = Any  # a callable text -> (intent, slots) or (intent, slots, unsure)
NUMBER = re.compile(r"\d+(?:\.\d+)?")
CATEGORICAL = ("product", "brand", "animal", "unit", "rubber_type", "direction", "formula", "daily")
BLIND = ROOT / "tests" / "data" / "nlu" / "blind"


class Reader:
    """bot.nlu.parse with a model trained on these rows (the whole corpus: the shipped reader)."""

    def __init__(self, rows: list[Row] | None = None):
        from bot.nlu import parser

        self.model = parser.train(rows) if rows is not None else parser.trained()

    def __call__(self, text: str) -> tuple[str, dict[str, Any], bool]:
        from bot.nlu import parser

        intent = parser.parse(text, self.model)
        return intent.name, dict(intent.slots), intent.unsure or intent.doubted  # the bot asks of either


def rules(text: str) -> tuple[str, dict[str, Any]]:
    """The ordered cue rules alone, as the reader was before it learned."""
    from bot.nlu import grammar, parser

    tokens = parser.tokenize(text, parser.LEXICON)
    if parser.answer_of(tokens, parser.LEXICON) in ("yes", "no"):
        return "unknown", {}
    reading = grammar.read(tokens)
    name = grammar.intent_of(reading)
    return name, grammar.slots_for(name, reading, parser.LEXICON.slots.get(name, frozenset()))


class Baseline:
    """Character 1-4-gram TF-IDF + logistic regression for the intent and for each categorical slot; numbers are
    the Arabic or Thai digits in order, given the numeric slot names the predicted intent had most in training."""

    def __init__(self, rows: list[Row]):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=True, sublinear_tf=True)
        features = self.vectorizer.fit_transform([r.text for r in rows])
        self.intent = LogisticRegression(max_iter=2000, C=10).fit(features, [r.intent for r in rows])
        self.slots: dict[str, Any] = {}
        for name in CATEGORICAL:
            labels = [str(r.slots.get(name, "")) for r in rows]
            if len(set(labels)) > 1:
                self.slots[name] = LogisticRegression(max_iter=2000, C=10).fit(features, labels)
        numbers: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
        for r in rows:
            numbers[r.intent][tuple(k for k in r.slots if isinstance(r.slots[k], int | float)
                                    and not isinstance(r.slots[k], bool))] += 1
        self.numbers = {intent: counts.most_common(1)[0][0] for intent, counts in numbers.items()}

    def __call__(self, text: str) -> tuple[str, dict[str, Any]]:
        features = self.vectorizer.transform([text])
        intent = str(self.intent.predict(features)[0])
        slots: dict[str, Any] = {}
        for name, model in self.slots.items():
            value = str(model.predict(features)[0])
            if value:
                slots[name] = True if value == "True" else value
        digits = NUMBER.findall(text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
        for name, raw in zip(self.numbers.get(intent, ()), digits, strict=False):
            slots[name] = float(raw) if "." in raw else int(raw)
        return intent, slots


def score(parser: Parser, rows: list[Row]) -> dict[str, Any]:
    intents = exact = ood = ood_total = unasked = gated = asked = 0
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        name, slots, *unsure = parser(row.text)
        asks = bool(unsure and unsure[0])
        intents += name == row.intent
        exact += name == row.intent and slots == row.slots
        unasked += name in ACTIONS and name != row.intent
        gated += name in ACTIONS and name != row.intent and not asks
        asked += asks
        confusion[row.intent][name] += 1
        if row.intent == "unknown" and not row.slots:
            ood_total += 1
            ood += name != "unknown" or bool(slots)
    return {"n": len(rows), "intent": intents / len(rows), "slots": exact / len(rows), "confusion": confusion,
            "ood": ood, "ood_total": ood_total, "unasked": unasked / len(rows), "gated": gated / len(rows),
            "asked": asked / len(rows)}


def confusion_lines(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    lines = [f"  {'intent':<14}{'n':>4}  {'ours right':>10}  {'baseline right':>14}  mistaken for (ours | baseline)"]
    for intent in sorted(a["confusion"]):
        ca, cb = a["confusion"][intent], b["confusion"][intent]
        n = sum(ca.values())
        wrong_a = ", ".join(f"{k}:{v}" for k, v in ca.most_common() if k != intent) or "-"
        wrong_b = ", ".join(f"{k}:{v}" for k, v in cb.most_common() if k != intent) or "-"
        lines.append(f"  {intent:<14}{n:>4}  {ca[intent]:>10}  {cb[intent]:>14}  {wrong_a} | {wrong_b}")
    return lines


def table(title: str, scores: dict[str, dict[str, Any]]) -> None:
    print(f"\n== {title} ==")
    print(f"  {'':<30}" + "".join(f"{name:>10}" for name in scores))
    rows = [("intent accuracy", lambda s: f"{s['intent']:.1%}"), ("slot exact-match", lambda s: f"{s['slots']:.1%}"),
            ("out-of-domain -> action", lambda s: f"{s['ood']}/{s['ood_total']}"),
            ("action not asked for, as read", lambda s: f"{s['unasked']:.1%}"),
            ("  after the confidence gate", lambda s: f"{s['gated']:.1%}"),
            ("  messages the bot asks about", lambda s: f"{s['asked']:.1%}")]
    for label, cell in rows:
        print(f"  {label:<30}" + "".join(f"{cell(s):>10}" for s in scores.values()))


def report(title: str, rows: list[Row], reader: Reader, baseline: Baseline, *, confusion: bool = True) -> None:
    ours, alone, other = score(reader, rows), score(rules, rows), score(baseline, rows)
    table(f"{title}: {len(rows)} messages", {"bot.nlu": ours, "rules": alone, "baseline": other})
    if confusion:
        print("\n".join(confusion_lines(ours, other)))


def blind(reader: Reader, baseline: Baseline) -> None:
    """The blind sets: written from the contract alone by writers who never saw the parser or its corpus.
    Only totals are printed, never a message: whoever edits the parser does not read them."""
    for path in sorted(BLIND.glob("*.jsonl")):
        report(f"blind set {path.name} (totals only)", load(path), reader, baseline, confusion=False)


def startup() -> dict[str, float]:
    """Fresh interpreters: the whole import of bot.nlu plus a first parse; and the NLU's own share, measured after
    importing every other module that importing the bot package loads (Flask, the LINE SDK, handlers, models)."""
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}
    listing = ("import sys, bot\n"
               "print(' '.join(m for m in sys.modules if not m.startswith(('bot', 'pythainlp', '__main__'))))")
    others = subprocess.run([sys.executable, "-c", listing], cwd=ROOT, env=env, check=True, capture_output=True,
                            text=True).stdout.split()
    preload = ("import importlib\n"
               f"for name in {others!r}:\n"
               "    try:\n        importlib.import_module(name)\n    except Exception:\n        pass\n")
    probe = ("import os, time\n"
             "def rss():\n"
             "    with open('/proc/self/statm') as f:\n"
             "        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20\n"
             "t = time.perf_counter()\n"
             "{pre}\n"
             "t1 = time.perf_counter(); r1 = rss()\n"
             "import bot.nlu\n"
             "bot.nlu.parse('สั่งอาหารหมูซีพี 6 กระสอบ')\n"
             "t2 = time.perf_counter(); r2 = rss()\n"
             # the peak of this process's own memory: VmHWM starts afresh at exec, while ru_maxrss keeps the
             # peak of the (large) benchmark process it was forked from
             "peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
             "print(t2 - t, t2 - t1, peak / 1024, r2 - r1)\n")
    runs: dict[str, list[float]] = defaultdict(list)
    for _ in range(3):
        cold = subprocess.run([sys.executable, "-c", probe.format(pre="")], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.split()
        warm = subprocess.run([sys.executable, "-c", probe.format(pre=preload)], cwd=ROOT, env=env,
                              check=True, capture_output=True, text=True).stdout.split()
        runs["total"].append(float(cold[0]))
        runs["own"].append(float(warm[1]))
        runs["rss"].append(float(cold[2]))
        runs["own_rss"].append(float(warm[3]))
    return {key: min(values) for key, values in runs.items()}


def speed(texts: list[str], repeat: int) -> dict[str, float]:
    """Wall-clock and CPU time per message after a warm-up pass. On a shared machine the wall-clock tail is mostly
    time spent waiting for a core; the thread's CPU time is what parsing itself costs."""
    from bot import nlu

    for text in texts:
        nlu.parse(text)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for text in texts:
            start, start_cpu = time.perf_counter(), time.thread_time()
            nlu.parse(text)
            cpu.append(time.thread_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    # every message seen for the first time: the misspelling memo emptied before each one
    fresh: list[float] = []
    for text in texts:
        nlu.LEXICON._seen.clear()
        start_cpu = time.thread_time()
        nlu.parse(text)
        fresh.append(time.thread_time() - start_cpu)
    wall.sort()
    cpu.sort()
    fresh.sort()
    return {"p50": statistics.median(wall) * 1000, "p99": wall[int(len(wall) * 0.99)] * 1000,
            "cpu_p50": statistics.median(cpu) * 1000, "cpu_p99": cpu[int(len(cpu) * 0.99)] * 1000,
            "fresh_p50": statistics.median(fresh) * 1000, "fresh_p99": fresh[int(len(fresh) * 0.99)] * 1000,
            "rate": len(wall) / sum(wall)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "nlu" / "dev" / "dev.jsonl")
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over all messages")
    parser.add_argument("--no-speed", action="store_true", help="accuracy only")
    args = parser.parse_args()
    rows = corpus()
    train = [r for r in rows if not held_out(r.text)]
    test = [r for r in rows if held_out(r.text)]
    print(f"corpus bot/nlu/corpus: {len(rows)} messages, training split {len(train)}, held-out {len(test)}")
    baseline, split, shipped = Baseline(train), Reader(train), Reader()
    if args.dev.exists():
        dev = load(args.dev)
        report(f"dev set {args.dev.name}", dev, shipped, baseline)
    else:
        dev = []
        print(f"\n(no dev set at {args.dev})")
    report("held-out 20 % of the corpus (reader and baseline trained on the other 80 %)", test, split, baseline)
    blind(shipped, Baseline(rows))
    if args.no_speed:
        return

    start = startup()
    timing = speed([r.text for r in rows + dev], args.repeat)
    busy = os.getloadavg()[0]
    print(f"\n== speed (this machine: {os.cpu_count()} cores, load average {busy:.1f}; "
          "start-up: best of 3 fresh interpreters) ==")
    print(f"  per message after warm-up, wall clock  p50 {timing['p50']:.3f} ms   p99 {timing['p99']:.3f} ms   "
          f"{timing['rate']:,.0f} messages/s")
    print(f"  per message after warm-up, CPU time    p50 {timing['cpu_p50']:.3f} ms   p99 {timing['cpu_p99']:.3f} ms")
    print(f"  each message unseen (memo emptied), CPU p50 {timing['fresh_p50']:.3f} ms   "
          f"p99 {timing['fresh_p99']:.3f} ms")
    print(f"  import bot.nlu + first parse: {start['total']:.2f} s in a fresh interpreter "
          f"(the NLU's own share, after the libraries the bot package loads anyway: {start['own']:.2f} s)")
    print(f"  peak memory after import + first parse: {start['rss']:.0f} MB "
          f"(the NLU's own share, resident memory it adds: {start['own_rss']:.0f} MB)")


if __name__ == "__main__":
    main()
