"""foundation: network, members, events, conversations, outbox, channel

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 18:57:47.411226
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ('foundation',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('centers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('brand', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['centers.id'], name=op.f('fk_centers_parent_id_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centers')),
    sa.UniqueConstraint('brand', name=op.f('uq_centers_brand')),
    sa.UniqueConstraint('code', name=op.f('uq_centers_code'))
    )
    op.create_table('channel_settings',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('encrypted_value', sa.Text(), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_channel_settings'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('retry_key', sa.String(length=36), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('recipients', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('messages', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('retry_key', name=op.f('uq_deliveries_retry_key'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_status'), ['status'], unique=False)

    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('code', name=op.f('uq_networks_code'))
    )
    op.create_table('processed_events',
    sa.Column('webhook_event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=32), nullable=False),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('webhook_event_id', name=op.f('pk_processed_events'))
    )
    op.create_table('center_networks',
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_center_networks_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_center_networks_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('center_id', 'network_id', name=op.f('pk_center_networks'))
    )
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=16), nullable=True),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('membership_no', sa.String(length=32), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('profile_language', sa.String(length=16), nullable=True),
    sa.Column('consent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_members_center_id_centers')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['centers.id'], name=op.f('fk_members_cooperative_id_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('line_user_id', name=op.f('uq_members_line_user_id'))
    )
    op.create_table('conversations',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('intent', sa.String(length=32), nullable=False),
    sa.Column('slots', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('awaiting', sa.String(length=32), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_conversations_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_conversations'))
    )



def downgrade() -> None:

    op.drop_table('conversations')
    op.drop_table('members')
    op.drop_table('center_networks')
    op.drop_table('processed_events')
    op.drop_table('networks')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_status'))

    op.drop_table('deliveries')
    op.drop_table('channel_settings')
    op.drop_table('centers')

