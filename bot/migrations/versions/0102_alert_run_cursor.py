"""prices: alert runs are queued in chunks, with a cursor and a claim time so a stopped worker's run resumes

Revision ID: 0102_alert_run_cursor
Revises: 0101_alert_runs
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0102_alert_run_cursor'
down_revision: str | Sequence[str] | None = '0101_alert_runs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alert_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_until', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('claimed_at', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alert_runs', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('queued_until')
