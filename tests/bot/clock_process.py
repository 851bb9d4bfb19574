"""The clock's sending jobs in a process of their own, for tests that kill it (SIGKILL) and start it again.

`python -m tests.bot.clock_process SECONDS` builds the app from the environment as `coopbot clock` does and runs
the clock's own jobs (bot.jobs.scheduler.JOBS, wrapped as the scheduler wraps them) that send: announcements
and the outbox. It ticks every tenth of a second instead of every 15 or 30 seconds, waits 0.5 s instead of 30 s
after LINE's rate limit, gives up on a call after 1 s instead of 10, and holds the outbox's lease for 3 s
instead of a minute; the code that sends is the clock's. It stops by itself after SECONDS.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from bot import create_app
from bot.jobs.scheduler import JOBS, _guarded

SENDING = ("send-announcements", "deliver-outbox")
TICK = 0.1


def main(seconds: float) -> None:
    app = create_app(serving=False)
    outbox = app.extensions["outbox"]
    outbox.backoff, outbox.pause, outbox.lease = 0.05, timedelta(seconds=0.5), timedelta(seconds=3)
    app.extensions["line"].timeout = (3.05, 1.0)
    jobs = [_guarded(job, app) for job in JOBS if job.id in SENDING]
    print("clock started", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for job in jobs:
            job()
        time.sleep(TICK)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0)
