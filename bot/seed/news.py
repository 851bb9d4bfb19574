"""Demo announcements and a past round for `coopbot seed --demo`, so that "ข่าวสาร" and "ประหยัดไปเท่าไหร่" in
the sandbox have something to show: notices from the federations (one a meeting with replies), and last month's
formic acid round, delivered, with what three members (who have since left the account) saved. Re-running adds
nothing twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from models.announcements import Announcement, MeetingReply
from models.base import BANGKOK, utcnow
from models.member import Member
from models.network import center_by_code, district_cooperative
from models.orders import OrderLine
from models.products import product_by_code
from models.rounds import Round

NOTICES = (
    ("PROV-RUBBER", 3, "ตลาดนัดยางพาราเปิดทุกวันพุธ 8 โมงเช้า ที่ชุมนุมสหกรณ์การยาง นำยางแผ่นดิบมาขายรวมได้ราคาดีกว่า"),
    ("PROV-AGRI", 1, "รถปุ๋ยรอบนี้จะเข้าสหกรณ์อำเภอวันพฤหัสหน้า สมาชิกที่สั่งไว้เตรียมรับของได้เลยครับ"),
)
MEETING = ("PROV-AGRI", "ประชุมใหญ่สามัญประจำปี ขอเชิญสมาชิกทุกท่านร่วมประชุม", "ห้องประชุมชุมนุมสหกรณ์การเกษตรจังหวัดพัทลุง")
PAST_BUYERS = (("ลุงเคลื่อน ทองดี", "ควนขนุน", Decimal(60)), ("ป้าสมใจ แก้วมณี", "กงหรา", Decimal(90)),
               ("พี่หมาด สะอาด", "ป่าบอน", Decimal(30)))


def demo_news(db: Session, settings: Settings) -> dict[str, int]:
    if db.scalar(select(Announcement.id).limit(1)) is not None:
        return {"demo announcements": 0}
    now = utcnow()
    for code, days_ago, body in NOTICES:
        center = center_by_code(db, code)
        if center is not None:
            db.add(Announcement(center_id=center.id, body=body, send_at=now - timedelta(days=days_ago),
                                status="sent"))
    members = _past_round(db, now)
    code, body, place = MEETING
    center = center_by_code(db, code)
    if center is not None:
        day = (now + timedelta(days=6)).astimezone(BANGKOK).date()
        meeting = Announcement(center_id=center.id, body=body, send_at=now - timedelta(hours=5), status="sent",
                               meeting_at=datetime.combine(day, time(9), BANGKOK), place=place)
        db.add(meeting)
        db.flush()
        for member, going in zip(members, (True, True, False), strict=False):
            db.add(MeetingReply(announcement_id=meeting.id, member_id=member.id, going=going, at=now))
    db.flush()
    return {"demo announcements": len(NOTICES) + 1}


def _past_round(db: Session, now: datetime) -> list[Member]:
    """Last month's formic acid round, delivered: three members' lines at the group price, 13 baht a kilo below
    the retail reference. The members have left the account, so no push ever goes to them."""
    product = product_by_code(db, "acid-formic")
    center = center_by_code(db, "PROV-RUBBER")
    if product is None or center is None:
        return []
    delivered = now - timedelta(days=20)
    round_ = Round(product=product, center=center, price=Decimal("47.00"), opens_at=now - timedelta(days=40),
                   closes_at=now - timedelta(days=30), status="delivered", closed_at=now - timedelta(days=30),
                   delivered_at=delivered, announced_at=now - timedelta(days=40), total=Decimal(180))
    db.add(round_)
    members = []
    for n, (name, district, kg) in enumerate(PAST_BUYERS, 1):
        member = Member(line_user_id=f"demo-member-{n}", name=name, district=district,
                        cooperative=district_cooperative(db, district), consent_at=now - timedelta(days=60),
                        active=False)
        db.add(member)
        db.flush()
        db.add(OrderLine(round=round_, member_id=member.id, quantity=kg, allocated=kg, unit_price=Decimal("47.00"),
                         retail_price=product.retail_price, pickup_center_id=member.cooperative_id,
                         queued_at=now - timedelta(days=35), created_at=now - timedelta(days=35)))
        members.append(member)
    return members
