"""Meeting replies (ไป / ไม่ไป) through the real webhook stay counted right when members press at the same
moment, one member presses both at once, and LINE redelivers events (the same webhookEventId): while the first
delivery is still being handled, and after the member has changed their answer. Threads with their own webhook
requests, released together; SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.jobs.announcements import send_due
from bot.sandbox.line_api import LineWorld
from models.announcements import MeetingReply, replies
from models.base import BANGKOK, utcnow
from tests.handlers.test_announce_cli import run
from tests.orders.test_concurrency import together
from tests.support import button_data, post_events, postback_event, registered, texts

MEMBERS = 40
GOING, NOT_GOING = "บันทึกแล้วครับ ท่านจะไป", "บันทึกแล้วครับ ท่านไม่สะดวกไป"


def _redelivered(event: dict[str, Any]) -> dict[str, Any]:
    """The same event as LINE sends it again: its webhookEventId and reply token, marked a redelivery."""
    again = copy.deepcopy(event)
    again["deliveryContext"] = {"isRedelivery": True}
    return again


def _meeting(app: Flask, line_world: LineWorld) -> tuple[int, str, str]:
    """A meeting sent to its members; its id and the data of its ไป and ไม่ไป buttons."""
    when = (utcnow() + timedelta(days=3)).astimezone(BANGKOK)
    code, out = run(app, "announce", "ประชุมใหญ่สามัญประจำปี", "--center", "PROV-AGRI",
                    "--meeting", f"{when:%Y-%m-%d %H:%M}", "--place", "หอประชุมอำเภอควนขนุน")
    assert code == 0, out
    send_due(app)
    pushed = (line_world.sent("/message/multicast") + line_world.sent("/message/push"))[-1].json["messages"]
    return int(out.splitlines()[0]), button_data(pushed, "ไป"), button_data(pushed, "ไม่ไป")


def _answers(line_world: LineWorld) -> dict[str, list[str]]:
    """Each reply token's answers, as the member's phone shows them (a member's replies waiting together leave
    in one reply, on the newest of their tokens)."""
    answered: dict[str, list[str]] = {}
    for call in line_world.sent("/v2/bot/message/reply"):
        token = call.json["replyToken"]
        assert token not in answered, "a reply token used twice"
        answered[token] = [texts([message]) for message in call.json["messages"]]
    return answered


def test_meeting_replies_stay_counted_through_concurrent_and_redelivered_presses(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    members = [f"Um{i:031x}" for i in range(MEMBERS)]
    torn = "U" + "7" * 32  # answers for the first time with both buttons at once
    for user in [*members, torn]:
        registered(seeded, user)
    meeting_id, going, not_going = _meeting(seeded, line_world)

    def post_all(events: list[dict[str, Any]]) -> Counter[str]:
        return together(len(events), lambda i: str(post_events(seeded.test_client(), [events[i]]).status_code))

    # Everyone answers at the same moment (even members go, odd do not), and LINE delivers every press twice
    # at once, as it does when our first answer was slow.
    first = [postback_event(user, going if n % 2 == 0 else not_going) for n, user in enumerate(members)]
    assert post_all(first + [_redelivered(event) for event in first]) == Counter({"200": 2 * MEMBERS})
    # A third change their mind, all at once, while LINE redelivers every first press again.
    changers = members[: MEMBERS // 3]
    second = [postback_event(user, not_going if n % 2 == 0 else going) for n, user in enumerate(changers)]
    assert post_all(second + [_redelivered(event) for event in first]) == Counter({"200": len(second) + MEMBERS})
    # A member who has not answered yet presses both buttons, five times each, a millisecond apart, and the ten
    # presses reach the webhook at once, in any order: the last pressed stands, counted once.
    both = [postback_event(torn, going if n % 2 == 0 else not_going) for n in range(10)]
    for n, event in enumerate(both):
        event["timestamp"] = both[0]["timestamp"] + n
    assert post_all(both) == Counter({"200": 10})

    answered = _answers(line_world)
    for event in first + second:  # one press a member at a time: each answered on its own token
        said = answered.get(event["replyToken"], [])
        meant = GOING if event["postback"]["data"] == going else NOT_GOING
        assert len(said) == 1 and meant in said[0], f"{event['source']['userId']} pressed and was told {said!r}"
    told = [said for event in both for said in answered.get(event["replyToken"], [])]
    assert len(told) == len(both), f"{torn} was answered {len(told)} times for {len(both)} presses"
    for said in told:  # each told the answer standing once it was handled, never an apology
        assert GOING in said or NOT_GOING in said, f"{torn} pressed and was told {said!r}"
    assert sum(map(len, answered.values())) == len(first) + len(second) + len(both), "a redelivered press answered"

    expected_going = {user for n, user in enumerate(members) if (n % 2 == 0) != (user in changers)}
    db.expire_all()
    yes, no = replies(db, meeting_id)
    assert {m.line_user_id for m in yes} - {torn} == expected_going
    assert {m.line_user_id for m in no} - {torn} == set(members) - expected_going
    assert [m.line_user_id for m in yes + no].count(torn) == 1
    assert torn in {m.line_user_id for m in no}, "the last press (ไม่ไป) stands"
    assert db.scalar(select(func.count()).select_from(MeetingReply)) == MEMBERS + 1
    code, out = run(seeded, "announcements", "show", str(meeting_id))
    assert code == 0 and f"{len(yes)} going, {len(no)} not going" in out, out
    assert len(yes) + len(no) == MEMBERS + 1


def test_a_press_redelivered_late_does_not_undo_the_members_later_answer(
    seeded: Flask, line_world: LineWorld, db: Session
) -> None:
    """LINE redelivers an event our webhook missed (it was down), after the member's next press was handled:
    the older press does not overwrite the newer answer, and its reply says the answer that stands."""
    user = "U" + "5" * 32
    registered(seeded, user)
    meeting_id, going, not_going = _meeting(seeded, line_world)
    missed = postback_event(user, going)
    later = postback_event(user, not_going)
    missed["timestamp"] = later["timestamp"] - 60_000  # pressed a minute before
    client = seeded.test_client()
    assert post_events(client, [later]).status_code == 200
    assert post_events(client, [_redelivered(missed)]).status_code == 200
    db.expire_all()
    yes, no = replies(db, meeting_id)
    assert ([m.line_user_id for m in yes], [m.line_user_id for m in no]) == ([], [user])
    said = "\n".join(_answers(line_world)[missed["replyToken"]])
    assert NOT_GOING in said and GOING not in said
