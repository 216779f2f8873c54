"""organisations' country, province, region, tax code and website; the new e-mail address
an account is verifying

Revision ID: c5e1a8d3f720
Revises: c4f1a8e2d6b3
Create Date: 2026-12-06 09:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5e1a8d3f720"
down_revision = "c4f1a8e2d6b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        # Every organisation so far was registered by the Lombard centre's members.
        batch_op.add_column(
            sa.Column("country", sa.String(length=2), server_default="IT", nullable=False)
        )
        batch_op.add_column(sa.Column("province", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("region", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("tax_code", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("website", sa.String(length=300), nullable=True))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("pending_email")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("website")
        batch_op.drop_column("tax_code")
        batch_op.drop_column("region")
        batch_op.drop_column("province")
        batch_op.drop_column("country")
