"""`coopbot announce` and `coopbot announcements list | show | cancel` (contract): the id first, then who gets it
and what it costs; counts that say what went out; bad input refused in one line, nothing created."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.jobs.announcements import send_due
from bot.sandbox.line_api import LineWorld
from models.announcements import Announcement
from tests.support import registered


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def members(seeded: Flask) -> Flask:
    for user, district in (("Ukk1", "ควนขนุน"), ("Ukk2", "ควนขนุน"), ("Utm1", "ตะโหมด")):
        registered(seeded, user, district=district)
    return seeded


def test_announce_prints_its_id_first_and_is_sent_and_counted(members: Flask, line_world: LineWorld) -> None:
    code, out = run(members, "announce", "ประชุมใหญ่สามัญประจำปี วันเสาร์ 9 โมง", "--center", "PROV-AGRI")
    assert code == 0, out
    first, second = out.splitlines()[:2]
    announcement_id = int(first)
    assert second.startswith("3 members, 3 messages")
    code, out = run(members, "announcements", "show", str(announcement_id))
    assert code == 0 and "scheduled" in out

    assert send_due(members) == 1
    assert line_world.received() == Counter({"Ukk1": 1, "Ukk2": 1, "Utm1": 1})
    code, out = run(members, "announcements", "show", str(announcement_id))
    assert "sent" in out and "delivered 3, held 0, failed 0" in out
    code, out = run(members, "announcements", "list")
    assert code == 0 and f"{announcement_id:>5}  sent" in out


def test_districts_narrow_the_audience(members: Flask, line_world: LineWorld) -> None:
    code, out = run(members, "announce", "รถปุ๋ยมาวันพฤหัส", "--center", "PROV-AGRI", "--district", "ตะโหมด")
    assert code == 0 and out.splitlines()[1].startswith("1 members"), out
    send_due(members)
    assert line_world.received() == Counter({"Utm1": 1})


@pytest.mark.parametrize(("args", "said"), [
    (("   ", "--center", "PROV-AGRI"), "empty"),
    (("ก" * 5001, "--center", "PROV-AGRI"), "5,001 characters"),
    (("ประชุม", "--center", "PROV-AGRI", "--at", "2020-01-01 09:00"), "has passed"),
    (("ประชุม", "--center", "NOPE"), "no center NOPE"),
    (("ประชุม", "--center", "PROV-AGRI", "--district", "เชียงใหม่"), "no district"),
    (("ประชุม", "--center", "PROV-AGRI", "--at", "tomorrow"), "is not a date"),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_created(
    members: Flask, db: Session, args: tuple[str, ...], said: str
) -> None:
    code, out = run(members, "announce", *args)
    assert code != 0 and said in out, out
    assert db.scalar(select(func.count()).select_from(Announcement)) == 0


def test_an_audience_of_nobody_is_refused(seeded: Flask, db: Session) -> None:
    code, out = run(seeded, "announce", "ประชุม", "--center", "DIST-05")
    assert code != 0 and "nobody would get it" in out
    assert db.scalar(select(func.count()).select_from(Announcement)) == 0


def test_cancel_before_it_goes_and_not_after(members: Flask, line_world: LineWorld) -> None:
    _code, out = run(members, "announce", "ตลาดนัดยางเลื่อนไปวันพุธ", "--center", "PROV-AGRI", "--at", "2099-01-01 07:00")
    waiting = out.splitlines()[0]
    assert run(members, "announcements", "cancel", waiting)[0] == 0
    assert send_due(members) == 0 and line_world.received() == Counter()
    _code, out = run(members, "announce", "ประชุมด่วน", "--center", "PROV-AGRI")
    sent = out.splitlines()[0]
    send_due(members)
    code, out = run(members, "announcements", "cancel", sent)
    assert code != 0 and "is sent" in out


def test_a_rounds_members_are_an_audience(members: Flask, line_world: LineWorld, db: Session) -> None:
    from bot.seed import orders as seed_orders
    from tests.orders.conftest import join, round_of
    from tests.support import Chat, button_data

    with members.extensions["sessions"]() as session, session.begin():
        seed_orders.demo_rounds(session, members.config["SETTINGS"])
    rice = round_of(db, "rice-sangyod-5kg")
    buyer = Chat(members, line_world, user_id="Ukk2")
    buyer.press(button_data(buyer.press(join(rice.id, 2)), "ยืนยัน"))
    code, out = run(members, "announce", "ข้าวสารมาถึงแล้ว รับได้พรุ่งนี้", "--center", "PROV-AGRI", "--round", str(rice.id))
    assert code == 0 and out.splitlines()[1].startswith("1 members"), out
    send_due(members)
    assert line_world.received() == Counter({"Ukk2": 1})
    code, out = run(members, "announce", "x", "--center", "PROV-AGRI", "--round", "999")
    assert code != 0 and "no round 999" in out


def test_members_who_read_english_get_the_english_text(seeded: Flask, line_world: LineWorld) -> None:
    registered(seeded, "Uthai", district="ควนขนุน")
    registered(seeded, "Uenglish", district="ควนขนุน", language="en")
    code, out = run(seeded, "announce", "ประชุมใหญ่วันเสาร์ 9 โมง", "--center", "PROV-AGRI",
                    "--text-en", "General meeting on Saturday at 9")
    assert code == 0, out
    assert send_due(seeded) == 1
    by_user = {call.json["to"]: call.json["messages"][0]["text"] for call in line_world.sent("/v2/bot/message/push")}
    assert by_user["Uthai"].endswith("ประชุมใหญ่วันเสาร์ 9 โมง")
    assert by_user["Uenglish"].endswith("General meeting on Saturday at 9")
    assert line_world.received() == Counter({"Uthai": 1, "Uenglish": 1})


def test_announce_to_the_members_with_price_alerts(members: Flask, line_world: LineWorld) -> None:
    from decimal import Decimal

    from bot.jobs.announcements import send_due
    from models.alerts import PriceAlert
    from models.member import member_by_line_id

    code, out = run(members, "announce", "ราคายางพรุ่งนี้", "--center", "PROV-RUBBER", "--with-alerts")
    assert code != 0 and "nobody would get it" in out and "with a price alert" in out
    with members.extensions["sessions"]() as db, db.begin():
        member = member_by_line_id(db, "Ukk2")
        assert member is not None
        db.add(PriceAlert(member_id=member.id, rubber_type="latex", kind="below", threshold=Decimal(50), active=True))
    code, out = run(members, "announce", "ราคายางพรุ่งนี้", "--center", "PROV-RUBBER", "--with-alerts")
    assert code == 0 and out.splitlines()[1].startswith("1 members, 1 messages"), out
    send_due(members)
    to = [request.json["to"] for path in ("/v2/bot/message/push", "/v2/bot/message/multicast")
          for request in line_world.sent(path)]
    assert {user for each in to for user in (each if isinstance(each, list) else [each])} == {"Ukk2"}
