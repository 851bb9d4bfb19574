"""What a member gained by buying and selling together, this month and this year."""

from __future__ import annotations

from datetime import datetime

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.basic import deposits
from handlers.orders_ui import baht
from handlers.ui import main_actions, reply
from models.base import BANGKOK
from models.savings import gained


def savings(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    if intent.slots.get("deposit"):  # their deposit or shares, not what buying together saved
        return deposits(turn)
    local = turn.now.astimezone(BANGKOK)
    month = datetime(local.year, local.month, 1, tzinfo=BANGKOK)
    year = datetime(local.year, 1, 1, tzinfo=BANGKOK)
    this_month = gained(turn.db, month, member_id=turn.member.id)
    this_year = gained(turn.db, year, member_id=turn.member.id)
    if not this_year:
        said = _("No delivered group orders yet this year, so nothing to count. Buying together saves "
                 "about 5–10 baht a sack of feed and 10–15 baht a kilo of formic acid.")
        network = gained(turn.db, year)
        if network:  # what the members together gained: the case for joining, in figures
            said += "\n" + _("This year the network's members together have gained {amount}.").format(
                amount=baht(_, network))
        return reply(said, [(_("Group orders"), Intent("rounds.list")), *main_actions(_)[1:]])
    return reply(_("Buying and selling together, compared with the retail reference price, you gained:\n"
                   "• this month: {month}\n• this year: {year}").format(
        month=baht(_, this_month), year=baht(_, this_year)), main_actions(_))
