"""A registered member's own details: see them, edit one, switch language, delete them."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.details import ask, of_member, summary
from handlers.ui import Button, main_actions, reply, text
from models import alerts, orders
from models.conversation import Conversation
from models.member import LANGUAGES
from models.orders import OrderLine, OrderRefused, member_lines

INTENT = "register"
# Asked on follow: not free text, so a newcomer's first real question ("ราคายาง") still reaches its handler.
WELCOME = "welcome"
# Each language's name is written in that language, so a member who cannot read the other one finds it.
LANGUAGE_NAMES = {"th": "ภาษาไทย", "en": "English"}


def open_question(pending: Conversation) -> str:
    """The detail a registration under way is asking for; the welcome asks for the name."""
    return "name" if pending.awaiting == WELCOME else pending.awaiting


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
        language_button(turn),
        (_("Delete my data"), Intent(INTENT, {"step": "delete"})),
    ]
    return reply(head + "\n" + summary(turn, of_member(turn.member)), buttons)


def ask_edit(turn: Turn, field: str) -> list[Message]:
    turn.expect(INTENT, {"flow": "edit"}, field)
    return ask(turn, field)


def language(turn: Turn, pending: Conversation | None, pick: str | None) -> list[Message]:
    """Switch ไทย / English; this reply and all later ones come in the new language."""
    locale = pick if pick in LANGUAGES else ("en" if turn.locale == "th" else "th")
    turn.use_language(locale)
    _ = turn._
    if locale == "en":
        done = _("OK, I will answer in English from now on.")
    else:
        done = _("OK, I will answer in Thai from now on.")
    if pending is not None and pending.slots.get("flow") == "join":
        # Ask the open registration question again, now in the language the member can read.
        field = open_question(pending)
        if field != "consent":
            return [text(done), *ask(turn, field)]
    return reply(done, main_actions(_))


def _has_personal_data(turn: Turn) -> bool:
    member = turn.member
    return member.consent_at is not None or any(of_member(member).values()) or bool(member.display_name)


def _open_orders(turn: Turn) -> list[OrderLine]:
    return [line for line in member_lines(turn.db, turn.member.id, active_only=True, round_statuses=("open",))
            if line.round.joinable(turn.now)]


def delete(turn: Turn, pick: str | None) -> list[Message]:
    """Delete the member's personal data, only after they confirm; declining keeps everything."""
    _ = turn._
    open_orders = _open_orders(turn)
    if pick == "yes":
        turn.finish()
        turn.member.forget()
        for alert in alerts.active_alerts(turn.db, turn.member.id):  # a deleted member is pushed nothing
            alerts.cancel(turn.db, alert, turn.now)
        cancelled = 0
        for line in open_orders:  # nobody could see, change or collect an order without a name
            try:
                orders.cancel(turn.db, line.id, turn.now, turn.member)
                cancelled += 1
            except OrderRefused:  # its round closed a moment ago: the closing notice has gone out already
                pass
        done = _("Your personal details are deleted. To use group orders again, register any time.")
        if cancelled:
            done += "\n" + _("Your orders in open rounds are cancelled ({n}).").format(n=cancelled)
        return reply(done, [(_("Register"), Intent(INTENT)), *main_actions(_)])
    if pick == "no":
        turn.finish()
        if turn.member.registered:
            return [text(_("OK, nothing was deleted.")), *show(turn)]
        return reply(_("OK, nothing was deleted."), main_actions(_))
    if not _has_personal_data(turn):
        turn.finish()
        return reply(_("We keep no personal details of yours."), main_actions(_))
    turn.expect(INTENT, {"flow": "delete"}, "delete")
    buttons: list[Button] = [
        (_("Yes, delete"), Intent(INTENT, {"step": "delete", "pick": "yes"})),
        (_("No, keep them"), Intent(INTENT, {"step": "delete", "pick": "no"})),
    ]
    question = _(
        "Delete your name, district, membership number and mobile number? "
        "Your past orders stay with your cooperative without your name. You can register again later."
    )
    if open_orders:
        question += "\n" + _("Your orders in rounds still open will be cancelled ({n}).").format(n=len(open_orders))
    if pick == "again":
        question = _("Please press \"Yes, delete\" or \"No, keep them\".") + "\n" + question
    return reply(question, buttons)
