"""thread generations: a write in one question's thread retires that question's page only

Revision ID: 4e7a2c9d1b58
Revises: c3e7a9d1f5b2
Create Date: 2026-12-07 05:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4e7a2c9d1b58"
down_revision = "c3e7a9d1f5b2"
branch_labels = None
depends_on = None


def upgrade():
    # No rows: a thread's row is made by the first commit that writes in it, and a
    # missing row reads as 0 (forum/models/generation.py). No foreign key: the row
    # outlives its question, so the deletion's own bump retires the page.
    op.create_table(
        "thread_generation",
        sa.Column("question_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_thread_generation")),
    )


def downgrade():
    op.drop_table("thread_generation")
