"""The English a member reads keeps locales/STYLE.md's rules too: English is a faithful second language.

What an English-speaking member reads is the English catalog's msgstr, or the msgid where that is empty (or the
entry missing). The rules are checked on that text, for every string in the code: so an empty msgstr is fine where
the msgid is the English to show, and fails where it is not."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from handlers.ui import MEANINGS, main_actions
from tests.test_catalogs import _source_messages
from tests.test_thai_style import CENTER_WORD_ALLOWED, COMMAND_ALLOWED, _console_strings

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locales" / "{locale}" / "LC_MESSAGES" / "messages.po"
LABEL_LIMIT = 20  # LINE cuts a quick-reply label at 20 characters

# Staff's word; members read "cooperative". A placeholder ({center}) is a name, not the word.
CENTER = re.compile(r"\bcent(er|re)s?\b", re.IGNORECASE)
# Words STYLE.md retires, in English: what the member sees is a button or a message, not a card (a member card is
# the plastic one in their wallet); the change is from the previous price, not a trading day; 📊 is a day's price,
# 📈 says it went up; registering is "register".
RETIRED = {
    r"(?<!member )\bcards?\b": "button or message",
    r"\btrading days?\b": "the previous price",
    "📈": "📊 for a day's price",
    r"\bsign(ing)? ?up\b|\bsubscrib": "register",
    r"\bcoopbot\b": "who to ask, not a server command",
}
# The bot is "I"; the network acting is "the cooperative", not "we".
WE = re.compile(r"\b(we|our|us)\b", re.IGNORECASE)


@cache
def _catalog(locale: str) -> Catalog:
    with open(str(CATALOG).format(locale=locale), "rb") as handle:
        return read_po(handle, locale=locale)


def _english(msgid: str) -> str:
    entry = _catalog("en").get(msgid)
    shown = entry.string if entry is not None else ""
    return (shown if isinstance(shown, str) else shown[0]) or msgid


def _shown() -> Iterator[tuple[str, str]]:
    """(msgid, the English a member reads, placeholders taken out) for every string in the code."""
    for msgid in sorted(_source_messages()):
        yield msgid, re.sub(r"\{[^{}]*\}", "", _english(msgid))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_code_strings_are_read() -> None:
    assert len(list(_shown())) > 300


def test_english_translations_keep_their_placeholders() -> None:
    wrong = [m.id for m in _catalog("en") if m.id and isinstance(m.id, str) and m.string
             and _fields(m.id) != _fields(str(m.string))]
    assert wrong == []


def test_some_msgids_are_corrected_in_the_english_catalog() -> None:
    """The English catalog is read: a corrected msgid shows its msgstr, not itself."""
    assert _english("Contact the center") == "Contact cooperative"


def test_members_read_cooperative_not_center() -> None:
    staff = CENTER_WORD_ALLOWED | _console_strings()  # the console's staff say center, as their network does
    found = [shown for msgid, shown in _shown() if CENTER.search(shown) and msgid not in staff]
    assert found == []


def test_no_retired_word_reaches_a_member_in_english() -> None:
    found = [(word, instead, shown) for msgid, shown in _shown() for word, instead in RETIRED.items()
             if re.search(word, shown, re.IGNORECASE) and msgid not in COMMAND_ALLOWED]
    assert found == []


def test_the_bot_says_i_and_the_cooperative_never_we() -> None:
    staff = _console_strings()  # the console is the cooperative's own staff speaking among themselves
    assert [shown for msgid, shown in _shown() if WE.search(shown) and msgid not in staff] == []


def test_menu_and_choice_labels_fit_a_button_in_both_languages() -> None:
    labels = {*MEANINGS.values(), *(label for label, _intent in main_actions(lambda text: text))}
    long = [(locale, shown) for label in labels
            for locale, shown in (("en", _english(label)), ("th", _catalog("th").get(label).string))
            if len(shown) > LABEL_LIMIT]
    assert long == []
