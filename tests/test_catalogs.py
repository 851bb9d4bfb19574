"""Every user-facing string in the code has a Thai translation: none missing, empty or fuzzy."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locales" / "{locale}" / "LC_MESSAGES" / "messages.po"


def _source_messages() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "handlers", "models"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with open(str(CATALOG).format(locale=locale), "rb") as handle:
        return read_po(handle, locale=locale)


def test_the_code_has_user_facing_strings() -> None:
    assert len(_source_messages()) > 10


def test_every_source_string_has_a_thai_translation() -> None:
    catalog = _catalog("th")
    problems = []
    for msgid in sorted(_source_messages()):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not (entry.string if isinstance(entry.string, str) else all(entry.string)):
            problems.append(f"empty: {msgid!r}")
    assert problems == []


def test_translations_keep_their_placeholders() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    catalog = _catalog("th")
    wrong = [m.id for m in catalog if m.id and isinstance(m.id, str) and m.string and fields(m.id) != fields(m.string)]
    assert wrong == []


def test_english_catalog_exists() -> None:
    assert _catalog("en") is not None


def test_no_msgid_is_written_twice() -> None:
    """Catalogs merge by union (.gitattributes): two branches adding the same msgid leave it twice, which msgfmt
    refuses and babel reads as whichever comes last."""
    import collections
    import re

    paths = [str(CATALOG).format(locale=locale) for locale in ("th", "en")] + [str(ROOT / "locales" / "messages.pot")]
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        counts = collections.Counter(m.group(1) for m in re.finditer(r'^msgid ((?:".*"\n)+)', text, re.M))
        assert [msgid for msgid, n in counts.items() if n > 1] == [], path


def test_every_entry_has_one_msgid_and_one_msgstr() -> None:
    """A union merge can also drop a line both sides shared (an empty msgstr) or glue two entries together: babel
    reads such a file without a word, taking one entry's msgid for another's."""
    paths = [str(CATALOG).format(locale=locale) for locale in ("th", "en")] + [str(ROOT / "locales" / "messages.pot")]
    for path in paths:
        blocks = Path(path).read_text(encoding="utf-8").strip().split("\n\n")
        broken = [block for block in blocks[1:] if [line.split(" ", 1)[0] for line in block.splitlines()
                                                    if line.startswith(("msgid ", "msgstr "))] != ["msgid", "msgstr"]]
        assert broken == [], (path, broken[:3])


def test_catalogs_pass_babels_checks() -> None:
    """What `pybabel compile` refuses (a '% f' in an English text reads as a %-placeholder the Thai lacks)."""
    problems = [f"{locale}: {message.id!r}: {errors}" for locale in ("th", "en")
                for message, errors in _catalog(locale).check() if errors]
    assert problems == []
