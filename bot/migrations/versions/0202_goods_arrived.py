"""a round's goods marked as arrived at a pickup point, and until when members may collect them there

Revision ID: 0202_goods_arrived
Revises: 0201_line_drc
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0202_goods_arrived"
down_revision: str | Sequence[str] | None = "0201_line_drc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round_pickups") as batch_op:
        batch_op.add_column(sa.Column("arrived_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("collect_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round_pickups") as batch_op:
        batch_op.drop_column("collect_until")
        batch_op.drop_column("arrived_at")
