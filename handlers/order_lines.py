"""A member's own orders: changing one (how many instead?), cancelling one (confirmed first), listing them.

Both are forms (handlers.forms): which order, from what was named or pressed, then the new quantity or a yes to
"cancel it?". Nothing can change once the round has closed.
"""

from __future__ import annotations

from decimal import Decimal

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.forms import Ask, Confirm, Form, Slots, Stop
from handlers.orders import CARRIED, HISTORY, ROUND_SLOTS, fits, quantity_buttons, wanted_quantity
from handlers.orders_ui import about, amount, baht, by_direction, exact_baht, line_status, refusal, unit_word
from handlers.ui import Button, reply
from models import orders
from models.orders import OrderLine, OrderRefused


def _open_lines(turn: Turn, slots: Slots) -> tuple[list[OrderLine], list[OrderLine]]:
    """The member's active lines matching the slots: (in rounds still open, in rounds already closed)."""
    shown = orders.member_lines(turn.db, turn.member.id, since=turn.now - HISTORY)  # as "my orders" lists them
    lines = [line for line in shown if line.status == "active"]
    wanted = {k: slots[k] for k in ROUND_SLOTS if slots.get(k)}
    lines = [line for line in lines if fits(line.round, wanted)]
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


def _reads_line(verb: str) -> Ask:
    """Which order: the one named, pressed or numbered, if it can still change; else why not, or a list to choose
    from."""
    def read(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> int:
        _ = turn._
        open_, closed = _open_lines(turn, slots)
        more: list[Button] = [(_("My orders"), Intent("order.list")), (_("Group orders"), Intent("rounds.list"))]
        if not open_ and closed:
            line = closed[0]
            closed_text = (_("The round for {product} has closed, so the order can no longer be changed. "
                             "Please call {center} if something is wrong.") if line.round.direction == "buy" else
                           _("The selling round for {product} has closed, so the pledge can no longer be changed. "
                             "Please call {center} if something is wrong."))
            raise Stop(reply(closed_text.format(
                product=line.round.product.name(turn.locale), center=line.round.center.name(turn.locale)), more))
        if not open_:
            raise Stop(reply(_("You have no orders that can still be changed."), more))
        if len(open_) > 1:
            carried = {k: slots[k] for k in CARRIED if slots.get(k) is not None}
            raise Stop(reply(_("Which order?"), [(f"{line.round.product.name(turn.locale)}",
                                                 Intent(verb, {**carried, "line": line.id})) for line in open_[:12]]))
        slots["found"] = open_[0]
        return open_[0].id

    return Ask("line", lambda turn, slots: [], read)


def _read_new_quantity(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Decimal | None:
    return wanted_quantity(turn, intent, slots, answering, slots["found"].round.product)


def _ask_new_quantity(turn: Turn, slots: Slots) -> list[Message]:
    _, line = turn._, slots["found"]
    product = line.round.product
    question = (_("You have {amount} of {product}. How many {units} would you like instead?")
                if line.round.direction == "buy" else
                _("You pledged {amount} of {product}. How many {units} will you sell instead?"))
    return reply(question.format(
        amount=amount(_, line.quantity, product.unit), product=product.name(turn.locale),
        units=unit_word(_, product.unit)), quantity_buttons(turn, "order.change", "line", line.id, product.unit))


CHANGE = Form("order.change", (_reads_line("order.change"), Ask("quantity", _ask_new_quantity, _read_new_quantity)),
              kept=frozenset({"line"}))


def change(turn: Turn, intent: Intent) -> list[Message]:
    return CHANGE.run(turn, intent, _change)


def _change(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    line, wanted = slots["found"], slots["quantity"]
    product, sell = line.round.product, line.round.direction == "sell"
    if wanted == 0:
        turn.finish()
        if sell:
            return reply(_("To withdraw the whole pledge, press \"Withdraw pledge\"."),
                         [(_("Withdraw pledge"), Intent("order.cancel", {"line": line.id})),
                          (_("My orders"), Intent("order.list"))])
        return reply(_("To drop the whole order, press \"Cancel order\"."),
                     [(_("Cancel order"), Intent("order.cancel", {"line": line.id})),
                      (_("My orders"), Intent("order.list"))])
    if wanted == line.quantity:
        turn.finish()
        same = (_("Your pledge is already {amount} of {product}; nothing was changed.") if sell else
                _("Your order is already {amount} of {product}; nothing was changed."))
        return reply(same.format(
            amount=amount(_, line.quantity, product.unit), product=product.name(turn.locale)),
            [(_("My orders"), Intent("order.list"))])
    try:
        outcome = orders.change(turn.db, line.id, wanted, turn.now)
    except OrderRefused as exc:
        CHANGE.wait(turn, slots, "quantity")
        return refusal(turn, exc, product, sell)
    turn.finish()
    changed = (_("Changed: {product} from {old} to {new}, about {total}.") if sell else
               _("Changed: {product} from {old} to {new}, {total}."))
    return reply(changed.format(
        product=product.name(turn.locale), old=amount(_, outcome.previous or 0, product.unit),
        new=amount(_, line.quantity, product.unit), total=about(_, line.amount) if sell else baht(_, line.amount)),
        [(_("My orders"), Intent("order.list"))])


def _what(turn: Turn, line: OrderLine) -> str:
    product = line.round.product
    return f"{product.name(turn.locale)} {amount(turn._, line.quantity, product.unit)}"


def _ask_to_cancel(turn: Turn, slots: Slots) -> list[Message]:
    _, line = turn._, slots["found"]
    sell = line.round.direction == "sell"
    question = _("Withdraw your pledge of {what}?") if sell else _("Cancel your order of {what}?")
    return reply(question.format(what=_what(turn, line)), [
        (_("Yes, withdraw it") if sell else _("Yes, cancel it"),
         Intent("order.cancel", {"line": line.id, "confirm": True})),
        (_("No, keep it"), Intent("order.cancel", {"line": line.id, "confirm": False})),
    ])


# "ยกเลิก" to "cancel your order?" is its yes
CANCEL = Form("order.cancel", (_reads_line("order.cancel"),), kept=frozenset({"line"}),
              cancel_is_yes=frozenset({"answer"}), confirm=Confirm(_ask_to_cancel))


def cancel(turn: Turn, intent: Intent) -> list[Message]:
    return CANCEL.run(turn, intent, _cancel)


def _cancel(turn: Turn, slots: Slots) -> list[Message]:
    _, line = turn._, slots["found"]
    what, sell = _what(turn, line), line.round.direction == "sell"
    if not slots["confirm"]:
        kept = _("OK, your pledge stays as it is: {what}.") if sell else _("OK, your order stays as it is: {what}.")
        return reply(kept.format(what=what),
                     [(_("My orders"), Intent("order.list"))])
    try:
        orders.cancel(turn.db, line.id, turn.now)
    except OrderRefused as exc:
        return refusal(turn, exc, line.round.product, sell)
    done = _("Your pledge of {what} is withdrawn.") if sell else _("Your order of {what} is cancelled.")
    return reply(done.format(what=what),
                 [(_("Group orders"), Intent("rounds.list")), (_("My orders"), Intent("order.list"))])


def list_orders(turn: Turn, intent: Intent) -> list[Message]:
    _, locale = turn._, turn.locale
    lines = orders.member_lines(turn.db, turn.member.id, since=turn.now - HISTORY)
    if not lines:
        return reply(_("You have no orders yet. See what is open now:"), [(_("Group orders"), Intent("rounds.list"))])
    shown = lines[:15]
    items = [by_direction(shown, _("Your orders:"), _("Your pledges:"), _("Your orders and pledges:"))]
    buttons = list[Button]()
    paid = orders.weighed(turn.db, [line.id for line in shown if line.round.direction == "sell"])
    for n, line in enumerate(shown, 1):
        round_, product = line.round, line.round.product
        what = f"{n}. {product.name(locale)} {amount(_, line.final, product.unit)}"
        if round_.direction == "buy":
            worth = _("{quantity}, {amount}").format(quantity=what, amount=baht(_, line.amount))
        elif line.id in paid:  # weighed: the money itself, to the satang
            worth = _("{quantity}, {amount}").format(quantity=what, amount=exact_baht(_, line.amount))
        else:
            worth = _("{quantity}, about {amount}").format(quantity=what, amount=about(_, line.amount))
        items.append(worth + f"\n   {line_status(turn, line)}")
        if line.status == "active" and round_.joinable(turn.now) and len(buttons) < 12:
            buttons.append((_("Change {n}").format(n=n), Intent("order.change", {"line": line.id})))
            buttons.append((_("Cancel {n}").format(n=n), Intent("order.cancel", {"line": line.id})))
    buttons.append((_("Group orders"), Intent("rounds.list")))
    return reply("\n".join(items), buttons)
