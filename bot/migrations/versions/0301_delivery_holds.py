"""delivery holds: deliveries wait until a time (LINE's 429), belong to an announcement, one sender at a time

Revision ID: 0301_delivery_holds
Revises: 0300_announcements
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0301_delivery_holds"
down_revision: str | Sequence[str] | None = "0300_announcements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("announcement_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_deliveries_announcement_id_announcements"), "announcements",
                                    ["announcement_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_deliveries_announcement_id"), ["announcement_id"], unique=False)
    with op.batch_alter_table("announcements") as batch_op:
        for name in ("delivered", "held", "failed"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("held_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("held_until", models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reported_at", models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("announcements") as batch_op:
        for name in ("delivered", "held", "failed"):
            batch_op.alter_column(name, server_default=None)
    # Announcements sent before this release count as delivered, and their authors are not told again.
    op.execute("UPDATE announcements SET delivered = recipients, reported_at = created_at WHERE status = 'sent'")
    op.create_table(
        "outbox_sender",
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("holder", sa.String(length=32), nullable=True),
        sa.Column("lease_until", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("quota_left", sa.Integer(), nullable=True),
        sa.Column("quota_read_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_outbox_sender")),
    )


def downgrade() -> None:
    op.drop_table("outbox_sender")
    with op.batch_alter_table("announcements") as batch_op:
        for name in ("reported_at", "held_until", "held_reason", "failed", "held", "delivered"):
            batch_op.drop_column(name)
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_announcement_id"))
        batch_op.drop_constraint(batch_op.f("fk_deliveries_announcement_id_announcements"), type_="foreignkey")
        batch_op.drop_column("announcement_id")
        batch_op.drop_column("next_attempt_at")
