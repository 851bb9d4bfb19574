"""A coordinator opens a new round from chat, for the simple case: the same product and terms as an earlier
round of their center, closing in a few days, at the same price or a new one typed. A price more than 15 % from the
last round's is shown beside it and confirmed before anything opens (models.opening, price_jump). Anything else is
the console's Rounds page (or `coopbot rounds open`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Form, Problem, Slots, Stop
from handlers.orders_ui import amount, moment, per_unit, unit_word
from handlers.price_ui import NumberError, number_reply, slot_number
from handlers.rounds import own_round
from handlers.ui import main_actions, reply, yes_no
from models.base import BANGKOK
from models.opening import RoundRefused, open_like
from models.prices import move_percent
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
                    lambda turn, slots: _open(turn, like, days, slots["price"], _sure(slots)))


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
    """The price typed or pressed; a yes typed to "open it at that price?" is the price it asked about."""
    try:
        value = slot_number(intent, "price", answering)
    except NumberError as error:
        raise Problem(reply(number_reply(turn._, error))) from None
    if value is None and slots.get("answer") == "yes":
        value = _sure(slots)
    if value is not None and value <= 0:
        raise Problem(reply(turn._("A price is more than 0 baht. Type the new price, like 590.")))
    return value


def _sure(slots: Slots) -> Decimal | None:
    """The price the coordinator said yes to, far from the last round's (slot `sure`, set with the question)."""
    sure = slots.get("sure") if slots.get("answer") == "yes" else None
    return Decimal(str(sure)) if sure is not None else None


def _declined(turn: Turn, intent: Intent, slots: Slots) -> None:
    if slots.get("answer") == "no":
        raise Stop(reply(turn._("OK, no new round was opened."), main_actions(turn._)))


OPEN = Form("round.open", (Ask("price", _ask_price, _read_price),), kept=frozenset({"like", "days", "sure"}),
            check=_declined)


def _confirm_jump(turn: Turn, like: Round, days: int, price: Decimal, last: Round) -> list[Message]:
    """The new price beside the last round's, asked about before anything opens; a new price typed instead is
    checked anew."""
    _, unit = turn._, like.product.unit
    pct = fmt.number(move_percent(last.price, price), 1)
    said = (_("{price} is {pct}% above the last round's price ({before}, opened {day}). Open the new round "
              "at {price}?") if price > last.price else
            _("{price} is {pct}% below the last round's price ({before}, opened {day}). Open the new round "
              "at {price}?"))
    OPEN.wait(turn, {"like": like.id, "days": days, "sure": str(price)}, "price")
    return reply(said.format(price=per_unit(_, price, unit), pct=pct, before=per_unit(_, last.price, unit),
                             day=fmt.day(last.opens_at.astimezone(BANGKOK), turn.locale)),
                 yes_no(_, Intent("round.open", {"like": like.id, "days": days, "price": str(price),
                                                 "sure": str(price), "answer": "yes"}),
                        Intent("round.open", {"like": like.id, "days": days, "answer": "no"})))


def _tier_refused(turn: Turn, like: Round, days: int, price: Decimal, facts: dict[str, Decimal]) -> list[Message]:
    """A new price that the earlier round's tiers would no longer undercut (a selling round's: outbid): what is
    wrong, and the price to type instead; the price is asked for again."""
    _, unit = turn._, like.product.unit
    said = (_("At {price}, the earlier round's price tier ({tier} once the round's total reaches {total}) would no "
              "longer be lower than the price. Type a price above {tier}, or open this round on the console's Rounds "
              "page to change its tiers.") if like.direction == "buy" else
            _("At {price}, the earlier round's price tier ({tier} once the round's total reaches {total}) would no "
              "longer be higher than the price. Type a price below {tier}, or open this round on the console's "
              "Rounds page to change its tiers."))
    OPEN.wait(turn, {"like": like.id, "days": days}, "price")
    return reply(said.format(price=per_unit(_, price, unit), tier=per_unit(_, facts["price"], unit),
                             total=amount(_, facts["min"], unit)),
                 [(_("Same price"), Intent("round.open", {"like": like.id, "days": days, "price": str(like.price)}))])


def _open(turn: Turn, like: Round, days: int, price: Decimal, sure: Decimal | None) -> list[Message]:
    _, name = turn._, like.product.name(turn.locale)
    turn.finish()
    local_day = turn.now.astimezone(BANGKOK).date() + timedelta(days=days)
    closes_at = datetime.combine(local_day, CLOSING_TIME, BANGKOK)
    try:
        created = open_like(turn.db, like, closes_at, turn.now, turn.member.id, price, sure=sure == price)
    except RoundRefused as exc:  # the earlier round's terms are no longer allowed (or one opened meanwhile)
        if exc.reason == "price_jump":
            return _confirm_jump(turn, like, days, price, exc.facts["last"])
        if exc.reason == "already_open":
            return reply(_("There is already an open round for {product}, until {deadline}.").format(
                product=name, deadline=moment(exc.facts["round"].closes_at, turn.locale)))
        if exc.reason == "bad_tier":
            return _tier_refused(turn, like, days, price, exc.facts)
        return reply(_("The earlier round's terms cannot be used again as they are: please open this one on the "
                       "console's Rounds page."))
    return reply(_("Opened: {product} at {price}, until {deadline}. Members will be told shortly.").format(
        product=name, price=per_unit(_, created.price, like.product.unit), deadline=moment(closes_at, turn.locale)),
        [(_("Group orders"), Intent("rounds.list"))])
