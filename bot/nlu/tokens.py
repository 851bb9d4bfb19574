"""From a raw message to tokens: normalise, cut numbers and formulas out, newmm for the Thai, number words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pythainlp.tokenize.newmm import segment

from bot.nlu.lexicon import Lexicon

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789", "\u200b\u200c\u200d\ufeff")
# sara am typed as nikhahit + sara aa, with a tone mark on either side of the nikhahit
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")
# vowels and tone marks never double; consonants (ลล in แกลลอน) may, but never three times
_REPEATED = re.compile(r"([\u0e30-\u0e4e])\1+|([\u0e01-\u0e2e])\2{2,}|([a-z])\3{2,}")
# a full stop that is not a decimal point (กก. ซี.พี.)
_STRAY_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_PIECES = re.compile(
    r"(?P<formula>\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{1,2})"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<thai>[\u0e01-\u0e4f]+)"
    r"|(?P<latin>[a-z][a-z0-9]*)"
    r"|(?P<other>[^\s\w])"
)
_DIGITS = {"ศูนย์": 0, "หนึ่ง": 1, "นึง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
           "เจ็ด": 7, "แปด": 8, "เก้า": 9}
_POWERS = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
_NUMBER_WORD = re.compile("|".join(sorted([*_DIGITS, *_POWERS], key=len, reverse=True)))
_NUMBER_TOKEN = re.compile(f"(?:{_NUMBER_WORD.pattern})+")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    """'word', 'num', 'formula', 'filler' (particles, pronouns) or 'mark'"""
    text: str
    tags: tuple[str, ...] = ()
    value: float | int | None = None

    def has(self, tag: str) -> bool:
        return tag in self.tags

    def slot(self, name: str) -> str | None:
        prefix = name + ":"
        for tag in self.tags:
            if tag.startswith(prefix):
                return tag[len(prefix):]
        return None


def normalize(text: str) -> str:
    text = text.translate(_THAI_DIGITS).lower()
    text = _SARA_AM.sub(lambda m: m.group(1) + m.group(2) + "\u0e33", text)
    text = _REPEATED.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)
    return _STRAY_DOT.sub(" ", text)


def thai_number(text: str) -> int:
    """ยี่สิบห้า -> 25, สองร้อยห้าสิบ -> 250, ร้อยนึง -> 100 (colloquial), สิบเอ็ด -> 11."""
    pieces = _NUMBER_WORD.findall(text)
    if len(pieces) > 1 and pieces[-1] == "นึง" and _POWERS.get(pieces[-2], 0) >= 100:
        pieces.pop()
    total, digit = 0, None
    for piece in pieces:
        if piece in _DIGITS:
            digit = _DIGITS[piece]
        elif piece == "ล้าน":
            total, digit = (total + (digit or 0) or 1) * 1_000_000, None
        else:
            total, digit = total + (1 if digit is None else digit) * _POWERS[piece], None
    return total + (digit or 0)


def _number(text: str) -> int | float:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def tokenize(text: str, lexicon: Lexicon) -> list[Token]:
    """Tokens with their lexicon tags; particles and pronouns are kept as 'filler' tokens."""
    tokens: list[Token] = []
    for match in _PIECES.finditer(normalize(text)):
        kind = match.lastgroup
        piece = match.group()
        if kind == "formula":
            tokens.append(Token("formula", re.sub(r"\s+", "", piece)))
        elif kind == "num":
            tokens.append(Token("num", piece, value=_number(piece)))
        elif kind == "thai":
            _thai(piece, lexicon, tokens)
        elif kind == "latin":
            _word(piece, lexicon, tokens)
        elif piece == "%":
            tokens.append(Token("word", piece, lexicon.tags.get(piece, ())))
        else:
            tokens.append(Token("mark", piece))
    return tokens


def _thai(run: str, lexicon: Lexicon, tokens: list[Token]) -> None:
    spoken: list[str] = []
    for word in segment(run, lexicon.dictionary):
        if _NUMBER_TOKEN.fullmatch(word):
            spoken.append(word)
            continue
        if spoken:
            joined = "".join(spoken)
            tokens.append(Token("num", joined, value=thai_number(joined)))
            spoken.clear()
        _word(word, lexicon, tokens)
    if spoken:
        joined = "".join(spoken)
        tokens.append(Token("num", joined, value=thai_number(joined)))


def _word(word: str, lexicon: Lexicon, tokens: list[Token]) -> None:
    word = lexicon.typos.get(word, word)
    tags = lexicon.tags.get(word)
    if tags:
        tokens.append(Token("word", word, tags))
    else:
        tokens.append(Token("filler" if word in lexicon.fillers else "word", word))
