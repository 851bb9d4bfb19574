"""Selling together (sell.pledge): members pledge kilos of latex or sheet for a round's collection day.

The same machinery as buying, in the other direction: a selling round, a card to confirm, one line per
member, summaries per collection point.
"""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn
from handlers.orders import join_round


def pledge(turn: Turn, intent: Intent) -> list[Message]:
    slots = dict(intent.slots)
    if slots.get("round") is None:
        slots["product"] = "rubber"  # what members pledge is rubber, whatever product word the message had
    return join_round(turn, Intent(intent.name, slots, intent.text), "sell")
