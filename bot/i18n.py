"""gettext per member, not per process: the catalog follows the member's language.

The catalogs are read as they are written (`.po`, compiled in memory once per locale per process), from
`bot/locales`: a link to the top-level `locales/` in a checkout, real files inside an installed wheel. So
nothing needs compiling, and the package carries everything it needs to run from any folder.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
DEFAULT = "th"


def catalog_path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(locale: str) -> gettext.GNUTranslations:
    source = catalog_path(locale)
    try:
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=locale, domain=DOMAIN)
    except FileNotFoundError:
        raise RuntimeError(f"there is no {locale} catalog at {source}") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # leaves fuzzy entries out, as `pybabel compile` does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(locale: str) -> Callable[[str], str]:
    """The `_` function for a locale ('th' or 'en', which is all `Member.locale` gives)."""
    return _translations(locale).gettext
