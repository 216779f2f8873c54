"""A member's own questions read in the list's order: the author index holds created_at and id

A member's list and home page read the public questions and their own beyond them as two
ordered reads merged (services/questions.py ``_listed``). The public read walks
``ix_question_visibility_created_at``; the own read had only ``ix_question_author_id``, so
it sorted all of the member's questions on every page (SQLite's temporary B-tree,
PostgreSQL's Sort). ``ix_question_author_id_created_at`` (author_id, created_at, id) gives
them in the newest-first order, and replaces the one-column index, its prefix, which every
lookup by author (the "mine" filter, an account's deletion and export) still uses.

Revision ID: 4f7a2c9e1b35
Revises: 4e7a2c9d1b58
Create Date: 2026-12-07 04:50:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "4f7a2c9e1b35"
down_revision = "4e7a2c9d1b58"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_author_id")
        batch_op.create_index(
            "ix_question_author_id_created_at", ["author_id", "created_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_author_id_created_at")
        batch_op.create_index("ix_question_author_id", ["author_id"], unique=False)
