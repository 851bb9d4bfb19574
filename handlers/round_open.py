"""A coordinator opens a new round from chat, for the simple case: the same product and terms as an earlier
round of their center, closing in a few days, at the same price or a new one typed. Anything else is the
console's Rounds page (or `coopbot rounds open`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Form, Problem, Slots
from handlers.orders_ui import moment, per_unit, unit_word
from handlers.price_ui import NumberError, number_reply, slot_number
from handlers.rounds import own_round
from handlers.ui import reply
from models.base import BANGKOK
from models.opening import RoundRefused, open_like
from models.rounds import CLOSING_TIME, Round, still_open

DAY_CHOICES = (3, 7, 14)


def open_round(turn: Turn, intent: Intent) -> list[Message]:
    _, slots = turn._, intent.slots
    found = own_round(turn, Intent(intent.name, {"round": slots["like"]}) if slots.get("like") else intent,
                      "round.open", ("closed", "ordered", "delivered", "cancelled"))
    if not isinstance(found, Round):
        return found
    like, product = found, found.product
    name = product.name(turn.locale)
    already = still_open(turn.db, like.product_id, like.center_id, like.direction)
    if already is not None:
        return reply(_("There is already an open round for {product}, until {deadline}.").format(
            product=name, deadline=moment(already.closes_at, turn.locale)))
    days = slots.get("days")
    if not isinstance(days, int) or not 1 <= days <= 30:
        return reply(_("Open a new round for {product} at {price}, with the same terms as before? "
                       "How many days should it stay open?").format(
            product=name, price=per_unit(_, like.price, product.unit)),
            [(_("{n} days").format(n=n), Intent("round.open", {"like": like.id, "days": n})) for n in DAY_CHOICES]
            + [(_("No"), Intent("help"))])
    return OPEN.run(turn, Intent(intent.name, {**slots, "like": like.id}, intent.text),
                    lambda turn, slots: _open(turn, like, days, slots["price"]))


def _ask_price(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    like = turn.db.get(Round, int(slots["like"]))
    assert like is not None
    product = like.product
    return reply(_("At {price} as before, or a new price? Type the new price in baht per {unit}, like {example}.")
                 .format(price=per_unit(_, like.price, product.unit), unit=unit_word(_, product.unit),
                         example=fmt.number(like.price)),
                 [(_("Same price"), Intent("round.open", {"like": like.id, "days": slots["days"],
                                                           "price": str(like.price)}))])


def _read_price(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Decimal | None:
    try:
        value = slot_number(intent, "price", answering)
    except NumberError as error:
        raise Problem(reply(number_reply(turn._, error))) from None
    if value is not None and value <= 0:
        raise Problem(reply(turn._("A price is more than 0 baht. Type the new price, like 590.")))
    return value


OPEN = Form("round.open", (Ask("price", _ask_price, _read_price),), kept=frozenset({"like", "days"}))


def _open(turn: Turn, like: Round, days: int, price: Decimal) -> list[Message]:
    _, name = turn._, like.product.name(turn.locale)
    turn.finish()
    local_day = turn.now.astimezone(BANGKOK).date() + timedelta(days=days)
    closes_at = datetime.combine(local_day, CLOSING_TIME, BANGKOK)
    try:
        created = open_like(turn.db, like, closes_at, turn.now, turn.member.id, price)
    except RoundRefused as exc:  # the earlier round's terms are no longer allowed (or one opened meanwhile)
        if exc.reason == "already_open":
            return reply(_("There is already an open round for {product}, until {deadline}.").format(
                product=name, deadline=moment(exc.facts["round"].closes_at, turn.locale)))
        return reply(_("The earlier round's terms cannot be used again as they are: please open this one on the "
                       "console's Rounds page."))
    return reply(_("Opened: {product} at {price}, until {deadline}. Members will be told shortly.").format(
        product=name, price=per_unit(_, created.price, like.product.unit), deadline=moment(closes_at, turn.locale)),
        [(_("Group orders"), Intent("rounds.list"))])
