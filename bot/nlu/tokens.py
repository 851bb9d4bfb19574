"""From a raw message to tokens: normalise, cut numbers and formulas out, newmm for the Thai, number words,
then re-join and correct words against the domain word table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pythainlp.tokenize.newmm import segment

from bot.nlu.normalize import normalize

if TYPE_CHECKING:
    from bot.nlu.lexicon import Lexicon

_PIECES = re.compile(
    r"(?P<formula>\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{1,2})"
    r"|(?P<comma>\d+,\d{1,2}(?!\d))"  # 58,50: a decimal comma or a typo for 5,850? not a number we guess at
    r"|(?P<num>(?:(?<![\w-])-)?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))"  # -5: a minus, not 50-60's dash
    r"|(?P<thai>[\u0e01-\u0e4f]+)"
    r"|(?P<latin>(?:uss|rss)3|[a-z]+)"
    r"|(?P<other>[^\s\w])"
)
_LAUGH = re.compile(r"5{3,}\+*")
MAX_DIGITS = 9
"""a run of more digits is no quantity, price or weight (0812345678 is a phone number; thousands of digits are
beyond what int() will even read): it is left as a mark for the handler to ask again"""
_DIGIT_RUN = re.compile(r"\d+")
LARGEST = 10**MAX_DIGITS - 1
TOO_LONG = "#too_long"
"""the tag of such a mark, digits or number words"""
_DIGITS = {"ศูนย์": 0, "หนึ่ง": 1, "นึง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
           "เจ็ด": 7, "แปด": 8, "เก้า": 9}
_POWERS = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
_TENTHS = dict(zip(list(_POWERS)[1:], _POWERS, strict=False))
"""each power from a hundred up and the one below it: a digit said after it counts that one (พันห้า 1,500)"""
NUMBER_WORDS = (*_DIGITS, *_POWERS)
_HEADS_INSTEAD = re.compile(r"(\d|" + "|".join(NUMBER_WORDS) + r")(\s*)ตัวแทน")
"""3 ตัวแทน (three head instead), which newmm would read as ตัวแทน (an agent)"""
_NUMBER_WORD = re.compile("|".join(sorted(NUMBER_WORDS, key=len, reverse=True)))
_NUMBER_TOKEN = re.compile(f"(?:{_NUMBER_WORD.pattern})+")
_WINDOW = 4
"""the most pieces a split domain word is rejoined from: ยาง แผ่น รม ควัน, typed a word at a time, is four"""
# Numbers typed in Latin letters: English words, and Thai said in romanised spelling (ha kasop, sam sip kilo)
_ENGLISH = {word: n for n, word in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])} | {
    word: 10 * n for n, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2)}
_ENGLISH_POWERS = {"hundred": 100, "thousand": 1000}
_ROMANISED = {"nueng": "หนึ่ง", "neung": "หนึ่ง", "nung": "หนึ่ง", "song": "สอง", "sam": "สาม", "si": "สี่", "see": "สี่",
              "ha": "ห้า", "haa": "ห้า", "hok": "หก", "jet": "เจ็ด", "jed": "เจ็ด", "ched": "เจ็ด", "paet": "แปด",
              "paed": "แปด", "kao": "เก้า", "gao": "เก้า", "sip": "สิบ", "sib": "สิบ", "yi": "ยี่", "yee": "ยี่",
              "et": "เอ็ด", "ed": "เอ็ด", "roi": "ร้อย", "phan": "พัน", "pan": "พัน", "muen": "หมื่น"}
_MAYBE = frozenset({"one", "ha", "haa", "sam", "si", "see", "song", "kao", "gao", "pan", "phan", "yi", "yee", "et",
                    "ed", "jet", "nung", "sib", "zero"})
"""words that are more often something else (see, song, Sam, ha ha, jet): a number only before what it counts"""
_COUNTED = ("unit:", "#percent", "#baht", "#days", "#weeks", "#months", "#years", "#ton")


def _english(words: list[str]) -> tuple[int, int]:
    """The English number the words start with, as (words it takes, value): a digit after a digit starts another
    (five five, a phone's digits), "and" only joins after a hundred or a thousand (five hundred and fifty)."""
    size = total = current = 0
    last = ""
    for word in words:
        if word == "and":
            kind, fits = "and", last == "power"
        elif word in _ENGLISH_POWERS:
            kind, fits = "power", last in ("", "digit", "teen", "tens", "power")
        elif word in _ENGLISH:
            kind = "digit" if _ENGLISH[word] < 10 else "teen" if _ENGLISH[word] < 20 else "tens"
            fits = last in ("", "power", "and") or (last == "tens" and kind == "digit")
        else:
            break
        if not fits:
            break
        size, last = size + 1, kind
        if kind == "power" and _ENGLISH_POWERS[word] == 1000:
            total, current = total + (current or 1) * 1000, 0
        elif kind == "power":
            current = (current or 1) * 100
        elif kind != "and":
            current += _ENGLISH[word]
    return size - (last == "and"), total + current


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


def thai_number(text: str) -> int:
    """ยี่สิบห้า -> 25, สองร้อยห้าสิบ -> 250, ร้อยนึง -> 100 (colloquial), สิบเอ็ด -> 11."""
    pieces = _NUMBER_WORD.findall(text)
    if len(pieces) > 1 and pieces[-1] == "นึง" and _POWERS.get(pieces[-2], 0) >= 100:
        pieces.pop()
    if len(pieces) > 1 and _DIGITS.get(pieces[-1], 0) > 1 and pieces[-2] in _TENTHS:
        pieces.append(_TENTHS[pieces[-2]])  # as it is said: ร้อยห้า 150, หมื่นสอง 12,000; ร้อยเอ็ด stays 101
    total, digit = 0, None
    for piece in pieces:
        if piece in _DIGITS:
            digit = _DIGITS[piece]
        elif piece == "ล้าน":
            total, digit = (total + (digit or 0) or 1) * 1_000_000, None
        else:
            total, digit = total + (1 if digit is None else digit) * _POWERS[piece], None
        if total > LARGEST:
            return total  # it only grows, and no quantity is this large: ล้านล้านล้าน… need not be multiplied out
    return total + (digit or 0)


def too_long(number: str) -> bool:
    """More digits than any quantity has, before or after the point (commas apart): 1,234,567,890 and 0812345678."""
    return any(len(run) > MAX_DIGITS for run in _DIGIT_RUN.findall(number.replace(",", "")))


def _number(text: str) -> int | float:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def tokenize(text: str, lexicon: Lexicon) -> list[Token]:
    """Tokens with their lexicon tags; particles and pronouns are kept as 'filler' tokens."""
    tokens: list[Token] = []
    words: list[str] = []
    for match in _PIECES.finditer(_HEADS_INSTEAD.sub(r"\1\2ตัว แทน", normalize(text))):
        kind, piece = match.lastgroup, match.group()
        if kind == "thai":
            words.extend(segment(piece, lexicon.dictionary))
            continue
        if kind == "latin":
            words.append(piece)
            continue
        _words(words, lexicon, tokens)
        if kind == "formula":
            tokens.append(Token("formula", re.sub(r"\s+", "", piece)))
        elif kind == "num" and too_long(piece):
            tokens.append(Token("mark", piece, (TOO_LONG,)))
        elif kind == "num" and (_LAUGH.fullmatch(piece) or piece.startswith("-")):
            tokens.append(Token("mark", piece))  # 555 is laughter; -5 no number a slot may hold
        elif kind == "num":
            tokens.append(Token("num", piece, value=_number(piece)))
        elif piece in lexicon.tags:
            tokens.append(Token("word", piece, lexicon.tags[piece]))
        else:
            tokens.append(Token("mark", piece))
    _words(words, lexicon, tokens)
    return _scaled(tokens)


_SCALES = tuple(word for word, power in _POWERS.items() if power >= 100)
"""the powers said after digits (2 ร้อย, 1.5 พัน); 2 สิบ is not said"""


def _scaled(tokens: list[Token]) -> list[Token]:
    """Digits then a power in words are one number, as said: 2 ร้อย is 200, 1.5 พัน 1,500, 3 ร้อยห้าสิบ, 3 ร้อยห้า
    and 3 ร้อย 50 are 350."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        digits = tokens[i]
        spoken = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        scale = _scale_of(digits, spoken)
        if not scale or spoken is None:
            out.append(digits)
            i += 1
            continue
        power = _POWERS[scale]
        value = (digits.value or 0) * power + (spoken.value or 0) - power  # ร้อยห้า is 150: 3 ร้อยห้า is 350
        taken = 2
        if (spoken.text == scale and after is not None and after.kind == "num" and after.text.isdigit()
                and (after.value or 0) < power):
            value, taken = value + (after.value or 0), 3  # 3 ร้อย 50
        value = int(value) if value == int(value) else value
        text = " ".join(t.text for t in tokens[i : i + taken])
        out.append(Token("mark", text, (TOO_LONG,)) if value > LARGEST else Token("num", text, value=value))
        i += taken
    return out


def _scale_of(digits: Token, spoken: Token | None) -> str | None:
    """The power said in words right after a number typed in digits (2 ร้อย), if any."""
    if digits.kind != "num" or not digits.text[:1].isdigit() or spoken is None or spoken.kind != "num":
        return None
    return next((word for word in _SCALES if spoken.text.startswith(word)), None)


def _words(words: list[str], lexicon: Lexicon, tokens: list[Token]) -> None:
    """Turn a run of words into tokens: number words to numbers; split or misspelt domain words re-joined."""
    i = 0
    while i < len(words):
        latin = _latin_number(words, i, lexicon)
        if latin is not None:
            size, value = latin
            tokens.append(Token("num", " ".join(words[i : i + size]), value=value))
            i += size
            continue
        if _NUMBER_TOKEN.fullmatch(words[i]):
            j = i
            while j < len(words) and _NUMBER_TOKEN.fullmatch(words[j]):
                j += 1
            spoken = "".join(words[i:j])
            if spoken == "ศูนย์":  # alone it is a centre (ศูนย์รับซื้อ), not a zero anybody orders
                tokens.append(_token(spoken, lexicon))
                i = j
                continue
            value = thai_number(spoken)
            too_large = value > LARGEST  # ล้านล้านล้าน…: no quantity either
            tokens.append(Token("mark", spoken, (TOO_LONG,)) if too_large else Token("num", spoken, value=value))
            i = j
            continue
        size, word = _domain_word(words, i, lexicon)
        tokens.append(_token(word, lexicon))
        i += size
    words.clear()


def _latin_number(words: list[str], i: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The number spelt in Latin letters at i, English (fifty five, two hundred) or romanised Thai (ha sip), as
    (words it takes, value); None when there is none, or only words that are more often something else (see, ha)
    with nothing counted after them."""
    if not words[i].isascii():
        return None
    size, value = _english(words[i:])
    if not size:
        while i + size < len(words) and words[i + size] in _ROMANISED:
            size += 1
        value = thai_number("".join(_ROMANISED[word] for word in words[i : i + size]))
    if not size:
        return None
    after = words[i + size] if i + size < len(words) else ""
    counted = any(tag.startswith(_COUNTED) for tag in lexicon.tags.get(after, ()))
    if not counted and all(word in _MAYBE for word in words[i : i + size]):
        return None
    return size, value


def _domain_word(words: list[str], i: int, lexicon: Lexicon) -> tuple[int, str]:
    """The longest window of words at i that is a domain word, exactly or misspelt; else the word at i."""
    tags, dictionary = lexicon.tags, lexicon.dictionary
    for size in range(min(_WINDOW, len(words) - i), 0, -1):
        window = words[i : i + size]
        if any(_NUMBER_TOKEN.fullmatch(w) for w in window[1:]):
            continue
        joined = "".join(window)
        if size > 1 and joined in tags:
            return size, joined
        fixed = lexicon.typos.get(joined)
        if fixed:
            return size, fixed
        if joined in tags or (size == 1 and joined in dictionary):
            continue
        if all(w in tags or w in lexicon.fillers or w in lexicon.typos for w in window):
            continue
        near = lexicon.misspelt(joined)
        if near:
            return size, near
    return 1, words[i]


def _token(word: str, lexicon: Lexicon) -> Token:
    tags = lexicon.tags.get(word)
    if tags:
        return Token("word", word, tags)
    return Token("filler" if word in lexicon.fillers else "word", word)
