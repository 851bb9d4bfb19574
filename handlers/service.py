"""What members ask about their orders besides ordering: how and when to pay, where and when to collect, whether
the goods have come; and asking for a person instead of the bot."""

from __future__ import annotations

from collections.abc import Callable

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.orders import HISTORY, ROUND_SLOTS, fits
from handlers.orders_ui import about, amount, baht, by_direction, exact_baht, line_status, moment, pickup_text
from handlers.pushes import handoff_request
from handlers.ui import Button, main_actions, reply
from models import orders
from models.member import coordinators_of
from models.network import Center, network_center
from models.orders import OrderLine
from models.outbox import queue


def _lines(turn: Turn, intent: Intent) -> list[OrderLine]:
    """The member's live orders (as "my orders" lists them), those of the goods named if any."""
    wanted = {k: intent.slots[k] for k in ROUND_SLOTS if intent.slots.get(k)}
    lines = orders.member_lines(turn.db, turn.member.id, active_only=True, since=turn.now - HISTORY)
    return [line for line in lines if line.round.status != "cancelled" and fits(line.round, wanted)]


def _cooperative(turn: Turn) -> Center | None:
    return turn.member.cooperative or network_center(turn.db, "rice_fertilizer")


def _none_yet(turn: Turn) -> list[Message]:
    _ = turn._
    return reply(_("You have no orders open now. Press \"Group orders\" to see what you can order together."),
                 main_actions(_))


def _listed(turn: Turn, intent: Intent, head: Callable[[list[OrderLine]], str],
            each: Callable[[OrderLine], str]) -> list[Message]:
    """A line for each of the member's live orders under the head that fits them, or that they have none."""
    lines = _lines(turn, intent)
    if not lines:
        return _none_yet(turn)
    return reply("\n".join([head(lines), *(each(line) for line in lines)]), _ask_buttons(turn))


def payment(turn: Turn, intent: Intent) -> list[Message]:
    """You pay where you collect, once the round has closed and your amount is final."""
    _ = turn._

    lines = _lines(turn, intent)
    paid = orders.weighed(turn.db, [line.id for line in lines if line.round.direction == "sell"])

    def each(line: OrderLine) -> str:
        product = line.round.product.name(turn.locale)
        place = pickup_text(_, turn.locale, line.round, line.pickup_center)
        if line.id in paid:  # weighed: what the member is paid, to the satang
            return _("• {product}: {total} for the rubber weighed at {place}").format(
                product=product, total=exact_baht(_, line.amount), place=place)
        if line.round.direction == "sell":  # the member is paid for rubber, on what it weighs
            return _("• {product}: about {total}, paid on what your rubber weighs at {place}").format(
                product=product, total=about(_, line.amount), place=place)
        if line.round.status == "open":
            return _("• {product}: about {total} (final when the round closes {deadline}); pay at {place}").format(
                product=product, total=about(_, line.amount), deadline=moment(line.round.closes_at, turn.locale),
                place=place)
        return _("• {product}: {total}; pay at {place}").format(product=product, total=baht(_, line.amount),
                                                                place=place)

    return _listed(turn, intent, lambda lines: by_direction(
        lines, _("You pay at the pickup point when you collect, in cash or by transfer to the cooperative:"),
        _("Selling together, the cooperative pays for your rubber when it is weighed:"),
        _("You pay for your orders when you collect them, in cash or by transfer to the cooperative; your rubber "
          "is paid for when it is weighed:")), each)


def pickup(turn: Turn, intent: Intent) -> list[Message]:
    """Where and when each open order is collected."""
    _ = turn._

    def each(line: OrderLine) -> str:
        what = f"{line.round.product.name(turn.locale)} {amount(_, line.final, line.round.product.unit)}"
        if line.round.status == "open":
            return (_("• {what}: the round is open until {deadline}; the pickup day is set when it closes")
                    if line.round.direction == "buy" else
                    _("• {what}: the round is open until {deadline}; the day to bring it is set when it closes")
                    ).format(what=what, deadline=moment(line.round.closes_at, turn.locale))
        where = _("• {what}: {place}").format(what=what, place=pickup_text(_, turn.locale, line.round,
                                                                            line.pickup_center))
        hours = line.pickup_center.pickup_hours if line.pickup_center is not None else None
        return where + ("\n  " + _("Pickup hours: {hours}").format(hours=hours) if hours else "")

    return _listed(turn, intent, lambda lines: by_direction(
        lines, _("Where to collect your orders:"), _("Where to bring your rubber:"),
        _("Where to collect your orders and bring your rubber:")), each)


def delivery_status(turn: Turn, intent: Intent) -> list[Message]:
    """Whether the goods of each open order have come, as its round stands."""
    _ = turn._
    return _listed(turn, intent, lambda lines: by_direction(
        lines, _("Your orders now:"), _("Your pledges now:"), _("Your orders and pledges now:")),
                   lambda line: f"• {line.round.product.name(turn.locale)}: {line_status(turn, line)}")


def handoff(turn: Turn, intent: Intent) -> list[Message]:
    """A person of the member's cooperative answers in this chat: they are told in LINE who asks and what."""
    _ = turn._
    center = _cooperative(turn)
    staff = coordinators_of(turn.db, center.id) if center is not None else []
    phone = center.phone if center is not None else None
    name = center.name(turn.locale) if center is not None else _("the cooperative")
    if not staff:
        return reply((_("No one at {center} answers in LINE yet. Please call them: {phone}.") if phone else
                      _("No one at {center} answers in LINE yet, and I have no phone number for them. Please ask "
                        "at your cooperative.")).format(center=name, phone=phone), main_actions(_))
    for person in staff:
        messages = [m.to_dict() for m in handoff_request(turn.translators(person.locale) if turn.translators else _,
                                                         turn.member, intent.text)]
        queue(turn.db, [person.line_user_id], messages, "handoff")
    return reply((_("I have asked {center} to answer you here in LINE, in office hours. If it is urgent, please "
                    "call {phone}.") if phone else
                  _("I have asked {center} to answer you here in LINE, in office hours.")).format(
        center=name, phone=phone), main_actions(_))


def _ask_buttons(turn: Turn) -> list[Button]:
    _ = turn._
    return [(_("My orders"), Intent("order.list")), (_("Talk to a person"), Intent("handoff"))]
