"""The staff console at /admin: admins and coordinators, on a phone or the office PC.

People sign in with a single-use link (`coopbot admin link LINE_USER_ID`, valid 15 minutes; see
bot.web.admin.auth), so the console keeps no passwords. Every form is a Flask-WTF form (CSRF-checked);
a coordinator sees and changes only their own centers' things.

One module per area, each adding its views to the one `admin` blueprint (endpoint names start with the
area's name); a new area is one more line in AREAS.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, g, request

from bot.i18n import translator
from bot.web import words
from bot.web.admin.auth import bp, console_base_url, init_auth, login_link, record_served_url
from bot.web.admin.forms import N_
from models.base import BANGKOK

__all__ = ["bp", "console_base_url", "init_app", "login_link", "record_served_url"]

AREAS = (
    "dashboard",
    "rounds",
    "round_actions",
    "prices",
    "members",
    "announcements",
    "catalog",
    "channel",
)
# (endpoint, label msgid, admins only): the console's menu, in this order
NAV = (
    ("admin.dashboard", N_("Dashboard"), False),
    ("admin.rounds", N_("Rounds"), False),
    ("admin.prices", N_("Prices"), False),
    ("admin.members", N_("Members"), False),
    ("admin.announcements", N_("Announcements"), False),
    ("admin.catalog", N_("Products & centers"), False),
    ("admin.channel", N_("Channel"), True),
)


def init_app(app: Flask) -> None:
    for area in AREAS:
        importlib.import_module(f"{__name__}.{area}")
    init_auth(app)
    app.register_blueprint(bp)

    # Numbers and dates as chat shows them: 1,234.50, 3 ธ.ค. 2569 17:00 น. (local time), "40 kg" in the unit's words
    app.add_template_filter(_baht, "baht")
    app.add_template_filter(_quantity, "qty")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_moment, "moment")
    app.add_template_filter(_units, "units")

    @app.context_processor
    def console_context() -> dict[str, Any]:
        member = g.get("member")
        nav = [(endpoint, label) for endpoint, label, admins in NAV
               if member is not None and (not admins or member.role == "admin")]
        return {"_": g.get("_") or translator("th"), "nav": nav, "here": request.endpoint,
                "language": g.get("locale") or "th", "unit_word": _unit_word}


def _baht(*args: Any) -> str:
    return str(words.fmt.baht(*args))


def _quantity(*args: Any) -> str:
    return str(words.fmt.quantity(*args))


def _locale() -> str:
    return str(g.get("locale") or "th")


def _day(value: date | None) -> str:
    return words.fmt.day(value, _locale()) if value else ""


def _moment(value: datetime | None) -> str:
    return words.fmt.moment(value.astimezone(BANGKOK), _locale()) if value else ""


def _units(quantity: Decimal | int | None, unit: str) -> str:
    return words.units_of(g._, quantity or 0, unit)


def _unit_word(unit: str, quantity: Decimal | int = 2) -> str:
    """A unit (or pack) in words: กระสอบ, แกลลอน, sacks."""
    return words.unit_word(g._, unit, quantity)
