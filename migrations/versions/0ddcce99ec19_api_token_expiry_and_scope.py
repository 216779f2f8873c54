"""api tokens: an optional expiry and a read-only scope

Revision ID: 0ddcce99ec19
Revises: e6b4e00d1aaa
Create Date: 2026-12-06 06:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0ddcce99ec19"
down_revision = "e6b4e00d1aaa"
branch_labels = None
depends_on = None


def upgrade():
    # Tokens minted before this stay as they were: never expiring, reading and writing.
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("read_only", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("read_only")
        batch_op.drop_column("expires_at")
