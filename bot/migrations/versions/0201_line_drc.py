"""a line of latex or cup lump is valued by its dry rubber content: the DRC it is valued at, and whether it was
measured at weighing or is an estimate (the member's own figure or the center's average)

Revision ID: 0201_line_drc
Revises: 0200_orders
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0201_line_drc"
down_revision: str | Sequence[str] | None = "0200_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines") as batch_op:
        batch_op.add_column(sa.Column("drc", sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.add_column(sa.Column("drc_measured", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("order_lines") as batch_op:
        batch_op.drop_column("drc_measured")
        batch_op.drop_column("drc")
