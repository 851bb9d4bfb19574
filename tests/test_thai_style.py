"""The Thai catalog keeps the house style of locales/STYLE.md: a space after a placeholder before Thai text, one
form of address (ท่าน), no retired words, no empty or English translation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parent.parent / "locales" / "th" / "LC_MESSAGES" / "messages.po"

THAI = "[\u0e01-\u0e5b]"
PLACEHOLDER_BEFORE_THAI = re.compile(r"\{([^{}]*)\}(?=" + THAI + ")")
# Container words Thai joins to what follows ("แกลลอนสุดท้าย", "กระสอบละ"); never an abbreviation like "กก."
JOINED_PLACEHOLDERS = frozenset({"pack", "packs"})

# คุณ as a pronoun; คุณ{name} is the title before a name, and ขอบคุณ, คุณภาพ… are other words
KHUN_AS_PRONOUN = re.compile(r"(?<!ขอบ)คุณ(?!\{name\}|ภาพ|ค่า|สมบัติ)")

RETIRED = {
    "ออเดอร์": "รายการสั่งซื้อ",
    "การ์ด": "ปุ่ม or ข้อความ",
    "ดำเนินการ": "the plain verb",
    "ความคืบหน้า": "ยอดรอบนี้",
    "จุลภาค": "ลูกน้ำ",
    "วันทำการ": "ราคาครั้งก่อน",
    "รับทราบ": "ได้ครับ",
    "สมัคร": "ลงทะเบียน",
    "coopbot ": "who to ask, not a server command",
}
# The admin web page's sign-in hint is read by the admin who runs the server: the one place a command belongs.
COMMAND_ALLOWED = frozenset({"Sign in with a link from the command line: coopbot admin link YOUR_LINE_USER_ID"})

# ศูนย์ is the coordinators' word for their center; members say สหกรณ์. These are the staff's strings.
CENTER_WORD_ALLOWED = frozenset({
    "A coordinator needs a center.",
    "Coordination centers",
    "Members of your center gained {amount} this year in delivered rounds.",
    "This round belongs to {center}; only its coordinators can do this.",
    "Your account is not linked to a center yet. Ask an admin to set it.",
    "Your center has no rounds for this right now.",
})
CONSOLE = Path(__file__).resolve().parent.parent / "bot" / "web" / "admin"
ZERO_AS_WORD = re.compile(r"(กว่า|เป็น|เท่ากับ)\s*ศูนย์(?!ประสานงาน)")
LATIN_WORD = re.compile(r"[A-Za-z]")


def _entries() -> Iterator[tuple[str, str]]:
    with open(CATALOG, "rb") as handle:
        catalog = read_po(handle, locale="th")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for msgid, msgstr in zip(ids, strings, strict=False):
            yield msgid, msgstr or ""


def test_the_catalog_is_read() -> None:
    assert len(list(_entries())) > 300


def test_a_placeholder_is_followed_by_a_space_before_thai_text() -> None:
    run_in = [(msgstr, name) for _msgid, msgstr in _entries()
              for name in PLACEHOLDER_BEFORE_THAI.findall(msgstr) if name not in JOINED_PLACEHOLDERS]
    assert run_in == []


def test_the_member_is_addressed_as_than_only() -> None:
    entries = list(_entries())
    assert any("ท่าน" in msgstr for _msgid, msgstr in entries)
    khun = [msgstr for _msgid, msgstr in entries if KHUN_AS_PRONOUN.search(msgstr)]
    assert khun == []


def test_no_retired_word_is_used() -> None:
    found = [(word, RETIRED[word], msgstr) for msgid, msgstr in _entries() for word in RETIRED
             if word in msgstr and not (word == "coopbot " and msgid in COMMAND_ALLOWED)]
    assert found == []


def _console_strings() -> frozenset[str]:
    """Every string of the staff console (bot/web/admin): only admins and coordinators read them."""
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(str(CONSOLE), method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")])
    return frozenset(message for _file, _line, message, _comments, _context in found if isinstance(message, str))


def test_members_read_cooperative_not_center_and_zero_is_a_digit() -> None:
    staff = CENTER_WORD_ALLOWED | _console_strings()
    assert "Products & centers" in staff
    found = [msgstr for msgid, msgstr in _entries()
             if "ศูนย์" in msgstr and (msgid not in staff or ZERO_AS_WORD.search(msgstr))]
    assert found == []


def test_every_translation_is_there_and_in_thai() -> None:
    """Empty, or the English left as it was (a string of placeholders and punctuation alone is the same in both)."""
    wrong = [msgid for msgid, msgstr in _entries()
             if not msgstr.strip() or (msgstr == msgid and LATIN_WORD.search(re.sub(r"\{[^{}]*\}", "", msgid)))]
    assert wrong == []
