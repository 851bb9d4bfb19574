"""APScheduler jobs: one clock process in production, or in-process for the embedded default.

Each job opens its own session and transaction; jobs are plain functions of the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from bot.importers import moc
from bot.jobs import leader, price_alerts
from bot.jobs import rounds as round_jobs
from bot.jobs.announcements import send_due
from models.base import BANGKOK
from models.conversation import purge_expired

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[Flask], Any]
    trigger: str
    options: dict[str, Any] = field(default_factory=dict)


def deliver_outbox(app: Flask) -> None:
    """Send pushes that are due: held ones whose time has come, and any a job left (after a crash)."""
    app.extensions["outbox"].drain()


def forget_unanswered_questions(app: Flask) -> None:
    with app.extensions["sessions"]() as db, db.begin():
        purge_expired(db, datetime.now(UTC))


JOBS: list[Job] = [
    Job("deliver-outbox", deliver_outbox, "interval", {"seconds": 15}),
    Job("forget-unanswered-questions", forget_unanswered_questions, "interval", {"minutes": 10}),
    Job("send-announcements", send_due, "interval", {"seconds": 30}),
    Job("rounds", round_jobs.tick, "interval", {"seconds": 60}),
    # Fired price alerts are queued and sent within seconds of the post that fired them.
    Job("price-alerts", price_alerts.deliver, "interval", {"seconds": 15}),
    # The Ministry's rubber prices for the day are out by late morning, or later: only a price dated today
    # fires alerts, so the job looks again in the afternoon (a price already stored fires nothing twice).
    # A no-op unless enabled.
    Job("moc-prices", moc.daily, "cron", {"hour": "11,14,17", "minute": 0}),
]


def _configure(scheduler: BackgroundScheduler | BlockingScheduler, app: Flask) -> None:
    # Every run of every job at INFO would bury what matters; failures are logged by _guarded.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    for job in JOBS:
        scheduler.add_job(
            _guarded(job, app), job.trigger, id=job.id, name=job.id, coalesce=True, max_instances=1,
            replace_existing=True,
            **job.options,
        )


def _guarded(job: Job, app: Flask) -> Callable[[], None]:
    def run() -> None:
        try:
            job.func(app)
        except Exception:
            log.exception("job %s failed", job.id)

    return run


def start_background(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=BANGKOK)
    _configure(scheduler, app)
    scheduler.start()
    return scheduler


def run_blocking(app: Flask, stopping: threading.Event | None = None, poll: float = leader.POLL_SECONDS) -> None:
    """The clock. On PostgreSQL it runs the jobs only while it leads (bot.jobs.leader), so that two clocks
    started by mistake, or one started while the old one has not yet died, never both send; on SQLite (one
    machine) it just runs them."""
    engine = app.extensions["engine"]
    if engine.dialect.name == "postgresql" or stopping is not None:
        leader.lead(engine, lambda: _started(app), _stopped, stopping=stopping, poll=poll)
        return
    scheduler = BlockingScheduler(timezone=BANGKOK)
    _configure(scheduler, app)
    log.info("clock: %d jobs scheduled", len(JOBS))
    scheduler.start()


def _started(app: Flask) -> BackgroundScheduler:
    scheduler = start_background(app)
    log.info("clock: %d jobs scheduled", len(JOBS))
    return scheduler


def _stopped(scheduler: BackgroundScheduler) -> None:
    # Not waiting for a job under way: it cannot be cut short, and what it sends goes through the outbox, which
    # has one sender at a time across processes (models.outbox's lease), so nothing goes out twice.
    scheduler.shutdown(wait=False)
    log.info("clock: jobs stopped")
