"""The chat's words for the web pages (numbers, units, price names, the shared domain steps of bot.routes), loaded
at first use: bot.routes loads every handler and the LINE SDK, which the command line, building the same app,
never needs (`coopbot centers` starts in well under a second). Use it as `words.fmt.baht(…)`, never
`from bot.web.words import …`, which would load them at once."""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    value = getattr(importlib.import_module("bot.routes"), name)
    globals()[name] = value
    return value
