"""SECRET_KEY: no build has a default; the sandbox makes its own and never runs on a public https address;
only what signs or encrypts needs the key; `coopbot admin link` prints where `coopbot serve` really is."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot import create_app, migrate, seed
from bot.cli import cli
from bot.settings import ConfigError
from tests.support import registered

KEYLESS = {"SECRET_KEY": None, "COOPBOT_SANDBOX": None, "PUBLIC_BASE_URL": None, "LINE_CHANNEL_SECRET": None,
           "LINE_CHANNEL_ACCESS_TOKEN": None}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working folder: its instance/ holds the default database, the sandbox key, serve's address."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def network(folder: Path) -> Iterator[str]:
    """A migrated, seeded SQLite database with an admin, Uadmin; yields its URL."""
    url = f"sqlite:///{folder / 'coop.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "set-up-only", "PUBLIC_BASE_URL": "https://bot.test"})
    migrate.upgrade(app.extensions["engine"])
    with app.extensions["sessions"]() as session, session.begin():
        seed.network(session)
    registered(app, "Uadmin", role="admin")
    app.extensions["engine"].dispose()
    yield url


def _coopbot(*args: str, **env: str | None) -> Result:
    return CliRunner().invoke(cli, list(args), env={**KEYLESS, **env}, catch_exceptions=False)


def test_two_sandboxes_never_share_a_key(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = []
    for name in ("one", "two", "one"):
        (folder / name).mkdir(exist_ok=True)
        monkeypatch.chdir(folder / name)
        app = create_app({"COOPBOT_SANDBOX": "1"})
        app.extensions["engine"].dispose()
        key_file = folder / name / "instance" / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert app.config["SECRET_KEY"] == key_file.read_text().strip()
        keys.append(app.config["SECRET_KEY"])
    assert keys[0] != keys[1]  # each sandbox its own random key
    assert keys[0] == keys[2]  # and a restart (`make run` again) keeps it, so sessions survive
    assert len(keys[0]) >= 32 and "sandbox-only" not in keys[0]


def test_a_sandbox_key_file_others_could_read_is_closed(folder: Path) -> None:
    (folder / "instance").mkdir()
    (folder / "instance" / "secret_key").write_text("k" * 64)
    (folder / "instance" / "secret_key").chmod(0o644)
    app = create_app({"COOPBOT_SANDBOX": "1"})
    app.extensions["engine"].dispose()
    assert app.config["SECRET_KEY"] == "k" * 64
    assert stat.S_IMODE((folder / "instance" / "secret_key").stat().st_mode) == 0o600


def test_the_sandbox_never_runs_on_a_public_https_address(folder: Path) -> None:
    with pytest.raises(ConfigError, match="COOPBOT_SANDBOX=1 is for a local machine"):
        create_app({"COOPBOT_SANDBOX": "1", "SECRET_KEY": "k", "PUBLIC_BASE_URL": "https://coop.example.org"})
    result = _coopbot("centers", COOPBOT_SANDBOX="1", PUBLIC_BASE_URL="https://coop.example.org")
    assert result.exit_code == 2
    assert result.stderr == ("coopbot: COOPBOT_SANDBOX=1 is for a local machine, not a public https address "
                             "(https://coop.example.org): unset COOPBOT_SANDBOX\n")
    assert not (folder / "instance" / "secret_key").exists()  # refused before making a key
    for local in ("http://127.0.0.1:8000", "https://localhost:8443", "https://bot.test"):  # names no one can reach
        create_app({"COOPBOT_SANDBOX": "1", "PUBLIC_BASE_URL": local}).extensions["engine"].dispose()


def test_centers_runs_without_a_secret_key(network: str, folder: Path) -> None:
    """As an operator runs it: a fresh process, no SECRET_KEY anywhere in its environment."""
    env = {k: v for k, v in os.environ.items() if k not in KEYLESS}
    result = subprocess.run([sys.executable, "-m", "bot", "centers"], env={**env, "DATABASE_URL": network},
                            cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^PROV-RUBBER\s+province\s+ชุมนุมสหกรณ์การยาง", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("command", [["db", "upgrade"], ["seed"], ["rounds", "list"], ["parse", "ราคายาง"],
                                     ["admin", "link", "Uadmin"]])
def test_read_only_commands_need_no_secret_key(network: str, command: list[str]) -> None:
    result = _coopbot(*command, DATABASE_URL=network)
    assert result.exit_code == 0, result.output


def test_a_stored_channel_token_needs_the_key_and_says_so(network: str) -> None:
    app = create_app({"DATABASE_URL": network, "SECRET_KEY": "the-real-key", "PUBLIC_BASE_URL": "https://bot.test"})
    with app.extensions["sessions"]() as session, session.begin():
        app.extensions["channel"].store(session, "line_channel_access_token", "stored-token")
    app.extensions["engine"].dispose()
    result = _coopbot("clock", DATABASE_URL=network)
    assert result.exit_code == 2
    assert result.stderr == ("coopbot: SECRET_KEY is not set: it encrypts the channel secret and token the admin "
                             "page stores\n")


def test_admin_link_starts_with_public_base_url_when_it_is_set(network: str) -> None:
    result = _coopbot("admin", "link", "Uadmin", DATABASE_URL=network, PUBLIC_BASE_URL="https://coop.example.org")
    assert result.exit_code == 0
    assert re.fullmatch(r"https://coop\.example\.org/admin/login#[\w-]{40,}\n", result.stdout)


def test_admin_link_points_at_the_port_serve_really_serves_on(network: str, folder: Path) -> None:
    """`coopbot serve` on a port of its own choosing; the link `admin link` prints signs in there, and the
    server's own access log never shows the token."""
    env = {k: v for k, v in os.environ.items() if k not in KEYLESS}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", "0"], cwd=folder, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
        env={**env, "DATABASE_URL": network, "SECRET_KEY": "serve-key"},
    )
    try:
        recorded = folder / "instance" / "served_url"
        deadline = time.monotonic() + 60
        while not recorded.exists():
            assert server.poll() is None, server.stdout.read() if server.stdout else "serve exited"
            assert time.monotonic() < deadline, "serve did not start within a minute"
            time.sleep(0.2)
        base = recorded.read_text().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base) and not base.endswith(":8000")

        link = _coopbot("admin", "link", "Uadmin", DATABASE_URL=network).stdout.strip()
        assert link.startswith(f"{base}/admin/login#")
        token = link.partition("#")[2]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(link, timeout=10) as page:
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.read().decode())
        assert csrf
        form = urllib.parse.urlencode({"csrf_token": csrf.group(1), "token": token}).encode()
        with opener.open(f"{base}/admin/login", data=form, timeout=10) as signed_in:
            assert signed_in.url == f"{base}/admin/" and "ออกจากระบบ" in signed_in.read().decode()
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert "POST /admin/login HTTP/1.1" in log and "GET /admin/login HTTP/1.1" in log
    assert token not in log
