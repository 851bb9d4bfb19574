"""Building blocks for replies: text with quick-reply buttons whose postbacks encode an intent."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from linebot.v3.messaging import Message, PostbackAction, QuickReply, QuickReplyItem, TextMessage

from handlers import Intent

QUICK_REPLY_LIMIT = 13
LABEL_LIMIT = 20
TEXT_LIMIT = 5000

Button = tuple[str, Intent]


def button(label: str, intent: Intent) -> QuickReplyItem:
    """A quick-reply button that sends `intent` as a postback and shows `label` as the member's words."""
    label = label[:LABEL_LIMIT]
    return QuickReplyItem(
        action=PostbackAction(label=label, data=intent.to_postback(), displayText=label)
    )


def text(body: str, buttons: Sequence[Button] = ()) -> TextMessage:
    """A text message (cut to LINE's 5,000 UTF-16 units) with up to 13 quick-reply buttons."""
    if len(body.encode("utf-16-le")) // 2 > TEXT_LIMIT:
        body = body.encode("utf-16-le")[: (TEXT_LIMIT - 1) * 2].decode("utf-16-le", "ignore") + "…"
    quick = QuickReply(items=[button(label, intent) for label, intent in buttons[:QUICK_REPLY_LIMIT]])
    return TextMessage(text=body, quickReply=quick if buttons else None)


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


def confirmation(intent: Intent) -> bool | None:
    """The member's answer to a yes/no card: a pressed button (slot `confirm`) or a typed yes or no to the
    pending question (slot `answer`); None when they have not answered yet."""
    confirm = intent.slots.get("confirm")
    if confirm is None and intent.slots.get("answer"):
        confirm = intent.slots["answer"] == "yes"
    return None if confirm is None else confirm is True  # only a real yes confirms, not any string


def reply(body: str, buttons: Sequence[Button] = ()) -> list[Message]:
    return [text(body, buttons)]
