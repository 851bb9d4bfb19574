"""The sandbox: a local LINE API inside the app and a chat page at /sandbox. Never mounted unless enabled."""

from __future__ import annotations

import logging

from flask import Flask

from bot.sandbox import chat
from bot.sandbox.line_api import LineWorld, blueprint
from bot.sandbox.phone import Phone
from bot.settings import SANDBOX_REFUSED, ConfigError, public_deployment
from bot.web import csrf

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if public_deployment(settings.public_base_url):  # Settings.load refuses it too; this holds for any app
        raise ConfigError(SANDBOX_REFUSED.format(url=settings.public_base_url))
    world = LineWorld(token=str(settings.line_channel_access_token), channel_secret=str(settings.line_channel_secret))
    app.extensions["line_world"] = world
    app.extensions["sandbox_phone"] = Phone()
    line_api = blueprint(world)
    csrf.exempt(line_api)  # the bot's own calls to its local LINE, and the chat page's JSON calls
    csrf.exempt(chat.bp)
    app.register_blueprint(line_api, url_prefix="/sandbox/line")
    app.register_blueprint(chat.bp, url_prefix="/sandbox")
    if "/sandbox/line" not in settings.line_api_base_url:
        # The page reads what the bot sent from app.extensions["line_world"]; tests swap in their own world.
        log.warning("sandbox: the bot talks to %s, not to the sandbox's LINE API", settings.line_api_base_url)
