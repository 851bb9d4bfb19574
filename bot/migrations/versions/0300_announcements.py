"""announcements: scheduled notices from coordination centers

Revision ID: 0300_announcements
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0300_announcements"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("announcements",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("send_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["members.id"], name=op.f("fk_announcements_author_id_members"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["center_id"], ["centers.id"], name=op.f("fk_announcements_center_id_centers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.create_index(batch_op.f("ix_announcements_send_at"), ["send_at"], unique=False)


def downgrade() -> None:
    op.drop_table("announcements")
