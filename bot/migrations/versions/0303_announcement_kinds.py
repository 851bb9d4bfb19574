"""announcements by network or interest, repeating by a cron rule, meetings with replies, an image (kept in the
database, so that every web process serves it); members'
interests (what they raise or grow)

Revision ID: 0303_announcement_kinds
Revises: 0302_announcement_districts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import models.base

revision: str = "0303_announcement_kinds"
down_revision: str | Sequence[str] | None = "0302_announcement_districts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
    )
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.add_column(sa.Column("network", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("interest", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("every", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("meeting_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("place", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("image_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_announcements_image_id_media"), "media", ["image_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.add_column(sa.Column("reminded_at", models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("interests", JSON, nullable=True))
    op.create_table(
        "meeting_replies",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("going", sa.Boolean(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["announcement_id"], ["announcements.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_replies_announcement_id_announcements")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_replies_member_id_members")),
        sa.PrimaryKeyConstraint("announcement_id", "member_id", name=op.f("pk_meeting_replies")),
    )


def downgrade() -> None:
    op.drop_table("meeting_replies")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("interests")
    with op.batch_alter_table("announcements") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_announcements_image_id_media"), type_="foreignkey")
        for column in ("reminded_at", "image_id", "place", "meeting_at", "every", "interest", "network"):
            batch_op.drop_column(column)
    op.drop_table("media")
