"""The scheduler job that sends announcements when they are due, through the outbox and the LINE seam."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from linebot.v3.messaging import TextMessage

from models.announcements import audience, due
from models.outbox import queue


def send_due(app: Flask, now: datetime | None = None) -> int:
    """Queue every due announcement for the members its center serves, then deliver; returns how many."""
    now = now or datetime.now(UTC)
    with app.extensions["sessions"]() as db:
        with db.begin():
            announcements = due(db, now)
            for announcement in announcements:
                members = audience(db, announcement.center, announcement.author_id)
                text = f"📢 {announcement.center.name_th}\n{announcement.body}"
                queue(db, [m.line_user_id for m in members], [TextMessage(text=text).to_dict()], "announcement")
                announcement.status, announcement.recipients = "sent", len(members)
        if announcements:
            app.extensions["line"].deliver_pending(db)
            db.commit()
    return len(announcements)
