"""A member's rights over their data (PDPA): access, everything the bot keeps about one member, as plain data
(the console gives it as a JSON file; the member asks in chat with "ขอข้อมูลของฉัน"); and erasure, the same in
chat ("ลบข้อมูลของฉัน") and the console."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import alerts, orders
from models.alerts import PriceAlert
from models.member import Member
from models.orders import OrderLine, OrderRefused, member_lines


def copy_of(db: Session, member: Member) -> dict[str, Any]:
    lines = member_lines(db, member.id)
    alerts = db.scalars(select(PriceAlert).where(PriceAlert.member_id == member.id).order_by(PriceAlert.id))
    return {
        "member": {
            "line_user_id": member.line_user_id, "display_name": member.display_name, "name": member.name,
            "phone": member.phone, "district": member.district,
            "cooperative": member.cooperative.name_th if member.cooperative else None,
            "membership_no": member.membership_no, "role": member.role, "language": member.language,
            "consent_at": member.consent_at, "registered_at": member.created_at,
        },
        "orders_and_pledges": [{
            "round": line.round_id, "product": line.round.product.name_th, "direction": line.round.direction,
            "ordered": line.quantity, "final": line.final, "unit": line.round.product.unit, "drc": line.drc,
            "unit_price": line.unit_price, "amount": line.amount, "status": line.status,
            "pickup_point": line.pickup_center.name_th if line.pickup_center else None, "at": line.created_at,
        } for line in lines],
        "price_alerts": [{
            "rubber_type": alert.rubber_type, "kind": alert.kind, "threshold": alert.threshold,
            "active": alert.active, "at": alert.created_at,
        } for alert in alerts],
    }


def open_orders(db: Session, member: Member, now: datetime) -> list[OrderLine]:
    """The member's orders in rounds still open to changes: erasing their data cancels these."""
    return [line for line in member_lines(db, member.id, active_only=True, round_statuses=("open",))
            if line.round.joinable(now)]


class ErasureRefused(ValueError):
    """A coordinator's or an admin's data, asked to be deleted while they keep the role (`erasable`)."""


def erasable(member: Member) -> bool:
    """Whether the member's data may be deleted: not a coordinator's or an admin's while they keep the role (a
    center would be left with a nameless coordinator, the console with a nameless admin). An admin makes them a
    member again first, handing the role to someone else (models.member.set_role)."""
    return member.role == "member"


def erase(db: Session, member: Member, now: datetime, actor: Member | None = None) -> list[OrderLine]:
    """Delete the member's personal data (refused while they keep a role: `erasable`); their alerts stop (a deleted
    member is pushed nothing) and their orders in open rounds are cancelled (nobody could see, change or collect an
    order without a name). The row stays, so that past orders keep their totals. Returns the orders and pledges
    cancelled."""
    if not erasable(member):
        raise ErasureRefused(member.role)
    lines = open_orders(db, member, now)
    member.forget()
    for alert in alerts.active_alerts(db, member.id):
        alerts.cancel(db, alert, now)
    cancelled = []
    for line in lines:
        try:
            orders.cancel(db, line.id, now, actor or member)
            cancelled.append(line)
        except OrderRefused:  # its round closed a moment ago: the closing notice has gone out already
            pass
    return cancelled
