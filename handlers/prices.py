"""Rubber prices: today's (free, as a reply), the history as a chart, and coordinators posting the day's price."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from linebot.v3.messaging import ImageMessage, Message
from sqlalchemy.orm import Session

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Form, Problem, Slots, Stop
from handlers.price_cards import Row, confirm, prices
from handlers.price_ui import (
    NumberError,
    Translate,
    change,
    number_reply,
    other_rubber,
    price_problem,
    slot_number,
    source_line,
    type_buttons,
    type_name,
)
from handlers.ui import Button, main_actions, reply, text
from models import kept
from models.prices import (
    BOARD_TABLES,
    DEFAULT_DAYS,
    MAX_DAYS,
    MIN_DAYS,
    RUBBER_TYPES,
    Preference,
    PriceError,
    Series,
    board,
    checked,
    jump_from,
    local_day,
    move_percent,
)
from models.prices import history as price_history
from models.prices import post as post_price


def today(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    wanted = intent.slots.get("rubber_type")
    if wanted is not None and wanted not in RUBBER_TYPES:
        return reply(_("Which rubber price would you like to see?"), type_buttons(_, "price.today"))
    unpriced = None if wanted else other_rubber(_, intent.slots)
    if unpriced:
        return reply(unpriced, type_buttons(_, "price.today"))
    today = local_day(turn.now)
    day = intent.slots.get("day")
    return _board(turn, wanted, (asked_day(day, today) if day else None) or today)


def asked_day(said: str, today: date) -> date | None:
    """The day a member named (bot.nlu's reading `day`: "ago:1", "25", "1/11", "1/11/2026", "13/4/-1"), placed on
    or before today: the 25th is this month's or, still to come, last month's; 1 Nov this year's or last year's;
    13/4/-1 the 13 April of the year before this one. None for a day that never was (31/2) or one still to come."""
    if said.startswith("ago:"):
        return today - timedelta(days=int(said[4:]))
    day, month, year = [*map(int, said.split("/")), 0, 0][:3]
    try:
        if year < 0:
            asked = date(today.year + year, month, day)
        elif year:
            asked = date(year, month, day)
        elif month:
            asked = date(today.year, month, day)
            asked = asked if asked <= today else asked.replace(year=today.year - 1)
        else:
            asked = today.replace(day=day)
            asked = asked if asked <= today else (today.replace(day=1) - timedelta(days=1)).replace(day=day)
    except ValueError:
        return None
    return asked if asked <= today else None


def said_day(day: date) -> str:
    """A day as bot.nlu's reading `day` says it, so that a button asks `asked_day` for that very day."""
    return f"{day.day}/{day.month}/{day.year}"


def _board(turn: Turn, wanted: str | None, day: date) -> list[Message]:
    """Each price (or the one wanted) of this day, or the latest before it, with its change from the day before.
    The card is the same for every member of a cooperative who asks in the same language on the same day: on a
    price morning it is built once and kept as long as the board it shows (models.kept), not built for each."""
    today = local_day(turn.now)
    coop_id = turn.member.cooperative_id
    key = ("board card", turn.locale, coop_id, wanted, day, today)
    return kept.shared(turn.db, BOARD_TABLES, key,
                       lambda own: _card(own, turn._, turn.locale, coop_id, wanted, day, today))


def _card(db: Session, _: Translate, locale: str, coop_id: int | None, wanted: str | None, day: date,
          today: date) -> list[Message]:
    """_board's card from the board read in `db`, in the language `_` and `locale` name: nothing else of a turn."""
    priced = board(db, [wanted] if wanted else RUBBER_TYPES, coop_id, day)
    found = [quote for quote, _before in priced]
    past = day != today
    on = {"day": said_day(day)} if past else {}  # the other types' prices of the same day
    if not found and past:
        return reply(_("No rubber price was posted on or before {day}.").format(day=fmt.day(day, locale)),
                     type_buttons(_, "price.today", on))
    if not found and wanted:
        return reply(_("No {type} price has been posted yet. Please ask again later today.").format(
            type=type_name(_, wanted)), type_buttons(_, "price.today"))
    if not found:
        return reply(_("No rubber price has been posted yet. Please ask again later today."), main_actions(_))
    stale = any(q.day != day for q in found)
    rows = [
        Row(
            name=type_name(_, q.rubber_type),
            price=fmt.baht(q.baht_per_kg),
            unit=_("baht/kg"),
            change=change(_, q, before),
            source=source_line(_, q.source, q.center, coop_id, locale),
            day=fmt.day(q.day, locale) if q.day != day else "",
        )
        for q, before in priced
    ]
    title = _("Rubber prices {day}").format(day=fmt.day(max(q.day for q in found), locale))
    if past:
        when = fmt.day(day, locale)
        note = (_("No price was posted on {day}. These are the latest before it.") if stale
                else _("Prices of {day}")).format(day=when)
    else:
        note = _("Today's price is not posted yet. These are the latest.") if stale else _("Today's prices")
    first = wanted or "latex"
    buttons = [
        (_("Price chart"), Intent("price.history", {"rubber_type": first})),
        (_("Latex payment"), Intent("latex.calc")),
        (_("Price alerts"), Intent("alert.list")),
        *[(type_name(_, t), Intent("price.today", {"rubber_type": t, **on})) for t in RUBBER_TYPES if t != wanted],
    ]
    footer = _("Change is from the previous trading day. Latex and cup lump are per kg of dry rubber (DRC 100%).")
    return [prices(title, note, rows, footer, buttons, stale=stale)]


def chart_path(rubber_type: str, days: int, end: date, coop_code: str | None, series: Series, locale: str) -> str:
    """The chart's address under PUBLIC_BASE_URL; the key changes whenever a price in it does."""
    key = hashlib.sha1(repr((series.source, series.points)).encode()).hexdigest()[:10]
    query = {"end": end.isoformat(), **({"coop": coop_code} if coop_code else {}), "lang": locale, "v": key}
    return f"/charts/{rubber_type}-{days}.png?{urlencode(query)}"


def history(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    unpriced = None if intent.slots.get("rubber_type") else other_rubber(_, intent.slots)
    if unpriced:
        return reply(unpriced, type_buttons(_, "price.history", {"days": intent.slots.get("days") or DEFAULT_DAYS}))
    kind = intent.slots.get("rubber_type") or "latex"
    if kind not in RUBBER_TYPES:
        return reply(_("Which rubber price would you like to see?"), type_buttons(_, "price.history"))
    day = intent.slots.get("day")
    asked = asked_day(day, local_day(turn.now)) if day and not intent.slots.get("days") else None
    if asked is not None:  # ราคายางเมื่อวาน, วันที่ 1 พ.ย.: that day's prices, not a chart
        return _board(turn, intent.slots.get("rubber_type"), asked)
    days = intent.slots.get("days") or DEFAULT_DAYS
    if not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        return reply(_("I can show {low} to {high} days. Choose one:").format(low=MIN_DAYS, high=MAX_DAYS),
                     _periods(_, kind))
    end = local_day(turn.now)
    coop = turn.member.cooperative
    prefer = Preference(coop.id if coop else None)
    series = price_history(turn.db, kind, prefer, end - timedelta(days - 1), end)
    name = type_name(_, kind)
    periods = _periods(_, kind)
    others = [(type_name(_, t), Intent("price.history", {"rubber_type": t, "days": days})) for t in RUBBER_TYPES]
    if series is None or len(series.points) < 2:
        return reply(_("There are not enough {type} prices in the last {n} days for a chart yet.")
                     .format(type=name, n=days), [*periods, *others])
    summary = _summary(_, name, days, [price for _day, price in series.points])
    source = source_line(_, series.source, series.center, coop.id if coop else None, turn.locale)
    messages: list[Message] = []
    if turn.image_base_url:
        url = turn.image_base_url + chart_path(kind, days, end, coop.code if coop else None, series, turn.locale)
        messages.append(ImageMessage(originalContentUrl=url, previewImageUrl=url + "&size=preview"))
    messages.append(text(f"{summary}\n{source}", [*periods, *others]))
    return messages


def _periods(_: Translate, kind: str) -> list[Button]:
    return [(_("{n} days").format(n=n), Intent("price.history", {"rubber_type": kind, "days": n})) for n in (7, 30, 90)]


def _summary(_: Translate, name: str, days: int, values: list[Decimal]) -> str:
    """One line: low, high, average and the change over the period."""
    first, last = values[0], values[-1]
    delta = last - first
    sign = "+" if delta > 0 else "−" if delta < 0 else ""
    return _("{type}, {n} days: low {low}, high {high}, average {avg}, change {change} baht/kg ({pct}%)").format(
        type=name, n=days, low=fmt.baht(min(values)), high=fmt.baht(max(values)),
        avg=fmt.baht(sum(values, Decimal(0)) / len(values)),
        change=("▲ " if delta > 0 else "▼ " if delta < 0 else "") + fmt.baht(abs(delta)),
        pct=sign + fmt.number(abs(delta) * 100 / first, 1),
    )


def _post_check(turn: Turn, intent: Intent, slots: Slots) -> None:
    _ = turn._
    if turn.member.center is None:
        raise Stop(reply(_("Your account is not linked to a center yet. Ask an admin to set it.")))
    if slots.get("answer") == "no":
        raise Stop(reply(_("OK, the price was not posted."), main_actions(_)))


def _ask_type(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    keep = {k: v for k, v in slots.items() if k == "price"}
    question = _("Which rubber price do you want to post?")
    unpriced = other_rubber(_, slots)
    if unpriced:
        question = unpriced + " " + question
    elif slots.get("named_type") is not None:
        question = _("I don't know that kind of rubber.") + " " + question
    return reply(question, type_buttons(_, "price.post", keep))


def _read_type(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    kind = slots.get("rubber_type")
    if kind in RUBBER_TYPES:
        return str(kind)
    slots["named_type"] = kind
    return None


def _ask_price(turn: Turn, slots: Slots) -> list[Message]:
    center = turn.member.center
    assert center is not None
    return reply(turn._("What is today's buying price of {type} at {center}, in baht per kg? Type a number like "
                        "58.50.").format(type=type_name(turn._, slots["rubber_type"]), center=center.name(turn.locale)))


def _read_price(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> Decimal | None:
    try:
        value = slot_number(intent, "price", answering)
    except NumberError as error:
        raise Problem(reply(number_reply(turn._, error))) from None
    if value is None:
        return None
    try:
        return checked(value)
    except PriceError as error:
        raise Problem(reply(price_problem(turn._, error))) from None


POST = Form("price.post", (Ask("rubber_type", _ask_type, _read_type), Ask("price", _ask_price, _read_price)),
            kept=frozenset({"rubber_type", "price", "on", "sure"}), check=_post_check)


def post(turn: Turn, intent: Intent) -> list[Message]:
    """Coordinator: the day's buying price for their center, confirmed on a card before anyone sees it."""
    return POST.run(turn, intent, _confirm_or_post)


def _confirm_or_post(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    center = turn.member.center
    assert center is not None
    kind, price = slots["rubber_type"], slots["price"]
    name = type_name(_, kind)
    day = local_day(turn.now)
    before = jump_from(turn.db, center.id, kind, price, day)
    jump = before is not None
    confirmed = slots.get("answer") == "yes"
    if confirmed and slots.get("on") not in (None, day.isoformat()):
        turn.finish()
        return reply(_("That card was for an earlier day. Please post today's price again."))
    if confirmed and (not jump or slots.get("sure")):
        turn.finish()
        _quote, fired = post_price(turn.db, center.id, kind, price, turn.now, turn.member.id)
        done = _("Posted: {type} {price} baht/kg at {center}, {day}.").format(
            type=name, price=fmt.baht(price), center=center.name(turn.locale), day=fmt.day(day, turn.locale))
        if fired:
            done += "\n" + _("{n} price alerts will be sent to members.").format(n=fmt.number(fired))
        return reply(done, [(_("Rubber prices"), Intent("price.today"))])
    warning = ""
    if jump and before is not None:
        pct = fmt.number(move_percent(before.baht_per_kg, price), 1)
        warning = (
            _("That is higher than the last price ({before} baht/kg on {day}) by {pct}%. Are you sure?")
            if price > before.baht_per_kg
            else _("That is lower than the last price ({before} baht/kg on {day}) by {pct}%. Are you sure?")
        ).format(pct=pct, before=fmt.baht(before.baht_per_kg), day=fmt.day(before.day, turn.locale))
    pending = {"rubber_type": kind, "price": str(price), "on": day.isoformat(), **({"sure": True} if jump else {})}
    POST.wait(turn, pending, "answer")
    card = confirm(
        _("Post today's price?"),
        [f"{name} {fmt.baht(price)} " + _("baht/kg"), center.name(turn.locale), fmt.day(day, turn.locale)],
        warning,
        (_("Confirm"), Intent("price.post", {**pending, "answer": "yes"})),
        (_("Cancel"), Intent("price.post", {"answer": "no"})),
    )
    return [card]
