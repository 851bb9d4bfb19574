"""centers' pickup hours, set in the console and told to members who ask where and when to collect

Revision ID: 0800_center_pickup_hours
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0800_center_pickup_hours"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("center_hours",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("centers") as batch_op:
        batch_op.add_column(sa.Column("pickup_hours", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("centers") as batch_op:
        batch_op.drop_column("pickup_hours")
