"""announcements to the members who keep a price alert

Revision ID: 0304_announcement_alert_holders
Revises: 0303_announcement_kinds
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0304_announcement_alert_holders"
down_revision: str | Sequence[str] | None = "0303_announcement_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.add_column(sa.Column("with_alerts", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.drop_column("with_alerts")
