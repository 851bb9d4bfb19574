"""What the price, alert and latex handlers share: rubber type names, sources, changes, typed numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.nlu import Intent
from handlers import fmt
from handlers.ui import N_, Button
from models.network import Center
from models.prices import RUBBER_TYPES, PriceError, PriceQuote

Translate = Callable[[str], str]


TYPE_NAMES = {
    "latex": N_("Field latex"),
    "uss": N_("Unsmoked sheet"),
    "rss3": N_("Smoked sheet (RSS3)"),
    "cuplump": N_("Cup lump"),
}


def type_name(_: Translate, rubber_type: str) -> str:
    return _(TYPE_NAMES[rubber_type])


def other_rubber(_: Translate, slots: Mapping[str, Any]) -> str | None:
    """'We have no price for ยางเครป' when the member named a rubber product we do not price (slot `unpriced`),
    rather than giving them another type's price or chart; else None."""
    what = slots.get("unpriced")
    if not what:
        return None
    return _("I have no price for {what}, only for field latex, unsmoked sheet, smoked sheet (RSS3) and cup lump."
             ).format(what=what)


def type_buttons(_: Translate, intent: str, slots: dict[str, Any] | None = None) -> list[Button]:
    return [(type_name(_, t), Intent(intent, {**(slots or {}), "rubber_type": t})) for t in RUBBER_TYPES]


def source_line(_: Translate, source: str, center: Center | None, cooperative_id: int | None, locale: str) -> str:
    """Whose price this is, so that members know whether it is their own cooperative's."""
    if source == "center" and center is not None:
        if center.id == cooperative_id:
            return _("Buying price of your cooperative, {name}").format(name=center.name(locale))
        return _("Buying price of {name}").format(name=center.name(locale))
    if source == "raot":
        return _("Rubber Authority of Thailand, opening reference price")
    return _("Ministry of Commerce reference price")


def change(_: Translate, quote: PriceQuote, before: PriceQuote | None) -> str:
    """'▲ 0.50' or '▼ 1.20' from the same source's previous trading day; empty when there is none."""
    if before is None:
        return ""
    delta = quote.baht_per_kg - before.baht_per_kg
    if delta == 0:
        return _("unchanged")
    return ("▲ " if delta > 0 else "▼ ") + fmt.baht(abs(delta))


class NumberError(ValueError):
    """A typed number we will not take; `reason` is 'comma' (58,50: 58.50 or 5,850?) or 'negative'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def slot_number(intent: Intent, name: str, answering: bool) -> Decimal | None:
    """A number slot from the parser, or, when the member is answering our question, the number their whole
    message is (slot `number`, units allowed) or a number in words ("ห้าสิบห้า", as the parser read it).

    Raises NumberError for a number typed with a comma or a minus, whichever way it came.
    """
    slots = intent.slots
    if slots.get("comma"):
        raise NumberError("comma")  # "58,50" could be 58.50 or 5,850; a wrong guess would be posted to every member
    if slots.get("minus") is not None:
        raise NumberError("negative")
    value = slots.get(name)
    if value is None and answering and intent.text:
        value = slots.get("number")
        if value is None:
            value = slots.get("quantity")
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number_reply(_: Translate, error: NumberError) -> str:
    if error.reason == "negative":
        return _("Please type a number above zero, without a minus, for example 58.50.")
    return _("Please type the number without a comma, with a dot for the satang, for example 58.50.")


def price_problem(_: Translate, error: PriceError, out_of_range: str | None = None) -> str:
    """Why a typed price cannot be taken, and what to type instead; `out_of_range` words an implausible one
    for its use (an alert level, a price to work a payment out with), else it is a coordinator's post."""
    if error.reason == "implausible" and out_of_range:
        return out_of_range
    if error.reason == "implausible":
        return _(
            "{price} baht/kg is outside the usual 20–150 baht/kg, so I did not post it. "
            "Please check and type the price again."
        ).format(price=fmt.baht(error.value))
    if error.reason == "too_precise":
        return _("Please give the price with at most two decimals, for example 58.50.")
    if error.reason == "not_positive":
        return _("The price must be more than zero. Please type it again, for example 58.50.")
    return _("Please type the price as a number, for example 58.50.")
