"""Settings are read once, fail fast with one clear line, and never show secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import create_app
from bot.settings import ConfigError, Settings


def test_missing_secret_key_stops_start_up(tmp_path: Path) -> None:
    """The web app does not start without it; settings load (read-only commands need no key) but say so."""
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'coopbot.sqlite3'}"})
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        Settings.load({}).require_secret_key()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LINE_API_BASE_URL", "api.line.me", "LINE_API_BASE_URL must be an http"),
        ("PUBLIC_BASE_URL", "ftp://example.org", "PUBLIC_BASE_URL must be an http"),
        ("DATABASE_URL", "not a url", "DATABASE_URL is not a database URL"),
        ("DATABASE_URL", "mysql://localhost/x", "DATABASE_URL must be sqlite"),
        ("COOPBOT_SANDBOX", "maybe", "COOPBOT_SANDBOX must be true or false"),
    ],
)
def test_malformed_settings_are_named(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load({"SECRET_KEY": "k", name: value})


def test_secrets_never_show_in_repr() -> None:
    settings = Settings.load(
        {"SECRET_KEY": "top-secret-key", "LINE_CHANNEL_SECRET": "chan-secret", "LINE_CHANNEL_ACCESS_TOKEN": "tok-123",
         "DATABASE_URL": "postgresql://bot:db-password@db/coop"}
    )
    shown = repr(settings) + str(settings)
    for secret in ("top-secret-key", "chan-secret", "tok-123", "db-password"):
        assert secret not in shown
    assert settings.database_url.startswith("postgresql+psycopg://")


def test_the_sandbox_needs_no_line_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the sandbox keeps its own key under instance/
    settings = Settings.load({"COOPBOT_SANDBOX": "1", "PUBLIC_BASE_URL": "http://127.0.0.1:9000"})
    assert settings.line_api_base_url == "http://127.0.0.1:9000/sandbox/line"
    assert settings.line_channel_secret and settings.line_channel_access_token


def test_cli_prints_one_clear_line_for_a_missing_setting(tmp_path: os.PathLike[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "COOPBOT_SANDBOX")}
    env["PUBLIC_BASE_URL"] = "https://coop.example.org"  # (an http one adds a warning about images)
    result = subprocess.run(  # serving is what needs it: `db upgrade` and other read-only commands do not
        [sys.executable, "-m", "bot", "serve", "--port", "0"], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "coopbot: SECRET_KEY is not set: set it to a long random string"
