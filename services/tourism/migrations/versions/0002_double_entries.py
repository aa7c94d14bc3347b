"""double entries: a ticket let in by a second, offline gate; the gate's id of each entry

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 04:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reservations") as t:
        t.add_column(sa.Column("checked_in_entry", sa.String(length=36), nullable=False, server_default=""))
    op.create_table(
        "double_entries",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("reservation_id", sa.String(length=36), nullable=False),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("party", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gate_staff", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    op.create_index("ix_double_entries_reservation_id", "double_entries", ["reservation_id"])
    op.create_index("ix_double_entries_entered_at", "double_entries", ["entered_at"])


def downgrade() -> None:
    op.drop_index("ix_double_entries_entered_at", table_name="double_entries")
    op.drop_index("ix_double_entries_reservation_id", table_name="double_entries")
    op.drop_table("double_entries")
    with op.batch_alter_table("reservations") as t:
        t.drop_column("checked_in_entry")
