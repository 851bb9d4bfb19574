"""From tokens to an intent and its slots: cues decide the intent in a fixed order, then numbers find their slot.

The rules are ordered from the most specific cue to the least (a coordinator's ปิดรอบ before a member's
สั่ง, an alert before a price), and every rule needs a domain word, so chit-chat falls through to unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.nlu.normalize import BUDDHIST_YEARS_FROM
from bot.nlu.tokens import TOO_LONG, Token

SLOT_NAMES = ("product", "brand", "animal", "rubber_type", "direction")


@dataclass
class Reading:
    """What a message contains: its cues, the slot words it names, and its numbers with what follows them."""

    tokens: list[Token]
    cues: set[str] = field(default_factory=set)
    words: dict[str, str] = field(default_factory=dict)
    formula: str | None = None
    numbers: list[tuple[float | int, str | None]] = field(default_factory=list)
    """(value, what it measures: a unit, 'percent', 'days', 'baht', 'split', 'item', or None)"""
    others: int = 0
    """content words that are neither cues nor slot words"""
    one_of: str | None = None
    """the unit in สักแกลลอน: one of it"""
    announcement: bool = False
    """starts with ประกาศ and goes on: a coordinator's notice, not a question about notices"""
    held: bool = False
    """an action said not (yet) to be done: ยังไม่ปิดรอบ, อย่าเพิ่งประกาศ (its cues are left out), ไม่ยกเลิก (#held)"""
    size: int = 0
    """content words, particles and punctuation apart"""
    period: str | None = None
    """a week, month or year named with no number, and not this one (เดือนที่แล้ว, not เดือนนี้)"""
    half: bool = False
    """the period is half of it (ครึ่งปี: six months)"""
    this_period: bool = False
    """this week, month or year (เดือนนี้): a span of prices, with no number of days"""
    lately: bool = False
    """ช่วงนี้: these days, a span only when the price's rise or fall is asked"""
    changed: dict[str, str] = field(default_factory=dict)
    """slot words after เป็น (จาก ซีพี เป็น เบทาโกร): what an order is changed to"""
    changed_at: int | None = None
    """how many numbers came before เป็น: those after it are what an order is changed to"""
    unread: bool = False
    """a number no slot holds: 58,50 (a decimal comma, or 5,850?), -5, or more than nine digits; the handler
    answers about it"""
    one_of_at: int = 0
    """how many numbers came before the unit of one_of (ลดเหลือแกลลอนเดียว comes after จาก 2)"""
    corrected: bool = False
    """a number or slot word was said not to be meant (ไม่ใช่ 50 เอา 15, เอาซีพี ไม่ใช่เบทาโก): left out of the slots"""

    def cue(self, *names: str) -> bool:
        return any(name in self.cues for name in names)

    @property
    def rubber(self) -> bool:
        return "rubber_type" in self.words or "#rubber" in self.cues

    @property
    def goods(self) -> bool:
        return "product" in self.words or "brand" in self.words or self.formula is not None


ANNOUNCEMENT_WORDS = 4
LONG_TEXT = 24  # content words: a member asks in a few; a text this long that is not a notice was forwarded
_MEASURES = {"#percent": "percent", "#days": "days", "#weeks": "weeks", "#months": "months", "#years": "years",
             "#baht": "baht", "#ton": "ton", "#satang": "satang", "#clock": "clock"}
"""what a number measures, by the word after it: a clock time (แปดโมง, 6 ทุ่ม) is no amount of anything"""
KG_PER_TON = 1000
_PERIOD_DAYS = {"days": 1, "weeks": 7, "months": 30, "years": 365}
_HALF_DAYS = {"weeks": 3, "months": 15, "years": 180}  # ครึ่งปี is six months of 30 days
_ACTING = frozenset({
    "#order", "#sell", "#change", "#add", "#cancel", "#close", "#post", "#setprice", "#broadcast", "#alert"})
"""the cues of doing something: after ยังไม่, อย่า(เพิ่ง), ไม่ได้(จะ), don't (#hold) they ask for nothing to be done"""
_HELD_ON = frozenset({"#news", "#broadcast", "#members", "#everyone"})
"""what a hold reaches after the word right after it: its audience (อย่าเพิ่งประกาศถึงสมาชิก), not a new request
(ยังไม่ได้สั่ง ขอสั่ง 2 กระสอบ, ทำไมยังไม่ปิดรอบ ปิดได้เลย)"""
_HELD_BACK = _ACTING | _HELD_ON
"""a word the hold reached with one of these held an action back (อย่าลืมสั่ง: ลืม holds nothing back)"""
_UNREAD = re.compile(r"\d+,\d{1,2}|-[\d.,]+")  # as bot.nlu.tokens cuts them out: 58,50 and -5


def read(tokens: list[Token]) -> Reading:
    reading = Reading(tokens)
    content = [t for t in tokens if t.kind not in ("mark", "filler")]
    reading.announcement = len(content) >= ANNOUNCEMENT_WORDS and (
        content[0].text in ("ประกาศ", "announce") or content[0].has("#header"))  # แจ้งด่วน!! …, 📢 …
    reading.size = len(content)
    shares = _shares(tokens) if any(t.has("#split") for t in tokens) else set()
    reading.unread = any(t.kind == "mark" and (_UNREAD.fullmatch(t.text) or t.has(TOO_LONG)) for t in tokens)
    for before, token, after in zip([None, *tokens], tokens, [*tokens[1:], None], strict=False):
        measure = next((_MEASURES[tag] for tag in token.tags if tag in _MEASURES), None)
        named = (after is not None and (after.text in ("นี้", "หน้า") or after.has("#month_name"))) or (
            before is not None and before.text in ("this", "next"))
        if measure in ("weeks", "months", "years") and not named and not reading.period:
            reading.period = measure  # เดือนที่แล้ว; not เดือนนี้, เดือนหน้า, nor เดือนมีนา (a date)
            reading.half = before is not None and before.has("#half")
        this = (after is not None and after.text == "นี้") or (before is not None and before.text == "this")
        reading.this_period = reading.this_period or (measure in ("weeks", "months", "years") and this)
        reading.lately = reading.lately or token.text == "ช่วงนี้"
    if any(t.has("#holiday") for t in tokens):
        reading.period = None  # สงกรานต์ปีที่แล้ว: one day of last year, no span
    dates = _dates(tokens)
    holding, place = False, {id(token): n for n, token in enumerate(tokens)}
    for i, token in enumerate(content):
        # a hold reaches the word right after it, and that word's audience; not past a particle or a mark
        holding, was_holding = False, holding and place[id(token)] == place[id(content[i - 1])] + 1
        first_after = i > 0 and content[i - 1].has("#hold")
        if i > 0 and content[i - 1].has("#not") and (token.kind in ("num", "formula") or any(
                ":" in tag for tag in token.tags)):
            reading.corrected = True  # ไม่ใช่ 50: not what is meant
            continue
        if token.kind == "formula":
            reading.formula = reading.formula or token.text
            if reading.changed_at is not None:
                reading.changed.setdefault("formula", token.text)
        elif token.kind == "num":
            measure = "split" if id(token) in shares else "date" if id(token) in dates else _measure(content, i)
            amount = token.value or 0
            if measure not in (None, "split", "date") and _and_a_half(content, i + 2):
                amount += 0.5  # สองกระสอบครึ่ง: two and a half sacks
            reading.numbers.append((amount, measure))
        elif token.tags:
            _one(content, i, reading)
            _unit_and_a_half(content, i, reading)
            if token.has("#to") and reading.changed_at is None:
                reading.changed_at = len(reading.numbers)
            # ยังไม่ปิดรอบ, อย่าเพิ่งส่งข้อความถึงสมาชิก: the acting words after ยังไม่ or อย่าเพิ่ง are not (yet) done
            held = was_holding and (first_after or not _HELD_ON.isdisjoint(token.tags))
            holding = held or token.has("#hold")
            reading.held = reading.held or (held and not _HELD_BACK.isdisjoint(token.tags)) or token.has("#held")
            for tag in token.tags:
                if tag.startswith("#"):
                    if not (held and tag in _ACTING):
                        reading.cues.add(tag)
                else:
                    name, _, value = tag.partition(":")
                    reading.words.setdefault(name, value)
                    if reading.changed_at is not None:
                        reading.changed.setdefault(name, value)
        else:
            reading.others += 1
    reading.numbers = _satang(reading.numbers)
    # ยังไม่ได้สั่ง ขอสั่ง 5 ลูก, ถ้ารอบยังไม่ปิด เอากรด 3 แกลลอน: asked after all
    reading.held = reading.held and reading.cues.isdisjoint(_ACTING) and not (
        reading.cue("#want") and reading.goods and reading.numbers)
    return reading


def _and_a_half(content: list[Token], at: int) -> bool:
    """ครึ่ง after a number's unit (2 ตันครึ่ง), not ครึ่งนึง (half of them)."""
    after = content[at + 1] if at + 1 < len(content) else None
    return at < len(content) and content[at].has("#half") and not (
        after is not None and after.kind == "num" and after.text in ("นึง", "หนึ่ง"))


def _satang(numbers: list[tuple[float | int, str | None]]) -> list[tuple[float | int, str | None]]:
    """ห้าสิบแปดบาทห้าสิบสตางค์ is 58.50 baht: the satang after a number of baht join it."""
    joined: list[tuple[float | int, str | None]] = []
    for value, measure in numbers:
        if measure == "satang" and joined and joined[-1][1] == "baht":
            joined[-1] = (round(joined[-1][0] + value / 100, 2), "baht")
        elif measure != "satang":
            joined.append((value, measure))
    return joined


def _unit_and_a_half(content: list[Token], i: int, reading: Reading) -> None:
    """A unit and a half with no number before it (ตันครึ่ง, กระสอบครึ่ง): one and a half of it; half a unit
    (ครึ่งตัน, ครึ่งกระสอบ): a half."""
    measure = _unit_of(content[i])
    if not measure or (i > 0 and content[i - 1].kind == "num"):
        return
    if _and_a_half(content, i + 1):
        reading.numbers.append((1.5, measure))
    elif i > 0 and content[i - 1].has("#half") and (i == 1 or content[i - 2].kind != "num"):
        reading.numbers.append((0.5, measure))


def _unit_of(token: Token) -> str | None:
    """The unit a word counts in: a unit of the contract, or a ton (a thousand kilos)."""
    return token.slot("unit") or ("ton" if token.has("#ton") else None)


def _one(content: list[Token], i: int, reading: Reading) -> None:
    unit = _unit_of(content[i])
    if unit is None or reading.one_of:
        return
    if (i > 0 and content[i - 1].text == "สัก") or (i + 1 < len(content) and content[i + 1].has("#single")):
        if unit == "ton":
            reading.numbers.append((1, unit))  # สักตัน, ตันเดียว: a thousand kilos
            return
        reading.one_of = unit  # สักแกลลอน, แกลลอนเดียว
        reading.one_of_at = len(reading.numbers)


def _dates(tokens: list[Token]) -> set[int]:
    """The numbers of a date (วันที่ 15, 1 เมษา, 1/11/2569, ปี 2568, พ.ศ. 2568), as token ids: not a span, a price or
    an amount. Numbers joined by slashes are a date unless the message splits shares (แบ่ง 60/40: _shares, read
    first)."""
    dates: set[int] = set()
    for i, token in enumerate(tokens):
        if token.kind != "num":
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        slashed = any(min(j, k) >= 0 and max(j, k) < len(tokens) and tokens[j].text == "/" and tokens[k].kind == "num"
                      for j, k in ((i - 1, i - 2), (i + 1, i + 2)))
        year = before is not None and _year(before, token, after)
        if slashed or year or (after is not None and after.has("#month_name")) or (before is not None and (
                before.text == "วันที่" or (before.text == "ที่" and tokens[i - 2].text in ("วัน", "เมื่อวัน")))):
            dates.add(id(token))
    # ตั้งแต่ 1 ถึง 15 เมษา, 1-15 เมษายน: the first day of a range that ends on a date is a date, no span
    for i in range(len(tokens) - 3, -1, -1):
        first, through, last = tokens[i:i + 3]
        if first.kind == last.kind == "num" and id(last) in dates and through.text in _THROUGH:
            dates.add(id(first))
    return dates


_THROUGH = frozenset({"ถึง", "จนถึง", "-", "–", "ถึงวันที่"})


def _year(before: Token, token: Token, after: Token | None) -> bool:
    """ปี 2568, พ.ศ. 2568, มกราคม 2567, ม.ค. 67: a year of the Buddhist era, in full or by its last two digits
    after a month (but มีนา 60 กระสอบ is sixty sacks)."""
    value = token.value or 0
    full = _BUDDHIST_YEARS[0] <= value <= _BUDDHIST_YEARS[1]
    if before.has("#years") or before.text == "ศ":
        return full
    short = value in range(*_SHORT_YEARS) and not (after is not None and _unit_of(after))
    return before.has("#month_name") and (full or short)


_BUDDHIST_YEARS = (BUDDHIST_YEARS_FROM, 2700)
"""ปี 2568: a year of the Buddhist era, which every Thai date is written in; ปี 2 is two years"""
_SHORT_YEARS = (50, 100)
"""ม.ค. 67: the year 2567 written short, as Thai dates often are"""


def _shares(tokens: list[Token]) -> set[int]:
    """The numbers of an owner/tapper split written N/M or N:M (แบ่งกับลูกจ้าง 60/40), as token ids."""
    shares: set[int] = set()
    for first, mark, second in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if first.kind == second.kind == "num" and mark.kind == "mark" and mark.text in ("/", ":"):
            shares |= {id(first), id(second)}
    return shares


def _named(content: list[Token], i: int, cue: str) -> bool:
    """The number at i named by the word before it, or by the one before a word between (น้ำหนักน้ำยาง 80)."""
    return i > 0 and (content[i - 1].has(cue) or (
        i > 1 and content[i - 1].kind == "word" and content[i - 2].has(cue)))


def _measure(content: list[Token], i: int) -> str | None:
    after = content[i + 1] if i + 1 < len(content) else None
    if after is not None and after.has("#more") and i + 2 < len(content):
        after = content[i + 2]  # 2 more sacks
    before = content[i - 1] if i > 0 else None
    if _named(content, i, "#weight") and not (after is not None and after.has("#ton")):
        return "kg"  # น้ำหนัก 40 เปอร์เซ็นต์ 32, นน.สุทธิ 38.5: kilos, whatever follows
    if (_named(content, i, "#price") and after is not None and after.has("#percent") and i + 2 < len(content)
            and content[i + 2].kind == "num"):
        return "baht"  # ราคา 57 เปอร์เซ็นต์ 30: the percent word names the number after it
    if after is not None and after.kind == "word":
        unit = after.slot("unit")
        if unit:
            return unit
        for cue, measure in _MEASURES.items():
            if after.has(cue):
                return measure
    if before is not None and before.has("#grade"):
        return "grade"  # รมควันชั้น 3: the grade of the sheet, no amount
    if before is not None and before.has("#item"):
        return "item"  # แก้ข้อ 2 เป็น 3: the second order in the list, not two of anything
    if before is not None and before.has("#split"):
        return "split"  # แบ่ง 60 40: the owner's and the tapper's shares, not a price
    if before is not None and before.kind == "num" and i > 1 and content[i - 2].has("#split"):
        return "split"
    if before is not None and content[i].text in ("นึง", "หนึ่ง") and _unit_of(before):
        return _unit_of(before)  # กระสอบนึง: one sack; ตันนึง: one ton
    if before is not None and content[i].text in ("นึง", "หนึ่ง"):
        for cue, measure in _MEASURES.items():
            if before.has(cue) and measure in ("days", "weeks", "months", "years"):
                return measure  # อาทิตย์นึง: one week
    if before is not None and before.text == "เบอร์":
        return "code"  # อาหารหมูเบอร์ 552: the feed's number, no amount
    if before is not None and before.text == "ตี":
        return "clock"  # ตีห้า: five in the morning
    if before is not None and before.has("#about") and i > 1:
        before = content[i - 2]  # เปอร์เซ็นต์ประมาณ 33: about 33 percent
    if before is not None and before.has("#percent"):
        return "percent"
    if before is not None and before.has("#price"):
        return "baht"
    return None


Rule = Callable[[Reading], bool]


def _price_today(r: Reading) -> bool:
    if r.goods or r.cue("#sell", "#cancel"):
        return False
    if "rubber_type" in r.words:
        return True
    # "how much?" alone is about rubber, the network's price; "how much is X?" for an unknown X is not, nor is
    # "how do I plant rubber?"
    if r.cue("#rubber"):
        return r.cue("#price", "#today") or r.others == 0
    return r.cue("#price") and r.others == 0 and "animal" not in r.words


def _bare_price(r: Reading) -> bool:
    """A rubber type and a price, nothing asked (ยางถ้วย 26.5 วันนี้): a coordinator's note of today's price, or,
    naming another province (ที่สุราษฎร์ยางรมควัน 72), news of elsewhere, never the cooperative's own to post."""
    priced = [value for value, measure in r.numbers if measure in (None, "baht")]
    amounts = [value for value, measure in r.numbers if measure != "grade"]  # ชั้น 3 is the sheet's grade
    return ("rubber_type" in r.words and len(priced) == 1 and len(amounts) == 1 and not r.goods and not r.cue(
        "#howmuch", "#calc", "#alert", "#sell", "#history", "#percent", "#daily", "#cancel", "#what", "#when"))


def _history(r: Reading) -> bool:
    """Prices over a span: ย้อนหลัง, a month's name, 7 วัน; or this week's, month's or year's rubber, asked
    (ยางปีนี้สูงสุดเท่าไหร่, น้ำยางช่วงนี้ขึ้นหรือลง), not today's."""
    if r.cue("#history", "#month_name") or any(m in _PERIOD_DAYS or m == "date" for _, m in r.numbers):
        return r.rubber or r.cue("#price")
    asked = r.cue("#price", "#howmuch", "#how") or "direction" in r.words
    spans = (r.this_period and asked) or (r.lately and "direction" in r.words)  # ช่วงนี้เท่าไหร่ is today's price
    return spans and r.rubber and not r.cue("#today", "#alert")


def _asks_closing(r: Reading) -> bool:
    """ปิดรอบวันไหน, ปิดรอบแล้วเหรอ: when a round closes, asked; not when the office or a shop closes."""
    closing = r.goods or any(t.has("#close") and t.text != "ปิด" for t in r.tokens)
    return closing and r.cue("#when", "#howmuch") and not r.cue("#coop", "#contact", "#middleman", "#alert", "#cancel")


def _corrected(r: Reading) -> bool:
    """เอา 3 ไม่ใช่ 5, เอาซีพี ไม่ใช่เบทาโก, สั่งผิด เอา 4 กระสอบ, ซีพีเป็นเบทาโกร, 15-15-15 เป็น 16-16-8: a
    correction of what was ordered."""
    if r.rubber:
        return False
    if r.corrected:
        return r.goods or bool(r.numbers)
    named = {"brand": r.words.get("brand"), "formula": r.formula}
    if any(r.changed.get(slot) not in (None, was) for slot, was in named.items() if was):
        return True  # one brand or formula named, then another after เป็น: swapped
    return r.cue("#wrong") and (r.goods or any(measure in UNITS for _, measure in r.numbers))


def more_asked(r: Reading) -> bool:
    """More of something asked with no new total (เพิ่มอีก 2, not เพิ่มเป็น 5), and no correction (พิมพ์ผิด ที่ถูกคือ
    เพิ่ม 2 states the total meant): what the house adds to an order, never sets (bot.nlu.parser)."""
    return r.cue("#add") and not r.cue("#to", "#change", "#wrong") and not r.corrected


def adds(r: Reading) -> bool:
    """เพิ่มอีก 2 กระสอบ, อาหารเป็ดเอาเพิ่มอีกสองกระสอบ, เพิ่มอาหารหมูซีพีอีก 2 กระสอบ: an amount more of what the
    member ordered, เพิ่ม with a number of goods within five words after it; not สั่งเพิ่มทีหลัง (more, later),
    nor เพิ่มกำไร 2 บาท (an amount of money)."""
    if not more_asked(r) or r.rubber or r.cue("#cancel"):
        return False
    content = [t for t in r.tokens if t.kind not in ("mark", "filler")]
    goods = [j for j, t in enumerate(content) if t.kind == "num" and _measure(content, j) in (None, *UNITS)]
    return any(token.has("#add") and any(i < j <= i + 5 for j in goods) for i, token in enumerate(content))


def _against_middleman(r: Reading) -> bool:
    """ขายผ่านกลุ่มได้มากกว่าพ่อค้าเท่าไหร่: how much better the group did than the shop or the middleman, asked."""
    return r.cue("#compare") and r.cue("#middleman") and r.cue("#howmuch", "#price", "#what") and not r.cue("#alert")


def _to_members(r: Reading) -> bool:
    """บอกลูกกลุ่มว่าพรุ่งนี้รับของได้: a coordinator telling the members, not a member asking about them."""
    return r.cue("#members") and r.cue("#send", "#notify", "#alert") and not r.cue(
        "#what", "#when", "#how", "#howmuch", "#where", "#mine", "#see", "#pay", "#cancel")


def _another_province(r: Reading) -> bool:
    """สหกรณ์นครศรีฯ, ศูนย์จังหวัดสงขลา, ศูนย์ จ.ตรัง (จ. is cut as a particle), สหกรณ์ยางบุรีรัมย์: another
    province's cooperative or centre, the words of its name between, whose rounds, prices and hours are not the
    network's."""
    words = [t for t in r.tokens if t.kind == "word"]
    for i, coop in enumerate(words):
        if coop.has("#coop"):
            for place in words[i + 1:]:
                if place.has("#province"):
                    return True
                if not (place.text in _NAME_PARTS or place.has("#rubber") or place.has("#coop")):
                    break
    return False


_NAME_PARTS = frozenset({"การเกษตร", "จังหวัด", "อำเภอ"})
"""words of a cooperative's name between it and its province (สหกรณ์การเกษตรจังหวัด…)"""


def _event_told(r: Reading) -> bool:
    """ประชุมเลื่อนไปบ่ายสอง: a meeting or a training told among staff, nothing asked of the bot (asked about, it is
    news; told to the members, a broadcast)."""
    news = [t for t in r.tokens if t.has("#news")]
    return bool(news) and all(t.has("#event") for t in news) and not (
        r.cue("#what", "#when", "#howmuch", "#where", "#how", "#howmany", "#see", "#want", "#help", "#cancel",
              "#notify", "#send", "#contact", "#human") or r.goods or "rubber_type" in r.words)


def _elsewheres_notice(r: Reading) -> bool:
    """แอปธนาคารแจ้งเตือนทุกวัน ปิดยังไง: a bank's, an app's or an office's notices, not the network's price alerts."""
    return r.cue("#alert", "#notify") and r.cue("#elsewhere") and not (r.rubber or r.goods or r.cue("#price"))


# (intent, when) in order; the first that holds wins
RULES: tuple[tuple[str, Rule], ...] = (
    ("unknown", lambda r: _another_province(r) or (_bare_price(r) and r.cue("#province")) or _elsewheres_notice(r)),
    # not a sign-up giving one's details: a name may hold a word of other business (ชูทอง, ฝน)
    ("unknown", lambda r: r.cue("#ood") and not (
        r.goods or "rubber_type" in r.words or (r.cue("#register") and r.cue("#details")))),
    ("broadcast", lambda r: r.cue("#broadcast") or (r.cue("#everyone") and r.cue("#news", "#send", "#alert")) or (
        r.announcement and not r.cue("#what", "#see", "#today")) or _to_members(r)),
    # chain letters, loan offers and links are not for the bot to act on, whatever goods they name; nor is a long
    # text that names no request (a forwarded story about feed prices)
    ("unknown", lambda r: (r.cue("#spam") and not r.cue("#console")) or (
        r.size > LONG_TEXT and not r.cue("#setprice", "#post", "#order"))),
    ("unknown", _event_told),
    ("console.link", lambda r: r.cue("#console")),
    ("round.summary", lambda r: r.cue("#summary")),
    ("price.post", lambda r: r.cue("#setprice") or (r.cue("#post") and (bool(r.numbers) or r.unread)) or (
        _bare_price(r)) or (r.cue("#change") and r.cue("#price") and "rubber_type" in r.words and bool(r.numbers)
                            and not r.cue("#alert", "#calc", "#daily"))),
    # "ไม่ต้องแจ้งเรื่องลูกหมู": no more notices of a product's rounds, or of the news (not a price alert's)
    # ไม่ต้องส่งข่าวปุ๋ยมา mutes the news; ไม่ต้องส่งปุ๋ยมา cancels the fertilizer itself
    ("news.mute", lambda r: r.cue("#cancel") and (r.cue("#notify", "#alert", "#news") or (
        r.cue("#send") and r.cue("#round"))) and (r.goods or r.cue("#news")) and not (
        r.rubber or r.cue("#price", "#order", "#daily"))),
    ("alert.cancel", lambda r: r.cue("#cancel", "#close") and (
        r.cue("#alert", "#daily") or (r.cue("#send") and (r.rubber or r.cue("#price"))))),
    ("alert.list", lambda r: r.cue("#alert") and r.cue("#mine", "#see", "#what")),
    ("alert.create", lambda r: r.cue("#alert") or (r.cue("#daily") and (r.rubber or r.cue("#price", "#send")))),
    ("round.close", lambda r: r.cue("#close") and not r.cue("#when", "#price", "#what", "#howmuch")),
    # ถูกลง/ถูกกว่า: what buying together took off, unless it is the rubber's price that fell
    ("savings", lambda r: r.cue("#savings") or (r.cue("#cheaper") and not r.rubber and not r.cue("#alert")) or (
        _against_middleman(r))),
    ("handoff", lambda r: r.cue("#human") and not r.cue("#contact")),
    ("payment", lambda r: r.cue("#pay") and not r.cue("#sell", "#calc")),
    ("pickup", lambda r: r.cue("#pickup")),
    ("delivery.status", lambda r: r.cue("#arrived") and not r.cue("#price")),
    # "ขายน้ำยาง 500 กิโล 34%" pledges (with its DRC); "ขาย … 34% ได้กี่บาท" asks what it would pay
    ("latex.calc", lambda r: (r.cue("#calc") and (bool(r.numbers) or r.rubber)) or (
        r.cue("#percent", "#yield") and bool(r.numbers) and not r.goods and (
            not r.cue("#sell") or r.cue("#howmuch", "#price")))),
    # ขายน้ำยาง 500 กิโล; เอาน้ำยางไปส่ง 90 กิโล brings latex by the kilo: a pledge too
    ("sell.pledge", lambda r: ((r.cue("#sell") and r.rubber) or (r.cue("#send") and r.rubber and any(
        measure in ("kg", "ton") for _, measure in r.numbers))) and not r.cue("#cancel")),
    ("price.history", _history),
    ("rounds.list", lambda r: r.cue("#price") and r.goods and not r.rubber),
    ("price.today", _price_today),
    ("register", lambda r: r.cue("#register", "#language") or (r.cue("#details") and not r.cue("#coop")) or (
        r.cue("#contact") and r.cue("#change", "#mine"))),
    ("contact", lambda r: r.cue("#contact") or (r.cue("#details", "#where") and r.cue("#coop"))),
    ("unknown", lambda r: r.cue("#help") and r.cue("#elsewhere")),  # สอนใช้ tiktok, แอปธนาคาร: another's help
    # สั่งยังไง asks how ordering works; อยากสั่งอาหารไก่ ทำไง orders the feed
    ("help", lambda r: r.cue("#help") or (r.cue("#use") and r.cue("#how")) or (
        r.cue("#order") and r.cue("#how") and not (r.goods or r.numbers or r.cue("#orders", "#mine", "#past")))),
    ("news", lambda r: r.cue("#news")),
    # ตัดปุ๋ยออก, เอาอาหารหมูออกจากออเดอร์: taken out of the order
    ("order.cancel", lambda r: r.cue("#cancel") or (r.cue("#out") and r.cue("#cut", "#want") and (
        r.goods or r.cue("#orders")) and not r.cue("#when", "#where", "#pickup", "#arrived"))),
    ("order.change", _corrected),
    ("rounds.list", lambda r: r.goods and r.cue("#stock", "#howmany") and not r.numbers),
    # เพิ่มอีก 5 changes the order by five more (the house adds them: bot.nlu.parser); เพิ่มเป็น 5 or แก้เป็น 5 sets
    # five; เอาอีก 5, สั่งอีก 5 (another five) orders them
    ("order.change", lambda r: adds(r)),
    ("order.join", lambda r: r.cue("#more") and not r.cue("#to", "#change") and (r.goods or bool(r.numbers))),
    # ที่สั่งไว้ 10 ลูก เอาแค่ 6: fewer than ordered
    ("order.change", lambda r: (r.cue("#change") or (r.cue("#more") and r.cue("#to")) or (
        r.cue("#only") and r.cue("#mine", "#orders") and bool(r.numbers))) and (
        r.goods or bool(r.numbers) or r.cue("#orders", "#mine", "#amount"))),
    ("order.list", lambda r: (r.cue("#orders", "#mine") and not r.goods and not r.cue("#round")) or (
        r.cue("#order") and r.cue("#what") and r.cue("#past"))),
    ("rounds.list", lambda r: r.cue("#round") or _asks_closing(r) or (
        r.cue("#what", "#see") and r.cue("#order", "#sell", "#want") and not r.numbers) or (
        r.goods and r.cue("#when", "#sell") and not r.numbers)),
    ("order.join", lambda r: r.goods or (r.cue("#order") and not r.cue("#what"))),
    ("greeting", lambda r: r.cue("#greeting")),  # thanks alone asks nothing: unknown, answered as thanks
)


def goods_alone(r: Reading) -> bool:
    """อาหารเป็ดเบทาโกร, ปุ๋ยยูเรีย: goods named alone, no number and no word asking for them: an answer, or a
    question the bot asks back (order them, or see their rounds), never an order started unasked."""
    return ("product" in r.words or "brand" in r.words) and not r.numbers and not r.cues and r.others == 0 and (
        r.one_of is None)


def how_to(r: Reading) -> bool:
    """ยกเลิกยังไงอะ, แจ้งขายยางทำยังไง: how to do something, in nothing but the action's own words (not ยกเลิกสมาชิก
    ยังไง, leaving the cooperative). Its reading is that action, never nothing: its conversation asks what is
    missing and confirms before anything is done."""
    return r.cue("#how") and r.cues <= _HOW_TO_WORDS and not (r.numbers or r.held or r.others or r.unread)


_HOW_TO_WORDS = _ACTING | {"#how", "#price", "#rubber", "#notify", "#orders", "#amount", "#mine"}


def postable(r: Reading) -> bool:
    """A price could be posted from it: a number that can be a price, one typed too oddly to read (58,50), or a
    coordinator's own words for posting (ตั้งราคา, which asks the price). A date alone is none: ราคายางวันนี้ 3 ธ.ค.
    asks the price."""
    return r.cue("#setprice", "#post") or r.unread or any(measure in (None, "baht") for _, measure in r.numbers)


def intent_of(reading: Reading) -> str:
    for name, rule in RULES:
        if rule(reading):
            return name
    return "unknown"


def slots_for(intent: str, reading: Reading, keep: frozenset[str]) -> dict[str, Any]:
    if intent == "unknown":
        return _answer_slots(reading) if _only_slots(reading) else {}
    slots: dict[str, Any] = {name: reading.words[name] for name in SLOT_NAMES if name in reading.words}
    if reading.formula:
        slots["formula"] = reading.formula
        slots.setdefault("product", "fertilizer")
    if intent in ("alert.create", "alert.cancel") and reading.cue("#daily") and not any(
            measure in (None, "baht") for _, measure in reading.numbers):
        slots["daily"] = True  # "เลิกส่งราคาทุกวัน" names the daily price, not any alert; แปดโมง is its hour
    if intent == "order.change":  # changed to what follows เป็น
        slots.update({name: value for name, value in reading.changed.items() if name in (*SLOT_NAMES, "formula")})
        if "unit" in reading.changed and not reading.numbers:
            slots["unit"] = reading.changed["unit"]  # เป็นกระสอบแทนถุง
    FILLERS.get(intent, _quantity)(reading, slots)
    _goods(slots)
    return {name: value for name, value in slots.items() if name in keep}


_ANSWER_CUES = frozenset({"#about", "#want", "#baht", "#rubber", "#sell", "#more", "#to", "#compare"})


def _only_slots(reading: Reading) -> bool:
    """A bare answer to a pending question: numbers and slot words only (5, ห้ากระสอบ, เอาสิบ); not an animal
    of one's own put up for sale (ขายวัวตัวนี้ 25000 ได้ไหม), which the network does not buy."""
    return reading.others == 0 and not (reading.cues - _ANSWER_CUES) and not (
        reading.cue("#sell") and "animal" in reading.words)


def _answer_slots(reading: Reading) -> dict[str, Any]:
    slots: dict[str, Any] = {name: reading.words[name] for name in SLOT_NAMES if name in reading.words}
    if reading.formula:
        slots["formula"] = reading.formula
    if reading.numbers:
        value, measure = reading.numbers[0]
        slots["quantity"] = value
        if measure in UNITS:
            slots["unit"] = measure
    _goods(slots)
    return slots


UNITS = ("sack", "kg", "container", "head", "bag")
_FITS = {"feed": ("sack", "bag", "kg"), "fertilizer": ("sack", "bag", "kg"), "rice": ("bag", "sack", "kg"),
         "acid": ("container", "kg"), "piglet": ("head",)}
"""the units each product is sold in: อาหารหมู … หมู 20 ตัว … 8 กระสอบ orders eight sacks, not twenty head"""


def _goods(slots: dict[str, Any]) -> None:
    if slots.get("animal") == "pig" and slots.get("unit") == "head" and slots.get("product", "piglet") == "piglet":
        slots["product"] = "piglet"
    if slots.get("product", "feed") != "feed":
        slots.pop("animal", None)  # the animal is fed; ปุ๋ยขี้ไก่ is fertilizer, ลูกหมู the piglet itself
    if "product" not in slots and ("brand" in slots or "animal" in slots):
        slots["product"] = "feed"
    if slots.get("unit") == "bag" and slots.get("product") in ("feed", "fertilizer"):
        slots["unit"] = "sack"


def _quantity(reading: Reading, slots: dict[str, Any]) -> None:
    """The number with a unit, else a bare number; a unit after สัก with no number means one (สักแกลลอน). An order
    changed จาก 2 เป็น 5 is changed to the number after เป็น."""
    numbers, before = reading.numbers, []
    if reading.changed_at is not None:
        if reading.one_of and reading.one_of_at >= reading.changed_at and not numbers[reading.changed_at :]:
            slots["quantity"], slots["unit"] = 1, reading.one_of  # จาก 2 ลดเหลือแกลลอนเดียว
            return
        if numbers[reading.changed_at :]:
            numbers, before = numbers[reading.changed_at :], numbers[: reading.changed_at]
    counted = [(_kilos(v), "kg") if m == "ton" else (v, m) for v, m in _packs(numbers) if m in (*UNITS, "ton")]
    fitting = [(v, m) for v, m in counted if m in _FITS.get(slots.get("product", ""), UNITS)]
    bare = [(v, m) for v, m in numbers if m is None]
    if counted or bare:
        # ผิด 10 กระสอบ เอา 5, 100 กิโลผิด จริงๆ 10 กิโล: a wrong number is corrected by the last one
        value, measure = (fitting or counted or bare)[-1 if reading.cue("#wrong") else 0]
        slots["quantity"] = value
        was = [m for _, m in before if m in UNITS]
        if measure:
            slots["unit"] = measure
        elif was:
            slots["unit"] = was[0]  # จาก 3 แกลลอน ลดเหลือ 2: two containers
        elif reading.corrected and "unit" in reading.words:
            slots["unit"] = reading.words["unit"]  # 10 ไม่ใช่ 5 กระสอบ: ten sacks
    elif reading.one_of:
        slots["quantity"], slots["unit"] = 1, reading.one_of


def _kilos(tons: float | int) -> float | int:
    """ครึ่งตัน is 500 kg, not 500.0."""
    kilos = tons * KG_PER_TON
    return int(kilos) if isinstance(kilos, float) and kilos.is_integer() else kilos


def _packs(numbers: list[tuple[float | int, str | None]]) -> list[tuple[float | int, str | None]]:
    """The numbers without a pack's size: ข้าวสาร 5 กิโล 2 ถุง orders two bags (of five kilos), not five kilos."""
    return [(v, m) for i, (v, m) in enumerate(numbers)
            if not (m == "kg" and i + 1 < len(numbers) and numbers[i + 1][1] in ("bag", "sack"))]


_CALC_MEASURES = {"kg": "weight_kg", "ton": "weight_kg", "percent": "drc", "baht": "price"}


def _calc(reading: Reading, slots: dict[str, Any]) -> None:
    """Each number by what it measures (50 กิโล, เปอร์ 33, ราคา 59), then the bare ones in the order weight, DRC,
    price; a split's shares and counts of other things (3 วัน, 1 ถัง) are none of them."""
    if slots.get("rubber_type") == "latex":
        del slots["rubber_type"]  # the calculator's own: named only when it is another (cup lump)
    for value, measure in reading.numbers:
        name = _CALC_MEASURES.get(measure or "")
        if name:
            slots.setdefault(name, _kilos(value) if measure == "ton" else value)
    bare = (value for value, measure in reading.numbers if measure is None)
    for name, value in zip((n for n in ("weight_kg", "drc", "price") if n not in slots), bare, strict=False):
        slots[name] = value


def _days(reading: Reading, slots: dict[str, Any]) -> None:
    """The span asked: 2 สัปดาห์ is 14 days; a period named alone (เดือนที่แล้ว, ปีที่ผ่านมา) is one of it. A count of
    days is whole: 58.50 is a price (1.5 เดือน is 45 days)."""
    for value, measure in reading.numbers:
        if measure in (None, "days") and value != int(value):
            continue
        if measure in _PERIOD_DAYS or measure is None:
            slots["days"] = value * _PERIOD_DAYS.get(measure or "days", 1)
            return
    if reading.period:
        slots["days"] = (_HALF_DAYS if reading.half else _PERIOD_DAYS)[reading.period]


def _first(name: str) -> Callable[[Reading, dict[str, Any]], None]:
    def fill(reading: Reading, slots: dict[str, Any]) -> None:
        for value, measure in reading.numbers:
            if measure in (None, "baht"):
                slots[name] = value
                return
    return fill


def _pledge(reading: Reading, slots: dict[str, Any]) -> None:
    """The kilos pledged, and a DRC when one is given (ขายน้ำยาง 500 กิโล 34%)."""
    _quantity(reading, slots)
    for value, measure in reading.numbers:
        if measure == "percent":
            slots["drc"] = value
            return


FILLERS: dict[str, Callable[[Reading, dict[str, Any]], None]] = {
    "sell.pledge": _pledge,
    "latex.calc": _calc,
    "price.history": _days,
    "price.post": _first("price"),
    "alert.create": _first("threshold"),
    "alert.cancel": _first("threshold"),
}
