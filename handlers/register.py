"""Registration in chat: name, district, membership number, mobile number and consent."""

from __future__ import annotations

from linebot.v3.messaging import Message

from handlers import Intent, Turn
from handlers.ui import main_actions, reply


def welcome(turn: Turn) -> list[Message]:
    _ = turn._
    return reply(
        _("Welcome to the Phatthalung cooperative network! Type \"register\" to start."),
        [(_("Register"), Intent("register")), *main_actions(_)],
    )


def handle(turn: Turn, intent: Intent) -> list[Message]:
    return welcome(turn)
