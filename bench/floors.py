"""The two floors bench/webhook.py measures the bot beside, as WSGI apps for gunicorn.

`bare()`: a Flask app that only checks LINE's signature over the raw body and answers 200: what the web stack
itself costs. `minimal()`: the least a bot does with the same libraries: the SDK's `WebhookParser`, one insert
and one select on the same database, and the SDK's `reply_message` to the same local LINE API, in the request.

Settings come from the environment, as the bot's do: DATABASE_URL, LINE_CHANNEL_SECRET,
LINE_CHANNEL_ACCESS_TOKEN, LINE_API_BASE_URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Any

from flask import Flask, abort, request

TABLE = "bench_floor_events"


def _secret() -> bytes:
    return os.environ["LINE_CHANNEL_SECRET"].encode()


def bare() -> Flask:
    app = Flask(__name__)
    secret = _secret()

    @app.post("/callback")
    def callback() -> tuple[str, int]:
        body = request.get_data()
        expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(expected, request.headers.get("x-line-signature", "")):
            abort(400)
        return "OK", 200

    return app


def minimal() -> Flask:
    from linebot.v3 import WebhookParser
    from linebot.v3.messaging import (
        ApiClient,
        Configuration,
        MessagingApi,
        ReplyMessageRequest,
        TextMessage,
    )
    from linebot.v3.webhooks import MessageEvent
    from sqlalchemy import create_engine, text

    app = Flask(__name__)
    parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])
    url = os.environ["DATABASE_URL"]
    engine = create_engine(url, pool_size=32, max_overflow=32) if url.startswith("postgresql") else create_engine(
        url, connect_args={"timeout": 15})
    config = Configuration(host=os.environ["LINE_API_BASE_URL"], access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"])
    config.connection_pool_maxsize = 64
    api = MessagingApi(ApiClient(config))

    @app.post("/callback")
    def callback() -> tuple[str, int]:
        try:
            events: Any = parser.parse(request.get_data(as_text=True), request.headers.get("x-line-signature", ""))
        except Exception:
            abort(400)
        for event in events:
            if not isinstance(event, MessageEvent):
                continue
            with engine.begin() as connection:
                connection.execute(text(f"INSERT INTO {TABLE} (event_id, user_id) VALUES (:e, :u)"),
                                   {"e": event.webhook_event_id, "u": event.source.user_id})
                count = connection.execute(text(f"SELECT count(*) FROM {TABLE} WHERE user_id = :u"),
                                           {"u": event.source.user_id}).scalar()
            api.reply_message(ReplyMessageRequest(replyToken=event.reply_token,
                                                  messages=[TextMessage(text=f"ข้อความที่ {count} ครับ")]))
        return "OK", 200

    return app


def create_table(engine: Any) -> None:
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
        connection.execute(text(f"CREATE TABLE {TABLE} (event_id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64))"))
        connection.execute(text(f"CREATE INDEX ix_{TABLE}_user ON {TABLE} (user_id)"))
