"""The sandbox: a local LINE API inside the app and a chat page at /sandbox. Never mounted unless enabled."""

from __future__ import annotations

from flask import Flask

from bot.sandbox.line_api import LineWorld, blueprint


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    world = LineWorld(token=str(settings.line_channel_access_token))
    app.extensions["line_world"] = world
    app.register_blueprint(blueprint(world), url_prefix="/sandbox/line")
