"""The clock schedules every job once, by name, and a failing job does not stop the others."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from bot.jobs import scheduler


def test_every_job_is_scheduled_once_by_its_id(app: Flask) -> None:
    clock = scheduler.start_background(app)
    try:
        scheduled = sorted(job.id for job in clock.get_jobs())
        assert scheduled == sorted(job.id for job in scheduler.JOBS)
        assert len(set(scheduled)) == len(scheduled)
        assert {job.name for job in clock.get_jobs()} == set(scheduled)
    finally:
        clock.shutdown(wait=False)


def test_a_failing_job_is_logged_and_contained(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    def broken(_app: Flask) -> None:
        raise RuntimeError("boom")

    run = scheduler._guarded(scheduler.Job("broken", broken, "interval", {"seconds": 1}), app)
    with caplog.at_level(logging.ERROR):
        run()
    assert "job broken failed" in caplog.text
