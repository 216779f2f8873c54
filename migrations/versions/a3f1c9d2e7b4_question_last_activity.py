"""question lists sorted by recent activity: question.last_activity_at, back-filled

Revision ID: a3f1c9d2e7b4
Revises: 7b2d9e4c1a85
Create Date: 2026-12-06 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3f1c9d2e7b4"
down_revision = "7b2d9e4c1a85"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True)
        )

    # The latest of the question's own edit, its answers' posts and edits and its board
    # answers' publications: what the services keep from now on. SQLite's two-argument
    # max() is PostgreSQL's greatest().
    greatest = "greatest" if op.get_bind().dialect.name == "postgresql" else "max"
    op.execute(
        f"""
        UPDATE question SET last_activity_at = {greatest}(
            updated_at,
            COALESCE(
                (SELECT max(answer.updated_at) FROM answer WHERE answer.question_id = question.id),
                updated_at
            ),
            COALESCE(
                (SELECT max(board_answer.published_at) FROM board_answer
                 WHERE board_answer.question_id = question.id),
                updated_at
            )
        )
        """
    )

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.alter_column(
            "last_activity_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_index(
            "ix_question_last_activity_at_id", ["last_activity_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_last_activity_at_id")
        batch_op.drop_column("last_activity_at")
