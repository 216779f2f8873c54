"""The home page's counts by status read the index alone again: it covers moderation_state

``ix_question_visibility_status_author`` was made so the home page's counts by status were
an index-only scan; the moderation filter added later (``moderation_state``) sent every
counted row back to the table: 15 ms at 10,000 questions on SQLite, growing with the
centre. The index now holds the column the filter reads, before ``author_id``.

Revision ID: b8d2e6f1a4c3
Revises: a8d3f1c6e2b7
Create Date: 2026-12-07 01:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b8d2e6f1a4c3"
down_revision = "a8d3f1c6e2b7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_visibility_status_author")
        batch_op.create_index(
            "ix_question_visibility_status_moderation_author",
            ["visibility", "status", "moderation_state", "author_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_visibility_status_moderation_author")
        batch_op.create_index(
            "ix_question_visibility_status_author",
            ["visibility", "status", "author_id"],
            unique=False,
        )
