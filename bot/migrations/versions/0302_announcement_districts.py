"""announcement districts: an announcement may be narrowed to some districts of its center's members

Revision ID: 0302_announcement_districts
Revises: 0301_delivery_holds
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0302_announcement_districts"
down_revision: str | Sequence[str] | None = "0301_delivery_holds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.add_column(sa.Column(
            "districts", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.drop_column("districts")
