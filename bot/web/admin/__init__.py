"""The staff console at /admin: admins and coordinators, on a phone or the office PC.

People sign in with a single-use link (`coopbot admin link LINE_USER_ID`, valid 15 minutes; see
bot.web.admin.auth), so the console keeps no passwords. Every form is a Flask-WTF form (CSRF-checked);
a coordinator sees and changes only their own centers' things.

One module per area, each adding its views to the one `admin` blueprint (endpoint names start with the
area's name); a new area is one more line in AREAS.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask, g, request

from bot.i18n import translator
from bot.web.admin.auth import bp, console_base_url, init_auth, login_link, record_served_url
from bot.web.admin.forms import N_

__all__ = ["bp", "console_base_url", "init_app", "login_link", "record_served_url"]

AREAS = (
    "dashboard",
    "rounds",
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

    @app.context_processor
    def console_context() -> dict[str, Any]:
        member = g.get("member")
        nav = [(endpoint, label) for endpoint, label, admins in NAV
               if member is not None and (not admins or member.role == "admin")]
        return {"_": g.get("_") or translator("th"), "nav": nav, "here": request.endpoint,
                "language": g.get("locale") or "th"}
