"""The Procfile's processes start as written: release migrates, web serves /healthz under gunicorn."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _processes() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'procfile.sqlite3'}",
        "SECRET_KEY": "procfile-test",
        "LINE_CHANNEL_SECRET": "s",
        "LINE_CHANNEL_ACCESS_TOKEN": "t",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_procfile_names_web_clock_and_release() -> None:
    assert set(_processes()) == {"web", "clock", "release"}


def test_release_then_web(tmp_path: Path) -> None:
    port = _free_port()
    env = _env(tmp_path, port)
    release = subprocess.run(["bash", "-c", _processes()["release"]], env=env, capture_output=True, text=True,
                             timeout=120)
    assert release.returncode == 0, release.stderr
    web_command = _processes()["web"].replace("0.0.0.0", "127.0.0.1")
    web = subprocess.Popen(["bash", "-c", "exec " + web_command], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    assert b'"database":true' in response.read().replace(b" ", b"")
                    break
            except OSError:
                assert web.poll() is None, web.stderr.read().decode() if web.stderr else "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
                time.sleep(0.3)
    finally:
        web.terminate()
        web.wait(10)
    assert shlex.split(_processes()["clock"]) == ["coopbot", "clock"]
