"""the kinds of notice a member asked not to be sent (a product's rounds, the centers' news); an announcement's
English text, for members who read English

Revision ID: 0305_member_muted
Revises: 0304_announcement_alert_holders
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0305_member_muted"
down_revision: str | Sequence[str] | None = "0304_announcement_alert_holders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("muted", JSON, nullable=True))
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.add_column(sa.Column("body_en", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.drop_column("body_en")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("muted")
