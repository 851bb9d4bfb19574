"""The dashboard (/admin/, contract): what a coordinator looks at first."""

from __future__ import annotations

from flask import render_template

from bot.web.admin.auth import bp, staff_required


@bp.get("/")
@staff_required
def dashboard() -> str:
    return render_template("admin/dashboard.html")
