"""Announcements by network or interest, repeating by a cron rule, meetings with ไป / ไม่ไป, and an image
(`coopbot announce` contract flags), through the clock, the outbox and the local LINE API."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.jobs.announcements import send_due
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from models.base import BANGKOK, utcnow
from models.member import Member
from tests.handlers.test_announce_cli import run
from tests.support import Chat, button_data, registered, texts

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def members(seeded: Flask) -> Flask:
    for user, interests in (("Upig", ["pig"]), ("Urub", ["rubber"]), ("Uboth", ["pig", "rubber"]), ("Unone", None)):
        registered(seeded, user)
        with seeded.extensions["sessions"]() as db, db.begin():
            member = db.scalar(select(Member).where(Member.line_user_id == user))
            assert member is not None
            member.interests = interests
    return seeded


def _local(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def test_a_network_or_an_interest_narrows_the_audience(members: Flask, line_world: LineWorld) -> None:
    code, out = run(members, "announce", "รถอาหารหมูมาวันพฤหัส", "--center", "PROV-AGRI", "--interest", "pig")
    assert code == 0 and out.splitlines()[1].startswith("2 members"), out
    code, out = run(members, "announce", "ประชุมเครือข่ายยาง", "--center", "PROV-AGRI", "--network", "rubber")
    assert code == 0 and out.splitlines()[1].startswith("2 members"), out
    send_due(members)
    assert line_world.received() == Counter({"Upig": 1, "Urub": 1, "Uboth": 2})


def test_a_repeating_notice_goes_once_an_occurrence_and_skips_one_missed_for_long(
    members: Flask, line_world: LineWorld, db: Session
) -> None:
    code, out = run(members, "announce", "ตลาดนัดยางทุกวันจันทร์", "--center", "PROV-AGRI", "--every", "0 7 * * mon")
    assert code == 0 and "then again by '0 7 * * mon'" in out, out
    first = db.get(Announcement, int(out.splitlines()[0]))
    assert first is not None
    assert first.send_at.astimezone(BANGKOK).weekday() == 0 and first.send_at > utcnow()
    assert send_due(members, first.send_at + timedelta(minutes=5)) == 1
    assert send_due(members, first.send_at + timedelta(minutes=6)) == 0, "an occurrence goes once"
    assert sum(line_world.received().values()) == 4
    db.expire_all()
    following = db.scalars(select(Announcement).where(Announcement.status == "scheduled")).all()
    assert [a.send_at - first.send_at for a in following] == [timedelta(days=7)]
    # the clock was down for two days: that occurrence is skipped, the next is scheduled, nothing goes late
    assert send_due(members, following[0].send_at + timedelta(days=2)) == 0
    db.expire_all()
    assert db.get(Announcement, following[0].id).status == "missed"  # type: ignore[union-attr]
    assert sum(line_world.received().values()) == 4


def test_a_rule_that_never_fires_is_refused(members: Flask, db: Session) -> None:
    for rule in ("0 0 30 2 *", "every monday"):
        code, out = run(members, "announce", "ประชุม", "--center", "PROV-AGRI", "--every", rule)
        assert code != 0 and "never fires" in out, out
    assert db.scalar(select(func.count()).select_from(Announcement)) == 0


def test_a_meeting_takes_answers_once_each_and_reminds_those_going(
    members: Flask, line_world: LineWorld, db: Session
) -> None:
    meeting = (utcnow() + timedelta(days=3)).astimezone(BANGKOK).replace(second=0, microsecond=0)
    code, out = run(members, "announce", "ประชุมใหญ่สามัญประจำปี", "--center", "PROV-AGRI",
                    "--meeting", _local(meeting), "--place", "ห้องประชุมสหกรณ์")
    assert code == 0, out
    announcement_id = out.splitlines()[0]
    send_due(members)
    pushed = [call.json for call in line_world.sent("/message/multicast")][-1]["messages"]
    assert "ห้องประชุมสหกรณ์" in texts(pushed)
    chats = {user: Chat(members, line_world, user_id=user) for user in ("Upig", "Urub", "Unone")}
    going = button_data(pushed, "ไป")
    not_going = button_data(pushed, "ไม่ไป")
    for _ in range(2):  # pressed twice, counted once
        assert "ท่านจะไป" in texts(chats["Upig"].press(going))
    chats["Urub"].press(going)
    chats["Urub"].press(not_going)  # changed
    chats["Unone"].press(not_going)
    code, out = run(members, "announcements", "show", announcement_id)
    assert "1 going, 2 not going" in out, out

    before = len(line_world.sent("/message/push")) + len(line_world.sent("/message/multicast"))
    send_due(members, meeting.astimezone(BANGKOK) - timedelta(hours=20))
    send_due(members, meeting.astimezone(BANGKOK) - timedelta(hours=19))
    calls = line_world.sent("/message/push") + line_world.sent("/message/multicast")
    assert len(calls) - before == 1, "one reminder, once"
    (reminder,) = [call.json for call in calls if "เตือนความจำ" in texts(call.json["messages"])]
    assert reminder["to"] in ("Upig", ["Upig"]), "only to the one going"
    assert "ห้องประชุมสหกรณ์" in texts(reminder["messages"])


def test_a_meeting_needs_a_place_and_a_time_to_come(members: Flask) -> None:
    code, out = run(members, "announce", "ประชุม", "--center", "PROV-AGRI", "--meeting", "2099-01-01 09:00")
    assert code != 0 and "--place" in out
    code, out = run(members, "announce", "ประชุม", "--center", "PROV-AGRI", "--meeting", "2020-01-01 09:00",
                    "--place", "ศาลา")
    assert code != 0 and "would be over" in out


def test_an_image_goes_first_and_is_served_to_line(members: Flask, line_world: LineWorld, tmp_path: Path) -> None:
    picture = tmp_path / "lorry.png"
    picture.write_bytes(PNG)
    code, out = run(members, "announce", "รถปุ๋ยมาแล้ว", "--center", "PROV-AGRI", "--image", str(picture))
    assert code == 0 and "4 members, 8 messages" in out, out
    send_due(members)
    pushed = [call.json for call in line_world.sent("/message/multicast")][-1]["messages"]
    assert pushed[0]["type"] == "image" and pushed[1]["type"] == "text"
    url = pushed[0]["originalContentUrl"]
    served = members.test_client().get(url[url.index("/media/"):])
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    code, out = run(members, "announce", "รูป", "--center", "PROV-AGRI", "--image", str(text))
    assert code != 0 and "not a JPEG or PNG" in out


def test_an_answer_to_an_unknown_meeting_is_said_plainly(members: Flask, line_world: LineWorld) -> None:
    chat = Chat(members, line_world, user_id="Upig")
    answer = chat.press(Intent("meeting.reply", {"announcement": 999, "going": True}).to_postback())
    assert "ไม่พบการประชุม" in texts(answer)
