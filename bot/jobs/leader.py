"""One clock sends, however many are started: on PostgreSQL a clock runs its jobs only while it holds a session
advisory lock, taken with `pg_try_advisory_lock` on a connection of its own. Another clock waits, trying again
every few seconds, and takes over when the first stops or dies (PostgreSQL frees a session's locks when its
connection ends). A leader checks its connection as often; if it is gone (the database restarted, the
connection was cut), the lock may be another clock's already, so it stops its jobs at once and waits again. A
clock that has just taken the lock lets two checks go by before it starts, so that a leader cut off a moment
earlier has noticed and stopped.

On SQLite (one machine, the embedded default) there is nothing to share: the clock just runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

LOCK_KEY = 0x636F_6F70_626F_7401  # "coopbot" and 1: the one lock every clock of this database asks for
POLL_SECONDS = 5.0
# The lock's connection notices a dead peer within about half a minute even where no packet comes back.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
              "connect_timeout": 10}


def lead(engine: Engine, start: Callable[[], Any], stop_jobs: Callable[[Any], None], *,
         stopping: threading.Event | None = None, poll: float = POLL_SECONDS) -> None:
    """Run `start()` (which starts the jobs and returns a handle) while this process leads; `stop_jobs(handle)`
    when leadership is lost or `stopping` is set. Returns when `stopping` is set."""
    stopping = stopping or threading.Event()
    if engine.dialect.name != "postgresql":
        handle = start()
        try:
            stopping.wait()
        finally:
            stop_jobs(handle)
        return
    lock_engine = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                                connect_args=KEEPALIVES)
    waiting_said = False
    try:
        while not stopping.is_set():
            connection = _leadership(lock_engine)
            if connection is None:
                if not waiting_said:
                    log.info("clock: another clock leads; waiting to take over (checking every %.0f s)", poll)
                    waiting_said = True
                stopping.wait(poll)
                continue
            waiting_said = False
            # A leader whose connection was cut learns it at its next check, up to `poll` later: the lock may
            # be free before the old leader has stopped, so the new one lets two checks go by first.
            if stopping.wait(2 * poll) or not _still_held(connection):
                _release(connection)
                continue
            log.info("clock: leading (advisory lock %d held)", LOCK_KEY)
            handle = start()
            try:
                while not stopping.wait(poll) and _still_held(connection):
                    pass
            finally:
                stop_jobs(handle)
                _release(connection)
            if not stopping.is_set():
                log.warning("clock: lost the connection holding the lock; jobs stopped, waiting to lead again")
                stopping.wait(poll)
    finally:
        lock_engine.dispose()


def _leadership(lock_engine: Engine) -> Connection | None:
    """A connection holding the lock, or None (another clock holds it, or the database cannot be reached)."""
    try:
        connection = lock_engine.connect()
    except Exception as exc:
        log.warning("clock: database unreachable (%s); trying again", type(exc).__name__)
        return None
    try:
        if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar():
            return connection
    except Exception as exc:
        log.warning("clock: could not ask for the lock (%s); trying again", type(exc).__name__)
    connection.close()
    return None


def _still_held(connection: Connection) -> bool:
    """The lock is held while its session lives; a session that answers and still shows the lock has it."""
    try:
        return bool(connection.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                 "AND granted AND objid = :low AND classid = :high"),
            {"low": LOCK_KEY & 0xFFFF_FFFF, "high": LOCK_KEY >> 32},
        ).scalar())
    except Exception:
        return False


def _release(connection: Connection) -> None:
    with suppress(Exception):
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    with suppress(Exception):
        connection.close()
