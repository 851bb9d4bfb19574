"""Outbound pushes, each stored with its LINE retry key before the call, so a crash resumes without loss
or repeats: a pending row is sent again with the same key, and LINE answers 409 if it already went."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, JSONType, utcnow

MULTICAST_LIMIT = 500


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    recipients: Mapped[list[str]] = mapped_column(JSONType)
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


def queue(db: Session, user_ids: Sequence[str], messages: list[dict[str, Any]], purpose: str) -> list[Delivery]:
    """Store one delivery per batch of at most 500 recipients, each with a fresh retry key."""
    unique_ids = list(dict.fromkeys(user_ids))
    deliveries = [
        Delivery(
            retry_key=str(uuid.uuid4()),
            purpose=purpose,
            recipients=unique_ids[start : start + MULTICAST_LIMIT],
            messages=messages,
        )
        for start in range(0, len(unique_ids), MULTICAST_LIMIT)
    ]
    db.add_all(deliveries)
    db.flush()
    return deliveries


def unsent(db: Session, limit: int = 1000) -> list[Delivery]:
    return list(db.scalars(select(Delivery).where(Delivery.status == "pending").order_by(Delivery.id).limit(limit)))
