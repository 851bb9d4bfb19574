"""Selling together (sell.pledge): members pledge kilos of latex or sheet for a round's collection day.

The same form as buying (handlers.orders), in the other direction: a selling round, a card to confirm, one line
per member, summaries per collection point.
"""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, orders


def pledge(turn: Turn, intent: Intent) -> list[Message]:
    slots = dict(intent.slots)
    if slots.get("round") is None:
        slots["product"] = "rubber"  # what members pledge is rubber, whatever product word the message had
    return orders.pledge(turn, Intent(intent.name, slots, intent.text))
