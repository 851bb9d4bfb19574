"""Every test that touches the database runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from bot import create_app, migrate
from bot.sandbox.line_api import LineWorld
from bot.settings import Settings
from models.base import Base
from tests.support import CHANNEL_SECRET, CHANNEL_TOKEN, Chat, serve_line_api

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_sessionstart(session: pytest.Session) -> None:
    """The Thai reader is trained from the corpus once, before the first test, as a server trains it at its
    first start (and keeps it): not inside whichever test happens to read Thai first, under its time limit."""
    from bot.nlu import parser

    parser.trained()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright; CI sets COOPBOT_REQUIRE_BROWSER=1 so it never skips."""
    reason = None if CHROMIUM.exists() else f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[dev]')"
    if reason:
        if os.environ.get("COOPBOT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"COOPBOT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def line_world() -> LineWorld:
    return LineWorld(token=CHANNEL_TOKEN)


@pytest.fixture(scope="session")
def line_api_url(line_world: LineWorld) -> Iterator[str]:
    with serve_line_api(line_world) as url:
        yield url


def _fresh_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url = Settings.load({"SECRET_KEY": "x", "DATABASE_URL": os.environ["TEST_DATABASE_URL"]}).database_url
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _fresh_database(request.param, tmp_path_factory)
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def _empty(engine: Engine) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def config(database_url: str, line_api_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
        "LINE_API_BASE_URL": line_api_url,
        "PUBLIC_BASE_URL": "https://bot.test",
    }


@pytest.fixture
def app(config: dict[str, str], line_world: LineWorld) -> Iterator[Flask]:
    app = create_app(config)
    app.config["TESTING"] = True
    app.extensions["outbox"].backoff = 0.01
    _empty(app.extensions["engine"])
    line_world.clear()
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """The test's own view of the database: every statement sees what the app has committed (autocommit),
    and holds no lock that would make the app wait."""
    engine = app.extensions["engine"].execution_options(isolation_level="AUTOCOMMIT")
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def seeded(app: Flask) -> Flask:
    from bot import seed

    with app.extensions["sessions"]() as session, session.begin():
        seed.network(session)
    return app


@pytest.fixture
def chat(seeded: Flask, line_world: LineWorld) -> Chat:
    return Chat(seeded, line_world)
