"""gettext per member, not per process: the catalog follows the member's language."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT = "th"


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALES, languages=[locale], fallback=locale == "en")


def translator(locale: str) -> Callable[[str], str]:
    """The `_` function for a locale ('th' or 'en'); Thai when the locale is not one we have."""
    try:
        return _translations(locale).gettext
    except FileNotFoundError:
        raise RuntimeError(f"the {locale} catalog is not compiled: run 'make catalogs'") from None
