"""user page generations: a change only its owner sees retires only their cached pages

Revision ID: 7c41e9b2d5a8
Revises: 3f6a2c9d8e41
Create Date: 2026-12-06 21:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c41e9b2d5a8"
down_revision = "3f6a2c9d8e41"
branch_labels = None
depends_on = None


def upgrade():
    # No rows: a user's row is made by the first commit that bumps it, and a missing
    # row reads as 0 (forum/models/generation.py).
    op.create_table(
        "user_page_generation",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_user_page_generation_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_page_generation")),
    )


def downgrade():
    op.drop_table("user_page_generation")
