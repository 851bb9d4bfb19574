"""An event that wrote nothing but its claim commits without waiting for the disk; any event that wrote more, and
every transaction that claimed nothing, waits as usual (models.events). PostgreSQL only: SQLite's commits are
set once for the file (bot.db)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import Connection, select, text
from sqlalchemy.event import listen, remove

from models.alerts import PriceAlert
from tests.support import Chat, registered, texts


@pytest.fixture
def commits(seeded: Flask, database_url: str) -> Iterator[list[str]]:
    """How each of the app's commits is made, as PostgreSQL has it at the commit itself: "off", or "server" for
    however the server is set (on, or a synchronous standby's remote_write or remote_apply)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("asynchronous commit is PostgreSQL's; SQLite syncs at checkpoints, set once for the file")
    engine = seeded.extensions["engine"]
    with engine.connect() as connection:
        server = connection.exec_driver_sql("SHOW synchronous_commit").scalar_one()
    assert server != "off", "a server set to commit asynchronously tells nothing here"
    seen: list[str] = []

    def show(connection: Connection) -> None:  # runs after models.events' own listener, just before COMMIT
        cursor = connection.connection.cursor()
        cursor.execute("SHOW synchronous_commit")
        setting = cursor.fetchone()[0]
        seen.append("server" if setting == server else setting)
        cursor.close()

    listen(engine, "commit", show)
    yield seen
    remove(engine, "commit", show)


def test_a_question_commits_its_claim_without_waiting(seeded: Flask, chat: Chat, commits: list[str]) -> None:
    registered(seeded, chat.user_id)
    commits.clear()
    assert texts(chat.say("ราคายางวันนี้เท่าไหร่ครับ")).strip()
    assert texts(chat.say("สวัสดีครับ")).strip()
    assert commits == ["off", "off"]


def test_an_event_that_writes_waits_for_the_disk(seeded: Flask, chat: Chat, commits: list[str]) -> None:
    registered(seeded, chat.user_id)
    commits.clear()
    texts(chat.say("แจ้งเตือนเมื่อน้ำยางเกิน 50 บาท"))
    assert commits == ["server"]
    with seeded.extensions["sessions"]() as db:
        assert len(db.scalars(select(PriceAlert)).all()) == 1


def test_a_newcomers_first_row_waits_for_the_disk(seeded: Flask, chat: Chat, commits: list[str]) -> None:
    chat.follow()
    assert commits[-1] == "server"


def test_an_unfollow_waits_for_the_disk_when_it_changes_a_member(seeded: Flask, chat: Chat,
                                                                  commits: list[str]) -> None:
    """An unfollow is claimed on its own (no turn starts): a member's row changed is written as any other."""
    registered(seeded, chat.user_id)
    commits.clear()
    chat.unfollow()
    assert commits == ["server"]
    stranger = Chat(seeded, chat.world)
    stranger.unfollow()  # nobody the bot knows: the claim alone
    assert commits == ["server", "off"]


def test_what_claims_nothing_keeps_the_servers_setting(seeded: Flask, commits: list[str]) -> None:
    with seeded.extensions["sessions"]() as db, db.begin():
        db.execute(text("SELECT 1"))
    with seeded.extensions["sessions"]() as db, db.begin():
        db.execute(text("UPDATE members SET active = active"))
    assert commits == ["server", "server"]
