"""The normaliser: what members type in one canonical form. The one place Thai digits become Arabic ones."""

from __future__ import annotations

import re

# Thai digits as Arabic ones; zero-width spaces and joiners (pasted from other apps) dropped
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789", "\u200b\u200c\u200d\ufeff")
# sara am typed as nikhahit + sara aa, with a tone mark on either side of the nikhahit
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")
# vowels and tone marks never double; consonants (ลล in แกลลอน) may, but never three times
_REPEATED = re.compile(r"([\u0e30-\u0e4e])\1+|([\u0e01-\u0e2e])\2{2,}|([a-z])\3{2,}")
# ค่า closing a message is ค่ะ as it is said (สวัสดีค่า, ได้ค่าาา), not ค่า the fee (ค่าไฟ), which leads its noun;
# a noun ending in ค่า that ends a message (มูลค่า) is rare here and its words are read the same
_LONG_KA = re.compile(r"(?<=\S)(\s*)ค่า(?=\W*$)")
# ยี่ (two, before สิบ) typed without its tone mark: ยีสิบ is twenty
_YI_SIP = re.compile("ยี(?=สิบ)")
# an apostrophe inside an English word: don't is dont, as many type it
_APOSTROPHE = re.compile("(?<=[a-z])['’](?=[a-z])")
# a full stop that is not a decimal point (กก. ซี.พี.)
_STRAY_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
# a month written short after the day, after เดือน or before its year (1 เม.ย., ๓ มี.ค., เดือน ม.ค., ม.ค. 67): its
# dots would leave letters no word is made of (alone, ก.พ. is as likely the civil service's)
_MONTHS = {"ม.ค": "มกราคม", "ก.พ": "กุมภาพันธ์", "มี.ค": "มีนาคม", "เม.ย": "เมษายน", "พ.ค": "พฤษภาคม",
           "มิ.ย": "มิถุนายน", "ก.ค": "กรกฎาคม", "ส.ค": "สิงหาคม", "ก.ย": "กันยายน", "ต.ค": "ตุลาคม",
           "พ.ย": "พฤศจิกายน", "ธ.ค": "ธันวาคม"}
MONTHS = tuple(_MONTHS.values())
"""the months' Thai names, January first"""
SHORT_MONTHS = tuple(f"{short}." for short in _MONTHS)
"""the months as Thai dates write them short (ม.ค.), January first"""
_SHORT = "(" + "|".join(re.escape(m) for m in _MONTHS) + r")\.?"
_SHORT_MONTH = re.compile(r"(?:(?<=\d)|(?<=เดือน))(\s*)" + _SHORT + r"|(?<![\u0e00-\u0e7f])()" + _SHORT + r"(?=\s*\d)")


# a fertilizer formula written with spaces, slashes or dots after สูตร or ปุ๋ย (สูตร 15 15 15, ปุ๋ย 15/15/15)
_FORMULA = re.compile(r"(สูตร|ปุ๋ย)\s*(\d{1,2})(?:\s*[/.]\s*|\s+)(\d{1,2})(?:\s*[/.]\s*|\s+)(\d{1,2})(?![\d.,])")


def christian_year(year: int) -> int:
    """A year as a Thai date writes it, of the Buddhist era in full (2569) or by its last two digits (69), or already
    of the Christian era (2026), as the Christian one: 2026."""
    year = year + 2500 if year < 100 else year
    return year - BUDDHIST_ERA if year > BUDDHIST_YEARS_FROM else year


BUDDHIST_ERA = 543
BUDDHIST_YEARS_FROM = 2400
"""a year above it is of the Buddhist era"""


def arabic_digits(text: str) -> str:
    """Thai digits as Arabic ones ("๓๐" -> "30"), nothing else changed: members, and RAOT's files, write either."""
    return text.translate(_THAI_DIGITS)


def normalize(text: str) -> str:
    """For the tokenizer: Arabic digits, lower case, no apostrophe inside a word, sara am as one letter, no repeated
    letters, a closing ค่า (ค่ะ as it is said) as ค่ะ, a formula with dashes, a month written short after a day in
    full, no stray dots."""
    text = _APOSTROPHE.sub("", arabic_digits(text).lower())
    text = _SARA_AM.sub(lambda m: m.group(1) + m.group(2) + "\u0e33", text)
    text = _REPEATED.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)
    text = _LONG_KA.sub(r"\1ค่ะ", text)
    text = _YI_SIP.sub("ยี่", text)
    text = _FORMULA.sub(r"\1 \2-\3-\4", text)
    text = _SHORT_MONTH.sub(lambda m: (m.group(1) or m.group(3) or " ") + _MONTHS[m.group(2) or m.group(4)] + " ",
                            text)
    return _STRAY_DOT.sub(" ", text)
