"""Flex cards for prices: big numbers for older eyes, with a plain-text fallback (altText, ≤ 1,500)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import FlexMessage, QuickReply

from bot.nlu import Intent
from handlers import fmt
from handlers.ui import QUICK_REPLY_LIMIT, Button, button, flex

ALT_TEXT_LIMIT = 1500
UP, DOWN, GREY, INK = "#1B873F", "#C62828", "#777777", "#222222"


@dataclass(frozen=True)
class Row:
    name: str
    price: str
    unit: str
    change: str
    source: str
    day: str = ""


def _text(body: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": body or " ", "wrap": True, **style}


def _colour(change: str) -> str:
    return UP if change.startswith("▲") else DOWN if change.startswith("▼") else GREY


def _row(row: Row) -> dict[str, Any]:
    details = " · ".join(part for part in (row.source, row.day) if part)
    return {
        "type": "box",
        "layout": "vertical",
        "spacing": "xs",
        "contents": [
            {
                "type": "box",
                "layout": "horizontal",
                "contents": [
                    _text(row.name, size="lg", weight="bold", color=INK, flex=5, gravity="center"),
                    _text(row.price, size="xxl", weight="bold", color=INK, align="end", flex=4),
                ],
            },
            {
                "type": "box",
                "layout": "horizontal",
                "contents": [
                    _text(row.unit, size="sm", color=GREY, flex=5),
                    _text(row.change, size="md", weight="bold", color=_colour(row.change), align="end", flex=4),
                ],
            },
            _text(details, size="sm", color=GREY),
        ],
    }


def alt_text(lines: Sequence[str]) -> str:
    body = "\n".join(line for line in lines if line)
    return fmt.shortened(body, ALT_TEXT_LIMIT)


def _message(bubble: dict[str, Any], alt: str, buttons: Sequence[Button]) -> FlexMessage:
    items = [button(label, intent) for label, intent in buttons[:QUICK_REPLY_LIMIT]]
    quick = QuickReply(items=items) if items else None
    return flex(alt, bubble, quick)


def prices(
    title: str, note: str, rows: Sequence[Row], footer: str, buttons: Sequence[Button], stale: bool = False
) -> FlexMessage:
    """Today's prices, one block per rubber type; `stale` when today's price is not posted yet."""
    body: list[dict[str, Any]] = []
    for row in rows:
        if body:
            body.append({"type": "separator", "margin": "md"})
        body.append({**_row(row), "margin": "md"})
    header = [_text(title, size="xl", weight="bold", color=INK)]
    if note:
        header.append(_text(note, size="md", weight="bold" if stale else "regular", color=DOWN if stale else GREY))
    bubble = {
        "type": "bubble",
        "size": "giga",
        "header": {"type": "box", "layout": "vertical", "contents": header},
        "body": {"type": "box", "layout": "vertical", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "contents": [_text(footer, size="sm", color=GREY)]},
    }
    lines = [title, note]
    for row in rows:
        lines.append(f"{row.name}: {row.price} {row.unit} {row.change}".rstrip())
        lines.append(" · ".join(part for part in (row.source, row.day) if part))
    return _message(bubble, alt_text([*lines, footer]), buttons)


def confirm(
    title: str, lines: Sequence[str], warning: str, yes: tuple[str, Intent], no: tuple[str, Intent]
) -> FlexMessage:
    """A question with two postback buttons; only the first one changes anything."""
    contents = [_text(title, size="xl", weight="bold", color=INK)]
    contents += [_text(line, size="lg", color=INK) for line in lines]
    if warning:
        contents.append(_text(warning, size="md", weight="bold", color=DOWN))

    def action(label: str, intent: Intent) -> dict[str, Any]:
        return {"type": "postback", "label": label[:40], "data": intent.to_postback(), "displayText": label}

    bubble = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": contents},
        "footer": {
            "type": "box",
            "layout": "horizontal",
            "spacing": "md",
            "contents": [
                {"type": "button", "style": "primary", "color": UP, "action": action(*yes)},
                {"type": "button", "style": "secondary", "action": action(*no)},
            ],
        },
    }
    return _message(bubble, alt_text([title, *lines, warning]), ())
