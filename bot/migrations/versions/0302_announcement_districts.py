"""announcement audiences: an announcement may be narrowed to some districts, or to the members of a round

Revision ID: 0302_announcement_districts
Revises: 0301_delivery_holds
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0302_announcement_districts"
down_revision: str | Sequence[str] | None = "0301_delivery_holds"
# the members of a round: the orders branch must be there
depends_on_orders = "0200_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = depends_on_orders


def upgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.add_column(sa.Column(
            "districts", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))
        batch_op.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_announcements_round_id_rounds"), "rounds", ["round_id"], ["id"],
                                    ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_announcements_round_id_rounds"), type_="foreignkey")
        batch_op.drop_column("round_id")
        batch_op.drop_column("districts")
