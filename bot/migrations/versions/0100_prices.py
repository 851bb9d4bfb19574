"""prices: price quotes, price alerts and the alert log

Revision ID: 0100_prices
Revises: 0001
Create Date: 2026-11-25 19:05:58.968525
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0100_prices'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = ('prices',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('price_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('rubber_type', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('threshold', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_side', sa.String(length=8), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('fired_token', sa.String(length=32), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind = 'daily' OR threshold IS NOT NULL", name=op.f('ck_price_alerts_threshold')),
    sa.CheckConstraint("kind IN ('above', 'below', 'daily')", name=op.f('ck_price_alerts_kind')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_price_alerts_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_alerts'))
    )
    with op.batch_alter_table('price_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_alerts_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_price_alerts_type_active', ['rubber_type', 'active'], unique=False)

    op.create_table('price_quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rubber_type', sa.String(length=16), nullable=False),
    sa.Column('baht_per_kg', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("rubber_type IN ('latex', 'uss', 'rss3', 'cuplump')", name=op.f('ck_price_quotes_rubber_type')),
    sa.CheckConstraint("source IN ('center', 'raot', 'moc')", name=op.f('ck_price_quotes_source')),
    sa.CheckConstraint('baht_per_kg > 0', name=op.f('ck_price_quotes_positive')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_price_quotes_center_id_centers')),
    sa.ForeignKeyConstraint(['posted_by_id'], ['members.id'], name=op.f('fk_price_quotes_posted_by_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_quotes')),
    sa.UniqueConstraint('day', 'rubber_type', 'source', 'center_id', name=op.f('uq_price_quotes_day'))
    )
    with op.batch_alter_table('price_quotes', schema=None) as batch_op:
        batch_op.create_index('ix_price_quotes_type_day', ['rubber_type', 'day'], unique=False)
        batch_op.create_index('uq_price_quotes_market_day', ['day', 'rubber_type', 'source'], unique=True, sqlite_where=sa.text('center_id IS NULL'), postgresql_where=sa.text('center_id IS NULL'))

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



def downgrade() -> None:
    with op.batch_alter_table('alert_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_log_status'))
        batch_op.drop_index(batch_op.f('ix_alert_log_delivery_id'))

    op.drop_table('alert_log')
    with op.batch_alter_table('price_quotes', schema=None) as batch_op:
        batch_op.drop_index('uq_price_quotes_market_day', sqlite_where=sa.text('center_id IS NULL'), postgresql_where=sa.text('center_id IS NULL'))
        batch_op.drop_index('ix_price_quotes_type_day')

    op.drop_table('price_quotes')
    with op.batch_alter_table('price_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_price_alerts_type_active')
        batch_op.drop_index(batch_op.f('ix_price_alerts_member_id'))

    op.drop_table('price_alerts')
