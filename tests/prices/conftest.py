"""Shared set-up for the price tests: a fixed clock (a Wednesday morning in Phatthalung) and price rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from bot.sandbox.line_api import LineWorld
from models.base import BANGKOK
from models.network import center_by_code
from models.prices import upsert
from tests.support import Chat, registered

NOW = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # 08:30 in Bangkok, Wednesday 25 November 2026
TODAY = date(2026, 11, 25)


def morning(day: date) -> datetime:
    """08:30 in Bangkok on `day`: when that day's price is posted, and so news (models.alerts.evaluate)."""
    return datetime.combine(day, time(8, 30), BANGKOK)


@pytest.fixture
def clock(seeded: Flask) -> datetime:
    seeded.extensions["dispatcher"].clock = lambda: NOW
    return NOW


def put(app: Flask, day: date, rubber_type: str, price: str, source: str = "raot", center: str | None = None) -> int:
    """A stored price, as an import or a coordinator's post would leave it."""
    with app.extensions["sessions"]() as db, db.begin():
        center_id = center_by_code(db, center).id if center else None  # type: ignore[union-attr]
        return upsert(db, day, rubber_type, Decimal(price), source, center_id).id


def flex_buttons(messages: list[dict[str, Any]]) -> dict[str, str]:
    """The postback buttons inside the Flex cards of a reply, label -> data."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            action = node.get("action")
            if node.get("type") == "button" and isinstance(action, dict):
                found[action["label"]] = action["data"]
            for key, value in node.items():
                if key != "quickReply":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk([m for m in messages if m.get("type") == "flex"])
    return found


def coordinator_chat(app: Flask, world: LineWorld, center: str = "DIST-05", district: str = "ควนขนุน") -> Chat:
    chat = Chat(app, world)
    registered(app, chat.user_id, district=district, role="coordinator", center_code=center)
    return chat
