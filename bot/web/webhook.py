"""POST /callback: verify LINE's signature over the raw bytes, then read and hand on each event by itself.

A body whose signature does not match is refused (400), and so is one that is not a JSON object with an `events`
list (400). Within a signed body every event stands alone: a malformed one is logged and skipped while the others
in its batch are handled, and nothing in a signed body yields a 5xx.

LINE's webhook is answered in front of Flask, by a WSGI app of its own that hands every other path to Flask's
pages: it carries no cookie, renders no page and posts no form, and Flask's request context, routing, session and
hooks cost 60 to 80 µs of CPU an event, a twentieth of what a price morning's event costs in all (BENCHMARKS.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, ServiceUnavailable
from werkzeug.wsgi import get_input_stream

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask

PATH = "/callback"
log = logging.getLogger(__name__)


class Webhook:
    """The app's WSGI entry: LINE's webhook here, everything else Flask's."""

    def __init__(self, app: Flask, pages: WSGIApplication) -> None:
        self.app, self.pages = app, pages

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return self.pages(environ, start_response)
        try:
            self.receive(environ)
        except HTTPException as refused:
            return refused(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "2")])
        return [b"OK"]

    def receive(self, environ: WSGIEnvironment) -> None:
        # Here, not at the top: the command line builds the app without the LINE SDK and the handlers.
        from linebot.v3.webhook import SignatureValidator

        from bot.line.events import parse

        if environ.get("REQUEST_METHOD") != "POST":
            raise MethodNotAllowed(["POST"])
        secret = self.app.extensions["channel"].secret()
        if not secret:
            log.error("webhook called but LINE_CHANNEL_SECRET is not configured")
            raise ServiceUnavailable
        body = get_input_stream(environ, max_content_length=self.app.config["MAX_CONTENT_LENGTH"]).read()
        signature = environ.get("HTTP_X_LINE_SIGNATURE", "")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("webhook: body is not UTF-8")
            raise BadRequest from None
        if not SignatureValidator(secret).validate(text, signature):
            log.warning("webhook: bad or missing signature")
            raise BadRequest
        try:
            payload = json.loads(text, parse_int=_whole)
        except (ValueError, RecursionError):
            payload = None
        events = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(events, list):
            log.warning("webhook: malformed body")
            raise BadRequest
        dispatcher = self.app.extensions["dispatcher"]
        for raw in events:
            event = parse(raw)
            if event is not None:
                dispatcher.handle(event)


def _whole(digits: str) -> int | str:
    """A JSON integer; one past Python's int-string limit (4,300 digits) stays text, failing only its event."""
    try:
        return int(digits)
    except ValueError:
        return digits


def init_app(app: Flask) -> None:
    app.wsgi_app = Webhook(app, app.wsgi_app)  # type: ignore[method-assign]
