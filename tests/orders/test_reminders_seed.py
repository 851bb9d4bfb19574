"""Announcements when rounds open, reminders a day before they close (each once, in the member's
language, only to whom they concern), and the demo seed: one round per product, routed by brand/network."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import cli
from bot.jobs import rounds as round_jobs
from bot.sandbox.line_api import LineWorld
from models.base import utcnow
from models.member import Member
from models.rounds import Round
from tests.orders.conftest import age, join, neighbour, register, round_of
from tests.support import Chat, button_data, texts


def pushed(world: LineWorld) -> list[tuple[list[str], str]]:
    found: list[tuple[list[str], str]] = []
    for request in world.sent("/v2/bot/message/push") + world.sent("/v2/bot/message/multicast"):
        body: Any = request.json
        found.append((body["to"] if isinstance(body["to"], list) else [body["to"]], texts(body["messages"])))
    return found


def to(world: LineWorld, user_id: str) -> str:
    return "\n".join(text for recipients, text in pushed(world) if user_id in recipients)


def test_new_rounds_are_announced_once_in_each_members_language(catalog: Flask, line_world: LineWorld,
                                                                farmer: Chat) -> None:
    english = neighbour(catalog, line_world, "John")
    register(catalog, english.user_id, name="John", language="en")
    follower = Chat(catalog, line_world)
    follower.say("สวัสดี")  # on LINE but not registered
    offline_id = register(catalog, "offline-0812345678", name="ยายสมใจ")
    assert offline_id

    round_jobs.tick(catalog)
    thai = to(line_world, farmer.user_id)
    assert thai.count("เปิดรอบใหม่แล้ว") == 1, "all new rounds in one message: each push costs quota"
    assert "• อาหารหมูขุน ซีพี: 582.00 บาท/กระสอบ ถึง" in thai and "• ขายรวมยางแผ่นดิบ: 62.00 บาท/กก. ถึง" in thai
    english_text = to(line_world, english.user_id)
    assert english_text.count("New rounds are open") == 1 and "• CP pig feed: 582.00 baht/sack, until" in english_text
    assert len(pushed(line_world)) == 2, "one multicast per language"
    assert to(line_world, follower.user_id) == "" and to(line_world, "offline-0812345678") == ""
    before = len(pushed(line_world))
    round_jobs.tick(catalog)
    assert len(pushed(line_world)) == before, "announced once"


def test_a_day_before_closing_members_with_an_order_are_reminded(catalog: Flask, line_world: LineWorld,
                                                                 farmer: Chat, db: Session) -> None:
    other = neighbour(catalog, line_world, "สมศรี")
    round_jobs.tick(catalog)
    line_world.clear()
    rice = round_of(db, "rice-sangyod-5kg")
    farmer.press(button_data(farmer.press(join(rice.id, 2)), "ยืนยัน"))
    round_jobs.tick(catalog)
    assert pushed(line_world) == [], "not yet within a day of closing"
    age(catalog, rice.id, closes_at=utcnow() + timedelta(hours=23))
    round_jobs.tick(catalog)
    assert "แจ้งเตือน: รอบต่อไปนี้จะปิดภายในหนึ่งวัน" in to(line_world, farmer.user_id)
    assert "• ข้าวสังข์หยดพัทลุง 5 กก.: รายการของท่าน 2 ถุง ปิดรับ" in to(line_world, farmer.user_id)
    assert to(line_world, other.user_id) == ""
    round_jobs.tick(catalog)
    assert len(pushed(line_world)) == 1


def test_reminders_wait_while_the_monthly_quota_is_used_up(catalog: Flask, line_world: LineWorld,
                                                           farmer: Chat) -> None:
    line_world.quota = 0
    round_jobs.tick(catalog)
    assert pushed(line_world) == []
    line_world.quota = 1000
    round_jobs.tick(catalog)
    assert to(line_world, farmer.user_id).count("• ") == 8


def test_demo_seed_opens_one_round_per_product_routed_to_its_center(seeded: Flask, db: Session) -> None:
    runner = seeded.test_cli_runner()
    assert runner.invoke(cli, ["seed", "--demo"]).exit_code == 0
    assert runner.invoke(cli, ["seed", "--demo"]).exit_code == 0
    rounds = db.scalars(select(Round).where(Round.status == "open").order_by(Round.id)).all()
    centers = {r.product.code: r.center.code for r in rounds}
    assert centers == {
        "feed-cp-pig": "DIST-06", "feed-betagro-pig": "FEED-BETAGRO", "feed-laemthong-pig": "FEED-LAEMTHONG",
        "acid-formic": "PROV-RUBBER", "fert-15-15-15": "PROV-AGRI", "rice-sangyod-5kg": "PROV-AGRI",
        "piglet": "PROV-AGRI", "rubber-uss": "PROV-RUBBER",
    }
    assert [r.direction for r in rounds].count("sell") == 1
    for r in rounds:
        assert r.status == "open" and timedelta(days=6) < r.closes_at - utcnow() <= timedelta(days=8)
        assert r.product.name_th and r.product.name_en and r.product.synonyms


def test_new_rounds_go_to_whom_they_concern(catalog: Flask, line_world: LineWorld, farmer: Chat, db: Session) -> None:
    """A pig raiser hears of feed and piglets, a rubber tapper of acid and selling rubber; a member whose interests
    are not known hears of all; coordinators, who run rounds, hear of none."""
    pigs, rubber = neighbour(catalog, line_world, "สมศรี"), neighbour(catalog, line_world, "สมปอง")
    boss = neighbour(catalog, line_world, "ผู้ประสานงาน")
    with catalog.extensions["sessions"]() as session, session.begin():
        for chat, interests in ((pigs, ["pig"]), (rubber, ["rubber"])):
            member = session.scalar(select(Member).where(Member.line_user_id == chat.user_id))
            assert member is not None
            member.interests = interests
        coordinator = session.scalar(select(Member).where(Member.line_user_id == boss.user_id))
        assert coordinator is not None
        coordinator.role = "coordinator"
    round_jobs.tick(catalog)
    pig_text, rubber_text, everything = to(line_world, pigs.user_id), to(line_world, rubber.user_id), to(
        line_world, farmer.user_id)
    assert "อาหารหมูขุน ซีพี" in pig_text and "ยางแผ่นดิบ" not in pig_text and "กรดฟอร์มิก" not in pig_text
    assert "ยางแผ่นดิบ" in rubber_text and "กรดฟอร์มิก" in rubber_text and "อาหารหมู" not in rubber_text
    assert "อาหารหมูขุน ซีพี" in everything and "ยางแผ่นดิบ" in everything
    assert to(line_world, boss.user_id) == ""


def test_the_demo_has_news_a_meeting_and_savings_to_show(seeded: Flask, line_world: LineWorld) -> None:
    """So that "ข่าวสาร" and "ประหยัดไปเท่าไหร่" in the sandbox are not empty."""
    runner = seeded.test_cli_runner()
    assert runner.invoke(cli, ["seed", "--demo"]).exit_code == 0
    assert runner.invoke(cli, ["seed", "--demo"]).exit_code == 0
    member = Chat(seeded, line_world)
    register(seeded, member.user_id)
    news = texts(member.say("ข่าวสาร"))
    assert "ตลาดนัดยางพารา" in news and "ประชุมใหญ่สามัญประจำปี" in news
    assert "2,340 บาท" in texts(member.say("ประหยัดไปเท่าไหร่")), "the network's gain: 13 baht x 180 kg of acid"
    listed = runner.invoke(cli, ["announcements", "list"]).output
    assert len(listed.splitlines()) == 3, "seeded once"
    meeting = next(line.split()[0] for line in listed.splitlines() if "ประชุม" in line)
    assert "2 going, 1 not going" in runner.invoke(cli, ["announcements", "show", meeting]).output
