"""The rounds' clock: close rounds at their deadline, tell members what closing meant for them, announce
new rounds and remind 24 hours before a round closes. Every push is queued in the outbox (with its
retry key) in the member's own language, then delivered through the LINE seam within the quota.

Who is told: a new round goes to every registered member with LINE; the 24-hour reminder and the
closing notices go to the members with an order in that round (members without a smartphone, ordered
for by a coordinator, have no LINE id and are called by their cooperative instead).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import translator
from bot.routes import pushes
from models.announcements import interest_in, interests_of
from models.base import utcnow
from models.closing import close
from models.member import Member
from models.orders import OrderLine, round_lines
from models.outbox import queue
from models.rounds import Round

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(hours=24)


def reachable(member: Member) -> bool:
    """A member we can push to: on LINE (user ids start with U) and still following the account."""
    return member.active and member.line_user_id.startswith("U")


def close_due(app: Flask, now: datetime) -> int:
    """Close every open round whose deadline has passed, each in its own transaction."""
    sessions = app.extensions["sessions"]
    with sessions() as db:
        due = list(db.scalars(select(Round.id).where(Round.status == "open", Round.closes_at <= now)))
    for round_id in due:
        with sessions() as db, db.begin():
            result = close(db, round_id, now)
            log.info("round %s at its deadline: %s", round_id, result.outcome if result else "gone")
    return len(due)


def queue_notices(db: Session) -> int:
    """Queue what members must be told about rounds that closed, were extended or cancelled."""
    query = select(Round).where(Round.notice.is_not(None)).with_for_update(skip_locked=True)
    queued = 0
    for round_ in db.scalars(query):
        for line in round_lines(db, round_.id):
            if not reachable(line.member):
                continue
            locale = line.member.locale
            messages = [m.to_dict() for m in pushes.round_closed(translator(locale), locale, line)]
            queue(db, [line.member.line_user_id], messages, purpose=f"round-{round_.notice}")
            queued += 1
        round_.notice = None
    return queued


def _announce(db: Session, rounds: list[Round]) -> int:
    """One message per member for the rounds that opened since the last run and fit what they raise or grow
    (all of them for a member whose interests are not known yet): pushes cost quota, and a rubber tapper has no
    use for a piglet round. Coordinators and admins run rounds: they are not told of them. Members told the same
    rounds share one multicast."""
    if not rounds:
        return 0
    registered = list(db.scalars(select(Member).where(Member.consent_at.is_not(None), Member.district.is_not(None),
                                                      Member.role == "member")))
    interests = interests_of(db, registered)
    groups: dict[tuple[str, tuple[int, ...]], list[str]] = defaultdict(list)
    for member in registered:
        known = interests[member.id]
        fitting = tuple(r.id for r in rounds if not known or interest_in(r.product.category, r.product.animal) in (
            None, *known))
        if fitting and reachable(member):
            groups[(member.locale, fitting)].append(member.line_user_id)
    by_id = {r.id: r for r in rounds}
    for (locale, fitting), user_ids in groups.items():
        messages = [m.to_dict() for m in pushes.rounds_opened(translator(locale), locale, [by_id[i] for i in fitting])]
        queue(db, user_ids, messages, purpose="round-opened")
    return sum(len(user_ids) for user_ids in groups.values())


def _remind(db: Session, rounds: list[Round]) -> int:
    """One reminder per member with an order in rounds closing within a day."""
    waiting: dict[int, list[OrderLine]] = defaultdict(list)
    for round_ in rounds:
        for line in round_lines(db, round_.id):
            if reachable(line.member):
                waiting[line.member_id].append(line)
    for member_lines in waiting.values():
        member = member_lines[0].member
        messages = [m.to_dict() for m in pushes.round_reminder(translator(member.locale), member.locale, member_lines)]
        queue(db, [member.line_user_id], messages, purpose="round-reminder")
    return len(waiting)


def queue_reminders(db: Session, now: datetime) -> int:
    """Announce rounds that have opened, and remind their members a day before they close (once each)."""
    live = select(Round).where(Round.status == "open", Round.opens_at <= now, Round.closes_at > now)
    fresh = list(db.scalars(live.where(Round.announced_at.is_(None)).with_for_update(skip_locked=True)))
    soon = live.where(Round.reminded_at.is_(None), Round.closes_at <= now + REMIND_BEFORE)
    closing = list(db.scalars(soon.with_for_update(skip_locked=True)))
    for round_ in fresh:
        round_.announced_at = now
    for round_ in closing:
        round_.reminded_at = now
    return _announce(db, fresh) + _remind(db, closing)


def tick(app: Flask, now: datetime | None = None) -> None:
    """The scheduler's job: close due rounds, queue notices and reminders, then deliver the outbox."""
    now = now or utcnow()
    close_due(app, now)
    with app.extensions["sessions"]() as db, db.begin():
        queue_notices(db)
        queue_reminders(db, now)
    app.extensions["outbox"].drain()



def queue_goods_arrived(db: Session, round_: Round, points: list[int], until: date | None) -> int:
    """Tell the members with goods at these pickup points (just marked arrived) to collect them; returns how many
    were told (a member without LINE is called by their cooperative instead)."""
    told = 0
    for line in round_lines(db, round_.id):
        if line.pickup_center_id in points and line.final > 0 and line.member.active:
            locale = line.member.locale
            messages = [m.to_dict() for m in pushes.goods_arrived(translator(locale), locale, line, until)]
            queue(db, [line.member.line_user_id], messages, "goods-arrived")
            told += 1
    return told
