"""How orders and rounds read to a member: units, prices, progress, Flex cards, and refusals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from linebot.v3.messaging import FlexMessage, Message, QuickReply

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.ui import N_, QUICK_REPLY_LIMIT, Button, button, reply
from handlers.ui import flex as flex_message
from models.base import BANGKOK
from models.network import Center, district_cooperative
from models.orders import OrderLine, OrderRefused
from models.products import Product
from models.rounds import Round

ALT_TEXT_LIMIT = 1500
Tr = Callable[[str], str]


UNIT_WORDS = {  # one, many
    "sack": (N_("sack"), N_("sacks")),
    "kg": (N_("kg"), N_("kg")),
    "container": (N_("container"), N_("containers")),
    "head": (N_("head"), N_("head")),
    "bag": (N_("bag"), N_("bags")),
}


def unit_word(_: Tr, unit: str, quantity: Decimal | int = 2) -> str:
    if unit not in UNIT_WORDS:
        return unit
    one, many = UNIT_WORDS[unit]
    return _(one if quantity == 1 else many)


def amount(_: Tr, quantity: Decimal | int, unit: str) -> str:
    return f"{fmt.quantity(quantity)} {unit_word(_, unit, quantity)}"


def per_unit(_: Tr, price: Decimal, unit: str) -> str:
    return _("{price} baht/{unit}").format(price=fmt.baht(price), unit=unit_word(_, unit, 1))


def exact_baht(_: Tr, price: Decimal) -> str:
    """A price, or money weighed out, keeps its satang: 58.50 baht, 58.00 baht, 6,032.60 baht."""
    return _("{amount} baht").format(amount=fmt.baht(price))


def baht(_: Tr, value: Decimal) -> str:
    """A total: 6,984 baht, with satang only when it has some (106.50 baht)."""
    return _("{amount} baht").format(amount=fmt.money(value))


def about(_: Tr, value: Decimal) -> str:
    """An estimate in whole baht: its satang mean nothing until the rubber is weighed."""
    return _("{amount} baht").format(amount=fmt.number(value))


def by_direction(lines: Sequence[OrderLine], buying: str, selling: str, both: str) -> str:
    """The words for a member's lines: orders (buying), pledges (selling), or both kinds among them."""
    kinds = {line.round.direction for line in lines}
    return both if len(kinds) > 1 else selling if kinds == {"sell"} else buying


def moment(value: datetime, locale: str) -> str:
    return fmt.moment(value.astimezone(BANGKOK), locale)


def pickup_center(turn: Turn) -> Center | None:
    """Members pick up at their own cooperative, else at their district's cooperative."""
    member = turn.member
    if member.cooperative is not None:
        return member.cooperative
    return district_cooperative(turn.db, member.district) if member.district else None


def pickup_text(_: Tr, locale: str, round_: Round, center: Center | None) -> str:
    if center is None:
        return _("your district cooperative (to be announced)")
    day: date | None = round_.pickup_date(center.id)
    name = center.name(locale)
    return _("{place}, {day}").format(place=name, day=fmt.day(day, locale)) if day else name


def progress(_: Tr, round_: Round) -> str:
    """Where the round stands: the pack being filled, what is left, and the next price tier."""
    product = round_.product
    so_far = _("Ordered so far: {amount}") if round_.direction == "buy" else _("Pledged so far: {amount}")
    parts = [so_far.format(amount=amount(_, round_.total, product.unit))]
    if product.pack_size > 1:
        pack, missing = round_.pack_progress()
        if missing > 0:
            parts.append(_("{missing} more to fill {pack} no. {n}").format(
                missing=amount(_, missing, product.unit), pack=unit_word(_, product.pack_unit, 1), n=pack))
    remaining = round_.remaining()
    if remaining is not None:
        parts.append(_("{amount} left").format(amount=amount(_, remaining, product.unit)))
    tier = round_.next_tier()
    if tier is not None:
        missing, gain = tier
        text = (_("{missing} more and everyone pays {gain} baht less per {unit}") if round_.direction == "buy"
                else _("{missing} more and everyone gets {gain} baht more per {unit}"))
        parts.append(text.format(missing=amount(_, missing, product.unit), gain=fmt.quantity(gain),
                                 unit=unit_word(_, product.unit, 1)))
    return "\n".join(parts)


def refusal(turn: Turn, exc: OrderRefused, product: Product | None, sell: bool = False) -> list[Message]:
    """A clear answer for every refused change, saying what to do instead; nothing was changed. `sell`: a pledge in
    a selling round, which is never ordered."""
    _ = turn._
    unit = product.unit if product else "sack"
    example = amount(_, Decimal(5), unit)
    more = [(_("Group orders"), Intent("rounds.list")), (_("My orders"), Intent("order.list"))]
    if exc.reason == "not_positive":
        return reply(_("The quantity must be 1 or more. Please type a number, e.g. \"{example}\".")
                     .format(example=example), more)
    if exc.reason == "not_whole":
        return reply(_("Please order whole {units}, e.g. \"{example}\" (not 2.5).")
                     .format(units=unit_word(_, unit), example=example), more)
    if exc.reason == "too_much":
        limit = amount(_, exc.facts["limit"], unit)
        too_much = (_("That is more than one member can pledge in a round (at most {limit}). Please type a smaller "
                      "number, or call your cooperative to sell more.") if sell else
                    _("That is more than one member can order in a round (at most {limit}). "
                      "Please type a smaller number, or call your cooperative for a bigger order."))
        return reply(too_much.format(limit=limit), more)
    if exc.reason == "full":
        remaining: Decimal = exc.facts["remaining"]
        if remaining <= 0:
            return reply(_("Sorry, this selling round is full: it takes no more rubber.") if sell else
                         _("Sorry, this round is full: nothing is left to order."), more)
        left = (_("Sorry, this selling round takes only {left} more. Type a number up to {n}.") if sell else
                _("Sorry, only {left} are left in this round. Type a number up to {n}."))
        return reply(left.format(left=amount(_, remaining, unit), n=fmt.quantity(remaining)), more)
    if exc.reason == "stale":
        stale = (_("This button is from an older message: your pledge is now {current}. Nothing was added; type "
                   "the quantity again if you want to sell more.") if sell else
                 _("This card is out of date: your order is now {current}. Nothing was added; type the "
                   "quantity again if you want more."))
        return reply(stale.format(current=amount(_, exc.facts["current"], unit)), more)
    if exc.reason == "no_line":
        return reply(_("I could not find that order any more. Here are your orders:"),
                     [(_("My orders"), Intent("order.list"))])
    return reply(_("This round is closed or not open yet, so nothing was changed. See the rounds open now:"),
                 [(_("Group orders"), Intent("rounds.list"))])


def rows(pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
            {"type": "text", "text": label, "flex": 2, "size": "sm", "color": "#777777", "wrap": True},
            {"type": "text", "text": value or "-", "flex": 4, "size": "sm", "wrap": True},
        ]}
        for label, value in pairs
    ]


def bubble(title: str, pairs: Sequence[tuple[str, str]], actions: Sequence[Button], note: str = "") -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "text", "text": title, "weight": "bold", "size": "md", "wrap": True}]
    body += rows(pairs)
    if note:
        body.append({"type": "text", "text": note, "size": "xs", "color": "#2E7D32", "wrap": True})
    card: dict[str, Any] = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "spacing": "sm",
                                                      "contents": body}}
    if actions:
        card["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "button", "style": "primary" if i == 0 else "secondary", "height": "sm",
             "action": button(label, intent).action.to_dict()}
            for i, (label, intent) in enumerate(actions)
        ]}
    return card


def flex(alt: str, contents: dict[str, Any], buttons: Sequence[Button] = ()) -> FlexMessage:
    """A Flex message whose alt text carries the whole content (older phones, notifications, tests)."""
    items = [button(label, intent) for label, intent in buttons[:QUICK_REPLY_LIMIT]]
    quick = QuickReply(items=items) if items else None
    return flex_message(alt[:ALT_TEXT_LIMIT], contents, quick)


def carousel(bubbles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "carousel", "contents": list(bubbles[:12])}


def confirmation_card(turn: Turn, name: str, round_: Round, wanted: Decimal, before: Decimal,
                      pending: dict[str, Any], drc: tuple[Decimal, bool] | None = None) -> Message:
    """The card to check before anything is written: product, quantity, price, total, deadline, pickup. Latex and
    cup lump are valued on their dry rubber: `drc` is the DRC % and whether the member gave it (else the center's
    estimate); either way it is an estimate until the rubber is weighed."""
    _, product, locale = turn._, round_.product, turn.locale
    total = before + wanted
    price = round_.price_at(round_.total + wanted)
    sell = round_.direction == "sell"
    quantity_text = amount(_, wanted, product.unit)
    if before:
        quantity_text = _("{new} (you already have {old}; together {total})").format(
            new=quantity_text, old=amount(_, before, product.unit), total=amount(_, total, product.unit))
    dry = [] if drc is None else [(_("DRC"), (_("{drc}% as you said, until weighed") if drc[1] else
                                              _("{drc}% (the center's average), until weighed")).format(
        drc=fmt.quantity(drc[0])))]
    value = total * price if drc is None else total * drc[0] / 100 * price
    pairs = [
        (_("Product"), product.name(locale)),
        (_("Quantity"), quantity_text),
        *dry,
        (_("Price now") if sell else _("Unit price"),
         per_unit(_, price, product.unit) if drc is None else _("{price} per kg of dry rubber").format(
             price=exact_baht(_, price))),
        (_("Estimated value"), about(_, value)) if sell else (_("Total"), baht(_, value)),
        (_("Closes"), moment(round_.closes_at, locale)),
        (_("Bring to") if sell else _("Pick up at"), pickup_text(_, locale, round_, pickup_center(turn))),
    ]
    actions: list[Button] = [(_("Confirm"), Intent(name, {**pending, "confirm": True}))]
    if round_.shortfall_rule == "round_up" and product.pack_size > 1:
        actions.append((_("Confirm, can take more"), Intent(name, {**pending, "confirm": True, "more": True})))
    actions.append((_("Cancel"), Intent(name, {"confirm": False, "token": pending["token"]})))
    title = _("Please check your pledge") if sell else _("Please check your order")
    note = ""
    if product.pack_size > 1:
        note = _("Bought in whole {packs} of {size}; if the last one is not filled, the latest orders get less."
                 ).format(packs=unit_word(_, product.pack_unit), size=amount(_, product.pack_size, product.unit))
        if round_.shortfall_rule == "round_up":
            note = _("Bought in whole {packs} of {size}. Press \"Confirm, can take more\" if you can take "
                     "up to {size} more to fill the last one; never more than that.").format(
                packs=unit_word(_, product.pack_unit), size=amount(_, product.pack_size, product.unit))
    press = _("Press Confirm to pledge it, or Cancel.") if sell else _("Press Confirm to send it, or Cancel.")
    alt = "\n".join([title, *(f"{label}: {value}" for label, value in pairs), note, press])
    return flex(alt, bubble(title, pairs, actions, note), actions)


def line_status(turn: Turn, line: OrderLine) -> str:
    _, round_ = turn._, line.round
    if line.status == "cancelled":
        return _("cancelled by you")
    if round_.status == "open":
        return _("open until {deadline}").format(deadline=moment(round_.closes_at, turn.locale))
    if round_.status == "cancelled":
        return (_("round cancelled (the minimum was not reached); nothing to pay") if round_.direction == "buy" else
                _("round cancelled (the minimum was not reached); nothing is sold together"))
    pickup = pickup_text(_, turn.locale, round_, line.pickup_center)
    if round_.direction == "sell":  # the member brings rubber there; nothing is picked up
        return (_("sold together at {pickup}") if round_.status == "delivered" else
                _("round closed; bring your rubber to {pickup}")).format(pickup=pickup)
    if round_.status == "delivered":
        return _("delivered at {pickup}").format(pickup=pickup)
    here = next((p for p in round_.pickups if p.center_id == line.pickup_center_id and p.arrived_at), None)
    if here is not None:
        return (_("arrived at {pickup}; collect by {day}").format(pickup=pickup, day=fmt.day(here.collect_until,
                                                                                             turn.locale))
                if here.collect_until else _("arrived at {pickup}; ready to collect").format(pickup=pickup))
    if line.allocated is not None and line.allocated != line.quantity:
        return _("round closed: you get {final} of the {ordered} you ordered; pick up at {pickup}").format(
            final=amount(_, line.allocated, round_.product.unit), ordered=fmt.quantity(line.quantity), pickup=pickup)
    return _("round closed; pick up at {pickup}").format(pickup=pickup)
