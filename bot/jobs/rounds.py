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
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import translator
from handlers import Intent
from handlers.orders_ui import amount, baht, moment, per_unit, pickup_text, unit_word
from handlers.ui import Button, text
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


def _closing_text(_: Callable[[str], str], locale: str, line: OrderLine) -> str:
    round_, product = line.round, line.round.product
    name = product.name(locale)
    if round_.notice == "extended":
        return _("The round for {product} has not reached its minimum of {minimum} yet ({total} so far), so it "
                 "is extended to {deadline}. Invite your neighbours!").format(
            product=name, minimum=amount(_, round_.min_total or 0, product.unit),
            total=amount(_, round_.total, product.unit), deadline=moment(round_.closes_at, locale))
    if round_.notice == "cancelled":
        return _("The round for {product} is cancelled: it did not reach its minimum of {minimum}. "
                 "Nothing is charged.").format(product=name, minimum=amount(_, round_.min_total or 0, product.unit))
    final = line.final
    pickup = pickup_text(_, locale, round_, line.pickup_center)
    if final == 0:
        return _("The round for {product} has closed. Sorry: the last {pack} was not filled and yours was among "
                 "the latest orders, so there is nothing for you this time and nothing to pay.").format(
            product=name, pack=unit_word(_, product.pack_unit, 1))
    done = (_("The round for {product} has closed. You get {final} at {price}: {total}. Pick up at {pickup}.")
            if round_.direction == "buy" else
            _("The selling round for {product} has closed. Please bring {final} to {pickup}. Price: {price}, "
              "about {total}."))
    parts = [done.format(product=name, final=amount(_, final, product.unit), price=per_unit(_, line.unit_price,
                         product.unit), total=baht(_, line.amount), pickup=pickup)]
    if final < line.quantity:
        parts.append(_("You ordered {ordered}; the last {pack} was not filled, and by the round's rule the latest "
                       "orders take less.").format(ordered=amount(_, line.quantity, product.unit),
                                                   pack=unit_word(_, product.pack_unit, 1)))
    elif final > line.quantity:
        parts.append(_("You said you could take more: {extra} extra completes the last {pack}.").format(
            extra=amount(_, final - line.quantity, product.unit), pack=unit_word(_, product.pack_unit, 1)))
    return "\n".join(parts)


def queue_notices(db: Session) -> int:
    """Queue what members must be told about rounds that closed, were extended or cancelled."""
    query = select(Round).where(Round.notice.is_not(None)).with_for_update(skip_locked=True)
    queued = 0
    for round_ in db.scalars(query):
        for line in round_lines(db, round_.id):
            if not reachable(line.member):
                continue
            locale = line.member.locale
            message = text(_closing_text(translator(locale), locale, line)).to_dict()
            queue(db, [line.member.line_user_id], [message], purpose=f"round-{round_.notice}")
            queued += 1
        round_.notice = None
    return queued


def _by_locale(members: list[Member]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for member in members:
        if reachable(member):
            groups[member.locale].append(member.line_user_id)
    return groups


def _announce(db: Session, rounds: list[Round]) -> int:
    """One message per member for every round that opened since the last run: pushes cost quota."""
    if not rounds:
        return 0
    registered = db.scalars(select(Member).where(Member.consent_at.is_not(None), Member.district.is_not(None)))
    sent = 0
    for locale, user_ids in _by_locale(list(registered)).items():
        _ = translator(locale)
        items, buttons = [_("New rounds are open:")], list[Button]()
        for round_ in rounds:
            product, sell = round_.product, round_.direction == "sell"
            name = product.name(locale)
            items.append(_("• {product}: {price}, until {deadline}").format(
                product=_("Selling together: {product}").format(product=name) if sell else name,
                price=per_unit(_, round_.price, product.unit), deadline=moment(round_.closes_at, locale)))
            verb = "sell.pledge" if sell else "order.join"
            buttons.append((name, Intent(verb, {"round": round_.id})))
        message = text("\n".join(items), [*buttons[:12], (_("Group orders"), Intent("rounds.list"))])
        queue(db, user_ids, [message.to_dict()], purpose="round-opened")
        sent += len(user_ids)
    return sent


def _remind(db: Session, rounds: list[Round]) -> int:
    """One reminder per member with an order in rounds closing within a day."""
    waiting: dict[int, list[OrderLine]] = defaultdict(list)
    for round_ in rounds:
        for line in round_lines(db, round_.id):
            if reachable(line.member):
                waiting[line.member_id].append(line)
    for member_lines in waiting.values():
        member = member_lines[0].member
        _, locale = translator(member.locale), member.locale
        items = [_("Reminder: closing within a day. To change an order, press \"My orders\".")]
        items += [_("• {product}: your order {amount}, closes {deadline}").format(
            product=line.round.product.name(locale), amount=amount(_, line.quantity, line.round.product.unit),
            deadline=moment(line.round.closes_at, locale)) for line in member_lines]
        message = text("\n".join(items), [(_("My orders"), Intent("order.list"))])
        queue(db, [member.line_user_id], [message.to_dict()], purpose="round-reminder")
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

