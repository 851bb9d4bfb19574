"""Greeting, help, and the friendly answer when the bot did not understand."""

from __future__ import annotations

from collections.abc import Callable

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.ui import MEANINGS, Button, main_actions, reply


def greeting(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    if intent.slots.get("thanks"):
        return _welcome(_)
    name = turn.member.name or turn.member.display_name
    # Thais greet by the first name (คุณสมชาย), never first name and surname
    hello = _("Hello {name}!").format(name=name.split()[0]) if name and name.split() else _("Hello!")
    return reply(hello + " " + _("How can I help you today?"), main_actions(_))


def help(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    return reply(
        _(
            "I can help you with:\n"
            "• Group orders: type e.g. \"CP pig feed 10 sacks\"\n"
            "• Rubber prices: type \"rubber price\"\n"
            "• Price alerts: type \"alert when latex above 60\"\n"
            "• Latex payment: type \"latex 30 kg 34%\"\n"
            "• Your details: type \"register\"\n"
            "Or press a button below."
        ),
        main_actions(_),
    )


def _welcome(_: Callable[[str], str]) -> list[Message]:
    return reply(_("You're welcome! Is there anything else I can help with?"), main_actions(_))


def unknown(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    # what the message was read to hold beside its intent (bot.nlu's readings, slots the dispatcher adds)
    if intent.slots.get("thanks"):  # a member's thanks for the goods, a price, a coordinator
        return _welcome(_)
    if intent.slots.get("deposit"):
        return deposits(turn)
    if intent.slots.get("product"):
        # goods named alone ("หมู", "ปุ๋ย 15-15-15"), not as the answer to an open question (the dispatcher gives
        # those to the question's form): most likely an order, or the open rounds of those goods; the member
        # picks, nothing is started unasked
        goods = {k: v for k, v in intent.slots.items() if k in ("product", "brand", "animal", "formula")}
        rounds = Intent("rounds.list", {k: v for k, v in goods.items() if k in ("product", "brand")})
        return which_meant(turn, Intent("order.join", goods, runner_up=rounds))
    if intent.doubted and intent.runner_up is not None and intent.runner_up.name in MEANINGS:
        return which_meant(turn, intent)  # the reading it was likelier to be, or something else
    return reply(
        _("Sorry, I did not understand that. Try \"rubber price\" or \"CP pig feed 5 sacks\", or press a button."),
        main_actions(_),
    )


def what_to_cancel(turn: Turn) -> list[Message]:
    """"ไม่เอาแล้ว", "ยกเลิก" with no question open: nothing is waiting for it, so nothing is cancelled; the member
    picks what was meant."""
    _ = turn._
    cancels: list[Button] = [(_(MEANINGS[name]), Intent(name)) for name in ("order.cancel", "alert.cancel")]
    return reply(_("Nothing is waiting for your answer now. What would you like to cancel?"),
                 [*cancels, *main_actions(_)])


def deposits(turn: Turn) -> list[Message]:
    """A deposit, savings or share account with the cooperative: the bot keeps none, so it says who does. The
    first button is what buying and selling together saved, for a member whose "savings" meant that."""
    _ = turn._
    said = _("Deposits, shares and savings accounts are kept by your cooperative, not in this chat.")
    buttons = [(_(MEANINGS["savings"]), Intent("savings")), *main_actions(_)[:-1]]
    cooperative = turn.member.cooperative
    if cooperative is None:
        return reply(said + "\n" + _("Please ask your cooperative's staff."), buttons)
    ask = _("Please ask {name}, phone {phone}.").format(
        name=cooperative.name(turn.locale), phone=cooperative.phone or _("no phone number on file yet"))
    return reply(said + "\n" + ask, buttons)


def which_meant(turn: Turn, intent: Intent) -> list[Message]:
    """A message that would change something, read without enough confidence, or goods named alone: nothing is
    done; the member chooses between the two likeliest meanings, or neither (Rasa's two-stage fallback)."""
    _ = turn._
    other = intent.runner_up if intent.runner_up is not None and intent.runner_up.name != intent.name else None
    choices = [meant for meant in (intent, other) if meant is not None and meant.name in MEANINGS]
    buttons: list[Button] = [(_(MEANINGS[meant.name]), Intent(meant.name, meant.slots)) for meant in choices]
    buttons.append((_("Something else"), Intent("help")))
    return reply(_("Sorry, I am not sure what you mean. Which is it?"), buttons)


def unsupported(turn: Turn, intent: Intent) -> list[Message]:
    """Stickers, photos, places, voice: answer kindly and say what the bot can read."""
    _ = turn._
    return reply(
        _("Thank you! I can only read text messages. Type what you need, or press a button below."),
        main_actions(_),
    )


def introduce(turn: Turn, intent: Intent) -> list[Message]:
    """When the account is added to a group: a short introduction, no personal questions."""
    _ = turn._
    return reply(
        _(
            "Hello everyone! I am the Phatthalung cooperative network's assistant. "
            "Add me as a friend to join group orders, see rubber prices and get price alerts."
        )
    )
