"""What members gained by buying (or selling) together, from delivered lines.

Each line keeps the retail reference and the group price it was settled at. Buying, the gain is
(retail - group) × quantity; selling, (group - the day's local buying price) × quantity, in dry rubber for latex
and cup lump (quantity × DRC %).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from models.orders import OrderLine
from models.rounds import Round


def _gain() -> ColumnElement[Any]:
    per_unit = case(
        (Round.direction == "sell", OrderLine.unit_price - OrderLine.retail_price),
        else_=OrderLine.retail_price - OrderLine.unit_price,
    )
    dry = OrderLine.allocated * func.coalesce(OrderLine.drc, 100) / 100  # latex and cup lump: the dry rubber in it
    return func.coalesce(func.sum(per_unit * dry), 0)


def gained(db: Session, since: datetime, *, member_id: int | None = None, center_id: int | None = None) -> Decimal:
    """The total gain on lines delivered since `since`, for one member, one center's rounds, or all."""
    query = (
        select(_gain())
        .select_from(OrderLine)
        .join(OrderLine.round)
        .where(
            Round.status == "delivered",
            Round.delivered_at >= since,
            OrderLine.status == "active",
            OrderLine.retail_price.is_not(None),
            OrderLine.allocated > 0,
        )
    )
    if member_id is not None:
        query = query.where(OrderLine.member_id == member_id)
    if center_id is not None:
        query = query.where(Round.center_id == center_id)
    value = db.scalar(query)
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))
