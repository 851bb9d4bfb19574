"""The command line starts fast for what does not read Thai or reach LINE: such a command never loads the LINE
SDK, the handlers, pythainlp or scikit-learn (together two to three seconds of imports). Structural, not timed:
the commands run as an operator runs them, in a fresh interpreter, which then says what it had loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

HEAVY = ("linebot", "pythainlp", "sklearn", "handlers", "bot.routes", "bot.dispatch", "openpyxl", "matplotlib")

# Runs `coopbot ARGS…` through its real entry point, then prints the heavy modules it loaded on standard error.
PROBE = """
import atexit, json, sys
heavy = {heavy!r}
def said():
    loaded = sorted({{m.split(".")[0] if not m.startswith("bot.") else m for m in sys.modules
                     if any(m == h or m.startswith(h + ".") for h in heavy)}})
    print("LOADED " + json.dumps(loaded), file=sys.stderr)
atexit.register(said)
sys.argv = ["coopbot", *sys.argv[1:]]
from bot.cli import main
main()
"""


def _run(database_url: str, folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], cwd=folder, capture_output=True, text=True,
        timeout=120, env={**_environment(), "DATABASE_URL": database_url},
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("LOADED ")]
    assert lines, result.stderr
    return result, json.loads(lines[-1].removeprefix("LOADED "))


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SECRET_KEY"))}


@pytest.mark.parametrize("args", [["--help"], ["centers"], ["rounds", "list"], ["announcements", "list"],
                                  ["orders", "--help"], ["prices", "--help"], ["richmenu", "--help"],
                                  ["members", "role", "Unobody", "member"]])
def test_commands_that_do_not_read_thai_load_no_sdk_handlers_or_nlu(
        seeded: Flask, database_url: str, tmp_path: Path, args: list[str]) -> None:
    result, loaded = _run(database_url, tmp_path, *args)
    assert loaded == [], f"coopbot {' '.join(args)} loaded {loaded}"
    if args == ["centers"]:
        assert "PROV-RUBBER" in result.stdout, result.stderr  # it did run, and read the database
    elif args == ["members", "role", "Unobody", "member"]:
        assert result.returncode == 1 and "no member with LINE user id Unobody" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
    if args == ["--help"]:
        for command in ("announce", "centers", "orders", "parse", "prices", "richmenu", "rounds", "serve"):
            assert f"  {command} " in result.stdout, result.stdout


def test_the_probe_sees_what_a_command_loads(seeded: Flask, database_url: str, tmp_path: Path) -> None:
    """The same probe on a command that does read Thai: it reports pythainlp, so its silence above means
    something."""
    result, loaded = _run(database_url, tmp_path, "parse", "ราคายางวันนี้")
    assert result.returncode == 0, result.stderr
    assert "pythainlp" in loaded and '"intent": "price.today"' in result.stdout
