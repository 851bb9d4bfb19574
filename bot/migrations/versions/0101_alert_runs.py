"""prices: alert runs; the alert log keeps one row per message sent instead of one per member

Revision ID: 0101_alert_runs
Revises: 0100_prices
Create Date: 2026-11-25 19:27:16.976487

The old per-member log cannot be turned into per-message rows; it only ever held test data, so it is
dropped and made anew.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0101_alert_runs'
down_revision: str | Sequence[str] | None = '0100_prices'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alert_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_log_status'))
        batch_op.drop_index(batch_op.f('ix_alert_log_delivery_id'))
    op.drop_table('alert_log')

    with op.batch_alter_table('price_alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fired_run', sa.Integer(), nullable=True))
        batch_op.drop_column('fired_token')

    op.create_table('alert_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('fired', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['quote_id'], ['price_quotes.id'], name=op.f('fk_alert_runs_quote_id_price_quotes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_runs'))
    )
    with op.batch_alter_table('alert_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_runs_status'), ['status'], unique=False)

    op.create_table('alert_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=8), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_alert_log_delivery_id_deliveries')),
    sa.ForeignKeyConstraint(['run_id'], ['alert_runs.id'], name=op.f('fk_alert_log_run_id_alert_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_log'))
    )
    with op.batch_alter_table('alert_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_log_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alert_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_log_run_id'))
    op.drop_table('alert_log')
    with op.batch_alter_table('alert_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_runs_status'))
    op.drop_table('alert_runs')
    with op.batch_alter_table('price_alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fired_token', sa.String(length=32), nullable=True))
        batch_op.drop_column('fired_run')
    op.create_table('alert_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=8), nullable=False),
    sa.Column('price', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['price_alerts.id'], name=op.f('fk_alert_log_alert_id_price_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_alert_log_delivery_id_deliveries')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_alert_log_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quote_id'], ['price_quotes.id'], name=op.f('fk_alert_log_quote_id_price_quotes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_log'))
    )
    with op.batch_alter_table('alert_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_log_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_log_status'), ['status'], unique=False)
