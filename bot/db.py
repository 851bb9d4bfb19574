"""The engine and the session factory; callers own their sessions (one transaction per event or job)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip on every checkout. A connection found dead invalidates the whole pool,
    # and the webhook tries that event once more (bot.dispatch), as it does one whose new connection did not open;
    # other requests fail once and recover. A database host that stops answering fails a new connection in 5 s,
    # not the system's two minutes.
    return create_engine(url, pool_size=10, max_overflow=20, connect_args={"connect_timeout": 5})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions, so that BEGIN IMMEDIATE below takes effect.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit costs no fsync (the largest part of
    # an event's time on SQLite), and the database cannot be corrupted; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Writers queue up at BEGIN instead of failing mid-transaction with "database is locked".
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["SETTINGS"].database_url)
    app.extensions["engine"] = engine
    app.extensions["sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.add_url_rule("/healthz", "healthz", _healthz)


def sessions(app: Flask) -> sessionmaker[Session]:
    return app.extensions["sessions"]


def _healthz() -> tuple[Response, int]:
    ok = reachable(current_app)
    return jsonify(status="ok" if ok else "unavailable", database=ok), 200 if ok else 503


def reachable(app: Flask) -> bool:
    try:
        with app.extensions["engine"].connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
