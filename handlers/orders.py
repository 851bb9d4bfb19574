"""Members joining a round in chat (order.join, and sell.pledge in handlers.selling): nothing is written until
they confirm.

The request is a form (handlers.forms): which round (asking the brand of feed, or which of several), how many,
then a Flex card to confirm. The card carries a one-time token and what the member already had, so that pressing
it twice, or after a newer card, adds nothing twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.forms import Ask, Confirm, Form, Problem, Slots, Stop
from handlers.orders_ui import (
    about,
    amount,
    baht,
    confirmation_card,
    moment,
    pickup_center,
    progress,
    refusal,
    unit_word,
)
from handlers.ui import Button, reply
from models import orders, prices
from models.orders import OrderRefused, check_quantity, line_for
from models.products import Product, to_order_units
from models.rounds import Round, open_rounds, round_by_id

ROUND_SLOTS = ("product", "brand", "animal", "formula", "rubber_type")
CARRIED = ("quantity", "unit", "drc")
CARD = ("round", "quantity", "token", "had", "drc")  # what a confirmation card carries back (drc: the member's own)
QUANTITY_CHOICES = {"sack": (1, 2, 5, 10, 20), "kg": (10, 20, 30, 60, 90), "container": (1, 2, 3, 5),
                    "head": (1, 2, 5, 10), "bag": (1, 2, 5, 10, 20)}
BRANDS = ("cp", "betagro", "laemthong")
TOKEN_LENGTH = (8, 32)
_HEX = frozenset("0123456789abcdef")
HISTORY = timedelta(days=120)


def _goods_named_anew(pending: Mapping[str, Any], said: Mapping[str, Any]) -> bool:
    """Goods named again over a request that has found its round: a new request, keeping no quantity."""
    return "round" in pending and any(said.get(slot) for slot in ROUND_SLOTS)


def typed_quantity(intent: Intent, slots: Slots, answering: bool) -> Any:
    """The quantity slot, or, in answer to "how many?", the first number of the message (slot `first_number`:
    "เอา 5 อัน"); a number typed with a minus (slot `minus`) comes back as it is, for the check to refuse."""
    if slots.get("minus") is not None:
        return Decimal(str(slots["minus"]))
    if slots.get("quantity") is not None:
        return slots["quantity"]
    if answering and intent.text:
        return slots.get("first_number")
    return None


def wanted_quantity(turn: Turn, intent: Intent, slots: Slots, answering: bool, product: Product) -> Decimal | None:
    """How much of the product the member asks for, in its own unit (a unit typed with the number converts; a
    unit the product is not sold in is asked about again); None when no number was given."""
    unit = slots.pop("unit", None)  # a unit goes with its number; what is kept is in the product's own unit
    quantity = typed_quantity(intent, slots, answering)
    if quantity is None:
        return None
    wanted = to_order_units(product, quantity, unit)
    if wanted is None:
        raise Problem(wrong_unit(turn, product))
    return wanted


def quantity_buttons(turn: Turn, name: str, key: str, ident: int, unit: str) -> list[Button]:
    _ = turn._
    choices = QUANTITY_CHOICES.get(unit, (1, 2, 5, 10))
    return [(amount(_, Decimal(n), unit), Intent(name, {key: ident, "quantity": n})) for n in choices]


def wrong_unit(turn: Turn, product: Product) -> list[Message]:
    _ = turn._
    return reply(_("{product} is ordered in {units}. Please type e.g. \"{example}\".").format(
        product=product.name(turn.locale), units=unit_word(_, product.unit),
        example=amount(_, Decimal(5), product.unit)))


def fits(round_: Round, wanted: Mapping[str, Any]) -> bool:
    """False when the member has since asked for another product than the round they were looking at."""
    product = round_.product
    return all(getattr(product, "category" if k == "product" else k) == v for k, v in wanted.items())


def _carried(slots: Slots) -> dict[str, Any]:
    return {k: slots[k] for k in (*ROUND_SLOTS, *CARRIED) if slots.get(k) is not None}


def _read_round(direction: str, turn: Turn, intent: Intent, slots: Slots, answering: bool) -> int | None:
    """The round: pressed, or the one open round that fits what was named (more of what the member already
    ordered, when that is one); None when the member must choose (the brand of feed, or one of several)."""
    _, name = turn._, intent.name
    wanted = {k: slots[k] for k in ROUND_SLOTS if slots.get(k)}
    found: Round | None = None
    if slots.get("round") is not None:
        round_ = round_by_id(turn.db, slots["round"])
        if round_ is not None and round_.direction == direction and round_.joinable(turn.now) and fits(round_, wanted):
            found = round_
        elif not wanted:
            raise Stop(refusal(turn, OrderRefused("not_open"), None))
    if found is None:
        rounds = open_rounds(turn.db, turn.now, direction, **wanted)
        if not rounds:
            others = open_rounds(turn.db, turn.now, direction)
            text = (_("There is no open round for that right now. These are open:") if others
                    else _("There is no open round right now. I will tell you when one opens."))
            raise Stop(reply(text, _round_buttons(turn, name, others, _carried(slots))))
        # "เพิ่มอีก 2 กระสอบ": more of what the member already ordered, when that is one round.
        mine = _rounds_ordered(turn, rounds, slots.get("unit")) if len(rounds) > 1 else []
        # "สั่งเหมือนเดิม": the goods the member ordered in an earlier round, when nothing else is named
        usual = [r for r in rounds if _last(turn, r)] if slots.get("again") and not wanted else []
        brands = list(dict.fromkeys(r.product.brand for r in rounds if r.product.brand))
        if len(mine) == 1:
            found = mine[0]
        elif len(usual) == 1:
            found = usual[0]
        elif usual:
            slots["choices"] = usual
            return None
        elif slots.get("product") == "feed" and not slots.get("brand") and len(brands) > 1:
            slots["brands"] = brands
            return None
        elif len(rounds) > 1:
            slots["choices"] = rounds
            return None
        else:
            found = rounds[0]
    for slot in ROUND_SLOTS:  # the round says what the goods are
        slots.pop(slot, None)
    last = _last(turn, found) if slots.get("again") and slots.get("quantity") is None else None
    if last is not None:  # as much as last time: straight to the card
        slots["quantity"] = _plain(last)
    slots["found"] = found
    return found.id


def _ask_round(name: str, turn: Turn, slots: Slots) -> list[Message]:
    _, carried = turn._, _carried(slots)
    if slots.get("brands"):
        labels = {"cp": _("CP"), "betagro": _("Betagro"), "laemthong": _("Laemthong")}
        return reply(_("Which brand of feed?"), [(labels.get(b, b), Intent(name, {**carried, "brand": b}))
                                                 for b in BRANDS if b in slots["brands"]])
    return reply(_("Which one would you like?"), _round_buttons(turn, name, slots["choices"], carried))


def _rounds_ordered(turn: Turn, rounds: list[Round], unit: str | None) -> list[Round]:
    ordered = {line.round_id for line in orders.member_lines(turn.db, turn.member.id, active_only=True,
                                                             since=turn.now - HISTORY)}
    return [r for r in rounds if r.id in ordered and unit in (None, r.product.unit, r.product.pack_unit)]


def _round_buttons(turn: Turn, name: str, rounds: list[Round], carried: dict[str, Any]) -> list[Button]:
    keep = {k: v for k, v in carried.items() if k in CARRIED}
    return [(r.product.name(turn.locale), Intent(name, {**keep, "round": r.id})) for r in rounds[:12]]


def _read_quantity(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> int | None:
    """How many, in the product's own unit ("2 แกลลอน" of acid is 60 kg), checked against the product's limits,
    what the member already has and what is left in the round."""
    round_: Round = slots["found"]
    product = round_.product
    wanted = wanted_quantity(turn, intent, slots, answering, product)
    if wanted is None:
        return None
    line = line_for(turn.db, round_.id, turn.member.id)
    before = line.quantity if line is not None and line.status == "active" else Decimal(0)
    try:
        check_quantity(product, wanted)
        check_quantity(product, before + wanted)
        remaining = round_.remaining()
        if remaining is not None and wanted > remaining:
            raise OrderRefused("full", remaining=remaining)
    except OrderRefused as exc:
        raise Problem(refusal(turn, exc, product, round_.direction == "sell")) from None
    slots["before"] = before
    return int(wanted)


def _ask_quantity(name: str, turn: Turn, slots: Slots) -> list[Message]:
    _, round_ = turn._, slots["found"]
    product = round_.product
    question = (_("How many {units} of {product}?") if round_.direction == "buy"
                else _("How many {units} of {product} will you sell?"))
    question = question.format(units=unit_word(_, product.unit), product=product.name(turn.locale))
    buttons = quantity_buttons(turn, name, "round", round_.id, product.unit)
    last = _last(turn, round_) if round_.direction == "buy" else None
    if last:  # the same as last time, one press away
        said = amount(_, last, product.unit)
        question = _("Last time you ordered {amount}.").format(amount=said) + "\n" + question
        buttons = [(said, Intent(name, {"round": round_.id, "quantity": _plain(last)})),
                   *(button for button in buttons if button[0] != said)]
    return reply(question, buttons)


def _last(turn: Turn, round_: Round) -> Decimal | None:
    return orders.last_quantity(turn.db, turn.member.id, round_)


def _plain(quantity: Decimal) -> int | float:
    """A quantity as a slot holds it (a button's data and a kept conversation are JSON)."""
    return int(quantity) if quantity == int(quantity) else float(quantity)


def _new_card(turn: Turn, slots: Slots) -> None:
    """A new card's one-time token, and what the member had when it was shown (a stale card adds nothing)."""
    slots["token"] = secrets.token_hex(8)
    slots["had"] = int(slots["before"])


def _card(name: str, turn: Turn, slots: Slots) -> list[Message]:
    card = {k: slots[k] for k in CARD if slots.get(k) is not None}
    round_: Round = slots["found"]
    drc = None
    if round_.product.by_dry_rubber:  # the member's own DRC, else the center's estimate
        own = _drc(slots)
        drc = (own, True) if own is not None else (orders.estimated_drc(turn.db, round_.center_id, round_.product,
                                                                         turn.now), False)
    return [confirmation_card(turn, name, round_, Decimal(card["quantity"]), Decimal(card["had"]), card, drc)]


def _drc(slots: Slots) -> Decimal | None:
    """The DRC the member gave for latex or cup lump ("500 กิโล 34%"), when it is one (1 to 100 %)."""
    try:
        drc = Decimal(str(slots["drc"])) if slots.get("drc") is not None else None
    except ArithmeticError:
        return None
    return drc if drc is not None and 0 < drc <= 100 else None


def _local_price(turn: Turn, round_: Round) -> Decimal | None:
    """What the member's rubber fetches alone today: their cooperative's buying price, else the market's (the
    federation's own price is the selling round's, not the alternative to it)."""
    if round_.product.rubber_type is None:
        return None
    alone = prices.Preference(turn.member.cooperative_id, with_federation=False)
    quote = prices.latest(turn.db, round_.product.rubber_type, alone, prices.local_day(turn.now))
    return quote.baht_per_kg if quote is not None else None


def _round_form(name: str, direction: str) -> Form:
    return Form(name, (
        Ask("round", partial(_ask_round, name), partial(_read_round, direction)),
        Ask("quantity", partial(_ask_quantity, name), _read_quantity),
    ), kept=frozenset({*ROUND_SLOTS, *CARRIED, *CARD}), restarts=_goods_named_anew,
        # the card carries all it needs, checked when it is pressed, not read again: see _record
        confirm=Confirm(partial(_card, name), prepare=_new_card, token="token", reread=False))


JOIN = _round_form("order.join", "buy")
PLEDGE = _round_form("sell.pledge", "sell")


def join(turn: Turn, intent: Intent) -> list[Message]:
    return JOIN.run(turn, intent, partial(_record, "buy"))


def pledge(turn: Turn, intent: Intent) -> list[Message]:
    return PLEDGE.run(turn, intent, partial(_record, "sell"))


def _record(direction: str, turn: Turn, slots: Slots) -> list[Message]:
    """The card answered: record the order, once for its token, and only if the member still has what the card
    says they had."""
    _ = turn._
    more: list[Button] = [(_("My orders"), Intent("order.list")), (_("Group orders"), Intent("rounds.list"))]
    if not slots["confirm"]:
        return reply(_("OK, this was not recorded."), more)
    round_ = round_by_id(turn.db, slots.get("round"))
    token = str(slots.get("token", ""))
    if round_ is None or round_.direction != direction or not _token_ok(token):
        return refusal(turn, OrderRefused("not_open"), None)
    quantity = to_order_units(round_.product, slots.get("quantity"), None)
    if quantity is None:
        return refusal(turn, OrderRefused("not_positive"), round_.product, direction == "sell")
    center = pickup_center(turn)
    extra = round_.product.pack_size if slots.get("more") is True else Decimal(0)
    try:
        had = slots.get("had")
        outcome = orders.join(turn.db, round_.id, turn.member, quantity, turn.now, token=token,
                              pickup_center_id=center.id if center else None, extra_ok=extra,
                              had=None if had is None else Decimal(str(had)), drc=_drc(slots),
                              reference=_local_price(turn, round_) if direction == "sell" else None)
    except OrderRefused as exc:
        return refusal(turn, exc, round_.product, direction == "sell")
    line, product = outcome.line, round_.product
    what = f"{product.name(turn.locale)} {amount(_, line.quantity, product.unit)}"
    if outcome.repeated and line.status != "active":
        return reply(_("This card was already used, and that order has been cancelled since. To order again, "
                       "type what you want.") if direction == "buy" else
                     _("This button was already used, and that pledge has been withdrawn since. To pledge again, "
                       "type what you will sell."), more)
    if outcome.repeated:
        return reply(_("This was already recorded, nothing more was added: {what}.").format(what=what), more)
    done = (_("Thank you! Your order is in: {what}, {total}.") if direction == "buy"
            else _("Thank you! Your pledge is in: {what}, about {total}."))
    tail = _("The round closes {deadline}; I will tell you the final quantity and amount then.")
    total = baht(_, line.amount) if direction == "buy" else about(_, line.amount)  # a pledge: an estimate
    body = "\n".join([done.format(what=what, total=total),
                      tail.format(deadline=moment(round_.closes_at, turn.locale)), progress(_, outcome.round)])
    return reply(body, more)


def _token_ok(token: str) -> bool:
    """A card's one-time token as secrets.token_hex makes it: what a button carries back, not the member's words."""
    low, high = TOKEN_LENGTH
    return low <= len(token) <= high and set(token) <= _HEX
