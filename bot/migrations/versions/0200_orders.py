"""orders: products, rounds, order lines, the ledger of changes, pickup points

Revision ID: 0200_orders
Revises: 0001
Create Date: 2026-11-25 19:04:52.295447
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base
from sqlalchemy.dialects import postgresql

revision: str = '0200_orders'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = ('orders',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('synonyms', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('brand', sa.String(length=32), nullable=True),
    sa.Column('animal', sa.String(length=16), nullable=True),
    sa.Column('formula', sa.String(length=16), nullable=True),
    sa.Column('rubber_type', sa.String(length=16), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('pack_unit', sa.String(length=16), nullable=False),
    sa.Column('pack_size', sa.Numeric(precision=10, scale=3), nullable=False),
    sa.Column('unit_kg', sa.Numeric(precision=10, scale=3), nullable=True),
    sa.Column('max_order', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('retail_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_products_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_category'), ['category'], unique=False)

    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('tiers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('opens_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('min_total', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('max_total', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('total', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('shortfall_rule', sa.String(length=16), nullable=False),
    sa.Column('below_minimum', sa.String(length=16), nullable=False),
    sa.Column('extend_days', sa.Integer(), nullable=False),
    sa.Column('extensions', sa.Integer(), nullable=False),
    sa.Column('pickup_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notice', sa.String(length=16), nullable=True),
    sa.Column('announced_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_rounds_center_id_centers')),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_rounds_created_by_id_members')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_rounds_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_status'), ['status'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('extra_ok', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('allocated', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('retail_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('pickup_center_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('queued_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_order_lines_member_id_members')),
    sa.ForeignKeyConstraint(['pickup_center_id'], ['centers.id'], name=op.f('fk_order_lines_pickup_center_id_centers')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_order_lines_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('round_id', 'member_id', name=op.f('uq_order_lines_round_id'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_round_id'), ['round_id'], unique=False)

    op.create_table('round_pickups',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('pickup_on', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_round_pickups_center_id_centers')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_pickups_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'center_id', name=op.f('pk_round_pickups'))
    )
    op.create_table('order_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_quantity', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('to_quantity', sa.Numeric(precision=12, scale=3), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_order_changes_actor_id_members')),
    sa.ForeignKeyConstraint(['line_id'], ['order_lines.id'], name=op.f('fk_order_changes_line_id_order_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_changes')),
    sa.UniqueConstraint('token', name=op.f('uq_order_changes_token'))
    )
    with op.batch_alter_table('order_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_changes_line_id'), ['line_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('order_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_changes_line_id'))

    op.drop_table('order_changes')
    op.drop_table('round_pickups')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_round_id'))
        batch_op.drop_index(batch_op.f('ix_order_lines_member_id'))

    op.drop_table('order_lines')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_status'))
        batch_op.drop_index(batch_op.f('ix_rounds_closes_at'))
        batch_op.drop_index(batch_op.f('ix_rounds_center_id'))

    op.drop_table('rounds')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_category'))

    op.drop_table('products')
