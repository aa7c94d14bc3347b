"""an idempotency key for asking a question

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:09:38.938911

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint("uq_consultations_idempotency", ["idempotency_key"])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_consultations_idempotency", type_="unique")
        batch_op.drop_column("idempotency_key")
