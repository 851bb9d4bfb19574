"""prices: an alert run remembers the last member it fired, and is queued in windows of member ids up to it

Revision ID: 0104_alert_run_last_member
Revises: 0103_alert_fillfactor
Create Date: 2026-11-26 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0104_alert_run_last_member'
down_revision: str | Sequence[str] | None = '0103_alert_fillfactor'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alert_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_member', sa.Integer(), nullable=True))
    # Runs left without it (evaluated before this, or by the previous release during a rollout) get it from
    # their alerts when they are next queued (bot.jobs.price_alerts.queue_chunk).


def downgrade() -> None:
    with op.batch_alter_table('alert_runs', schema=None) as batch_op:
        batch_op.drop_column('last_member')
