"""an answer or a board answer is promoted into the FAQ once: unique source indexes

Revision ID: a3f6c9e2d418
Revises: d8a3f61c2b94
Create Date: 2026-12-06 18:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a3f6c9e2d418"
down_revision = "d8a3f61c2b94"
branch_labels = None
depends_on = None

SOURCES = ("source_answer_id", "source_board_answer_id")


def upgrade():
    for column in SOURCES:
        # Before this revision an answer could be promoted twice. The oldest entry keeps
        # the source; a later one keeps its text and history but no longer names the
        # source (as when the answer is deleted), so the unique index can be built.
        op.execute(
            f"UPDATE faq_entry SET {column} = NULL WHERE {column} IS NOT NULL AND id > "
            f"(SELECT MIN(earlier.id) FROM faq_entry AS earlier"
            f" WHERE earlier.{column} = faq_entry.{column})"
        )
        op.drop_index(f"ix_faq_entry_{column}", table_name="faq_entry")
        op.create_index(f"ix_faq_entry_{column}", "faq_entry", [column], unique=True)


def downgrade():
    for column in SOURCES:
        op.drop_index(f"ix_faq_entry_{column}", table_name="faq_entry")
        op.create_index(f"ix_faq_entry_{column}", "faq_entry", [column], unique=False)
