"""Building blocks for replies: text with quick-reply buttons whose postbacks encode an intent."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeAlias
from urllib.parse import quote_plus

from linebot.v3.messaging import (
    DatetimePickerAction,
    FlexContainer,
    FlexMessage,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from bot.nlu import Intent
from handlers import fmt

log = logging.getLogger(__name__)

# LINE's limits (bot/sandbox/rules.py enforces them in the local LINE API); over any, LINE refuses the reply
QUICK_REPLY_LIMIT = 13
LABEL_LIMIT = 20
DISPLAY_TEXT_LIMIT = 300
TEXT_LIMIT = 5000
EMPTY = "…"  # LINE refuses an empty text or label

Button = tuple[str, Intent]
Choice: TypeAlias = Button | QuickReplyItem  # a button, or a ready item (a date picker)


def N_(message: str) -> str:
    """Mark a string for the catalog; it is translated where it is shown."""
    return message


MEANINGS = {
    "order.join": N_("Order goods"),
    "order.change": N_("Change my order"),
    "order.cancel": N_("Cancel my order"),
    "order.list": N_("My orders"),
    "rounds.list": N_("Group orders"),
    "price.today": N_("Rubber prices"),
    "price.history": N_("Price chart"),
    "alert.create": N_("Set a price alert"),
    "alert.list": N_("Price alerts"),
    "alert.cancel": N_("Delete a price alert"),
    "latex.calc": N_("Latex payment"),
    "sell.pledge": N_("Sell rubber together"),
    "savings": N_("My savings"),
    "news": N_("News"),
    "news.mute": N_("Stop some notices"),
    "contact": N_("Contact the center"),
    "payment": N_("How to pay"),
    "pickup": N_("Where to collect"),
    "delivery.status": N_("Have my goods come?"),
    "handoff": N_("Talk to a person"),
    "help": N_("Help"),
    "register": N_("My details"),
    "price.post": N_("Post today's price"),
    "round.close": N_("Close a round"),
    "round.summary": N_("Round summary"),
    "broadcast": N_("Send an announcement"),
    "console.link": N_("Web console link"),
}
"""what each intent does, in a button's few words: the choices when the bot is not sure what was meant"""


def button(label: str, intent: Intent) -> QuickReplyItem:
    """A quick-reply button that sends `intent` as a postback and shows `label` as the member's words, always
    within LINE's limits (a label of 1 to 20 characters, data and display text of at most 300)."""
    try:  # most replies end with the same few buttons (the menu's six, yes and no): each is built once
        return _button(label, intent.name, tuple(intent.slots.items()))
    except TypeError:  # a slot whose value cannot be a key (a list): built for this reply alone
        return _built(label, intent)


@lru_cache(maxsize=4096)
def _button(label: str, name: str, slots: tuple[tuple[str, Any], ...]) -> QuickReplyItem:
    """A button, kept: nothing changes a reply's models once they are built (bot.line.wire reads them)."""
    return _built(label, Intent(name, dict(slots)))


def _built(label: str, intent: Intent) -> QuickReplyItem:
    label = fmt.shortened(label, LABEL_LIMIT) if label.strip() else EMPTY  # "Unsmoked rubber she…": cut, and says so
    data = postback(intent)
    # Built without the SDK's validation (a few of these in every reply, each costing more than the handler's
    # own work): the limits are kept here, and the types are plain strings.
    action = PostbackAction.construct(type="postback", label=label, data=data,
                                      display_text=label[:DISPLAY_TEXT_LIMIT])
    return QuickReplyItem.construct(type="action", action=action)


def date_picker(label: str, intent: Intent, initial: datetime, earliest: datetime) -> QuickReplyItem:
    """A button that opens the phone's date and time picker; LINE then sends `intent` with the chosen local time
    in the postback's params (the dispatcher puts it in slot `picked`). Times are Thai local."""
    return QuickReplyItem(action=DatetimePickerAction(
        label=fmt.shortened(label, LABEL_LIMIT) if label.strip() else EMPTY, data=postback(intent), mode="datetime",
        initial=initial.strftime("%Y-%m-%dT%H:%M"), min=earliest.strftime("%Y-%m-%dT%H:%M")))


def postback(intent: Intent) -> str:
    """The intent as postback data within LINE's 300 characters. A slot too long to travel (a long text the
    member typed, encoded) is left out, the longest first, so that pressing the button asks for it again;
    LINE would refuse the whole reply, not just the button."""
    slots = dict(intent.slots)
    while True:
        try:
            return Intent(intent.name, slots).to_postback()
        except ValueError:
            if not slots:
                log.warning("button for %.40r sends help: its name alone is over LINE's limit", intent.name)
                return Intent("help").to_postback()
            longest = max(slots, key=lambda key: len(quote_plus(str(slots[key]))))
            log.warning("button for %s: slot %s left out, over LINE's postback limit", intent.name, longest)
            del slots[longest]


def text(body: str, buttons: Sequence[Choice] = ()) -> TextMessage:
    """A text message (cut to LINE's 5,000 UTF-16 units, never empty) with up to 13 quick-reply buttons."""
    units = body.encode("utf-16-le", "surrogatepass")
    if len(units) // 2 > TEXT_LIMIT:
        body = units[: (TEXT_LIMIT - 1) * 2].decode("utf-16-le", "ignore") + "…"
    items = [item if isinstance(item, QuickReplyItem) else button(*item) for item in buttons[:QUICK_REPLY_LIMIT]]
    # built without the SDK's validation, as buttons are: every reply has one or more, and the types are plain
    quick = QuickReply.construct(items=items) if items else None
    return TextMessage.construct(type="text", text=body or EMPTY, quick_reply=quick)


class ReadyFlex(FlexContainer):
    """Flex contents as LINE's JSON, as the card builders write them: kept as they are. The SDK would parse them
    into a model per box, text and button (a few hundred for a carousel of rounds) and write them all back out
    for every reply; LINE's rules for them are checked where LINE is (bot/sandbox/rules.py, in the tests)."""

    raw: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.raw


def flex(alt: str, contents: dict[str, Any], quick: QuickReply | None = None) -> FlexMessage:
    """A Flex message of a bubble or carousel written as LINE's JSON."""
    return FlexMessage.construct(alt_text=alt, contents=ReadyFlex.construct(type=contents["type"], raw=contents),
                                 quick_reply=quick, type="flex")


def main_actions(_: Callable[[str], str]) -> list[Button]:
    """The six things most members come for, as on the rich menu."""
    return [
        (_("Group orders"), Intent("rounds.list")),
        (_("Rubber prices"), Intent("price.today")),
        (_("Price alerts"), Intent("alert.list")),
        (_("My orders"), Intent("order.list")),
        (_("News"), Intent("news")),
        (_("Help"), Intent("help")),
    ]


def yes_no(_: Callable[[str], str], yes: Intent, no: Intent) -> list[Button]:
    return [(_("Yes"), yes), (_("No"), no)]


def reply(body: str, buttons: Sequence[Choice] = ()) -> list[Message]:
    return [text(body, buttons)]
