"""The wording of every push, beside the replies' wording: what the jobs tell members without being asked
(rounds opened, closing soon, closed; price alerts; announcements and how they went). Pushes cost the
cooperative's monthly quota, so each is one message, the same for every member who gets it where it can be,
so that it goes out as a multicast. The jobs reach these through bot.routes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from linebot.v3.messaging import ImageMessage, Message

from bot.nlu import Intent
from handlers import fmt
from handlers.news import progress
from handlers.orders_ui import about, amount, baht, exact_baht, moment, per_unit, pickup_text, unit_word
from handlers.price_ui import Translate, change, source_line, type_name
from handlers.ui import Button, reply
from models.announcements import Announcement
from models.member import Member
from models.orders import OrderLine
from models.prices import PriceQuote
from models.rounds import Round

__all__ = ["announcement", "announcement_report", "goods_arrived", "meeting_reminder", "price_alert", "round_closed",
           "round_reminder", "rounds_opened"]


def announcement(_: Translate, locale: str, announcement: Announcement, base_url: str) -> list[Message]:
    """An announcement as members read it: its image if it has one, which center says it, then the text as its
    author wrote it (in English for a member who reads English, when the author gave it); a meeting's time and
    place, with a button to say ไป and one for ไม่ไป."""
    images: list[Message] = []
    if announcement.image_id is not None:
        url = f"{base_url}/media/{announcement.image_id}"
        images.append(ImageMessage(originalContentUrl=url, previewImageUrl=url))
    text = announcement.body_en if locale == "en" and announcement.body_en else announcement.body
    body = f"📢 {announcement.center.name(locale)}\n{text}"
    if announcement.meeting_at is None:
        return [*images, *reply(body)]
    when = _("Meeting: {moment}, at {place}. Will you come?").format(
        moment=moment(announcement.meeting_at, locale), place=announcement.place)
    answers: list[Button] = [(_("I will come"), Intent("meeting.reply", {"announcement": announcement.id,
                                                                          "going": True})),
                             (_("I cannot come"), Intent("meeting.reply", {"announcement": announcement.id,
                                                                            "going": False}))]
    return [*images, *reply(body + "\n\n" + when, answers)]


def meeting_reminder(_: Translate, locale: str, announcement: Announcement) -> list[Message]:
    """The day before, to those who said they will come."""
    assert announcement.meeting_at is not None
    return reply(_("Reminder: the meeting of {center} is {moment}, at {place}. See you there!").format(
        center=announcement.center.name(locale), moment=moment(announcement.meeting_at, locale),
        place=announcement.place))


def announcement_report(_: Translate, locale: str, announcement: Announcement, now: datetime) -> list[Message]:
    """What its author is told once nothing of an announcement is left waiting: how it went."""
    return reply(_("Your announcement has gone out.") + "\n" + progress(_, locale, announcement, now))


def handoff_request(_: Translate, member: Member, said: str) -> list[Message]:
    """To a cooperative's coordinators: a member asks for a person; what they said, and who they are."""
    who = member.name or member.display_name or member.line_user_id[-6:]
    details = ", ".join(part for part in (member.phone, member.district) if part)
    return reply(_("{who} ({details}) asks to talk to a person: \"{said}\". Please answer them in LINE Official "
                   "Account Manager's chat, or call them.").format(who=who, details=details or "-",
                                                                  said=fmt.shortened(said, 200)))


def round_closed(_: Translate, locale: str, line: OrderLine) -> list[Message]:
    """What closing (or extending, or cancelling) a round means for one member's order."""
    round_, product = line.round, line.round.product
    name = product.name(locale)
    if round_.notice == "extended":
        return reply(_("The round for {product} has not reached its minimum of {minimum} yet ({total} so far), so "
                       "it is extended to {deadline}. Invite your neighbours!").format(
            product=name, minimum=amount(_, round_.min_total or 0, product.unit),
            total=amount(_, round_.total, product.unit), deadline=moment(round_.closes_at, locale)))
    if round_.notice == "cancelled":
        cancelled = (_("The round for {product} is cancelled: it did not reach its minimum of {minimum}. "
                       "Nothing is charged.") if round_.direction == "buy" else
                     _("The selling round for {product} is cancelled: it did not reach its minimum of {minimum}. "
                       "Nothing is sold together this time."))
        return reply(cancelled.format(product=name, minimum=amount(_, round_.min_total or 0, product.unit)))
    final = line.final
    pickup = pickup_text(_, locale, round_, line.pickup_center)
    if final == 0:
        return reply(_("The round for {product} has closed. Sorry: the last {pack} was not filled and yours was "
                       "among the latest orders, so there is nothing for you this time and nothing to pay.").format(
            product=name, pack=unit_word(_, product.pack_unit, 1)))
    done = (_("The round for {product} has closed. You get {final} at {price}: {total}. Pick up at {pickup}.")
            if round_.direction == "buy" else
            _("The selling round for {product} has closed. Please bring {final} to {pickup}. Price: {price}, "
              "about {total}."))
    price = per_unit(_, line.unit_price, product.unit) if line.drc is None else _(
        "{price} per kg of dry rubber at DRC {drc}% ({dry} kg dry)").format(
        price=exact_baht(_, line.unit_price), drc=fmt.quantity(line.drc), dry=fmt.precise(line.dry))
    parts = [done.format(product=name, final=amount(_, final, product.unit), price=price,
                         total=baht(_, line.amount) if round_.direction == "buy" else about(_, line.amount),
                         pickup=pickup)]
    if line.drc is not None and not line.drc_measured:
        parts.append(_("The DRC is an estimate: you are paid on the DRC measured when your rubber is weighed."))
    if final < line.quantity:
        parts.append(_("You ordered {ordered}; the last {pack} was not filled, and by the round's rule the latest "
                       "orders take less.").format(ordered=amount(_, line.quantity, product.unit),
                                                   pack=unit_word(_, product.pack_unit, 1)))
    elif final > line.quantity:
        parts.append(_("You said you could take more: {extra} extra completes the last {pack}.").format(
            extra=amount(_, final - line.quantity, product.unit), pack=unit_word(_, product.pack_unit, 1)))
    return reply("\n".join(parts))


def goods_arrived(_: Translate, locale: str, line: OrderLine, until: date | None) -> list[Message]:
    """A member's goods are at their pickup point: what, where, until when."""
    product = line.round.product
    said = _("Your {product} ({amount}) has arrived at {pickup}.").format(
        product=product.name(locale), amount=amount(_, line.final, product.unit),
        pickup=pickup_text(_, locale, line.round, line.pickup_center))
    if until is not None:
        said += " " + _("Please collect it by {day}.").format(day=fmt.day(until, locale))
    return reply(said, [(_("My orders"), Intent("order.list"))])


def rounds_opened(_: Translate, locale: str, rounds: Sequence[Round]) -> list[Message]:
    """One message for every round that opened since the last run, with a button for each."""
    items, buttons = [_("New rounds are open:")], list[Button]()
    for round_ in rounds:
        product, sell = round_.product, round_.direction == "sell"
        name = product.name(locale)
        each = _("• {product} (selling together): {price}, until {deadline}") if sell else _(
            "• {product}: {price}, until {deadline}")
        items.append(each.format(product=name, price=per_unit(_, round_.price, product.unit),
                                 deadline=moment(round_.closes_at, locale)))
        verb = "sell.pledge" if sell else "order.join"
        buttons.append((name, Intent(verb, {"round": round_.id})))
    return reply("\n".join(items), [*buttons[:11], (_("Group orders"), Intent("rounds.list")),
                                     (_("Stop some notices"), Intent("news.mute"))])


def round_reminder(_: Translate, locale: str, lines: Sequence[OrderLine]) -> list[Message]:
    """A member's orders in rounds closing within a day."""
    items = [_("Reminder: these close within a day. To change one, press the button below.")]
    items += [(_("• {product}: your order {amount}, closes {deadline}") if line.round.direction == "buy" else
               _("• {product}: your pledge {amount}, closes {deadline}")).format(
        product=line.round.product.name(locale), amount=amount(_, line.quantity, line.round.product.unit),
        deadline=moment(line.round.closes_at, locale)) for line in lines]
    return reply("\n".join(items), [(_("My orders"), Intent("order.list"))])


def price_alert(_: Translate, locale: str, quote: PriceQuote, before: PriceQuote | None, event: str) -> list[Message]:
    """The push for one fired event; the same for every recipient, so that it goes out as a multicast."""
    name, price = type_name(_, quote.rubber_type), fmt.baht(quote.baht_per_kg)
    if event == "daily":
        head = _("📊 {type} today: {price} baht/kg").format(type=name, price=price)
    elif event == "above":
        head = _("🔔 {type} is {price} baht/kg, up to the price you set.").format(type=name, price=price)
    else:
        head = _("🔔 {type} is {price} baht/kg, down to the price you set.").format(type=name, price=price)
    moved = change(_, quote, before)
    if moved:
        head += "\n" + _("{change} from the previous trading day").format(change=moved)
    where = _("{source}, {day}").format(source=source_line(_, quote.source, quote.center, None, locale),
                                        day=fmt.day(quote.day, locale))
    return reply(f"{head}\n{where}", [(_("My alerts"), Intent("alert.list")),
                                      (_("Rubber prices"), Intent("price.today"))])
