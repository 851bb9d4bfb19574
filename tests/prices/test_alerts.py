"""Price alerts end to end: create, list, cancel in chat; a post fires them once; LINE gets multicasts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.jobs import price_alerts
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld
from models.alerts import AlertLog, AlertRun, PriceAlert, evaluate
from models.member import Member
from models.outbox import Delivery
from models.prices import PriceQuote
from tests.prices.conftest import NOW, TODAY, coordinator_chat, flex_buttons, morning, put
from tests.support import Chat, button_data, buttons, registered, texts


def _member(app: Flask, world: LineWorld, district: str = "ควนขนุน", user_id: str | None = None) -> Chat:
    chat = Chat(app, world, user_id=user_id) if user_id else Chat(app, world)
    registered(app, chat.user_id, district=district)
    return chat


def _post(coordinator: Chat, rubber_type: str, price: str) -> str:
    card = coordinator.press(Intent("price.post", {"rubber_type": rubber_type, "price": price}).to_postback())
    return texts(coordinator.press(flex_buttons(card)["ยืนยัน"]))


def _multicasts(world: LineWorld) -> list[tuple[list[str], str]]:
    """What went out by push or multicast (one recipient is a push), as (recipients, text), sorted: several
    calls are in flight at once, so the order LINE receives them in is not defined."""
    sent = [r for r in world.requests if r.path.endswith(("/message/multicast", "/message/push"))]
    return sorted((sorted(r.json["to"]) if isinstance(r.json["to"], list) else [r.json["to"]],
                   r.json["messages"][0]["text"]) for r in sent)



def confirmed(chat: Chat, asked: list[dict[str, Any]]) -> str:
    """Cancelling is confirmed first: the question shows what goes, and "yes" does it."""
    assert "ใช่ไหม" in texts(asked), texts(asked)
    return texts(chat.press(button_data(asked, "ใช่ ยกเลิก")))

def test_create_list_and_cancel_in_chat(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    put(seeded, TODAY, "latex", "56.00")
    chat = _member(seeded, line_world)
    created = texts(chat.say("เตือนเมื่อน้ำยางเกิน 60"))
    assert "จะแจ้งหนึ่งครั้งเมื่อน้ำยางสด สูงกว่า 60.00 บาท/กก." in created
    assert "ตอนนี้ราคา 56.00" in created
    assert "ท่านตั้งการแจ้งเตือนนี้ไว้แล้ว" in texts(chat.say("เตือนเมื่อน้ำยางเกิน 60"))
    chat.press(Intent("alert.create", {"rubber_type": "rss3", "daily": True}).to_postback())

    listing = chat.say("การแจ้งเตือนของฉัน")
    assert "1. น้ำยางสด สูงกว่า 60.00 บาท/กก." in texts(listing)
    assert "2. ยางแผ่นรมควัน ชั้น 3: ส่งราคาทุกวัน" in texts(listing)
    assert buttons(listing) == ["ยกเลิกข้อ 1", "ยกเลิกข้อ 2", "ยกเลิกทั้งหมด"]

    assert "ยกเลิกแล้วครับ: น้ำยางสด สูงกว่า 60.00" in confirmed(chat, chat.press(button_data(listing, "ยกเลิกข้อ 1")))
    assert "ถูกยกเลิกไปแล้ว" in texts(chat.press(button_data(listing, "ยกเลิกข้อ 1")))
    assert "ยกเลิกแล้วครับ: ยางแผ่นรมควัน" in confirmed(chat, chat.say("ยกเลิกแจ้งเตือน")), "the only one left goes"
    assert "ยังไม่มีการแจ้งเตือนราคา" in texts(chat.say("การแจ้งเตือนของฉัน"))
    assert db.scalar(select(PriceAlert).where(PriceAlert.active.is_(True))) is None


def test_cancel_asks_which_one_and_takes_a_typed_number(seeded: Flask, line_world: LineWorld, clock: datetime) -> None:
    chat = _member(seeded, line_world)
    for threshold in (60, 65):
        chat.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": threshold})
                   .to_postback())
    question = chat.say("ยกเลิกการแจ้งเตือนราคา")
    assert "ข้อไหน" in texts(question)
    assert "ยกเลิกแล้วครับ: น้ำยางสด สูงกว่า 65.00" in confirmed(chat, chat.say("2"))
    assert "สูงกว่า 60.00" in texts(chat.say("การแจ้งเตือนของฉัน"))


def test_missing_slots_are_asked(seeded: Flask, line_world: LineWorld, clock: datetime) -> None:
    put(seeded, TODAY, "latex", "56.40")
    chat = _member(seeded, line_world)
    which = chat.press(Intent("alert.create").to_postback())
    assert "ชนิดไหน" in texts(which) and "น้ำยางสด" in buttons(which)
    level = chat.press(button_data(which, "น้ำยางสด"))
    assert "ที่ราคากี่บาท" in texts(level)
    assert buttons(level) == ["สูงกว่า 58", "สูงกว่า 61", "ต่ำกว่า 54", "ต่ำกว่า 51"]
    assert "ไม่ใส่ลูกน้ำ" in texts(chat.say("60,5"))
    assert "ระหว่าง 20 ถึง 150" in texts(chat.say("500"))
    assert "ทศนิยมไม่เกิน 2 ตำแหน่ง" in texts(chat.say("60.555"))
    assert "มากกว่า 0" in texts(chat.say("0"))
    assert "ต่ำกว่า 52.00" in texts(chat.say("52")), "below today's price means: tell me when it falls"
    listed = texts(chat.say("การแจ้งเตือนของฉัน"))
    assert "1. น้ำยางสด ต่ำกว่า 52.00" in listed and "\n2. " not in listed, "refusals wrote nothing"


def test_unregistered_members_are_asked_to_register(chat: Chat, clock: datetime) -> None:
    assert "ลงทะเบียน" in texts(chat.say("เตือนเมื่อน้ำยางเกิน 60"))


def test_a_post_fires_each_alert_once_per_crossing(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    put(seeded, TODAY - timedelta(days=1), "latex", "57.00", "center", "DIST-05")
    above = _member(seeded, line_world, user_id="Uabove")
    above.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 58}).to_postback())
    daily = _member(seeded, line_world, user_id="Udaily")
    daily.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())
    other_district = _member(seeded, line_world, district="ตะโหมด", user_id="Utamot")
    other_district.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 58})
                         .to_postback())
    coordinator = coordinator_chat(seeded, line_world)

    _post(coordinator, "latex", "58.50")
    assert price_alerts.deliver(seeded) == 2
    assert _multicasts(line_world) == [
        (["Uabove"], "🔔 น้ำยางสด ขึ้นมาที่ 58.50 บาท/กก. ถึงระดับที่ท่านตั้งไว้แล้วครับ\nเทียบกับราคาครั้งก่อน ▲ 1.50\n"
                     "ราคารับซื้อของสหกรณ์การเกษตรควนขนุน จำกัด วันที่ 25 พ.ย. 2569"),
        (["Udaily"], "📊 ราคาน้ำยางสด วันนี้ 58.50 บาท/กก.\nเทียบกับราคาครั้งก่อน ▲ 1.50\n"
                     "ราคารับซื้อของสหกรณ์การเกษตรควนขนุน จำกัด วันที่ 25 พ.ย. 2569"),
    ]
    for request in line_world.sent("/v2/bot/message/push"):
        assert request.headers["x-line-retry-key"] and request.status == 200

    _post(coordinator, "latex", "59.00")  # a correction, still above: nothing new
    assert price_alerts.deliver(seeded) == 0
    assert len(_multicasts(line_world)) == 2

    (run,) = db.scalars(select(AlertRun)).all()
    assert (run.fired, run.status) == (2, "queued")
    logged = db.scalars(select(AlertLog).order_by(AlertLog.id)).all()
    assert [(row.event, row.locale, row.recipients) for row in logged] == [("above", "th", 1), ("daily", "th", 1)]
    assert all(db.get(Delivery, row.delivery_id).status == "sent" for row in logged)  # type: ignore[union-attr]


def test_an_alert_and_the_daily_price_of_the_same_price_are_one_message(
    seeded: Flask, line_world: LineWorld, clock: datetime
) -> None:
    put(seeded, TODAY - timedelta(days=1), "latex", "57.00", "center", "DIST-05")
    both = _member(seeded, line_world, user_id="Uboth")
    both.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())
    both.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 58}).to_postback())
    daily = _member(seeded, line_world, user_id="Udaily")
    daily.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())

    _post(coordinator_chat(seeded, line_world), "latex", "58.50")
    assert price_alerts.deliver(seeded) == 2
    sent = _multicasts(line_world)
    assert [recipients for recipients, _text in sent] == [["Uboth"], ["Udaily"]], "each member one push"
    assert sent[0][1].startswith("🔔 น้ำยางสด ขึ้นมาที่ 58.50") and sent[1][1].startswith("📊 ราคาน้ำยางสด วันนี้")


def test_an_alert_fires_again_only_after_the_price_crosses_back(
    seeded: Flask, line_world: LineWorld, clock: datetime
) -> None:
    member = _member(seeded, line_world, user_id="Ubelow")
    member.press(Intent("alert.create", {"rubber_type": "latex", "direction": "below", "threshold": 55}).to_postback())
    coordinator = coordinator_chat(seeded, line_world)
    fired = []
    for step, price in enumerate(("56.00", "54.50", "54.00", "56.00", "55.00")):
        seeded.extensions["dispatcher"].clock = lambda step=step: clock + timedelta(days=step)  # type: ignore[misc]
        _post(coordinator, "latex", price)
        fired.append(price_alerts.deliver(seeded))
    assert fired == [0, 1, 0, 0, 1]


def test_members_who_unfollowed_are_skipped(seeded: Flask, line_world: LineWorld, db: Session, clock: datetime) -> None:
    stays = _member(seeded, line_world, user_id="Ustays")
    leaves = _member(seeded, line_world, user_id="Uleaves")
    for chat in (stays, leaves):
        chat.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())
    leaves.unfollow()
    _post(coordinator_chat(seeded, line_world), "latex", "58.00")
    price_alerts.deliver(seeded)
    assert [to for to, _text in _multicasts(line_world)] == [["Ustays"]]


def test_the_monthly_quota_holds_alerts_back(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    for user in ("Uq1", "Uq2"):
        _member(seeded, line_world, user_id=user).press(
            Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())
    line_world.quota, line_world.usage = 300, 299
    _post(coordinator_chat(seeded, line_world), "latex", "58.00")
    assert price_alerts.deliver(seeded) == 0
    assert _multicasts(line_world) == []
    held = db.scalars(select(Delivery)).one()
    assert held.status == "pending" and held.error == "monthly message quota reached"
    line_world.quota = 1000
    assert price_alerts.deliver(seeded) == 1
    assert [to for to, _text in _multicasts(line_world)] == [["Uq1", "Uq2"]]


def test_english_members_get_their_own_multicast(seeded: Flask, line_world: LineWorld, clock: datetime) -> None:
    for user, language in (("Uth", None), ("Uen", "en")):
        chat = Chat(seeded, line_world, user_id=user)
        registered(seeded, user, language=language)
        chat.press(Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())
    _post(coordinator_chat(seeded, line_world), "latex", "58.00")
    price_alerts.deliver(seeded)
    sent = dict((tuple(to), text) for to, text in _multicasts(line_world))
    assert sent[("Uen",)].startswith("📊 Field latex today: 58.00 baht/kg")
    assert sent[("Uth",)].startswith("📊 ราคาน้ำยางสด วันนี้ 58.00")


def test_each_member_is_alerted_on_the_price_they_act_on(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    for user, district in (("Ukhuan", "ควนขนุน"), ("Utamot", "ตะโหมด"), ("Uen-profile", "ตะโหมด")):
        chat = _member(seeded, line_world, district=district, user_id=user)
        chat.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 58})
                   .to_postback())
    with seeded.extensions["sessions"]() as session, session.begin():
        member = session.scalar(select(Member).where(Member.line_user_id == "Uen-profile"))
        assert member is not None
        member.language, member.profile_language = None, "en-US"
    _post(coordinator_chat(seeded, line_world), "latex", "58.50")          # ควนขนุน's cooperative
    federation = coordinator_chat(seeded, line_world, center="PROV-RUBBER")
    _post(federation, "latex", "59.00")                                     # everyone whose cooperative did not post
    put(seeded, TODAY, "latex", "60.00")                                    # RAOT, after the federation: nobody
    with seeded.extensions["sessions"]() as session, session.begin():
        raot = session.scalars(select(PriceQuote).where(PriceQuote.source == "raot")).one()
        assert evaluate(session, raot, NOW) == 0
    price_alerts.deliver(seeded)
    sent = {tuple(to): text.split("\n")[0] for to, text in _multicasts(line_world)}
    assert sent == {
        ("Ukhuan",): "🔔 น้ำยางสด ขึ้นมาที่ 58.50 บาท/กก. ถึงระดับที่ท่านตั้งไว้แล้วครับ",
        ("Utamot",): "🔔 น้ำยางสด ขึ้นมาที่ 59.00 บาท/กก. ถึงระดับที่ท่านตั้งไว้แล้วครับ",
        ("Uen-profile",): "🔔 Field latex is 59.00 baht/kg, up to the price you set.",
    }


def test_cancel_by_its_number_in_the_list(seeded: Flask, line_world: LineWorld, clock: datetime) -> None:
    chat = _member(seeded, line_world)
    for threshold in (60, 65, 70):
        chat.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": threshold})
                   .to_postback())
    assert "สูงกว่า 65.00" in confirmed(chat, chat.say("ยกเลิกแจ้งเตือนข้อ ๒"))
    left = texts(chat.say("การแจ้งเตือนของฉัน"))
    assert "สูงกว่า 60.00" in left and "สูงกว่า 70.00" in left and "65.00" not in left


def test_a_level_typed_in_words_is_understood(seeded: Flask, line_world: LineWorld, clock: datetime) -> None:
    put(seeded, TODAY, "latex", "56.40")
    chat = _member(seeded, line_world)
    level = chat.press(button_data(chat.press(Intent("alert.create").to_postback()), "น้ำยางสด"))
    assert "ที่ราคากี่บาท" in texts(level)
    assert "สูงกว่า 60.00" in texts(chat.say("หกสิบบาท"))


def test_a_lower_source_coming_in_first_neither_rearms_nor_spends_the_daily_price(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    """Each morning RAOT's price (a baht and a half below) comes in before the cooperative's: the member's
    alerts follow their cooperative's price, which never went back below 60."""
    for user, kind in (("Uwatch", "above"), ("Udigest", "daily")):
        chat = _member(seeded, line_world, user_id=user)
        slots = {"direction": kind, "threshold": 60} if kind == "above" else {"daily": True}
        chat.press(Intent("alert.create", {"rubber_type": "latex", **slots}).to_postback())
    for day in (TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY):
        for source, center, price in (("raot", None, "59.50"), ("center", "DIST-05", "61.00")):
            _fire(seeded, day, source, price, center)
            price_alerts.deliver(seeded)  # as the scheduler does within seconds of each price
    sent = [(to, text.split("\n")[0]) for to, text in _multicasts(line_world)]
    crossings = [text for to, text in sent if to == ["Uwatch"]]
    assert crossings == ["🔔 น้ำยางสด ขึ้นมาที่ 61.00 บาท/กก. ถึงระดับที่ท่านตั้งไว้แล้วครับ"], "once, on the first day"
    digests = [text for to, text in sent if to == ["Udigest"]]
    assert len(digests) == 3 and all("59.50" not in text for text in digests[1:]), digests


def test_cancel_by_type_touches_only_that_types_alerts(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    chat = _member(seeded, line_world)
    chat.press(Intent("alert.create", {"rubber_type": "rss3", "direction": "above", "threshold": 70}).to_postback())
    none = texts(chat.say("ยกเลิกเตือนน้ำยาง"))
    assert "ไม่มีการแจ้งเตือนแบบนั้น" in none and "1. ยางแผ่นรมควัน ชั้น 3 สูงกว่า 70.00" in none

    chat.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 60}).to_postback())
    assert "ยกเลิกแล้วครับ: น้ำยางสด สูงกว่า 60.00" in confirmed(chat, chat.say("ยกเลิกเตือนน้ำยาง")), "the one latex alert"

    for slots in ({"direction": "below", "threshold": 50}, {"daily": True}):
        chat.press(Intent("alert.create", {"rubber_type": "latex", **slots}).to_postback())
    which = chat.say("ยกเลิกเตือนน้ำยาง")
    assert "ข้อไหน" in texts(which) and "ยางแผ่นรมควัน" not in texts(which)
    done = confirmed(chat, chat.press(button_data(which, "ยกเลิกทั้งหมด")))
    assert done.startswith("ยกเลิกแล้ว 2 รายการครับ:") and "ต่ำกว่า 50.00" in done and "ส่งราคาทุกวัน" in done
    left = db.scalars(select(PriceAlert.rubber_type).where(PriceAlert.active.is_(True))).all()
    assert left == ["rss3"]


def test_a_price_corrected_before_the_alerts_go_sends_no_false_crossing(
    seeded: Flask, line_world: LineWorld, db: Session, clock: datetime
) -> None:
    above = _member(seeded, line_world, user_id="Ucorrected")
    above.press(Intent("alert.create", {"rubber_type": "latex", "direction": "above", "threshold": 58}).to_postback())
    coordinator = coordinator_chat(seeded, line_world)
    _post(coordinator, "latex", "58.00")
    _post(coordinator, "latex", "57.00")  # a typo put right within the scheduler's 15 seconds
    price_alerts.deliver(seeded)
    assert _multicasts(line_world) == [], "57.00 is not up to 58"


def _fire(app: Flask, day: date, source: str, price: str, center: str | None = None) -> int:
    """A latex price of `day` stored and evaluated that morning, as its source would; how many alerts fired."""
    quote_id = put(app, day, "latex", price, source, center)
    with app.extensions["sessions"]() as session, session.begin():
        quote = session.get(PriceQuote, quote_id)
        assert quote is not None
        return evaluate(session, quote, morning(day))


def test_a_lower_source_fires_only_for_members_no_better_source_posts_for(
    seeded: Flask, line_world: LineWorld, clock: datetime
) -> None:
    _member(seeded, line_world, user_id="Udaily").press(
        Intent("alert.create", {"rubber_type": "latex", "daily": True}).to_postback())
    week_ago = TODAY - timedelta(days=6)
    assert _fire(seeded, week_ago, "center", "58.00", "PROV-RUBBER") == 1  # the federation posts
    assert _fire(seeded, TODAY, "raot", "57.00") == 0, "the federation posted within the week"
    assert _fire(seeded, TODAY, "moc", "56.00") == 0, "so did RAOT and the federation"
    assert _fire(seeded, TODAY + timedelta(days=1), "moc", "56.50") == 0, "RAOT posted yesterday"
    assert _fire(seeded, TODAY + timedelta(days=7), "raot", "57.50") == 1, "the federation's week is over"
    assert _fire(seeded, TODAY + timedelta(days=13), "moc", "56.20") == 0, "RAOT's is not"
    assert _fire(seeded, TODAY + timedelta(days=21), "moc", "56.40") == 1, "nor anyone's now"
