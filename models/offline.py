"""Orders taken by a coordinator for a member without a smartphone (by phone, at the counter): the same rules as
in chat (models.orders.join), one rule more: only a coordinator of the round's center (or of a center above it),
or an admin, takes them.

Such a member is known by their mobile number; a new one gets a row without LINE (user id `offline-<mobile>`,
never pushed to) and picks up at their district's cooperative."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.member import Member, normalize_mobile, runs
from models.network import DISTRICTS, district_cooperative
from models.orders import OrderRefused, Outcome, join
from models.rounds import Round


def offline_member(db: Session, name: str, phone: str, district: str | None, now: datetime) -> Member:
    """The member with this mobile number, or a new one without LINE. Refused (OrderRefused): bad_phone,
    no_name, bad_district, and name_mismatch when the number is a member's whose name is not the one typed (a
    mistyped number neither orders for someone else nor tells whose number it is)."""
    mobile = normalize_mobile(phone)
    if mobile is None:
        raise OrderRefused("bad_phone", phone=phone)
    if district and district not in dict(DISTRICTS):
        raise OrderRefused("bad_district", district=district)
    member = db.scalar(select(Member).where(Member.phone == mobile))
    if member is not None and name.strip() and _plain(name) != _plain(member.name or ""):
        raise OrderRefused("name_mismatch", phone=mobile)
    if member is None:
        if not name.strip():
            raise OrderRefused("no_name")
        member = Member(line_user_id=f"offline-{mobile}", name=name.strip(), phone=mobile, consent_at=now,
                        active=False)
    member.district = member.district or district or None
    if member.district and member.cooperative_id is None:
        member.cooperative = district_cooperative(db, member.district)
    db.add(member)
    db.flush()
    return member


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()


def order_for(db: Session, round_: Round, quantity: Decimal, *, name: str, phone: str, district: str | None,
              now: datetime, actor: Member | None = None) -> Outcome:
    """Add `quantity` to the order of the member with this phone (creating them), as `actor` (None: the operator
    at the server). Refused (OrderRefused) as a join is, or not_staff when the actor runs another center."""
    if actor is not None and not runs(db, actor, round_.center_id):
        raise OrderRefused("not_staff", center=round_.center.code)
    member = offline_member(db, name, phone, district, now)
    return join(db, round_.id, member, quantity, now, pickup_center_id=member.cooperative_id, actor=actor)
