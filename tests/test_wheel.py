"""The package is the product: the wheel, installed apart from the checkout, runs from any folder.

The wheel is built from a copy of the working tree (so parallel runs never share a build folder) without
build isolation (nothing downloaded), installed without its dependencies into a fresh virtual environment,
which sees the project's dependencies through a `.pth` file. Then, from an empty folder, a deployer's
steps: release, seed, gunicorn, a member's message through LINE's signed webhook, the admin page, the rich
menu.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.i18n import catalog_path, translator
from bot.sandbox.line_api import LineWorld
from bot.sandbox.phone import text_event
from tests.support import CHANNEL_SECRET, CHANNEL_TOKEN, sign

pytestmark = pytest.mark.timeout(240)  # a build and a server on a shared two-core machine; it takes ~20 s

ROOT = Path(__file__).resolve().parent.parent
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "instance", "build", "dist", "*.egg-info", "__pycache__",
                                     ".*_cache", ".hypothesis", "*.mo", "tests", "bench")
THAI = re.compile("[\u0e00-\u0e7f]")
STEP = 120  # seconds any one command may take


@dataclass
class Deployment:
    source: Path  # the copy of the working tree the wheel was built from
    wheel: Path
    bin: Path
    folder: Path  # the working folder: neither the checkout nor the environment
    env: dict[str, str]

    def run(self, *args: object) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        done = subprocess.run(command, cwd=self.folder, env=self.env, capture_output=True, text=True, timeout=STEP)
        assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done


def _check(*args: object) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=STEP)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory, line_api_url: str) -> Deployment:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_SHIPPED)
    _check(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
           "--wheel-dir", work / "dist", source)
    (wheel,) = (work / "dist").glob("coopbot-*.whl")
    venv = work / "venv"
    _check(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _check(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    # The dependencies come from the project's environment; only its site-packages, not its editable finder,
    # whose .pth is not read from a directory that a .pth line adds.
    site = Path(_check(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "coopbot-dependencies.pth").write_text("".join(f"{path}\n" for path in ours))
    folder = work / "elsewhere"
    folder.mkdir()
    kept = {k: v for k, v in os.environ.items()
            if not k.startswith(("COOPBOT_", "LINE_", "PYTHON", "DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL"))}
    env = {
        **kept,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHAINLP_OFFLINE": "1",
        "PYTHAINLP_READ_ONLY": "1",
        "DATABASE_URL": f"sqlite:///{work / 'coopbot.sqlite3'}",
        "SECRET_KEY": "wheel-test-secret-key",
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN,
        "LINE_API_BASE_URL": line_api_url,
        "PUBLIC_BASE_URL": "https://bot.test",
    }
    deployment = Deployment(source, wheel, venv / "bin", folder, env)
    deployment.run(deployment.bin / "coopbot", "db", "upgrade")
    deployment.run(deployment.bin / "coopbot", "seed", "--demo")
    return deployment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def web(deployed: Deployment) -> Iterator[str]:
    """gunicorn serving `bot:create_app()` from the installed package; yields its base URL."""
    port = _free_port()
    log = deployed.folder / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(deployed.bin / "python"), "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "bot:create_app()"],
            cwd=deployed.folder, env=deployed.env, stdout=output, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{url}/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, f"gunicorn exited {server.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer within a minute:\n{log.read_text()}"
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def test_the_package_reads_the_catalogs_translators_edit() -> None:
    """bot/locales is a link to locales/ (where `make extract` and translators work), never a second copy."""
    link = ROOT / "bot" / "locales"
    assert link.is_symlink() and link.resolve() == (ROOT / "locales").resolve()
    assert catalog_path("th").resolve() == (ROOT / "locales" / "th" / "LC_MESSAGES" / "messages.po").resolve()


def test_the_installed_package_runs_not_the_checkout(deployed: Deployment) -> None:
    found = deployed.run(deployed.bin / "python", "-c", "import bot, bot.i18n; print(bot.__file__); "
                         "print(bot.i18n.catalog_path('th'))").stdout.split()
    venv = deployed.bin.parent.resolve()
    for path in found:
        assert Path(path).resolve().is_relative_to(venv), f"{path} is not inside {venv}"
        assert Path(path).exists()


def test_the_wheel_carries_every_file_of_the_packages(deployed: Deployment) -> None:
    """Templates, static files, migrations, data and the catalogs (through the bot/locales link) alike."""
    with zipfile.ZipFile(deployed.wheel) as wheel:
        carried = set(wheel.namelist())
    left_out = []
    for package in ("bot", "handlers", "models"):
        for folder, _dirs, files in os.walk(deployed.source / package, followlinks=True):
            for name in files:
                path = (Path(folder) / name).relative_to(deployed.source).as_posix()
                if not name.startswith(".") and not name.endswith((".pyc", ".pot")) and path not in carried:
                    left_out.append(path)
    assert left_out == []
    assert "bot/locales/th/LC_MESSAGES/messages.po" in carried


def test_a_member_says_hello_and_is_answered_in_thai(web: str, line_world: LineWorld) -> None:
    event = text_event("U" + "7" * 32, "สวัสดี")
    body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    request = urllib.request.Request(f"{web}/callback", data=body, method="POST", headers={
        "Content-Type": "application/json", "x-line-signature": sign(body, CHANNEL_SECRET)})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    deadline = time.monotonic() + 30
    while not (replies := [r for r in line_world.sent("/v2/bot/message/reply")
                           if r.json and r.json.get("replyToken") == event["replyToken"]]):
        assert time.monotonic() < deadline, "no reply reached the local LINE API within 30 s"
        time.sleep(0.2)
    (answer,) = replies
    assert answer.accepted, answer.response
    said = "\n".join(m.get("text") or m.get("altText") or "" for m in answer.json["messages"])
    assert THAI.search(said), said
    assert translator("th")("Sorry, something went wrong on our side. Please try again in a moment.") not in said


def test_the_admin_page_asks_to_sign_in(web: str) -> None:
    status, page = _get(f"{web}/admin/")
    assert status == 401, page.decode(errors="replace")[:500]
    assert THAI.search(page.decode()), "the signed-out page is not in Thai"


def test_the_rich_menu_deploys(deployed: Deployment, line_world: LineWorld) -> None:
    done = deployed.run(deployed.bin / "coopbot", "richmenu", "deploy")
    assert line_world.default_rich_menu and line_world.default_rich_menu in done.stdout
