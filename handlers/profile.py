"""A registered member's own details: see them, edit one, delete them (handlers.register switches the language).

Editing a detail and deleting one's data are forms (handlers.forms) under the intent 'register', told apart from
registering by their `flow`: EDIT asks for the one detail chosen, DELETE asks to be confirmed first.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.alerts import describe
from handlers.details import FIELDS, ask, of_member, reads, save, summary
from handlers.forms import Ask, Confirm, Form, Slots, Stop
from handlers.orders_ui import amount, by_direction, line_status
from handlers.ui import N_, Button, main_actions, reply, text
from models import alerts, orders
from models.access import erasable, erase, open_orders
from models.announcements import INTERESTS
from models.base import BANGKOK
from models.orders import OrderLine

INTENT = "register"
INTEREST_NAMES = {"pig": N_("Pigs"), "chicken": N_("Chickens"), "duck": N_("Ducks"), "fish": N_("Fish"),
                  "cattle": N_("Cattle"), "rubber": N_("Rubber"), "rice": N_("Rice")}
# Asked on follow: not free text, so a newcomer's first real question ("ราคายาง") still reaches its handler.
WELCOME = "welcome"
# Each language's name is written in that language, so a member who cannot read the other one finds it.
LANGUAGE_NAMES = {"th": "ภาษาไทย", "en": "English"}


def language_button(turn: Turn) -> Button:
    other = "en" if turn.locale == "th" else "th"
    return LANGUAGE_NAMES[other], Intent(INTENT, {"step": "language", "pick": other})


def show(turn: Turn, saved: bool = False) -> list[Message]:
    """The member's details with a button for each thing they can change."""
    _ = turn._
    head = _("Saved. Your details now:") if saved else _("Your details:")
    buttons: list[Button] = [
        (_("Edit name"), Intent(INTENT, {"step": "edit", "field": "name"})),
        (_("Edit district"), Intent(INTENT, {"step": "edit", "field": "district"})),
        (_("Edit membership no."), Intent(INTENT, {"step": "edit", "field": "membership_no"})),
        (_("Edit mobile"), Intent(INTENT, {"step": "edit", "field": "phone"})),
        (_("What I raise or grow"), Intent(INTENT, {"step": "interests"})),
        language_button(turn),
        (_("Delete my data"), Intent(INTENT, {"step": "delete"})),
    ]
    return reply(head + "\n" + summary(turn, of_member(turn.member)) + "\n" + _interests_line(turn), buttons)


def _interests_line(turn: Turn) -> str:
    _ = turn._
    chosen = [_(INTEREST_NAMES[i]) for i in turn.member.interests or () if i in INTEREST_NAMES]
    return _("Raises or grows: {what}").format(what=", ".join(chosen) if chosen else _("not given"))


def interests(turn: Turn, pick: str | None) -> list[Message]:
    """What the member raises or grows, chosen by pressing (a second press unchooses): the bot then tells them
    of the rounds that fit, and coordinators can address them by it."""
    _, member = turn._, turn.member
    chosen = set(member.interests or ())
    if pick in INTERESTS:
        chosen ^= {pick}
        member.interests = [i for i in INTERESTS if i in chosen]  # a new list: the JSON column sees the change
    buttons: list[Button] = [(("✓ " if i in chosen else "") + _(INTEREST_NAMES[i]),
                              Intent(INTENT, {"step": "interests", "pick": i})) for i in INTERESTS]
    buttons.append((_("Done"), Intent(INTENT, {"step": "show"})))
    question = _("What do you raise or grow? Press each that fits (again to unchoose): I will tell you only of "
                 "the rounds that concern you.")
    return reply(question + "\n" + _interests_line(turn), buttons)


def everything(turn: Turn) -> list[Message]:
    """A copy of all the bot keeps about the member (their right of access): details, consent, orders and
    pledges, price alerts."""
    _, member = turn._, turn.member
    lines = [_("Everything we keep about you:"), summary(turn, of_member(member))]
    if member.consent_at is not None:
        lines.append(_("Consent given: {day}").format(day=fmt.day(member.consent_at.astimezone(BANGKOK), turn.locale)))
    lines.append(_("Language: {language}").format(language=_("Thai") if member.locale == "th" else _("English")))
    kept = orders.member_lines(turn.db, member.id)
    lines.append(_("Orders and pledges: {n}").format(n=fmt.number(len(kept))))
    lines += [_("• {day} {product}: {amount} ({status})").format(
        day=fmt.day(line.created_at.astimezone(BANGKOK), turn.locale), product=line.round.product.name(turn.locale),
        amount=amount(_, line.quantity, line.round.product.unit),
        status=line_status(turn, line)) for line in kept[:30]]
    mine = alerts.active_alerts(turn.db, member.id)
    lines.append(_("Price alerts: {n}").format(n=fmt.number(len(mine))))
    lines += [f"• {describe(_, alert)}" for alert in mine]
    return reply("\n".join(lines), [(_("Edit my details"), Intent(INTENT, {"step": "show"})),
                                    (_("Delete my data"), Intent(INTENT, {"step": "delete"}))])


def _editing(field: str) -> Ask:
    return Ask(field, lambda turn, slots: ask(turn, field), reads(field),
               needed=lambda slots: slots.get("field") == field)


EDIT = Form(INTENT, tuple(_editing(field) for field in FIELDS), kept=frozenset({"field"}), flow="edit")


def ask_edit(turn: Turn, field: str) -> list[Message]:
    return edit(turn, Intent(INTENT, {"field": field}))


def edit(turn: Turn, intent: Intent) -> list[Message]:
    """One detail changed: asked for, then saved at once (the member consented when they registered)."""
    return EDIT.run(turn, intent, saved)


def saved(turn: Turn, slots: Slots) -> list[Message]:
    turn.finish()
    field = slots.get("field")
    if field in FIELDS:
        save(turn.db, turn.member, str(field), slots[str(field)])
    return show(turn, saved=True)


def _has_personal_data(turn: Turn) -> bool:
    member = turn.member
    return member.consent_at is not None or any(of_member(member).values()) or bool(member.display_name)


def _open_orders(turn: Turn) -> list[OrderLine]:
    return open_orders(turn.db, turn.member, turn.now)


def _delete_answer(slots: Mapping[str, Any]) -> bool | None:
    """The answer to "delete?": a button's pick, or a typed yes or no."""
    said = slots.get("pick") if slots.get("step") == "delete" else slots.get("answer")
    return {"yes": True, "no": False}.get(str(said))


def _nothing_to_delete(turn: Turn, intent: Intent, slots: Slots) -> None:
    """Nothing to delete, or nothing that may be: a coordinator's or an admin's data stays while they keep the role
    (the console refuses the same, models.access.erasable)."""
    _ = turn._
    if _delete_answer(slots) is None and not _has_personal_data(turn):
        raise Stop(reply(_("We keep no personal details of yours."), main_actions(_)))
    if not erasable(turn.member):
        said = (_("You are an admin: your data cannot be deleted while you keep the role. Make someone else an admin, "
                  "ask them to make you a member again, then press \"Delete my data\" again.")
                if turn.member.role == "admin" else
                _("You are a coordinator: your data cannot be deleted while you keep the role. Ask an admin to hand "
                  "your role to someone else and make you a member again, then press \"Delete my data\" again."))
        raise Stop(reply(said, main_actions(_)))


def _ask_to_delete(turn: Turn, slots: Slots, again: bool = False) -> list[Message]:
    _ = turn._
    buttons: list[Button] = [
        (_("Yes, delete"), Intent(INTENT, {"step": "delete", "pick": "yes"})),
        (_("No, keep them"), Intent(INTENT, {"step": "delete", "pick": "no"})),
    ]
    question = _(
        "Delete your name, district, membership number and mobile number? "
        "Your past orders stay with your cooperative without your name. You can register again later."
    )
    open_orders = _open_orders(turn)
    if open_orders:
        question += "\n" + by_direction(
            open_orders, _("Your orders in rounds still open will be cancelled ({n})."),
            _("Your pledges in rounds still open will be withdrawn ({n})."),
            _("Your orders and pledges in rounds still open will be cancelled ({n})."),
        ).format(n=len(open_orders))
    if again:
        question = _("Please press \"Yes, delete\" or \"No, keep them\".") + "\n" + question
    return reply(question, buttons)


DELETE = Form(INTENT, check=_nothing_to_delete, flow="delete", confirm=Confirm(
    _ask_to_delete, slot="delete", answer=_delete_answer, unclear=partial(_ask_to_delete, again=True)))


def delete(turn: Turn, intent: Intent) -> list[Message]:
    """Delete the member's personal data, only after they confirm; declining keeps everything."""
    return DELETE.run(turn, intent, deleted)


def deleted(turn: Turn, slots: Slots) -> list[Message]:
    _ = turn._
    if not slots["confirm"]:
        if turn.member.registered:
            return [text(_("OK, nothing was deleted.")), *show(turn)]
        return reply(_("OK, nothing was deleted."), main_actions(_))
    cancelled = erase(turn.db, turn.member, turn.now)
    done = _("Your personal details are deleted. To use group orders again, register any time.")
    if cancelled:
        done += "\n" + by_direction(
            cancelled, _("Your orders in open rounds are cancelled ({n})."),
            _("Your pledges in open rounds are withdrawn ({n})."),
            _("Your orders and pledges in open rounds are cancelled ({n})."),
        ).format(n=len(cancelled))
    return reply(done, [(_("Register"), Intent(INTENT)), *main_actions(_)])
