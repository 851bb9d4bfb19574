"""SQLAlchemy tables, one module per aggregate, and the domain rules that guard them."""

from models import (
    announcements,
    channel,
    closing,
    conversation,
    events,
    member,
    network,
    orders,
    outbox,
    products,
    rounds,
    savings,
)
from models.base import Base

__all__ = ["Base", "announcements", "channel", "conversation", "events", "member", "network", "outbox"]
__all__ += ["closing", "orders", "products", "rounds", "savings"]
