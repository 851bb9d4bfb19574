"""Reads a price morning repeats for every member (the price board, the open rounds, and the cards that show
them), kept for a moment by each process instead of run again for every event.

A read is kept for at most `FRESH` seconds, and dropped at once when this process writes to a table it was read
from (SQLAlchemy's engine events see every INSERT, UPDATE and DELETE, and the commit): a member sees their own
order, a coordinator their own post, at once; a change another process makes (another web worker, the clock's
price import) shows within `FRESH` seconds. A kept read runs in a session of its own (autocommit), so what is
kept is detached ORM objects loaded in full (or messages made from them), which many threads read and none
changes. A read made from other kept reads is kept no longer than any of them (it names their tables too, so
that a write to any of them drops it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool
from sqlalchemy.sql.dml import UpdateBase

FRESH = 2.0
"""seconds a read is kept; another process's change shows within it"""
KEPT_MOST = 1000
T = TypeVar("T")


class _Reads:
    """One database's kept reads (its engines share a pool), and a count of the writes to each table."""

    def __init__(self) -> None:
        self.writes: dict[str, int] = {}
        self.kept: dict[Hashable, tuple[float, tuple[int, ...], Any]] = {}


_databases: WeakKeyDictionary[Pool, _Reads] = WeakKeyDictionary()
_lock = threading.Lock()
_building = threading.local()
"""until when the kept read this thread is making may be kept"""
_watched: set[str] = set()
"""the tables some kept read comes from: writes to the others (an event's claim, a conversation) are not counted"""


def read(db: Session, tables: tuple[str, ...], key: Hashable, run: Callable[[Session], T]) -> T:
    """What `run` reads from `tables`, as kept for `key` when it was kept less than FRESH seconds ago and no
    table has been written since; else run in a session of its own and kept."""
    engine = db.get_bind().engine
    reads = _reads(engine)
    now = time.monotonic()
    written = tuple(reads.writes.get(table, 0) for table in tables)
    found = reads.kept.get(key)
    if found is not None and found[0] > now and found[1] == written:
        _lasts_until(found[0])
        return found[2]
    _watched.update(tables)
    enclosing, _building.until = getattr(_building, "until", None), now + FRESH
    try:
        # reads only, one statement each as a rule: no transaction to begin and end (nor SQLite's BEGIN IMMEDIATE,
        # which would wait on the very event that asks)
        with Session(engine, expire_on_commit=False) as own:
            own.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            value = run(own)
        until = _building.until  # no later than any kept read `run` was made from
    finally:
        _building.until = enclosing
    _lasts_until(until)
    if len(reads.kept) > KEPT_MOST:  # keys name days: yesterday's are not asked again
        reads.kept.clear()
    reads.kept[key] = (until, written, value)  # the counts from before the read: a write during it drops it
    return value


def shared(db: Session, tables: tuple[str, ...], key: Hashable, build: Callable[[Session], Iterable[T]]) -> list[T]:
    """What `build` makes for many askers alike (a card of messages), kept as `read` keeps it: each asker gets a
    list of their own, the items in it shared and never changed."""
    return list(read(db, tables, key, lambda own: tuple(build(own))))


def _lasts_until(until: float) -> None:
    """A kept read made from another (a card from the board it shows) is kept no longer than that one: what
    another process writes still shows within FRESH seconds."""
    building = getattr(_building, "until", None)
    if building is not None and until < building:
        _building.until = until


def _reads(engine: Engine) -> _Reads:
    reads = _databases.get(engine.pool)
    if reads is None:
        with _lock:
            reads = _databases.setdefault(engine.pool, _Reads())  # nothing in it may hold the pool: it would live on
    return reads


@event.listens_for(Engine, "after_execute")
def _written(connection: Connection, statement: Any, *_args: Any) -> None:
    """A write is counted when made (a read kept while it is not yet committed is dropped) and again at commit."""
    if isinstance(statement, UpdateBase):
        name = getattr(getattr(statement, "table", None), "name", None)
        if name in _watched:
            connection.info.setdefault("kept.written", set()).add(name)
            _count(connection, (name,))


@event.listens_for(Engine, "commit")
def _committed(connection: Connection) -> None:
    _count(connection, tuple(connection.info.pop("kept.written", ())))


@event.listens_for(Engine, "rollback")
def _rolled_back(connection: Connection) -> None:
    """Nothing written stands; a connection the database dropped cannot even be asked (its writes left with it)."""
    if not connection.invalidated:
        connection.info.pop("kept.written", None)


def _count(connection: Connection, tables: tuple[str, ...]) -> None:
    if tables:
        reads = _reads(connection.engine)
        with _lock:
            for table in tables:
                reads.writes[table] = reads.writes.get(table, 0) + 1
