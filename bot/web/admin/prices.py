"""Prices (/admin/prices): a page to come (this module is its area's; see bot.web.admin)."""

from __future__ import annotations

from flask import g, render_template

from bot.web.admin.auth import bp, staff_required


@bp.get("/prices")
@staff_required
def prices() -> str:
    _ = g._
    return render_template("admin/placeholder.html", title=_("Prices"))
