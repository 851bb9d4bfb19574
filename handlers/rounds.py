"""Rounds: the open ones as a carousel for everyone; closing and summaries for their center's coordinators."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from linebot.v3.messaging import Message
from sqlalchemy.orm import Session

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Confirm, Form, Slots, Stop
from handlers.orders_ui import Tr, amount, baht, bubble, carousel, flex, moment, per_unit, progress, unit_word
from handlers.ui import Button, main_actions, reply
from models import kept
from models.allocation import whole_packs
from models.base import BANGKOK
from models.closing import close
from models.orders import round_lines
from models.products import Product
from models.rounds import ROUND_TABLES, Round, center_rounds, round_by_id, rounds_to_show
from models.savings import gained

SUMMARY_MEMBERS = 40


def list_rounds(turn: Turn, intent: Intent) -> list[Message]:
    """The open rounds (those of the goods asked about, else all) as a carousel. It is the same for everyone who
    asks in the same language while the same rounds are open: built once and kept as long as the rounds it shows
    (models.kept), not built for each event."""
    wanted = {k: intent.slots[k] for k in ("product", "brand", "animal", "rubber_type") if intent.slots.get(k)}
    # the card is built from the same kept read as `shown`; were it read again in between, the next asker's ids
    # name the new card, and the one under the old ids is asked for by nobody
    shown = tuple(r.id for r in _open_for(turn.db, turn.now, wanted))
    return kept.shared(turn.db, ROUND_TABLES, ("rounds card", turn.locale, shown),
                       lambda own: _carousel(turn._, turn.locale, _open_for(own, turn.now, wanted)))


def _open_for(db: Session, now: datetime, wanted: dict[str, Any]) -> list[Round]:
    rounds = rounds_to_show(db, now, **wanted)
    return rounds if rounds or not wanted else rounds_to_show(db, now)


def _carousel(_: Tr, locale: str, rounds: list[Round]) -> list[Message]:
    if not rounds:
        return reply(_("No rounds are open right now. I will tell you when one opens."), main_actions(_))
    cards, alt = [], [_("Open rounds:")]
    for round_ in rounds[:12]:
        product = round_.product
        sell = round_.direction == "sell"
        pairs = [
            (_("Price"), per_unit(_, round_.price_at(round_.total), product.unit)),
            (_("Closes"), moment(round_.closes_at, locale)),
            (_("Cooperative"), round_.center.name(locale)),  # members' word; "Center" is the staff's
            (_("Progress"), progress(_, round_)),
        ]
        action: Button = ((_("Pledge to sell"), Intent("sell.pledge", {"round": round_.id})) if sell
                          else (_("Order"), Intent("order.join", {"round": round_.id})))
        title = (_("Selling together: {product}") if sell else "{product}").format(product=product.name(locale))
        cards.append(bubble(title, pairs, [action]))
        each = (_("• {product} (selling together): {price}, closes {deadline}") if sell else
                _("• {product}: {price}, closes {deadline}"))
        alt.append(each.format(product=product.name(locale), price=pairs[0][1], deadline=pairs[1][1]))
    buttons = [(r.product.name(locale), Intent("sell.pledge" if r.direction == "sell" else "order.join",
                                                {"round": r.id})) for r in rounds[:12]]
    return [flex("\n".join(alt), carousel(cards), buttons)]


def own_round(turn: Turn, intent: Intent, verb: str, statuses: tuple[str, ...]) -> Round | list[Message]:
    """The coordinator's round from the slots, or a question which one; only their own center's rounds."""
    _, member = turn._, turn.member
    if intent.slots.get("round") is not None:
        round_ = round_by_id(turn.db, intent.slots["round"])
        if round_ is None:
            return reply(_("I could not find that round."), [(_("Group orders"), Intent("rounds.list"))])
        if member.role != "admin" and round_.center_id != member.center_id:
            return reply(_("This round belongs to {center}; only its coordinators can do this.").format(
                center=round_.center.name(turn.locale)))
        return round_
    if member.center_id is None:
        return reply(_("Your account is not linked to a center yet. Ask an admin to set it."))
    rounds = [r for r in center_rounds(turn.db, member.center_id, statuses)
              if not intent.slots.get("product") or r.product.category == intent.slots["product"]]
    if not rounds:
        return reply(_("Your center has no rounds for this right now."), main_actions(_))
    if len(rounds) > 1:
        return reply(_("Which round?"), [(f"{r.product.name(turn.locale)}", Intent(verb, {"round": r.id}))
                                          for r in rounds[:12]])
    return rounds[0]


def _read_round(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> int:
    """The coordinator's open round to close: named, or the only one of their center; else a list to choose."""
    found = own_round(turn, Intent(intent.name, slots), "round.close", ("open",))
    if not isinstance(found, Round):
        raise Stop(found)
    if found.status != "open":
        raise Stop(reply(turn._("This round is not open (it is {status}).").format(
            status=_status_word(turn, found.status))))
    slots["found"] = found
    return found.id


def _ask_to_close(turn: Turn, slots: Slots) -> list[Message]:
    _, round_ = turn._, slots["found"]
    product = round_.product
    ordered = amount(_, round_.total, product.unit)
    question = (_("Close the round for {product} now? {ordered} ordered; the deadline is {deadline}.")
                if round_.direction == "buy" else
                _("Close the selling round for {product} now? {ordered} pledged; the deadline is {deadline}."))
    return reply(question.format(
        product=product.name(turn.locale), ordered=ordered, deadline=moment(round_.closes_at, turn.locale)), [
        (_("Yes, close it"), Intent("round.close", {"round": round_.id, "confirm": True})),
        (_("No"), Intent("round.close", {"round": round_.id, "confirm": False})),
    ])


CLOSE = Form("round.close", (Ask("round", lambda turn, slots: [], _read_round),), kept=frozenset({"round"}),
             confirm=Confirm(_ask_to_close))


def close_round(turn: Turn, intent: Intent) -> list[Message]:
    return CLOSE.run(turn, intent, _close)


def _close(turn: Turn, slots: Slots) -> list[Message]:
    _, round_ = turn._, slots["found"]
    product = round_.product
    what = product.name(turn.locale)
    if not slots["confirm"]:
        return reply(_("OK, the round stays open."))
    result = close(turn.db, round_.id, turn.now, turn.member)
    if result is None or result.outcome == "not_open":
        return reply(_("This round was already closed."))
    if result.outcome == "extended":
        return reply(_("The minimum was not reached, so the round for {product} is extended to {deadline}. "
                       "Members are being told.").format(product=what,
                                                        deadline=moment(round_.closes_at, turn.locale)))
    if result.outcome == "cancelled":
        return reply(_("The minimum was not reached, so the round for {product} is cancelled. "
                       "Members are being told.").format(product=what))
    closed = (_("Closed: {product}, {packs} {pack_unit} ({quantity}) for {members} members. "
                "Each member is being told their final quantity and amount.") if _in_packs(product) else
              _("Closed: {product}, {quantity} for {members} members. "
                "Each member is being told their final quantity and amount."))
    return reply(closed.format(
        product=what, packs=fmt.number(result.packs), pack_unit=unit_word(_, product.pack_unit),
        quantity=amount(_, result.quantity, product.unit), members=fmt.number(result.members)),
        [(_("Summary"), Intent("round.summary", {"round": round_.id})),
         (_("Open a new round"), Intent("round.open", {"like": round_.id}))])


def summary(turn: Turn, intent: Intent) -> list[Message]:
    _, locale = turn._, turn.locale
    found = own_round(turn, intent, "round.summary", ("open", "closed", "ordered", "delivered"))
    if not isinstance(found, Round):
        return found
    round_, product = found, found.product
    lines = round_lines(turn.db, round_.id)
    total = sum((line.final for line in lines), Decimal(0))
    head = [
        f"{product.name(locale)} · {_status_word(turn, round_.status)}",
        # "10 sacks = 10 sacks" says nothing: the packs only where they differ from what members order
        (_("Total: {quantity} = {packs} {pack_unit}, {amount}") if _in_packs(product)
         else _("Total: {quantity}, {amount}")).format(
            quantity=amount(_, total, product.unit), packs=fmt.number(whole_packs(total, product.pack_size)),
            pack_unit=unit_word(_, product.pack_unit),
            amount=baht(_, sum((line.amount for line in lines), Decimal(0)))),
    ]
    by_point: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        point = line.pickup_center.name(locale) if line.pickup_center else (
            _("no pickup point") if round_.direction == "buy" else _("no collection point"))
        by_point[point][0] += line.final
        by_point[point][1] += 1
    head.append(_("By collection point:") if round_.direction == "sell" else _("By pickup point:"))
    head += [_("• {point}: {quantity}, {members} members").format(
        point=point, quantity=amount(_, q, product.unit), members=fmt.number(n)) for point, (q, n) in by_point.items()]
    head.append(_("By member:"))
    for line in lines[:SUMMARY_MEMBERS]:
        name = line.member.name or line.member.display_name or "-"
        head.append(f"• {name}: " + _("{quantity}, {amount}").format(
            quantity=amount(_, line.final, product.unit), amount=baht(_, line.amount)))
    if len(lines) > SUMMARY_MEMBERS:
        head.append(_("…and {n} more: the supplier file lists them all.").format(
            n=fmt.number(len(lines) - SUMMARY_MEMBERS)))
    # The year starts at midnight in Phatthalung, as in handlers.savings, not at 07:00 (midnight UTC).
    year = datetime(turn.now.astimezone(BANGKOK).year, 1, 1, tzinfo=BANGKOK)
    saved = gained(turn.db, year, center_id=round_.center_id)
    head.append(_("Members of your center gained {amount} this year in delivered rounds.").format(
        amount=baht(_, saved)))
    buttons = [(_("Supplier file"), Intent("console.link", {"round": round_.id}))]
    if round_.direction == "buy" and round_.status in ("closed", "ordered"):
        buttons.append((_("Goods arrived"), Intent("round.arrived", {"round": round_.id})))
    return reply("\n".join(head), buttons)


def _in_packs(product: Product) -> bool:
    """Whether its packs say something beside the quantity: "10 sacks = 10 sacks" says nothing."""
    return product.pack_size != 1 or product.pack_unit != product.unit


def _status_word(turn: Turn, status: str) -> str:
    _ = turn._
    return {"draft": _("draft"), "open": _("open"), "closed": _("closed"), "ordered": _("ordered from the supplier"),
            "delivered": _("delivered"), "cancelled": _("cancelled")}.get(status, status)
