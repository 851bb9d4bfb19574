"""The coordinators' quick things from chat: a sign-in link to the web console (or straight to a round's supplier
export), and the goods of a round marked as arrived, which tells its members where to collect them."""

from __future__ import annotations

from datetime import date, datetime

from linebot.v3.messaging import Message
from sqlalchemy.orm import Session

from bot.i18n import translator
from bot.nlu import Intent
from handlers import Turn, pushes
from handlers.rounds import own_round
from handlers.ui import main_actions, reply, yes_no
from models.orders import arrived, round_lines
from models.outbox import queue
from models.rounds import Round
from models.web_sessions import LINK_LIFETIME, issue_link

ARRIVING = ("closed", "ordered")  # a buying round's goods arrive once it has closed


def link(turn: Turn, intent: Intent) -> list[Message]:
    """"ขอลิงก์เข้าระบบ": a single-use sign-in link, valid 15 minutes; with a round, it opens that round's supplier
    export once signed in."""
    _ = turn._
    target = ""
    if intent.slots.get("round") is not None:
        found = own_round(turn, intent, "console.link", ("open", "closed", "ordered", "delivered"))
        if not isinstance(found, Round):
            return found
        target = f"?next=/admin/rounds/{found.id}/export.xlsx"
    token = issue_link(turn.db, turn.member.id, turn.now)
    url = f"{turn.console_url()}/admin/login{target}#{token}"
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    said = (_("The supplier file of this round, after signing in (works once, for {minutes} minutes; do not "
              "forward it):\n{url}") if target else
            _("Your sign-in link to the web console (works once, for {minutes} minutes; do not forward it):\n{url}"))
    return reply(said.format(minutes=minutes, url=url))


def goods_arrived(turn: Turn, intent: Intent) -> list[Message]:
    """A coordinator marks a closed round's goods as arrived at its pickup points, after a yes; its members there
    are told where to collect them. Pressed again, nobody is told twice."""
    _ = turn._
    found = own_round(turn, intent, "round.arrived", ARRIVING)
    if not isinstance(found, Round):
        return found
    round_ = found
    if round_.direction != "buy" or round_.status not in ARRIVING:
        return reply(_("Goods arrive for a closed buying round; this one cannot be marked."), main_actions(_))
    name = round_.product.name(turn.locale)
    if intent.slots.get("confirm") is not True:
        return reply(_("Have the goods of the {product} round arrived at every pickup point? Its members will be "
                       "told to collect them.").format(product=name),
                     yes_no(_, Intent("round.arrived", {"round": round_.id, "confirm": True}),
                            Intent("round.summary", {"round": round_.id})))
    marked, told = tell_arrived(turn.db, round_, [], turn.now, None)
    if not marked:
        return reply(_("The goods of the {product} round were already marked as arrived; nobody is told twice.")
                     .format(product=name))
    return reply(_("Marked as arrived at {points} pickup points; {members} members are being told.").format(
        points=len(marked), members=told))


def tell_arrived(db: Session, round_: Round, center_ids: list[int], now: datetime,
                 until: date | None) -> tuple[list[int], int]:
    """Mark the goods as arrived at these points (every point with orders when none is named) and queue, for
    each member with goods there, where and until when to collect: the points newly marked, the members told."""
    marked = set(arrived(db, round_, center_ids, now, until))
    told = 0
    for line in round_lines(db, round_.id):
        if line.pickup_center_id in marked and line.final > 0 and line.member.active:
            locale = line.member.locale
            messages = [m.to_dict() for m in pushes.goods_arrived(translator(locale), locale, line, until)]
            queue(db, [line.member.line_user_id], messages, "goods-arrived")
            told += 1
    return sorted(marked), told
