"""SQLAlchemy tables, one module per aggregate, and the domain rules that guard them."""

from models import conversation, events, member, network, outbox
from models.base import Base

__all__ = ["Base", "conversation", "events", "member", "network", "outbox"]
