"""Rounds (/admin/rounds, contract): the rounds the signed-in person may see."""

from __future__ import annotations

from flask import g, render_template

from bot.web.admin.auth import bp, staff_required


@bp.get("/rounds")
@staff_required
def rounds() -> str:
    _ = g._
    return render_template("admin/placeholder.html", title=_("Rounds"))
