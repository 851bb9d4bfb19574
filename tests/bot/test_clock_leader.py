"""Two clocks on one PostgreSQL never both run the jobs: the one holding the advisory lock leads, the other waits
and takes over when the leader stops, dies, or loses the connection that holds the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.jobs import leader

POLL = 0.1


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    if not database_url.startswith("postgresql"):
        pytest.skip("the clocks' advisory lock is PostgreSQL's; on SQLite (one machine) one clock just runs")
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


class Clocks:
    """Clocks in threads; each records when it starts and stops its jobs, and none may start while another runs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.running: set[str] = set()
        self.starts: list[str] = []
        self.overlaps: list[set[str]] = []
        self.stopping: dict[str, threading.Event] = {}
        self.threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> None:
        def jobs_started() -> str:
            with self._lock:
                if self.running:
                    self.overlaps.append({*self.running, name})
                self.running.add(name)
                self.starts.append(name)
            return name

        def jobs_stopped(handle: str) -> None:
            with self._lock:
                self.running.discard(handle)

        self.stopping[name] = threading.Event()
        self.threads[name] = threading.Thread(
            target=leader.lead, args=(self.engine, jobs_started, jobs_stopped),
            kwargs={"stopping": self.stopping[name], "poll": POLL}, daemon=True)
        self.threads[name].start()

    def stop(self, name: str) -> None:
        self.stopping[name].set()
        self.threads[name].join(timeout=10)
        assert not self.threads[name].is_alive()

    def wait_for(self, condition: Callable[[], bool], seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"running {self.running}, starts {self.starts}"
            time.sleep(0.02)


def _lock_holder(engine: Engine) -> int | None:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = :low AND classid = "
                 ":high"), {"low": leader.LOCK_KEY & 0xFFFF_FFFF, "high": leader.LOCK_KEY >> 32}).scalar()


def test_one_of_two_clocks_leads_and_the_other_takes_over_when_it_stops(engine: Engine) -> None:
    clocks = Clocks(engine)
    clocks.start("a")
    clocks.wait_for(lambda: clocks.running == {"a"})
    clocks.start("b")
    time.sleep(20 * POLL)  # b asks many times meanwhile
    assert clocks.running == {"a"} and clocks.starts == ["a"]
    clocks.stop("a")
    clocks.wait_for(lambda: clocks.running == {"b"})
    clocks.stop("b")
    assert clocks.overlaps == [] and clocks.starts == ["a", "b"] and _lock_holder(engine) is None


def test_a_leader_whose_lock_connection_is_cut_stops_its_jobs(engine: Engine) -> None:
    clocks = Clocks(engine)
    clocks.start("a")
    clocks.wait_for(lambda: clocks.running == {"a"})
    clocks.start("b")
    holder = _lock_holder(engine)
    assert holder is not None
    with engine.connect() as connection:  # as a database restart or a cut network would
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": holder}).scalar()
    clocks.wait_for(lambda: len(clocks.starts) == 2 and len(clocks.running) == 1)  # a again, or b
    (now,) = clocks.running
    other = "b" if now == "a" else "a"
    time.sleep(20 * POLL)
    assert clocks.running == {now}, "the clock without the lock must wait while the other leads"
    clocks.stop(now)
    clocks.wait_for(lambda: clocks.running == {other})
    clocks.stop(other)
    assert clocks.overlaps == [] and len(clocks.starts) == 3


def test_two_coopbot_clock_processes(engine: Engine, database_url: str, tmp_path: Path) -> None:
    """As deployed: the second `coopbot clock` waits, and leads once the first is killed outright."""
    env = {**os.environ, "DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
           "SECRET_KEY": "k"}

    def clock(name: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "bot", "clock"], cwd=tmp_path, env=env, text=True,
                                stdout=subprocess.DEVNULL, stderr=(tmp_path / name).open("w"))

    def said(name: str, words: str, seconds: float = 30) -> None:
        _said(tmp_path / name, words, seconds)

    first = clock("first")
    second = None
    try:
        said("first", "clock: leading")
        second = clock("second")
        said("second", "another clock leads; waiting")
        assert "clock: leading" not in (tmp_path / "second").read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        said("second", "clock: leading", seconds=leader.POLL_SECONDS * 3)
        said("second", "jobs scheduled", seconds=10)  # logged once its scheduler has started, a moment after
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_a_web_process_with_the_scheduler_on_waits_for_the_clock_and_serves(
        engine: Engine, database_url: str, tmp_path: Path) -> None:
    """`coopbot serve` with COOPBOT_SCHEDULER=1 on PostgreSQL: it answers at once, and its clock only leads when
    no `coopbot clock` does."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
           "SECRET_KEY": "k", "COOPBOT_SCHEDULER": "1"}
    clock = subprocess.Popen([sys.executable, "-m", "bot", "clock"], cwd=tmp_path, env=env, text=True,
                             stdout=subprocess.DEVNULL, stderr=(tmp_path / "clock").open("w"))
    web = None
    try:
        _said(tmp_path / "clock", "clock: leading")
        web = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=tmp_path, env=env, text=True, stdout=subprocess.DEVNULL,
                               stderr=(tmp_path / "web").open("w"))
        _said(tmp_path / "web", "another clock leads; waiting")
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "web").read_text()
                time.sleep(0.2)
        clock.send_signal(signal.SIGKILL)
        clock.wait(timeout=10)
        _said(tmp_path / "web", "clock: leading", seconds=leader.POLL_SECONDS * 3)
    finally:
        for process in (clock, web):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def _said(log: Path, words: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while words not in log.read_text():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
