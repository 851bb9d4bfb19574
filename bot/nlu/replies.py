"""Everything answer-like in one message, read once: a yes or no, a name, a mobile number, a district, a number
alone or with a minus or a comma, an item of a list, an owner/tapper split, thanks, a rubber product we keep no
price of, a profile action, the same as last time.

The grammar gives the intent and the contract's slots; these readings are what a handler needs besides them, so
that no handler reads the member's text again. Names, mobile numbers and districts are no domain words, so they
are read from the text (normalised only as far as a name allows: Thai digits, a polite ending); every word they
go by is in lexicon.json.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from bot.nlu.normalize import MONTHS, arabic_digits, christian_year, normalize

if TYPE_CHECKING:
    from bot.nlu.lexicon import Lexicon
    from bot.nlu.tokens import Token


@dataclass(frozen=True)
class Readings:
    answer: str | None = None
    """'yes', 'no' or 'cancel' when the whole message is such a reply (ใช่ครับ, ไม่เอา, ยกเลิก)"""
    skip: bool = False
    """leave an optional detail blank: ข้าม, ไม่มี, ไม่รู้, skip, or a plain no"""
    consent: str | None = None
    """'yes' or 'no' to the consent question: a yes or no, or its own words (ยินยอม, ไม่ยินยอม)"""
    thanks: bool = False
    deposit: bool = False
    """the message is about a deposit, savings or share account with the cooperative, which the bot does not keep"""
    name: str | None = None
    """the message as a person's name ("ผมชื่อ สมชาย ใจดี ครับ" -> "สมชาย ใจดี"), when it can be one"""
    phone: str | None = None
    """a Thai mobile number as ten digits (+66 81 234 5678 -> 0812345678); two numbers are none"""
    membership_no: str | None = None
    """a membership number as on the card (letters, digits, / . -), spaces dropped"""
    district: str | None = None
    """a district of Phatthalung by its Thai name, as the whole answer or inside a sentence"""
    number: str | None = None
    """the whole message as one number, a unit word allowed ("58.50 บาท", "๓๐ กิโล"), as exact decimal text"""
    first_number: str | None = None
    """the first number anywhere in the message, thousands commas dropped ("เอา 5 อัน" -> "5")"""
    minus: str | None = None
    """a number typed with a minus ("-60"), which no slot holds; a dash after a word or digit (50-60) is none"""
    comma: bool = False
    """a number with a comma in it: 58,50 could be 58.50 or 5,850, so it is asked again, never guessed"""
    listed: int | None = None
    """the item named by its number in a list we showed ("ยกเลิกข้อ 2", "no. 2")"""
    split: str | None = None
    """an owner/tapper split as "60/40" ("แบ่งกับลูกจ้าง 60/40", "แบ่ง ๖๐ ๔๐")"""
    unpriced: str | None = None
    """a rubber product we keep no price of, as typed ("ยางเครป", "STR 20")"""
    command: str | None = None
    """the profile action a phrase in the message asks for: 'delete', 'edit:phone', 'language:en', 'show', …"""
    command_alone: str | None = None
    """the same when the phrase is the whole message (mid-question only that counts)"""
    words: int = 0
    """how many words the message has, particles and punctuation apart: a command is a few, a notice many"""
    again: bool = False
    """the same as last time (เหมือนเดิม, เท่าเดิม, เหมือนรอบก่อน): what the member ordered or pledged before"""
    news: bool = False
    """the message speaks of the news (ข่าว, ประกาศ): what "ไม่ต้องส่งข่าวมาแล้ว" stops"""
    announcement: str | None = None
    """the text of an announcement typed in one line with its command ("ประกาศ ประชุมวันเสาร์" -> "ประชุมวันเสาร์"),
    as typed"""
    day: str | None = None
    """a day the message names, for the handler to place before today: "ago:1" (เมื่อวาน), "25" (วันที่ 25),
    "1/11" (1 พ.ย.), "1/11/2026" (1/11/2569, 1 พ.ย. 69: the year of the Christian era), "13/4/-1" (สงกรานต์ปีที่แล้ว:
    the year before this one)"""

    def slots(self) -> dict[str, Any]:
        """The readings found, as slots beside the intent's. `answer` is left out: only an open question has
        one, and the dispatcher knows whether there is one."""
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("answer", "words")}
        return {name: value for name, value in found.items() if value is not None and value is not False}


@dataclass(frozen=True)
class ReplyWords:
    """The words of lexicon.json that replies go by, compiled once when the lexicon loads."""

    polite: re.Pattern[str]
    skip: frozenset[str]
    consent: dict[str, str]
    profile: tuple[tuple[str, tuple[str, ...]], ...]
    name_prefix: re.Pattern[str]
    district_words: tuple[str, ...]
    district_answers: dict[str, str]
    """a whole answer's key -> its district"""
    districts: dict[str, str]
    """a key found anywhere in a message -> its district"""
    other_rubber: re.Pattern[str]
    listed: re.Pattern[str]
    split: re.Pattern[str]
    units: re.Pattern[str]
    announce: re.Pattern[str]
    header: re.Pattern[str]
    """the header that opens a coordinator's notice (แจ้งด่วน, 📢): the whole message is the announcement"""
    days_ago: tuple[tuple[str, int], ...]
    """a word for a past day -> how many days back, the longest word first"""
    day_of_month: re.Pattern[str]
    holidays: tuple[tuple[str, str], ...]
    """a holiday on a fixed day -> its "day/month", the longest word first"""
    last_year: re.Pattern[str]
    today: re.Pattern[str]
    """a word for today (#today): a holiday's wish beside it (สุขสันต์วันสงกรานต์) asks no other day"""


def _either(words: Iterable[str]) -> str:
    """A regular expression for any of the words, the longest first."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _phrase(name: str) -> str:
    """A phrase of the table as a pattern: a space may be typed or not, # is a number; Latin words whole."""
    pieces = [r"\d+" if part == "#" else re.escape(part) for part in name.split()]
    pattern = r"\s?".join(pieces)
    if name[:1].isascii() and name[:1].isalpha():
        pattern = r"\b" + pattern
    if name[-1:].isascii() and name[-1:].isalpha():
        pattern += r"\b"
    return pattern


def _squeezed(text: str) -> str:
    return "".join(text.lower().split()).translate(_NO_MARKS)


_NO_MARKS = str.maketrans("", "", ".-_")


def _district_key(text: str, words: tuple[str, ...]) -> str:
    """A whole answer as a key: lower case, no spaces, without อำเภอ/อ./amphoe… before it or district after it."""
    key = "".join(text.lower().split())
    for word in words:
        if key.startswith(word):
            key = key[len(word):]
            break
    for word in words:
        if key.endswith(word) and len(key) > len(word):
            key = key[: -len(word)]
            break
    return key.translate(_NO_MARKS)


def reply_words(data: Mapping[str, Any], tags: Mapping[str, list[str]]) -> ReplyWords:
    def tagged(tag: str) -> list[str]:
        return [word for word, names in tags.items() if tag in names]

    polite = data["polite"]
    district_words = tuple(sorted((w.lower() for w in data["district_words"]), key=len, reverse=True))
    districts: dict[str, str] = {}
    answers: dict[str, str] = {}
    for district, names in data["districts"].items():
        if district.startswith("_"):
            continue
        for name in (district, *names):
            districts[_squeezed(name)] = district
            answers[_district_key(name, district_words)] = district
    for name, district in data["district_answers"].items():
        if not name.startswith("_"):
            answers[_district_key(name, district_words)] = district
    name_prefix = data["name_prefix"]
    return ReplyWords(
        polite=re.compile(rf"\s*(?:{_either(polite['softeners'])})?(?:{_either(polite['endings'])})+\s*$"),
        skip=frozenset(word.lower() for word in data["skip"]),
        consent={word.lower(): kind for kind, words in data["consent"].items() for word in words},
        profile=tuple((action, tuple(p.lower() for p in phrases)) for action, phrases in data["profile"].items()
                      if not action.startswith("_")),
        name_prefix=re.compile(rf"^(?:(?:{_either(name_prefix['pronouns'])})\s*)?(?:{_either(name_prefix['words'])})\s*"),
        district_words=district_words,
        district_answers=answers,
        districts=districts,
        other_rubber=re.compile("|".join(_phrase(name) for name in data["other_rubber"]["names"]), re.I),
        listed=re.compile(rf"(?:{_either([*tagged('#item'), *data['listed']['words']])})\s*(\d{{1,2}})(?!\d)", re.I),
        split=re.compile(rf"(?:{_either(tagged('#split'))})\D{{0,30}}?(\d{{1,3}})\s*(?:[/:]|\s)\s*(\d{{1,3}})", re.I),
        units=re.compile(rf"\s*(?:{_either(data['number_units'])})\s*$", re.I),
        announce=re.compile(
            rf"^\s*(?:{_either(data['announce']['asking'])})?\s*(?:{_either(data['announce']['verbs'])})\s*"
            rf"(?:(?:ให้|ถึง|to)\s*)?(?:(?:{_either(data['announce']['audience'])})\s*)?[:：\-–!]*\s*", re.I),
        header=re.compile(rf"^\s*(?:{_either(tagged('#header'))})", re.I),
        days_ago=tuple(sorted(data["days"]["ago"].items(), key=lambda item: len(item[0]), reverse=True)),
        day_of_month=re.compile(rf"(?:{_either(data['days']['of_month'])})\s*(\d{{1,2}})(?!\d)", re.I),
        holidays=tuple(sorted(data["days"]["holidays"].items(), key=lambda item: len(item[0]), reverse=True)),
        last_year=re.compile(_either(data["days"]["last_year"]), re.I),
        today=re.compile(_either(tagged("#today")), re.I),
    )


_MOBILE = re.compile(r"0[689]\d{8}")
_MEMBERSHIP = re.compile(r"[A-Za-z0-9][A-Za-z0-9/.\-]{0,31}")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_ANY_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_MINUS = re.compile(r"(?<![\w-])-\d[\d,]*(?:\.\d+)?")
_COMMA = re.compile(r"\d,\d")
# a month by its name in full or said short (มกรา, พฤศจิกา), its year after it in full or by two digits
_MONTH = "|".join(f"{name[:-cut]}(?:{name[-cut:]})?" for name in MONTHS for cut in [5 if name.endswith("พันธ์") else 2])
_DAY_OF_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*(" + _MONTH + r")(?:\s*(?:พ\s*ศ\s*)?(\d{4}|\d{2})(?!\d))?")
_SLASHED_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
NAME_LENGTH = (2, 100)


def read(text: str, tokens: list[Token], lexicon: Lexicon) -> Readings:
    words = lexicon.replies
    digits = arabic_digits(text)
    value = words.polite.sub("", digits.strip()).strip()
    said = " ".join(value.lower().split())
    answer = answer_of(tokens, lexicon)
    return Readings(
        answer=answer,
        skip=_skip(said, answer, words),
        consent=_consent(answer, said, words),
        thanks=any(token.has("#thanks") for token in tokens),
        deposit=any(token.has("#deposit") for token in tokens),
        name=_name(value, words),
        phone=_phone(value),
        membership_no=_membership(value),
        district=_district(value, words),
        number=_number(digits, words),
        first_number=_found(_ANY_NUMBER.search(digits.replace(",", ""))),
        minus=_minus(digits),
        comma=_COMMA.search(digits) is not None,
        listed=_listed(digits, words),
        split=_split(digits, words),
        unpriced=_found(words.other_rubber.search(digits)),
        command=next((action for action, phrases in words.profile if any(p in said for p in phrases)), None),
        command_alone=next((action for action, phrases in words.profile if said in phrases), None),
        words=sum(1 for token in tokens if token.kind not in ("filler", "mark")),
        again=any(token.has("#again") for token in tokens),
        news=any(token.has("#news") for token in tokens),
        announcement=_announcement(text, words),
        day=_day(normalize(digits), words),
    )


def _day(said: str, words: ReplyWords) -> str | None:
    """The day named in a normalised message (bot.nlu.normalize: months written out, no dots), see `Readings.day`."""
    for pattern in (_SLASHED_DAY, _DAY_OF_MONTH):
        for found in pattern.finditer(said):
            day, month, year = found.groups()
            number = int(month) if month.isdigit() else next(
                n for n, name in enumerate(MONTHS, 1) if name.startswith(month))
            if 1 <= int(day) <= 31 and 1 <= number <= 12:
                return "/".join([day, str(number), *([str(christian_year(int(year)))] if year else [])])
    alone = words.day_of_month.search(said)
    if alone and 1 <= int(alone.group(1)) <= 31:
        return alone.group(1)
    holiday = next((day for word, day in words.holidays if word in said.lower()), None)
    if holiday and not words.today.search(said):  # วันแม่; สงกรานต์ปีที่แล้ว is the one of the year before this one
        return f"{holiday}/-1" if words.last_year.search(said) else holiday
    return next((f"ago:{n}" for word, n in words.days_ago if word in said), None)


def _skip(said: str, answer: str | None, words: ReplyWords) -> bool:
    """Leave the detail blank: a skip word alone, or one that leads ("ไม่รู้เลขสมาชิก", "ไม่มีเบอร์ครับ"), or a plain
    no; never a message with a number in it (that is an answer, right or wrong)."""
    if any(c.isdigit() for c in said):
        return False
    return said in words.skip or answer == "no" or any(
        said.startswith(word) for word in words.skip if len(word) > 3 and not word.isascii())


def _announcement(text: str, words: ReplyWords) -> str | None:
    """What follows the command (ประกาศ: …); a notice opened by its header (แจ้งด่วน!! …, 📢 …) is all of it. Never
    a loudspeaker in front: the bot puts its own before every announcement."""
    said = text.strip().lstrip("📢📣 ")
    lead = words.announce.match(said)
    if lead is not None:
        return said[lead.end():].strip() or None
    return (said or None) if words.header.match(text) else None


def answer_of(tokens: list[Token], lexicon: Lexicon) -> str | None:
    """'yes', 'no' or 'cancel' when the whole message is such a reply, particles apart; else None."""
    answers = lexicon.answers
    words = [t.text for t in tokens if t.kind != "mark"]
    # Without its closing particles only, before without any: a particle leading the message may be the answer's
    # own word, as หม้าย (the southern ไม่) in หม้ายเอาเหอ, which is ไหม closing a question; dropped, it left เอา, a yes.
    said = list(words)
    while said and said[-1] in lexicon.fillers and said[-1] not in answers:
        said.pop()
    for candidate in (words, said, [w for w in words if w in answers or w not in lexicon.fillers]):
        if not candidate:
            return None
        joined = "".join(candidate)
        if joined in answers:
            return answers[joined]
        kinds = {answers.get(word) for word in candidate}
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
    return None


def _found(match: re.Match[str] | None) -> str | None:
    return match.group() if match else None


def _name(value: str, words: ReplyWords) -> str | None:
    name = " ".join(words.name_prefix.sub("", value, count=1).split())
    low, high = NAME_LENGTH
    # U+FFFD stands where the member's phone sent a character that could not be read (bot.line.events.clean)
    ok = (low <= len(name) <= high and any(c.isalpha() for c in name) and not any(c.isdigit() for c in name)
          and "\ufffd" not in name)
    return name if ok else None


def _consent(answer: str | None, said: str, words: ReplyWords) -> str | None:
    """Only whole answers count: declining throws away the four answers before it, so "ไม่แน่ใจ" (not sure) or
    "ไม่เข้าใจ" must ask again, not decline."""
    own = words.consent.get(said)
    if answer == "no" or own == "no":
        return "no"
    if answer == "yes" or own == "yes":
        return "yes"
    return None


def _phone(value: str) -> str | None:
    """Words around the number are dropped ("เบอร์ 081-234-5678 ครับ"); two numbers in one answer are none."""
    digits = "".join(c for c in value if c.isdecimal() or c == "+")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None


def _membership(value: str) -> str | None:
    number = "".join(value.split())
    return number if _MEMBERSHIP.fullmatch(number) and any(c.isdigit() for c in number) else None


def _district(value: str, words: ReplyWords) -> str | None:
    whole = words.district_answers.get(_district_key(value, words.district_words))
    if whole:
        return whole
    key = _squeezed(value)
    found = {district for name, district in words.districts.items() if name in key}
    return found.pop() if len(found) == 1 else None  # two districts named: which one is theirs?


def _number(digits: str, words: ReplyWords) -> str | None:
    cleaned = words.units.sub("", digits.strip()).strip()
    if _COMMA.search(cleaned) or not _NUMBER.fullmatch(cleaned):
        return None
    return cleaned


def _minus(digits: str) -> str | None:
    found = _MINUS.search(digits)
    return found.group().replace(",", "") if found else None


def _listed(digits: str, words: ReplyWords) -> int | None:
    found = words.listed.search(digits)
    return int(found.group(1)) if found else None


def _split(digits: str, words: ReplyWords) -> str | None:
    found = words.split.search(digits)
    return f"{int(found.group(1))}/{int(found.group(2))}" if found else None
