"""How long `coopbot` takes to start and answer, each command in a fresh interpreter as an operator runs it.

Goal: under a second for the commands that do not read Thai (tests/bot/test_cli_startup.py holds the structure
that makes it so: such a command loads neither the LINE SDK, the handlers, pythainlp nor scikit-learn).
`parse` reads Thai, and is shown for contrast. Runs on a throwaway SQLite file; stops by itself.
  .venv/bin/python bench/cli.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.0
COMMANDS = [["--help"], ["centers"], ["rounds", "list"], ["announcements", "list"], ["orders", "--help"],
            ["parse", "ราคายางวันนี้"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/cli.sqlite3", "PYTHONPATH": str(ROOT),
               "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}
        for setup in (["db", "upgrade"], ["seed"]):
            subprocess.run([sys.executable, "-m", "bot", *setup], env=env, cwd=tmp, check=True, capture_output=True)
        print(f"coopbot start-up, median of {args.repeat} fresh runs ({os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f})")
        for command in COMMANDS:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "bot", *command], env=env, cwd=tmp, check=True,
                               capture_output=True)
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            reads_thai = command[0] == "parse"
            verdict = "(reads Thai)" if reads_thai else ("OK" if median < GOAL else "MISSED")
            print(f"  coopbot {' '.join(command):24} {median:5.2f} s   goal < {GOAL:.0f} s {verdict}")


if __name__ == "__main__":
    main()
