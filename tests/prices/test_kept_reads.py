"""The reads a price morning repeats (the price board, the open rounds) are kept a moment per process
(models.kept): asked again they are not read again; what this process writes shows at once; what another process
writes, which this one cannot see, shows within `FRESH` seconds. The open rounds' own test is in
tests/orders/test_rounds.py."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from models import kept
from models.prices import upsert
from tests.prices.conftest import TODAY, put
from tests.support import Chat, registered, texts


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL the app sends while the block runs."""
    seen: list[str] = []

    def sent(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", sent)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", sent)


def test_the_board_asked_again_is_not_read_again(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    with statements(chat.app) as seen:
        first = texts(chat.say("ราคายางวันนี้"))
        read_first = sum("price_quotes" in s for s in seen)
        second = texts(chat.say("ราคายางวันนี้ครับ"))
    assert "58.00" in first and first == second
    assert read_first >= 1 and sum("price_quotes" in s for s in seen) == read_first


def test_the_card_kept_for_one_member_is_another_languages_own(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    english, next_thai = Chat(chat.app, chat.world), Chat(chat.app, chat.world)
    for member, language in ((chat, "th"), (english, "en"), (next_thai, "th")):  # one cooperative, two languages
        registered(chat.app, member.user_id, language=language)
    thai = texts(chat.say("ราคายางวันนี้"))
    assert "ราคายาง" in thai and "58.00" in thai
    said = texts(english.say("rubber price today"))
    assert "Rubber prices" in said and "58.00" in said and "ราคายาง" not in said
    assert texts(next_thai.say("ราคายางวันนี้")) == thai


def test_a_price_stored_in_this_process_shows_at_once(chat: Chat, clock: datetime) -> None:
    put(chat.app, TODAY, "latex", "58.00")
    assert "58.00" in texts(chat.say("ราคายางวันนี้"))
    put(chat.app, TODAY, "latex", "58.50")
    assert "58.50" in texts(chat.say("ราคายางวันนี้"))


def test_a_price_another_process_stores_shows_within_a_moment(chat: Chat, clock: datetime,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept, "FRESH", 0.5)
    put(chat.app, TODAY, "latex", "58.00")
    assert "58.00" in texts(chat.say("ราคายางวันนี้"))
    # another process: its own engine and pool, whose writes this process's engine never sees
    other = create_engine(chat.app.extensions["engine"].url)
    try:
        with Session(other) as db, db.begin():
            upsert(db, TODAY, "latex", Decimal("61.25"), "raot")
    finally:
        other.dispose()
    time.sleep(0.6)
    assert "61.25" in texts(chat.say("ราคายางวันนี้"))


def test_a_read_kept_from_another_kept_read_is_kept_no_longer_than_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: now[0])  # the kept reads' clock, moved by hand
    engine = create_engine(f"sqlite:///{tmp_path / 'nested.db'}")
    runs: list[str] = []

    def board(own: Session) -> int:
        runs.append("board")
        return int(own.scalar(text("select 1")))

    def card(own: Session) -> str:
        runs.append("card")
        return f"card of {kept.read(own, ('boards',), 'board', board)}"

    with Session(engine) as db:
        kept.read(db, ("boards",), "board", board)
        now[0] += kept.FRESH * 0.6
        assert kept.read(db, ("boards",), "card", card) == "card of 1"  # the board as kept a moment ago
        now[0] += kept.FRESH * 0.6  # the board is older than FRESH, the card is not: both are read again
        assert kept.read(db, ("boards",), "card", card) == "card of 1"
    assert runs == ["board", "card", "card", "board"]
    engine.dispose()


def test_a_database_let_go_of_takes_its_kept_reads_with_it(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'gone.db'}")
    with Session(engine) as db:
        assert kept.read(db, ("nothing",), "one", lambda own: own.scalar(text("select 1"))) == 1
    pool = weakref.ref(engine.pool)
    del engine, db
    gc.collect()
    assert pool() is None, "the kept reads hold a database (its pool and connections) that nothing else does"
