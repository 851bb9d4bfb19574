"""SQLAlchemy tables, one module per aggregate, and the domain rules that guard them."""

from models import (
    alerts,
    announcements,
    channel,
    closing,
    conversation,
    events,
    member,
    network,
    orders,
    outbox,
    prices,
    products,
    rounds,
    savings,
    web_sessions,
)
from models.base import Base

__all__ = ["Base", "announcements", "channel", "conversation", "events", "member", "network", "outbox"]
__all__ += ["closing", "orders", "products", "rounds", "savings"]
__all__ += ["alerts", "prices"]
__all__ += ["web_sessions"]
