"""Price alerts: above or below a price, or the day's price every day; listing and cancelling them.

Alerts are pushes and cost the cooperative's message quota, so one fires once per crossing (models.alerts).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Confirm, Form, Problem, Slots, Stop
from handlers.price_ui import (
    NumberError,
    Translate,
    number_reply,
    other_rubber,
    price_problem,
    slot_number,
    type_buttons,
    type_name,
)
from handlers.ui import Button, reply
from models import alerts
from models.alerts import MAX_ACTIVE, PriceAlert
from models.prices import RUBBER_TYPES, Preference, PriceError, checked, latest, local_day


def describe(_: Translate, alert: PriceAlert) -> str:
    name = type_name(_, alert.rubber_type)
    if alert.kind == "daily":
        return _("{type}: the price every day").format(type=name)
    template = _("{type} above {price} baht/kg") if alert.kind == "above" else _("{type} below {price} baht/kg")
    return template.format(type=name, price=fmt.baht(alert.threshold or 0))


def _menu(_: Translate) -> list[Button]:
    return [(_("My alerts"), Intent("alert.list")), (_("Rubber prices"), Intent("price.today"))]


def _current(turn: Turn, kind: str) -> Decimal | None:
    quote = latest(turn.db, kind, Preference(turn.member.cooperative_id), local_day(turn.now))
    return quote.baht_per_kg if quote else None


def _ask_type(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    question = _("Which rubber price should I watch for you?")
    unpriced = other_rubber(_, slots)
    kept = {k: v for k, v in slots.items() if k in CREATE.kept}
    return reply(f"{unpriced} {question}" if unpriced else question, type_buttons(_, "alert.create", kept))


def _read_type(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    kind = slots.get("rubber_type")
    if kind not in RUBBER_TYPES:
        return None
    if len(alerts.active_alerts(turn.db, turn.member.id)) >= MAX_ACTIVE:
        _ = turn._
        raise Stop(reply(_("You already have {n} alerts, the most I keep. Cancel one first.").format(n=MAX_ACTIVE),
                         [(_("My alerts"), Intent("alert.list"))]))
    return str(kind)


def _ask_threshold(turn: Turn, slots: Slots) -> list[Message]:
    kind = slots["rubber_type"]
    return reply(turn._("At what price, in baht per kg? Type a number, for example 60."),
                 _levels(turn._, kind, _current(turn, kind)))


def _read_threshold(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Decimal | None:
    _ = turn._
    try:
        value = slot_number(intent, "threshold", answering)
    except NumberError as error:
        raise Problem(reply(number_reply(_, error))) from None
    if value is None:
        return None
    try:
        return checked(value)
    except PriceError as error:
        out_of_range = _("Please choose a price between 20 and 150 baht per kg, for example 60.")
        kind = slots["rubber_type"]
        raise Problem(reply(price_problem(_, error, out_of_range), _levels(_, kind, _current(turn, kind)))) from None


def _ask_direction(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    kind, threshold = slots["rubber_type"], slots["threshold"]
    return reply(_("Tell you when {type} goes above or below {price} baht/kg?").format(
        type=type_name(_, kind), price=fmt.baht(threshold)), [
        (_("Above {price}").format(price=fmt.baht(threshold)),
         Intent("alert.create", {"rubber_type": kind, "threshold": str(threshold), "direction": "above"})),
        (_("Below {price}").format(price=fmt.baht(threshold)),
         Intent("alert.create", {"rubber_type": kind, "threshold": str(threshold), "direction": "below"})),
    ])


def _read_direction(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    """As said, or worked out from today's price: 65 when it is 60 now can only mean above."""
    direction = slots.get("direction")
    if direction in ("above", "below"):
        return str(direction)
    current, threshold = _current(turn, slots["rubber_type"]), slots["threshold"]
    if current is not None and current != threshold:
        return "above" if threshold > current else "below"
    return None


def _priced(slots: Slots) -> bool:
    return not slots.get("daily")


CREATE = Form("alert.create", (
    Ask("rubber_type", _ask_type, _read_type),
    Ask("threshold", _ask_threshold, _read_threshold, _priced),
    Ask("direction", _ask_direction, _read_direction, _priced),
), kept=frozenset({"rubber_type", "direction", "threshold", "daily"}))


def create(turn: Turn, intent: Intent) -> list[Message]:
    return CREATE.run(turn, intent, _create)


def _create(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    turn.finish()
    kind, name = slots["rubber_type"], type_name(_, slots["rubber_type"])
    mine = alerts.active_alerts(turn.db, turn.member.id)
    if slots.get("daily"):
        if any(a.kind == "daily" and a.rubber_type == kind for a in mine):
            return reply(_("You already get the {type} price every day.").format(type=name), _menu(_))
        alerts.create(turn.db, turn.member, kind, "daily", None, None)
        return reply(_("OK! I will send you the {type} price every day when it is posted.").format(type=name),
                     _menu(_))
    direction, threshold, current = slots["direction"], slots["threshold"], _current(turn, kind)
    if any(a.rubber_type == kind and a.kind == direction and a.threshold == threshold for a in mine):
        return reply(_("You already have this alert."), _menu(_))
    alert = alerts.create(turn.db, turn.member, kind, direction, threshold, current)
    answer = _("OK! I will tell you once when {what}. After that, only when it crosses that price again.").format(
        what=describe(_, alert))
    if current is not None and alert.last_side == direction:
        answer += "\n" + _("It is {price} baht/kg now, already past that price.").format(price=fmt.baht(current))
    elif current is not None:
        answer += "\n" + _("It is {price} baht/kg now.").format(price=fmt.baht(current))
    return reply(answer, _menu(_))


def _levels(_: Translate, kind: str, current: Decimal | None) -> list[Button]:
    """Round prices around today's, as one-tap answers."""
    if current is None:
        return []
    base = int(current)
    levels = [("above", base + step) for step in (2, 5)] + [("below", base - step) for step in (2, 5)]
    return [
        ((_("Above {price}") if way == "above" else _("Below {price}")).format(price=level),
         Intent("alert.create", {"rubber_type": kind, "direction": way, "threshold": level}))
        for way, level in levels
        if 20 <= level <= 150
    ]


def list_alerts(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    mine = alerts.active_alerts(turn.db, turn.member.id)
    daily = (_("Daily latex price"), Intent("alert.create", {"rubber_type": "latex", "daily": True}))
    if not mine:
        return reply(_("You have no price alerts. Type for example \"alert when latex above 60\", or press a button."),
                     [daily, (_("Rubber prices"), Intent("price.today"))])
    lines = [_("Your price alerts:")] + [f"{n}. {describe(_, a)}" for n, a in enumerate(mine, 1)]
    buttons = [(_("Cancel {n}").format(n=n), Intent("alert.cancel", {"alert": a.id})) for n, a in enumerate(mine, 1)]
    return reply("\n".join(lines), [*buttons[:11], (_("Cancel all"), Intent("alert.cancel", {"alert": "all"}))])


_NAMING = ("rubber_type", "direction", "threshold", "daily")


def _read_which(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Any:
    """The alert to cancel, or "all" of those named: a button's, the number typed in answer to "which one?" (as
    that list showed them), the number in the list of alerts ("ยกเลิกแจ้งเตือนข้อ 2"), or the only one that fits
    what was named ("ยกเลิกเตือนน้ำยาง")."""
    _ = turn._
    mine = alerts.active_alerts(turn.db, turn.member.id)
    shown = [int(i) for i in str(slots.get("ids") or "").split(",") if i]
    named = _named(mine, slots)
    slots.update(mine=mine, named=named, ids=",".join(str(a.id) for a in named))
    if slots.get("alert") is not None:
        if slots["alert"] != "all" and not any(str(a.id) == str(slots["alert"]) for a in mine):
            raise Stop(reply(_("That alert is already cancelled."), _menu(_)))  # a button of an older list
        return slots["alert"]
    number = _typed(slots.get("number")) if answering else None
    if number is not None and number == int(number) and 1 <= number <= len(shown):
        return shown[int(number) - 1]
    listed = slots.get("listed")
    if listed and 1 <= listed <= len(mine):
        return mine[listed - 1].id
    if len(named) == 1:
        return named[0].id
    if not mine:
        raise Stop(reply(_("You have no price alerts to cancel."), _menu(_)))
    if not named:
        lines = [_("You have no such alert. Your price alerts:")]
        lines += [f"{n}. {describe(_, a)}" for n, a in enumerate(mine, 1)]
        buttons = [(_("Cancel {n}").format(n=n), Intent("alert.cancel", {"alert": a.id}))
                   for n, a in enumerate(mine, 1)]
        raise Stop(reply("\n".join(lines), buttons))
    return None


def _ask_which(turn: Turn, slots: Slots) -> list[Message]:
    _, named = turn._, slots["named"]
    lines = [_("Which alert should I cancel? Type its number:")]
    lines += [f"{n}. {describe(_, a)}" for n, a in enumerate(named, 1)]
    buttons = [(str(n), Intent("alert.cancel", {"alert": a.id})) for n, a in enumerate(named, 1)]
    every = Intent("alert.cancel", {"alert": "all", **{k: _text(v) for k, v in slots.items()
                                                        if k in _NAMING and v is not None}})
    return reply("\n".join(lines), [*buttons[:11], (_("Cancel all"), every)])


def _ask_to_cancel(turn: Turn, slots: Slots) -> list[Message]:
    """The alerts about to be cancelled, shown back for a yes or a no."""
    _, choice = turn._, slots["alert"]
    chosen = slots["named"] if choice == "all" else [a for a in slots["mine"] if str(a.id) == str(choice)]
    carried = {"alert": choice, **{k: _text(v) for k, v in slots.items() if k in _NAMING and v is not None}}
    what = "\n".join(f"- {describe(_, a)}" for a in chosen)
    return reply(_("Cancel this price alert?") + "\n" + what if len(chosen) == 1 else
                 _("Cancel these {n} price alerts?").format(n=len(chosen)) + "\n" + what, [
        (_("Yes, cancel"), Intent("alert.cancel", {**carried, "confirm": True})),
        (_("No, keep them") if len(chosen) > 1 else _("No, keep it"),
         Intent("alert.cancel", {**carried, "confirm": False})),
    ])


# "ยกเลิก" to "cancel this alert?" is its yes
CANCEL = Form("alert.cancel", (Ask("alert", _ask_which, _read_which),), kept=frozenset({"alert", "ids", *_NAMING}),
              cancel_is_yes=frozenset({"answer"}), confirm=Confirm(_ask_to_cancel))


def cancel(turn: Turn, intent: Intent) -> list[Message]:
    return CANCEL.run(turn, intent, _cancel)


def _cancel(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    turn.finish()
    choice, mine, named = slots["alert"], slots["mine"], slots["named"]
    if not slots["confirm"]:
        return reply(_("OK, your price alerts stay as they are."), _menu(_))
    if choice == "all":  # all of them, or all of those named ("ยกเลิกเตือนน้ำยางทั้งหมด")
        for alert in named:
            alerts.cancel(turn.db, alert, turn.now)
        if len(named) < len(mine):
            done = [_("Cancelled {n} alerts:").format(n=len(named)), *(f"- {describe(_, a)}" for a in named)]
            return reply("\n".join(done), _menu(_))
        return reply(_("All your price alerts are cancelled ({n}).").format(n=len(named)), _menu(_))
    found = next((a for a in mine if str(a.id) == str(choice)), None)
    if found is None:
        return reply(_("That alert is already cancelled."), _menu(_))
    alerts.cancel(turn.db, found, turn.now)
    return reply(_("Cancelled: {what}.").format(what=describe(_, found)), _menu(_))


def _text(value: Any) -> Any:
    """A slot as a button carries it: a Decimal as its exact string."""
    return str(value) if isinstance(value, Decimal) else value


def _typed(number: Any) -> Decimal | None:
    """The number a whole message was (slot `number`, exact decimal text), as a Decimal."""
    try:
        return None if number is None else Decimal(str(number))
    except InvalidOperation:
        return None


def _named(mine: list[PriceAlert], slots: Mapping[str, Any]) -> list[PriceAlert]:
    """The member's alerts that fit what the message named (a type, a direction, a level, the daily price)."""
    kind = "daily" if slots.get("daily") else slots.get("direction")
    threshold = slots.get("threshold")
    return [
        a for a in mine
        if slots.get("rubber_type") in (None, a.rubber_type) and kind in (None, a.kind)
        and (threshold is None or a.threshold == Decimal(str(threshold)))
    ]
