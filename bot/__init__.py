"""The Flask application factory: nothing happens at import time."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

MAX_BODY = 1024 * 1024


def create_app(config: Mapping[str, Any] | None = None, *, serving: bool = True) -> Flask:
    """Build the app from the environment, or from `config` (environment-style names) in tests.

    The command line builds it with `serving=False`: read-only commands then run without SECRET_KEY, and
    the ones that sign or encrypt ask for it themselves (`Settings.require_secret_key`)."""
    # Imported here, not at the top, so that `import bot.nlu` (coopbot parse) does not load the web stack.
    from flask import Flask

    from bot import db
    from bot.delivery import Outbox
    from bot.dispatch import Dispatcher
    from bot.line import Line
    from bot.line.channel import Channel
    from bot.render import fonts
    from bot.settings import Settings
    from bot.web import admin, charts, csrf, media, webhook

    settings = Settings.load(config)
    if serving:
        settings.require_secret_key()  # the web app signs its session cookies with it
    app = Flask(__name__)
    app.config.update(SETTINGS=settings, SECRET_KEY=str(settings.secret_key), MAX_CONTENT_LENGTH=MAX_BODY)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db.init_app(app)
    csrf.init_app(app)
    channel = Channel(settings, db.sessions(app))
    line = Line(settings.line_api_base_url, settings.line_data_api_base_url, channel.token)
    dispatcher = Dispatcher(db.sessions(app), line, image_base_url=settings.image_base_url)
    if serving and not settings.image_base_url:
        logging.getLogger(__name__).warning(
            "PUBLIC_BASE_URL %s is not https: LINE fetches no images from it, so charts go as text only",
            settings.public_base_url)
    app.extensions.update(channel=channel, line=line, dispatcher=dispatcher, outbox=Outbox(db.sessions(app), line))
    webhook.init_app(app)
    charts.init_app(app)
    media.init_app(app)
    admin.init_app(app)
    fonts.init_app(app)
    if settings.sandbox:
        from bot import sandbox

        sandbox.init_app(app)
    return app

