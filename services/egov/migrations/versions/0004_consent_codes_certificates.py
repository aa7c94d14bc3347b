"""the household's consent codes, the consent an agent's application was filed on, and the
electronic-certificate registry

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("given_by_name", sa.String(length=200), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_household_id"), ["household_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "kind", "number", name="uq_certificates_number"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_household_id"), ["household_id"], unique=False)

    # certificate_ready is longer than the states so far
    with op.batch_alter_table("application_steps", schema=None) as batch_op:
        for column in ("from_state", "to_state"):
            batch_op.alter_column(column, existing_type=sa.String(length=16), type_=sa.String(length=32))

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=sa.String(length=16), type_=sa.String(length=32))
        batch_op.add_column(sa.Column("consent_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("consent_given_by", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("consent_given_at")
        batch_op.drop_column("consent_given_by")
        batch_op.drop_column("consent_id")
        batch_op.alter_column("state", existing_type=sa.String(length=32), type_=sa.String(length=16))

    with op.batch_alter_table("application_steps", schema=None) as batch_op:
        for column in ("from_state", "to_state"):
            batch_op.alter_column(column, existing_type=sa.String(length=32), type_=sa.String(length=16))

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_household_id"))

    op.drop_table("certificates")

    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_household_id"))

    op.drop_table("consents")
