"""A member's right of access: everything the bot keeps about one member, as plain data (the admin page gives it
as a JSON file; the member asks in chat with "ขอข้อมูลของฉัน")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.alerts import PriceAlert
from models.member import Member
from models.orders import member_lines


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
