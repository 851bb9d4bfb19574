"""The Flask application factory: nothing happens at import time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from bot.delivery import Outbox
    from bot.dispatch import Dispatcher
    from bot.line import Line
    from bot.line.channel import Channel
    from bot.line.replies import Replies
    from bot.settings import Settings

MAX_BODY = 1024 * 1024


class Parts(dict[str, Any]):
    """`app.extensions`, where some parts are built at first use: the command line's commands mostly never
    need the LINE client, the outbox or the dispatcher (which load the LINE SDK and every handler), and
    loading them costs more than a second."""

    def __init__(self, **built: Any) -> None:
        super().__init__(built)
        self._later: dict[str, Callable[[], Any]] = {}
        self._lock = threading.RLock()  # building the outbox asks for the line

    def later(self, name: str, build: Callable[[], Any]) -> None:
        self._later[name] = build

    def __missing__(self, name: str) -> Any:
        with self._lock:
            if name not in self:
                if name not in self._later:
                    raise KeyError(name)
                self[name] = self._later.pop(name)()
            return dict.__getitem__(self, name)


def create_app(config: Mapping[str, Any] | None = None, *, serving: bool = True) -> Flask:
    """Build the app from the environment, or from `config` (environment-style names) in tests.

    The command line builds it with `serving=False`: read-only commands then run without SECRET_KEY, and
    the ones that sign or encrypt ask for it themselves (`Settings.require_secret_key`)."""
    # Imported here, not at the top, so that `import bot.nlu` (coopbot parse) does not load the web stack.
    from flask import Flask

    from bot import db
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
    if serving and not settings.image_base_url:
        logging.getLogger(__name__).warning(
            "PUBLIC_BASE_URL %s is not https: LINE fetches no images from it, so charts go as text only",
            settings.public_base_url)
    app.extensions = parts = Parts(**app.extensions, channel=channel)
    parts.later("line", lambda: _line(settings, channel))
    parts.later("outbox", lambda: _outbox(app))
    parts.later("replies", lambda: _replies(app))
    parts.later("dispatcher", lambda: _dispatcher(app))
    if serving:  # a web worker builds them now, and reads its first Thai, not on its first members' time
        _ = parts["dispatcher"], parts["outbox"]
        from bot import nlu

        nlu.understand("สวัสดีครับ")
    webhook.init_app(app)
    charts.init_app(app)
    media.init_app(app)
    admin.init_app(app)
    fonts.init_app(app)
    if settings.sandbox:
        from bot import sandbox

        sandbox.init_app(app)
    return app


def _line(settings: Settings, channel: Channel) -> Line:
    from bot.line import Line

    return Line(settings.line_api_base_url, settings.line_data_api_base_url, channel.token)


def _outbox(app: Flask) -> Outbox:
    from bot import db
    from bot.delivery import Outbox

    return Outbox(db.sessions(app), app.extensions["line"])


def _dispatcher(app: Flask) -> Dispatcher:
    from bot import db
    from bot.dispatch import Dispatcher
    from bot.web import admin

    settings = app.config["SETTINGS"]
    return Dispatcher(db.sessions(app), app.extensions["line"], image_base_url=settings.image_base_url,
                      replies=app.extensions["replies"], console_url=lambda: admin.console_base_url(settings))


def _replies(app: Flask) -> Replies:
    from bot.line.replies import Replies

    return Replies(app.extensions["line"], app.config["SETTINGS"].reply_senders)
