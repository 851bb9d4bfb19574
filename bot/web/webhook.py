"""POST /callback: verify LINE's signature over the raw bytes, then read and hand on each event by itself.

A body whose signature does not match is refused (400), and so is one that is not a JSON object with an `events`
list (400). Within a signed body every event stands alone: a malformed one is logged and skipped while the others
in its batch are handled, and nothing in a signed body yields a 5xx.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Request, abort, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from bot.web import csrf

if TYPE_CHECKING:
    from bot.dispatch import Dispatcher

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback() -> tuple[str, int]:
    # Here, not at the top: the command line builds the app without the LINE SDK and the handlers.
    from linebot.v3.webhook import SignatureValidator

    from bot.line.events import parse

    secret = current_app.extensions["channel"].secret()
    if not secret:
        log.error("webhook called but LINE_CHANNEL_SECRET is not configured")
        abort(503)
    body = request.get_data(as_text=False)
    signature = request.headers.get("x-line-signature", "")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("webhook: body is not UTF-8")
        abort(400)
    if not SignatureValidator(secret).validate(text, signature):
        log.warning("webhook: bad or missing signature")
        abort(400)
    try:
        payload = json.loads(text, parse_int=_whole)
    except (ValueError, RecursionError):
        payload = None
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        log.warning("webhook: malformed body")
        abort(400)
    dispatcher: Dispatcher = current_app.extensions["dispatcher"]
    for raw in events:
        event = parse(raw)
        if event is not None:
            dispatcher.handle(event)
    return "OK", 200


def _whole(digits: str) -> int | str:
    """A JSON integer; one past Python's int-string limit (4,300 digits) stays text, failing only its event."""
    try:
        return int(digits)
    except ValueError:
        return digits


class Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, never opened for LINE's webhook: it carries no cookie, and opening one (a
    signing serializer built for every request) cost 2 % of an event's CPU."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path == "/callback":
            return None  # Flask gives the request a null session instead
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    csrf.exempt(bp)  # LINE signs its body instead
    app.session_interface = Sessions()
    app.register_blueprint(bp)
