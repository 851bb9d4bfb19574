"""The domain word table (lexicon.json), loaded once, and the tokenizer dictionary built from it.

pythainlp's own dictionary (about 62,000 words) is merged with the domain words so that newmm keeps brand
names whole and knows everyday words. Building pythainlp's node-per-letter Trie from that many words takes
one to three seconds, too slow for start-up, so the dictionary is a set of words indexed by their first two
letters (`WordSet`), which newmm uses through the same `prefixes` call.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pythainlp.corpus import thai_words
from pythainlp.util import Trie

from bot.nlu.replies import ReplyWords, reply_words
from bot.nlu.tokens import NUMBER_WORDS

PATH = Path(__file__).with_name("lexicon.json")


class WordSet(Trie):
    """A read-only newmm dictionary: a word set with word lengths indexed by the first two letters."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(w for w in (word.strip() for word in words) if w)
        lengths: dict[str, set[int]] = {}
        for word in self._words:
            if len(word) > 1:
                lengths.setdefault(word[:2], set()).add(len(word))
        self._lengths = {key: tuple(sorted(value)) for key, value in lengths.items()}

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = [text[start]] if text[start] in self._words else []
        words = self._words
        end = len(text)
        for length in self._lengths.get(text[start : start + 2], ()):
            if start + length > end:
                break
            candidate = text[start : start + length]
            if candidate in words:
                found.append(candidate)
        return found

    def add(self, word: str) -> None:
        raise TypeError("WordSet is read-only: add words to lexicon.json")

    def remove(self, word: str) -> None:
        raise TypeError("WordSet is read-only")

    def __contains__(self, key: object) -> bool:
        return key in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


@dataclass(frozen=True)
class Lexicon:
    tags: dict[str, tuple[str, ...]]
    """surface word -> its tags: 'slot:value' or '#cue'"""
    typos: dict[str, str]
    fillers: frozenset[str]
    answers: dict[str, str]
    """a whole short reply -> 'yes', 'no' or 'cancel'"""
    slots: dict[str, frozenset[str]]
    """intent -> the slots it keeps"""
    dictionary: WordSet
    near: dict[str, tuple[str, ...]]
    """a domain word with one letter deleted (two for long words) -> the domain words it comes from (SymSpell)"""
    longest: int
    replies: ReplyWords
    """the words replies to the bot's questions go by (names, districts, skip, consent, …), compiled"""
    _seen: dict[str, str | None] = field(default_factory=dict)
    """misspelt() answers so far, for the words members type again and again"""

    def misspelt(self, text: str) -> str | None:
        """The domain word `text` is a misspelling of (one edit; two for long words), or None.

        The text side deletes one letter only, which finds one edit anywhere and, for long words, two letters
        left out or a letter changed plus one left out; two letters changed are not guessed at."""
        if len(text) < (FUZZY_MIN_LATIN if text.isascii() else FUZZY_MIN) or len(text) > self.longest + 1:
            return None
        try:
            return self._seen[text]
        except KeyError:
            pass
        if len(self._seen) > SEEN_LIMIT:
            self._seen.clear()
        best: tuple[bool, int, int, str] | None = None
        bare = text.translate(_TONELESS)
        for variant in _deletions(text, 1):
            for word in self.near.get(variant, ()):
                allowed = 2 if min(len(word), len(text)) >= FUZZY_TWO else 1
                distance = edit_distance(text, word, allowed)
                if 0 < distance <= allowed:
                    # a wrong tone mark is the likeliest slip: ปุ่ย is ปุ๋ย (fertilizer), not ปุ่ม (a button)
                    candidate = (word.translate(_TONELESS) != bare, distance, abs(len(word) - len(text)), word)
                    best = candidate if best is None or candidate < best else best
        if best is not None and best[0] and text.startswith(NOT) and text[len(NOT):] in self.dictionary:
            best = None  # ไม่ขาด (not short of) is a real word said with "not", no ไม่ขาย; ไม่ซื่อ only slipped a tone
        found = best[3] if best else None
        self._seen[text] = found  # a plain dict: threads may race to fill it, never to a wrong answer
        return found


NOT = "ไม่"
FUZZY_MIN = 4
"""shorter words are never corrected: too many real words lie one letter from ยาง or กรด"""
FUZZY_MIN_LATIN = 6
"""feed is one letter from need and seed"""
FUZZY_TWO = 8
SEEN_LIMIT = 50_000
"""words and runs of words misspelt() remembers (about 5 MB): the twelve thousand blind messages make 43,000;
at 10,000 the memo was emptied four times a pass and the slowest messages were read cold"""


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts once), or limit + 1 when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _compound(word: str, domain: frozenset[str]) -> bool:
    """True for a general word made of two domain words (สั่งอาหาร): it would swallow the product."""
    return any(word[:i] in domain and word[i:] in domain for i in range(1, len(word)))


_TONELESS = str.maketrans({"\u0e48": None, "\u0e49": None, "\u0e4a": None, "\u0e4b": None, "\u0e47": None,
                           "\u0e39": "\u0e38", "\u0e35": "\u0e34", "\u0e37": "\u0e36"})


def _unmarked(tags: dict[str, list[str]], domain: frozenset[str], fillers: frozenset[str]) -> dict[str, str]:
    """Domain words as typed on a phone without tone marks or long vowels (เปด for เป็ด, หมุ for หมู, ยอนหลัง for
    ย้อนหลัง), where that spelling is no word of its own and stands for one domain word only; not a word with its
    particle (ดีครับ: ไปดิครับ is no greeting), nor a word that only holds an action back (อย่า, ยังไม่): read exactly."""
    words = set(thai_words())
    endings = tuple(particle for particle in fillers if len(particle) > 1 and not particle.isascii())
    found: dict[str, set[str]] = {}
    for word in tags:
        bare = word.translate(_TONELESS)
        if bare != word and len(bare) > 1 and not word.isascii() and not word.endswith(endings) and not _exact(
                tags[word]):
            found.setdefault(bare, set()).add(word)
    return {bare: next(iter(sources)) for bare, sources in found.items()
            if len(sources) == 1 and bare not in domain and bare not in words}


_EXACT = frozenset({"#hold", "#held"})
"""the tags of words read only as typed: ยังไม่ is no misspelt ยางไม่, อย่า no อยาก cut short"""


def _exact(word_tags: list[str]) -> bool:
    return set(word_tags) <= _EXACT


def load(path: Path = PATH) -> Lexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    tags: dict[str, list[str]] = {}
    for tag, words in data["tags"].items():
        for word in words:
            # a phrase ("how much", "pick up") is typed as words the tokenizer rejoins without their spaces
            for surface in {word.lower(), word.lower().replace(" ", "")}:
                # another province is also someone else's business: its words are not listed twice
                tags.setdefault(surface, []).extend((tag, "#elsewhere") if tag == "#province" else (tag,))
    answers = {surface: kind for kind, words in data["answers"].items() for word in words
               for surface in (word.lower(), word.lower().replace(" ", ""))}  # as tags: "dont cancel" is one word
    answers |= {southern + word[len(NOT):]: kind for word, kind in list(answers.items())  # หม้ายเอา is ไม่เอา
                if word.startswith(NOT) and word != NOT for southern in data["not_words"]}
    fillers = frozenset(word.lower() for word in data["particles"])
    typos = {wrong: right for wrong, right in data["typos"].items()}
    domain = frozenset(tags) | fillers | frozenset(answers)
    typos = {**_unmarked(tags, domain, fillers), **typos}
    starts, ends = {word[:2] for word in domain}, {word[-2:] for word in domain}
    general = (word for word in thai_words()
               if word not in domain and not (word[:2] in starts and word[-2:] in ends and _compound(word, domain)))
    dictionary = WordSet([*general, *domain, *typos, *NUMBER_WORDS])
    near: dict[str, list[str]] = {}
    for word in tags:
        if len(word) >= (FUZZY_MIN_LATIN if word.isascii() else FUZZY_MIN) and not _exact(tags[word]):
            for variant in _deletions(word, 2 if len(word) >= FUZZY_TWO else 1):
                near.setdefault(variant, []).append(word)
    return Lexicon(
        tags={word: tuple(values) for word, values in tags.items()},
        typos=typos,
        fillers=fillers,
        answers=answers,
        slots={intent: frozenset(names) for intent, names in data["slots"].items()},
        dictionary=dictionary,
        near={variant: tuple(words) for variant, words in near.items()},
        longest=max(len(word) for word in tags),
        replies=reply_words(data, tags),
    )
