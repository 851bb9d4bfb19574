"""The scheduler job that sends announcements when they are due, through the outbox, and then tells each
author how theirs went (delivered, waiting and why, refused) once nothing of it is left waiting."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from bot.i18n import translator
from bot.routes import pushes
from models.announcements import (
    GRACE,
    REPEATED,
    Announcement,
    audience_of,
    due,
    meetings_to_remind,
    next_time,
    refresh_counts,
    replies,
    unreported,
)
from models.base import utcnow
from models.member import Member
from models.outbox import queue


def send_due(app: Flask, now: datetime | None = None) -> int:
    """Queue every due announcement for its audience, deliver, and report the ones that have gone out to their
    authors; a repeating one gets its next occurrence (one missed for longer than the grace time is skipped,
    not sent late); meetings within a day remind those going. Returns how many were queued."""
    now = now or utcnow()
    base_url = app.config["SETTINGS"].public_base_url
    queued = 0
    with app.extensions["sessions"]() as db, db.begin():
        announcements = due(db, now)
        for announcement in announcements:
            if announcement.every:
                _schedule_next(db, announcement, now)
            if announcement.every and now - announcement.send_at > GRACE:
                announcement.status = "missed"
                continue
            members = audience_of(db, announcement)
            for locale, user_ids in by_locale(members).items():  # one message for all who read one language
                messages = [m.to_dict() for m in pushes.announcement(translator(locale), locale, announcement,
                                                                     base_url)]
                queue(db, user_ids, messages, "announcement", announcement.id)
            announcement.status, announcement.recipients = "sending", len(members)
            queued += 1
        refresh_counts(db, {a.id for a in announcements})
        for meeting in meetings_to_remind(db, now):
            going, _not_going = replies(db, meeting.id)
            for locale, user_ids in by_locale([m for m in going if m.active]).items():
                messages = [m.to_dict() for m in pushes.meeting_reminder(translator(locale), locale, meeting)]
                queue(db, user_ids, messages, "meeting-reminder")
            meeting.reminded_at = now
    app.extensions["outbox"].drain()
    if report_sent(app, now):
        app.extensions["outbox"].drain()
    return queued


def _schedule_next(db: Session, announcement: Announcement, now: datetime) -> None:
    """The next occurrence of a repeating announcement, as a row of its own (its counts are its own)."""
    assert announcement.every is not None
    after = max(announcement.send_at, now)
    when = next_time(announcement.every, after)
    if when is None:
        return
    copied = {column: getattr(announcement, column) for column in REPEATED}
    db.add(Announcement(**copied, send_at=when, status="scheduled"))


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


def by_locale(members: list[Member]) -> dict[str, list[str]]:
    """The members' LINE user ids by the language they read, in the order given."""
    found: dict[str, list[str]] = {}
    for member in members:
        found.setdefault(member.locale, []).append(member.line_user_id)
    return found
