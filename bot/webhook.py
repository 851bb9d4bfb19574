"""POST /callback: verify LINE's signature over the raw bytes, parse, and hand each event to the dispatcher."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Flask, abort, current_app, request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import WebhookParser

from bot.dispatch import Dispatcher

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback() -> tuple[str, int]:
    secret = current_app.extensions["channel"].secret()
    if not secret:
        log.error("webhook called but LINE_CHANNEL_SECRET is not configured")
        abort(503)
    body = request.get_data(as_text=False)
    signature = request.headers.get("x-line-signature", "")
    try:
        events = WebhookParser(secret).parse(body.decode("utf-8"), signature)
    except InvalidSignatureError:
        log.warning("webhook: bad or missing signature")
        abort(400)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError):
        log.warning("webhook: malformed body")
        abort(400)
    dispatcher: Dispatcher = current_app.extensions["dispatcher"]
    for event in events:
        dispatcher.handle(event)
    return "OK", 200


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
