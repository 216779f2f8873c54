"""area generations: a write retires the cached pages of the areas it touches, not every page

Revision ID: 9b2d4f6a8c13
Revises: b8d2e6f1a4c3
Create Date: 2026-12-07 01:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9b2d4f6a8c13"
down_revision = "b8d2e6f1a4c3"
branch_labels = None
depends_on = None


def upgrade():
    # No rows: an area's row is made by the first commit that bumps it, and a missing
    # row reads as 0 (forum/models/generation.py).
    op.create_table(
        "area_generation",
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", name=op.f("pk_area_generation")),
    )


def downgrade():
    op.drop_table("area_generation")
