"""Names of stored codes (units, statuses, rubber types, alert kinds) as staff read them, through the catalogs:
templates show `_(labels.UNITS[code])`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g

from bot.web.admin.forms import N_
from bot.web.admin.forms import choices as choices_of

UNITS = {"sack": N_("sacks"), "kg": N_("kg"), "container": N_("containers"), "head": N_("head"), "bag": N_("bags")}
ROUND_STATUSES = {"draft": N_("draft"), "open": N_("open"), "closed": N_("closed"),
                  "ordered": N_("ordered from the supplier"), "delivered": N_("delivered"),
                  "cancelled": N_("cancelled")}
LINE_STATUSES = {"active": N_("ordered"), "cancelled": N_("cancelled")}
RUBBER_TYPES = {"latex": N_("Field latex"), "uss": N_("Unsmoked sheet"), "rss3": N_("Smoked sheet (RSS3)"),
                "cuplump": N_("Cup lump")}
ALERT_KINDS = {"above": N_("at or above"), "below": N_("at or below"), "daily": N_("every day")}
ANNOUNCEMENT_STATUSES = {"draft": N_("draft"), "scheduled": N_("scheduled"), "sending": N_("sending"),
                         "sent": N_("sent"), "cancelled": N_("cancelled"), "missed": N_("missed")}
NETWORKS = {"rubber": N_("Rubber"), "rice_fertilizer": N_("Rice and fertilizer"), "feed": N_("Animal feed"),
            "community": N_("Community enterprises")}
INTERESTS = {"pig": N_("Pigs"), "chicken": N_("Chickens"), "duck": N_("Ducks"), "fish": N_("Fish"),
             "cattle": N_("Cattle"), "rubber": N_("Rubber"), "rice": N_("Rice")}
LEVELS = {"province": N_("Province"), "district": N_("District"), "subdistrict": N_("Sub-district")}


def context() -> dict[str, dict[str, str]]:
    """The tables, for templates."""
    return {"units": UNITS, "round_statuses": ROUND_STATUSES, "line_statuses": LINE_STATUSES,
            "rubber_types": RUBBER_TYPES, "alert_kinds": ALERT_KINDS, "announcement_statuses": ANNOUNCEMENT_STATUSES,
            "network_names": NETWORKS, "interest_names": INTERESTS, "levels": LEVELS}


def choices(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    """A select's (value, msgid) pairs with the labels in the console's language (WTForms shows them as given)."""
    return choices_of((value, g._(label) if label else label) for value, label in pairs)
