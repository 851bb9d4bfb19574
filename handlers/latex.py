"""The latex payment: net kg × DRC % / 100 × price, with the dry weight, and an owner/tapper split if asked.

Cup lump is bought the same way, per kg of dry rubber, so it is worked out with its own price; sheets are
sold by their own weight and need no calculator."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Form, Problem, Slots, Stop
from handlers.price_ui import (
    NumberError,
    Translate,
    number_reply,
    price_problem,
    slot_number,
    source_line,
    type_name,
)
from handlers.ui import Button, reply
from models.prices import Preference, PriceError, checked, latest, local_day

CENT = Decimal("0.01")
BY_DRY_WEIGHT = ("latex", "cuplump")
MAX_KG = Decimal(10000)
SHARE_DIGITS = 3


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def payment(weight_kg: Decimal, drc: Decimal, price: Decimal) -> tuple[Decimal, Decimal]:
    """Dry weight and amount as the cooperatives pay them, net kg × DRC % / 100 × price, rounded to the satang only at
    the end; the dry weight is shown with the decimals it has (fmt.precise), so the figures check out."""
    dry = weight_kg * drc / 100
    return dry, _money(dry * price)


def share(amount: Decimal, owner_pct: int) -> tuple[Decimal, Decimal]:
    """The owner's and the tapper's shares; the tapper gets the remainder so that the two add up."""
    owner = _money(amount * owner_pct / 100)
    return owner, amount - owner


def _split(slots: dict[str, Any]) -> tuple[int, int] | None:
    """The owner's and the tapper's shares of slot `split`, "60/40": read from the message by bot.nlu
    ("แบ่งกับลูกจ้าง 60/40"), or carried by a button or the open question."""
    owner, slash, tapper = str(slots.get("split") or "").replace(":", "/").partition("/")
    shares = (owner.strip(), tapper.strip())
    if not slash or not all(s.isascii() and s.isdigit() and len(s) <= SHARE_DIGITS for s in shares):
        return None
    return int(shares[0]), int(shares[1])


def _stored(slots: dict[str, Any]) -> dict[str, Any]:
    """Slots as the conversation row keeps them (JSON: numbers as strings, to keep the satang exact)."""
    kept = ("weight_kg", "drc", "price", "split", "rubber_type")
    return {k: str(v) for k, v in slots.items() if v is not None and k in kept}


def _check(turn: Turn, intent: Intent, slots: Slots) -> None:
    _ = turn._
    if (slots.get("rubber_type") or "latex") not in BY_DRY_WEIGHT:
        raise Stop(reply(_("The calculator is for field latex and cup lump, which are paid by their dry rubber. "
                           "Sheets are paid by their own weight: kg × the day's price."),
                         [(_("Latex payment"), Intent("latex.calc")), (_("Rubber prices"), Intent("price.today"))]))
    if slots.get("comma") or slots.get("minus") is not None:
        raise Problem(reply(number_reply(_, NumberError("comma" if slots.get("comma") else "negative"))))


def _amount_of(name: str, valid: Callable[[Decimal], bool], wrong: Callable[[Translate], str],
               question: Callable[[Translate], str], choices: tuple[int, ...]) -> Ask:
    """A weight or a DRC: a number within its range, asked for with one-tap choices."""
    def ask(turn: Turn, slots: Slots) -> list[Message]:
        return reply(question(turn._), _choices(turn._, slots, name, choices))

    def read(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Decimal | None:
        value = slot_number(intent, name, answering)
        if value is not None and not valid(value):
            raise Problem(reply(wrong(turn._) + " " + question(turn._), _choices(turn._, slots, name, choices)))
        return value

    return Ask(name, ask, read)


def _ask_price(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    return reply(_("No {type} price is posted yet. What price per kg should I use? For example 58.50.").format(
        type=type_name(_, slots.get("rubber_type") or "latex")))


def _read_price(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Decimal | None:
    """The price the member named, or else today's posted one (its source noted for the answer)."""
    _ = turn._
    named = slot_number(intent, "price", answering)
    if named is not None:
        try:
            return checked(named)
        except PriceError as error:
            out_of_range = _("The latex price must be between 20 and 150 baht per kg. "
                             "Type it again, for example 58.50.")
            raise Problem(reply(price_problem(_, error, out_of_range))) from None
    kind = slots.get("rubber_type") or "latex"
    quote = latest(turn.db, kind, Preference(turn.member.cooperative_id), local_day(turn.now))
    if quote is None:
        return None
    slots["source"] = _("{source}, {day}").format(
        source=source_line(_, quote.source, quote.center, turn.member.cooperative_id, turn.locale),
        day=fmt.day(quote.day, turn.locale))
    return quote.baht_per_kg


def _read_split(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    split = _split(slots)
    if split is not None and sum(split) == 100:
        return f"{split[0]}/{split[1]}"
    slots.pop("split", None)
    raise Stop(reply(turn._("A split must add up to 100, for example \"แบ่ง 60/40\" (owner 60%, tapper 40%)."),
                     _split_buttons(turn._, slots)))


CALC = Form("latex.calc", (
    _amount_of("weight_kg", lambda kg: 0 < kg <= MAX_KG,
               lambda _: _("The weight must be more than 0 and at most 10,000 kg."),
               lambda _: _("How many kg of latex (net weight)? Type a number, for example 30.5."), (10, 20, 30, 50)),
    _amount_of("drc", lambda pct: 1 <= pct <= 100,
               lambda _: _("DRC must be between 1 and 100 percent."),
               lambda _: _("What is the DRC (dry rubber content) in %? Field latex is usually 30–40."),
               (30, 32, 34, 36, 38, 40)),
    Ask("split", lambda turn, slots: [], _read_split, lambda slots: slots.get("split") is not None),
    Ask("price", _ask_price, _read_price),
), kept=frozenset({"weight_kg", "drc", "price", "split", "rubber_type"}), check=_check)


def calc(turn: Turn, intent: Intent) -> list[Message]:
    return CALC.run(turn, intent, _payment)


def _payment(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    turn.finish()
    kind, weight, drc, price = slots.get("rubber_type") or "latex", slots["weight_kg"], slots["drc"], slots["price"]
    dry, amount = payment(weight, drc, price)
    lines = [
        (_("Latex {kg} kg × DRC {drc}% = {dry} kg dry rubber") if kind == "latex" else
         _("Cup lump {kg} kg × DRC {drc}% = {dry} kg dry rubber")).format(
            kg=fmt.quantity(weight), drc=fmt.quantity(drc), dry=fmt.precise(dry)),
        _("{dry} kg × {price} baht = {amount} baht").format(dry=fmt.precise(dry), price=fmt.baht(price),
                                                           amount=fmt.baht(amount)),
    ]
    split = _split(slots)
    if split is not None:
        owner, tapper = share(amount, split[0])
        lines.append(_("Split {owner_pct}/{tapper_pct}: owner {owner} baht, tapper {tapper} baht").format(
            owner_pct=split[0], tapper_pct=split[1], owner=fmt.baht(owner), tapper=fmt.baht(tapper)))
    if slots.get("source"):
        lines.append(_("Price: {source}").format(source=slots["source"]))
    return reply("\n".join(lines), _split_buttons(_, {**slots, "price": price}))


def _choices(_: Translate, slots: dict[str, Any], name: str, values: tuple[int, ...]) -> list[Button]:
    unit = "%" if name == "drc" else " " + _("kg")
    known = {k: v for k, v in _stored(slots).items() if k != name}
    return [(f"{n}{unit}", Intent("latex.calc", {**known, name: n})) for n in values]


def _split_buttons(_: Translate, slots: dict[str, Any]) -> list[Button]:
    known = {k: v for k, v in _stored(slots).items() if k != "split"}
    buttons = [(_("Split {a}/{b}").format(a=a, b=100 - a), Intent("latex.calc", {**known, "split": f"{a}/{100 - a}"}))
               for a in (60, 55, 50)]
    return [*buttons, (_("Rubber prices"), Intent("price.today"))]
