"""never-edited questions and answers: updated_at equal to created_at

A question's or answer's ``updated_at`` defaulted to its own ``utcnow()`` call, a few
microseconds after ``created_at``, so every text read "edited". New rows now take
``created_at`` (models/columns.same_as_created); this puts the rows written before back,
those whose only revision is the original (an edit always adds one).

Revision ID: 3f6a2c9d8e41
Revises: a1f3c8e2d7b4
Create Date: 2026-12-06 18:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6a2c9d8e41"
down_revision = "a1f3c8e2d7b4"
branch_labels = None
depends_on = None


def upgrade():
    for table, column in (("question", "question_id"), ("answer", "answer_id")):
        op.execute(
            f"UPDATE {table} SET updated_at = created_at"
            f" WHERE updated_at <> created_at AND (SELECT count(*) FROM revision"
            f" WHERE revision.{column} = {table}.id) <= 1"
        )


def downgrade():
    # Nothing to undo: the timestamps put back were the creation's, give or take microseconds.
    pass
