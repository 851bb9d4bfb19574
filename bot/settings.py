"""Typed settings, read once from the environment (or a dict in tests), failing fast.

Secrets are wrapped in `Secret` so that they never show up in logs, reprs or tracebacks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LINE_API = "https://api.line.me"
LINE_DATA_API = "https://api-data.line.me"
INSTANCE = Path("instance")
SANDBOX_SECRET = "sandbox-channel-secret"
SANDBOX_TOKEN = "sandbox-access-token"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line an operator can act on."""


class Secret:
    def __init__(self, value: str) -> None:
        self._value = value

    def __str__(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an http(s) URL such as https://example.org, got {value!r}")
    return value.rstrip("/")


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def _database_url(value: str) -> str:
    if value.startswith("postgres://"):  # the form many hosts hand out
        value = "postgresql://" + value[len("postgres://") :]
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL: {value.split('@')[-1]!r}") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError("DATABASE_URL must be sqlite:///… or postgresql+psycopg://…")
    if url.drivername in ("postgresql", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: Secret
    line_channel_secret: Secret | None = None
    line_channel_access_token: Secret | None = None
    line_api_base_url: str = LINE_API
    line_data_api_base_url: str = LINE_DATA_API
    public_base_url: str = "http://127.0.0.1:8000"
    sandbox: bool = False
    scheduler: bool = False
    moc_prices_enabled: bool = False
    moc_api_base_url: str = "https://dataapi.moc.go.th"

    @property
    def image_base_url(self) -> str:
        """Where LINE can fetch the bot's images (charts): PUBLIC_BASE_URL when it is https, as LINE requires,
        or in the sandbox, whose chat page shows them; otherwise none, and charts go as their text only."""
        return self.public_base_url if self.sandbox or self.public_base_url.startswith("https://") else ""

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "database_url")
        return f"Settings({shown})"

    @classmethod
    def load(cls, source: Mapping[str, Any] | None = None) -> Settings:
        """Read settings from `source` (a mapping of environment-style names) or the environment."""
        env: Mapping[str, Any] = os.environ if source is None else source

        def get(name: str, default: str = "") -> str:
            value = env.get(name)
            return default if value is None else str(value).strip()

        sandbox = _flag("COOPBOT_SANDBOX", get("COOPBOT_SANDBOX", "0"))
        secret_key = get("SECRET_KEY")
        if not secret_key:
            if not sandbox:
                raise ConfigError("SECRET_KEY is not set: set it to a long random string")
            secret_key = "sandbox-only-secret-key"
        default_db = f"sqlite:///{(INSTANCE / 'coopbot.sqlite3').resolve()}"
        public = _url("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"))
        # The sandbox answers as LINE does from inside the app, so it needs no LINE account.
        api_default = f"{public}/sandbox/line" if sandbox else LINE_API
        api = _url("LINE_API_BASE_URL", get("LINE_API_BASE_URL", api_default))
        data_api_default = LINE_DATA_API if api == LINE_API else api
        channel_secret = get("LINE_CHANNEL_SECRET", SANDBOX_SECRET if sandbox else "")
        token = get("LINE_CHANNEL_ACCESS_TOKEN", SANDBOX_TOKEN if sandbox else "")
        return cls(
            database_url=_database_url(get("DATABASE_URL") or default_db),
            secret_key=Secret(secret_key),
            line_channel_secret=Secret(channel_secret) if channel_secret else None,
            line_channel_access_token=Secret(token) if token else None,
            line_api_base_url=api,
            line_data_api_base_url=_url("LINE_DATA_API_BASE_URL", get("LINE_DATA_API_BASE_URL", data_api_default)),
            public_base_url=public,
            sandbox=sandbox,
            scheduler=_flag("COOPBOT_SCHEDULER", get("COOPBOT_SCHEDULER", "0")),
            moc_prices_enabled=_flag("MOC_PRICES_ENABLED", get("MOC_PRICES_ENABLED", "0")),
            moc_api_base_url=_url("MOC_API_BASE_URL", get("MOC_API_BASE_URL", "https://dataapi.moc.go.th")),
        )
