"""SQLAlchemy tables, one module per aggregate, and the domain rules that guard them."""

from models import announcements, channel, conversation, events, member, network, outbox
from models.base import Base

__all__ = ["Base", "announcements", "channel", "conversation", "events", "member", "network", "outbox"]
