"""The scheduler job that sends announcements when they are due, through the outbox, and then tells each
author how theirs went (delivered, waiting and why, refused) once nothing of it is left waiting."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from bot.i18n import translator
from bot.routes import pushes
from models.announcements import audience, due, refresh_counts, unreported
from models.base import utcnow
from models.member import Member
from models.outbox import queue


def send_due(app: Flask, now: datetime | None = None) -> int:
    """Queue every due announcement for the members its center serves, deliver, and report the ones that
    have gone out to their authors; returns how many were queued."""
    now = now or utcnow()
    with app.extensions["sessions"]() as db, db.begin():
        announcements = due(db, now)
        for announcement in announcements:
            members = audience(db, announcement.center, announcement.author_id, announcement.districts,
                               announcement.round_id)
            messages = [m.to_dict() for m in pushes.announcement(announcement)]
            queue(db, [m.line_user_id for m in members], messages, "announcement", announcement.id)
            announcement.status, announcement.recipients = "sending", len(members)
        refresh_counts(db, {a.id for a in announcements})
    app.extensions["outbox"].drain()
    if report_sent(app, now):
        app.extensions["outbox"].drain()
    return len(announcements)


def report_sent(app: Flask, now: datetime) -> int:
    """Queue a note to the author of each announcement that has gone out; returns how many."""
    with app.extensions["sessions"]() as db, db.begin():
        finished = unreported(db)
        for announcement in finished:
            announcement.reported_at = now
            author = db.get(Member, announcement.author_id)
            if author is None or not author.active:
                continue
            _ = translator(author.locale)
            messages = [m.to_dict() for m in pushes.announcement_report(_, author.locale, announcement, now)]
            queue(db, [author.line_user_id], messages, "announcement-report")
    return len(finished)
