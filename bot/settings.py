"""Typed settings, read once from the environment (or a dict in tests), failing fast.

Secrets are wrapped in `Secret` so that they never show up in logs, reprs or tracebacks. SECRET_KEY is not
demanded here: only what signs or encrypts needs it (the web app's sessions, the channel secret stored
from the admin page), and those parts ask with `Settings.require_secret_key`, so that read-only commands
run without it. There is no default key: the sandbox makes a random one, kept in `instance/secret_key`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
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
KEY_FILE = "secret_key"
# Names that never resolve on the public internet (RFC 2606, RFC 6761): https on them is still a test.
RESERVED_SUFFIXES = (".test", ".localhost", ".invalid", ".example")


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


def _count(name: str, value: str, most: int) -> int:
    if not value.isdigit() or int(value) > most:
        raise ConfigError(f"{name} must be a whole number from 0 to {most}, not {value!r}")
    return int(value)


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def public_deployment(public_base_url: str) -> bool:
    """An https address on a name the internet can reach: the sandbox must never run there."""
    parts = urlsplit(public_base_url)
    host = parts.hostname or ""
    if parts.scheme != "https" or host == "localhost" or host.endswith(RESERVED_SUFFIXES):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


SANDBOX_REFUSED = "COOPBOT_SANDBOX=1 is for a local machine, not a public https address ({url}): unset COOPBOT_SANDBOX"


def _sandbox_key(instance: Path) -> str:
    """The sandbox's own random key, made once and kept (mode 0600) so that restarts keep sessions."""
    path = instance / KEY_FILE
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic: of two processes starting at once, one key wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigError(f"{path} holds no usable key: delete it and start again")
    return key


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
    secret_key: Secret = field(default_factory=lambda: Secret(""))  # empty when not set: see require_secret_key
    line_channel_secret: Secret | None = None
    line_channel_access_token: Secret | None = None
    line_api_base_url: str = LINE_API
    line_data_api_base_url: str = LINE_DATA_API
    public_base_url: str = "http://127.0.0.1:8000"
    public_base_url_set: bool = False  # PUBLIC_BASE_URL was given, not the default
    instance: Path = INSTANCE  # where the default database, the sandbox's key and `serve`'s address live
    sandbox: bool = False
    scheduler: bool = False
    moc_prices_enabled: bool = False
    moc_api_base_url: str = "https://dataapi.moc.go.th"
    reply_senders: int = 32  # replies a process sends at once, after the webhook has answered; 0: in it

    @property
    def image_base_url(self) -> str:
        """Where LINE can fetch the bot's images (charts): PUBLIC_BASE_URL when it is https, as LINE requires,
        or in the sandbox, whose chat page shows them; otherwise none, and charts go as their text only."""
        return self.public_base_url if self.sandbox or self.public_base_url.startswith("https://") else ""

    def require_secret_key(self, purpose: str = "set it to a long random string") -> str:
        """The key, for what signs or encrypts; one clear line naming what needs it when it is not set."""
        if not self.secret_key:
            raise ConfigError(f"SECRET_KEY is not set: {purpose}")
        return str(self.secret_key)

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
        instance = INSTANCE.resolve()
        default_db = f"sqlite:///{instance / 'coopbot.sqlite3'}"
        public = _url("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"))
        if sandbox and public_deployment(public):
            raise ConfigError(SANDBOX_REFUSED.format(url=public))
        secret_key = get("SECRET_KEY") or (_sandbox_key(instance) if sandbox else "")
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
            public_base_url_set=bool(get("PUBLIC_BASE_URL")),
            instance=instance,
            sandbox=sandbox,
            scheduler=_flag("COOPBOT_SCHEDULER", get("COOPBOT_SCHEDULER", "0")),
            moc_prices_enabled=_flag("MOC_PRICES_ENABLED", get("MOC_PRICES_ENABLED", "0")),
            moc_api_base_url=_url("MOC_API_BASE_URL", get("MOC_API_BASE_URL", "https://dataapi.moc.go.th")),
            reply_senders=_count("COOPBOT_REPLY_SENDERS", get("COOPBOT_REPLY_SENDERS", "32"), 256),
        )
