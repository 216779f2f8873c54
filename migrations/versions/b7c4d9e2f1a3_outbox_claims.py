"""outbox claims: who is sending a message and since when

Revision ID: b7c4d9e2f1a3
Revises: 0ddcce99ec19
Create Date: 2026-12-06 06:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c4d9e2f1a3"
down_revision = "0ddcce99ec19"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claim_token")
