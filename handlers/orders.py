"""Members' orders in chat: join a round (nothing is written until they confirm), change, cancel, list.

Joining asks for what is missing (the brand of feed, then the quantity) and answers with a Flex card
to confirm. The confirm button carries a one-time token, so pressing it twice records one order.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.forms import Form
from handlers.orders_ui import (
    amount,
    baht,
    confirmation_card,
    line_status,
    moment,
    pickup_center,
    progress,
    refusal,
    unit_word,
)
from handlers.ui import Button, confirmation, reply
from models import orders
from models.orders import OrderLine, OrderRefused, check_quantity, line_for
from models.products import Product, to_order_units
from models.rounds import Round, open_rounds, round_by_id

ROUND_SLOTS = ("product", "brand", "animal", "formula", "rubber_type")


def _goods_named_anew(pending: Mapping[str, Any], said: Mapping[str, Any]) -> bool:
    """Goods named again over a request that has found its round: a new request, keeping no quantity."""
    return "round" in pending and any(said.get(slot) for slot in ROUND_SLOTS)


JOIN = Form("order.join", restarts=_goods_named_anew)
PLEDGE = Form("sell.pledge", restarts=_goods_named_anew)
CANCEL = Form("order.cancel", cancel_is_yes=frozenset({"answer"}))  # "ยกเลิก" to "cancel your order?" is yes
CARRIED = ("quantity", "unit")
QUANTITY_CHOICES = {"sack": (1, 2, 5, 10, 20), "kg": (10, 20, 30, 60, 90), "container": (1, 2, 3, 5),
                    "head": (1, 2, 5, 10), "bag": (1, 2, 5, 10, 20)}
BRANDS = ("cp", "betagro", "laemthong")
TOKEN_LENGTH = (8, 32)
_HEX = frozenset("0123456789abcdef")
HISTORY = timedelta(days=120)


def join(turn: Turn, intent: Intent) -> list[Message]:
    return join_round(turn, intent, "buy")


def join_round(turn: Turn, intent: Intent, direction: str) -> list[Message]:
    """order.join and sell.pledge: find the round, the quantity, then show the card to confirm."""
    slots = dict(intent.slots)
    if "confirm" in slots or (slots.get("answer") and slots.get("token")):
        return _confirm(turn, intent, direction)
    found = _find_round(turn, intent, direction)
    if not isinstance(found, Round):
        return found
    round_, product, _ = found, found.product, turn._
    quantity = _quantity(turn, intent)
    if quantity is None:
        turn.expect(intent.name, {"round": round_.id}, "quantity")
        question = (_("How many {units} of {product}?") if direction == "buy"
                    else _("How many {units} of {product} will you sell?"))
        return reply(question.format(units=unit_word(_, product.unit), product=product.name(turn.locale)),
                     _quantity_buttons(turn, intent.name, "round", round_.id, product.unit))
    wanted = to_order_units(product, quantity, slots.get("unit"))
    if wanted is None:
        return _wrong_unit(turn, intent.name, {"round": round_.id}, product)
    line = line_for(turn.db, round_.id, turn.member.id)
    before = line.quantity if line is not None and line.status == "active" else Decimal(0)
    try:
        check_quantity(product, wanted)
        check_quantity(product, before + wanted)
        remaining = round_.remaining()
        if remaining is not None and wanted > remaining:
            raise OrderRefused("full", remaining=remaining)
    except OrderRefused as exc:
        turn.expect(intent.name, {"round": round_.id}, "quantity")
        return refusal(turn, exc, product)
    token = secrets.token_hex(8)
    pending = {"round": round_.id, "quantity": int(wanted), "token": token, "had": int(before)}
    turn.expect(intent.name, pending, "answer")
    return [confirmation_card(turn, intent.name, round_, wanted, before, pending)]


def _confirm(turn: Turn, intent: Intent, direction: str) -> list[Message]:
    _, slots = turn._, intent.slots
    more: list[Button] = [(_("My orders"), Intent("order.list")), (_("Group orders"), Intent("rounds.list"))]
    current = turn.pending.slots.get("token") if turn.pending is not None else None
    if current is None or current == slots.get("token") or "token" not in slots:
        turn.finish()  # this card's question is answered; an older card's button leaves the open one alone
    if slots.get("confirm") is False or slots.get("answer") == "no":
        return reply(_("OK, this was not recorded."), more)
    round_ = round_by_id(turn.db, slots.get("round"))
    token = str(slots.get("token", ""))
    if round_ is None or round_.direction != direction or not _token_ok(token):
        return refusal(turn, OrderRefused("not_open"), None)
    quantity = to_order_units(round_.product, slots.get("quantity"), None)
    if quantity is None:
        return refusal(turn, OrderRefused("not_positive"), round_.product)
    center = pickup_center(turn)
    extra = round_.product.pack_size if slots.get("more") is True else Decimal(0)
    try:
        had = slots.get("had")
        outcome = orders.join(turn.db, round_.id, turn.member, quantity, turn.now, token=token,
                              pickup_center_id=center.id if center else None, extra_ok=extra,
                              had=None if had is None else Decimal(str(had)))
    except OrderRefused as exc:
        return refusal(turn, exc, round_.product)
    line, product = outcome.line, round_.product
    what = f"{product.name(turn.locale)} {amount(_, line.quantity, product.unit)}"
    if outcome.repeated and line.status != "active":
        return reply(_("This card was already used, and that order has been cancelled since. To order again, "
                       "type what you want."), more)
    if outcome.repeated:
        return reply(_("This was already recorded, nothing more was added: {what}.").format(what=what), more)
    done = (_("Thank you! Your order is in: {what}, {total}.") if direction == "buy"
            else _("Thank you! Your pledge is in: {what}, about {total}."))
    tail = _("The round closes {deadline}; I will tell you the final quantity and amount then.")
    body = "\n".join([done.format(what=what, total=baht(_, line.amount)),
                      tail.format(deadline=moment(round_.closes_at, turn.locale)), progress(_, outcome.round)])
    return reply(body, more)


def _token_ok(token: str) -> bool:
    """A card's one-time token as secrets.token_hex makes it: what a button carries back, not the member's words."""
    low, high = TOKEN_LENGTH
    return low <= len(token) <= high and set(token) <= _HEX


def _find_round(turn: Turn, intent: Intent, direction: str) -> Round | list[Message]:
    _, slots, name = turn._, intent.slots, intent.name
    wanted = {k: slots[k] for k in ROUND_SLOTS if slots.get(k)}
    if slots.get("round") is not None:
        round_ = round_by_id(turn.db, slots["round"])
        usable = round_ is not None and round_.direction == direction and round_.joinable(turn.now)
        if usable and round_ is not None and _fits(round_, wanted):
            return round_
        if not wanted:
            return refusal(turn, OrderRefused("not_open"), None)
    rounds = open_rounds(turn.db, turn.now, direction, **wanted)
    carried = {k: slots[k] for k in (*ROUND_SLOTS, *CARRIED) if slots.get(k) is not None}
    if not rounds:
        others = open_rounds(turn.db, turn.now, direction)
        text = (_("There is no open round for that right now. These are open:") if others
                else _("There is no open round right now. I will tell you when one opens."))
        return reply(text, _round_buttons(turn, name, others, carried))
    if len(rounds) > 1:
        # "เพิ่มอีก 2 กระสอบ": more of what the member already ordered, when that is one round.
        mine = _rounds_ordered(turn, rounds, slots.get("unit"))
        if len(mine) == 1:
            return mine[0]
    brands = list(dict.fromkeys(r.product.brand for r in rounds if r.product.brand))
    if slots.get("product") == "feed" and not slots.get("brand") and len(brands) > 1:
        turn.expect(name, carried, "brand")
        labels = {"cp": _("CP"), "betagro": _("Betagro"), "laemthong": _("Laemthong")}
        return reply(_("Which brand of feed?"),
                     [(labels.get(b, b), Intent(name, {**carried, "brand": b})) for b in BRANDS if b in brands])
    if len(rounds) > 1:
        turn.expect(name, carried, "product")
        return reply(_("Which one would you like?"), _round_buttons(turn, name, rounds, carried))
    return rounds[0]


def _rounds_ordered(turn: Turn, rounds: list[Round], unit: str | None) -> list[Round]:
    ordered = {line.round_id for line in orders.member_lines(turn.db, turn.member.id, active_only=True,
                                                             since=turn.now - HISTORY)}
    return [r for r in rounds if r.id in ordered and unit in (None, r.product.unit, r.product.pack_unit)]


def _fits(round_: Round, wanted: dict[str, Any]) -> bool:
    """False when the member has since asked for another product than the round they were looking at."""
    product = round_.product
    return all(getattr(product, "category" if k == "product" else k) == v for k, v in wanted.items())


def _round_buttons(turn: Turn, name: str, rounds: list[Round], carried: dict[str, Any]) -> list[Button]:
    keep = {k: v for k, v in carried.items() if k in CARRIED}
    return [(r.product.name(turn.locale), Intent(name, {**keep, "round": r.id})) for r in rounds[:12]]


def _quantity(turn: Turn, intent: Intent) -> Any:
    """The quantity slot, or, in answer to "how many?", the first number of the message (slot `first_number`:
    "เอา 5 อัน"); a number typed with a minus (slot `minus`) comes back as it is, for the check to refuse."""
    slots = intent.slots
    if slots.get("minus") is not None:
        return Decimal(str(slots["minus"]))
    if slots.get("quantity") is not None:
        return slots["quantity"]
    if turn.pending is not None and turn.pending.awaiting == "quantity" and intent.text:
        return slots.get("first_number")
    return None


def _quantity_buttons(turn: Turn, name: str, key: str, ident: int, unit: str) -> list[Button]:
    _ = turn._
    choices = QUANTITY_CHOICES.get(unit, (1, 2, 5, 10))
    return [(amount(_, Decimal(n), unit), Intent(name, {key: ident, "quantity": n})) for n in choices]


def _wrong_unit(turn: Turn, name: str, keep: dict[str, Any], product: Product) -> list[Message]:
    _ = turn._
    turn.expect(name, keep, "quantity")
    return reply(_("{product} is ordered in {units}. Please type e.g. \"{example}\".").format(
        product=product.name(turn.locale), units=unit_word(_, product.unit),
        example=amount(_, Decimal(5), product.unit)))


def _open_lines(turn: Turn, intent: Intent) -> tuple[list[OrderLine], list[OrderLine]]:
    """The member's active lines matching the slots: (in rounds still open, in rounds already closed)."""
    slots = intent.slots
    shown = orders.member_lines(turn.db, turn.member.id, since=turn.now - HISTORY)  # as "my orders" lists them
    lines = [line for line in shown if line.status == "active"]
    wanted = {k: slots[k] for k in ROUND_SLOTS if slots.get(k)}
    lines = [line for line in lines if _fits(line.round, wanted)]
    if slots.get("line") is not None:
        # A line pressed on a button; a product typed since then wins over a stale one.
        chosen = [line for line in lines if str(line.id) == str(slots["line"])]
        lines = chosen if chosen or not wanted else lines
    if slots.get("round") is not None:
        lines = [line for line in lines if str(line.round_id) == str(slots["round"])] or lines
    listed = slots.get("listed") if slots.get("line") is None else None
    if listed:  # "ยกเลิกข้อ 2": numbered as in "my orders"
        lines = [shown[listed - 1]] if listed <= len(shown) and shown[listed - 1].status == "active" else []
    open_ = [line for line in lines if line.round.joinable(turn.now)]
    return open_, [line for line in lines if not line.round.joinable(turn.now)]


def _pick_line(turn: Turn, intent: Intent, verb: str) -> OrderLine | list[Message]:
    _ = turn._
    open_, closed = _open_lines(turn, intent)
    more: list[Button] = [(_("My orders"), Intent("order.list")), (_("Group orders"), Intent("rounds.list"))]
    if not open_:
        if closed:
            line = closed[0]
            return reply(_("The round for {product} has closed, so the order can no longer be changed. "
                           "Please call {center} if something is wrong.").format(
                product=line.round.product.name(turn.locale), center=line.round.center.name(turn.locale)), more)
        return reply(_("You have no orders that can still be changed."), more)
    if len(open_) > 1:
        carried = {k: intent.slots[k] for k in CARRIED if intent.slots.get(k) is not None}
        return reply(_("Which order?"), [(f"{line.round.product.name(turn.locale)}",
                                         Intent(verb, {**carried, "line": line.id})) for line in open_[:12]])
    return open_[0]


def change(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    found = _pick_line(turn, intent, "order.change")
    if not isinstance(found, OrderLine):
        return found
    line, product = found, found.round.product
    quantity = _quantity(turn, intent)
    if quantity is None:
        turn.expect("order.change", {"line": line.id}, "quantity")
        return reply(_("You have {amount} of {product}. How many {units} would you like instead?").format(
            amount=amount(_, line.quantity, product.unit), product=product.name(turn.locale),
            units=unit_word(_, product.unit)), _quantity_buttons(turn, "order.change", "line", line.id, product.unit))
    wanted = to_order_units(product, quantity, intent.slots.get("unit"))
    if wanted is None:
        return _wrong_unit(turn, "order.change", {"line": line.id}, product)
    if wanted == 0:
        turn.finish()
        return reply(_("To drop the whole order, press \"Cancel order\"."),
                     [(_("Cancel order"), Intent("order.cancel", {"line": line.id})),
                      (_("My orders"), Intent("order.list"))])
    if wanted == line.quantity:
        turn.finish()
        return reply(_("Your order is already {amount} of {product}; nothing was changed.").format(
            amount=amount(_, line.quantity, product.unit), product=product.name(turn.locale)),
            [(_("My orders"), Intent("order.list"))])
    try:
        outcome = orders.change(turn.db, line.id, wanted, turn.now)
    except OrderRefused as exc:
        turn.expect("order.change", {"line": line.id}, "quantity")
        return refusal(turn, exc, product)
    turn.finish()
    return reply(_("Changed: {product} from {old} to {new}, {total}.").format(
        product=product.name(turn.locale), old=amount(_, outcome.previous or 0, product.unit),
        new=amount(_, line.quantity, product.unit), total=baht(_, line.amount)),
        [(_("My orders"), Intent("order.list"))])


def cancel(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    found = _pick_line(turn, intent, "order.cancel")
    if not isinstance(found, OrderLine):
        return found
    line, product = found, found.round.product
    what = f"{product.name(turn.locale)} {amount(_, line.quantity, product.unit)}"
    answer = confirmation(intent)
    if answer is None:
        turn.expect("order.cancel", {"line": line.id}, "answer")
        return reply(_("Cancel your order of {what}?").format(what=what), [
            (_("Yes, cancel it"), Intent("order.cancel", {"line": line.id, "confirm": True})),
            (_("No, keep it"), Intent("order.cancel", {"line": line.id, "confirm": False})),
        ])
    turn.finish()
    if answer is not True:
        return reply(_("OK, your order stays as it is: {what}.").format(what=what),
                     [(_("My orders"), Intent("order.list"))])
    try:
        orders.cancel(turn.db, line.id, turn.now)
    except OrderRefused as exc:
        return refusal(turn, exc, product)
    return reply(_("Your order of {what} is cancelled.").format(what=what),
                 [(_("Group orders"), Intent("rounds.list")), (_("My orders"), Intent("order.list"))])


def list_orders(turn: Turn, intent: Intent) -> list[Message]:
    _, locale = turn._, turn.locale
    lines = orders.member_lines(turn.db, turn.member.id, since=turn.now - HISTORY)
    if not lines:
        return reply(_("You have no orders yet. See what is open now:"), [(_("Group orders"), Intent("rounds.list"))])
    items, buttons = [_("Your orders:")], list[Button]()
    for n, line in enumerate(lines[:15], 1):
        round_, product = line.round, line.round.product
        what = f"{n}. {product.name(locale)} {amount(_, line.final, product.unit)}"
        items.append(f"{what}, {baht(_, line.amount)}\n   {line_status(turn, line)}")
        if line.status == "active" and round_.joinable(turn.now) and len(buttons) < 12:
            buttons.append((_("Change {n}").format(n=n), Intent("order.change", {"line": line.id})))
            buttons.append((_("Cancel {n}").format(n=n), Intent("order.cancel", {"line": line.id})))
    buttons.append((_("Group orders"), Intent("rounds.list")))
    return reply("\n".join(items), buttons)
