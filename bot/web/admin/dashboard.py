"""The dashboard (/admin/, contract): the day's prices, the open rounds and how far each is from going ahead, the
next announcements, and how much of LINE's monthly quota is left, for the signed-in person's centers."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, g, render_template
from sqlalchemy import select

from bot.line import LineError, Quota
from bot.settings import ConfigError
from bot.web import words
from bot.web.admin.auth import bp, db, scoped, staff_required
from bot.web.admin.rounds import progress
from models.announcements import Announcement
from models.base import utcnow
from models.outbox import last_quota
from models.prices import RUBBER_TYPES, board, local_day
from models.rounds import Round

log = logging.getLogger(__name__)
NEXT_ANNOUNCEMENTS = 5


@bp.get("/")
@staff_required
def dashboard() -> str:
    db().commit()  # end the sign-in check's transaction: no network call while one is open
    quota, left = _quota(), None
    if quota is None:
        left = last_quota(db())
    rounds = db().scalars(scoped(select(Round).where(Round.status == "open"), Round.center_id)
                          .order_by(Round.closes_at, Round.id))
    announcements = db().scalars(
        scoped(select(Announcement).where(Announcement.status == "scheduled"), Announcement.center_id)
        .order_by(Announcement.send_at, Announcement.id).limit(NEXT_ANNOUNCEMENTS))
    return render_template("admin/dashboard.html", prices=_prices(), rounds=[(r, progress(r)) for r in rounds],
                           announcements=list(announcements), quota=quota, left=left)


def _prices() -> list[dict[str, Any]]:
    """Today's (or the latest) price of each rubber type that the signed-in person's center acts on."""
    _, own = g._, g.member.center_id if g.member.role == "coordinator" else None
    today = local_day(utcnow())
    found = []
    for quote, before in board(db(), RUBBER_TYPES, own, today):
        change = words.price_change(_, quote, before)
        found.append({"name": words.type_name(_, quote.rubber_type), "quote": quote, "change": change,
                      "up": change.startswith("▲"), "down": change.startswith("▼"),
                      "source": words.source_line(_, quote.source, quote.center, own, g.locale),
                      "today": quote.day == today})
    return found


def _quota() -> Quota | None:
    try:
        quota: Quota = current_app.extensions["line"].quota()
    except (LineError, ConfigError) as exc:
        log.warning("dashboard: LINE's quota not read: %s", exc)
        return None
    return quota
