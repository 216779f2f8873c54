"""Answers indexed by date, and by question then date: the review's figures stop reading
every answer

The review's first answers (services/review/summary.py) read the period's answers and ask,
for each of their questions, whether an answer came before the period. Without an index
on the answer's date PostgreSQL read the whole answer table for the first (700 MB at
400,000 answers, the bodies and their stored HTML) and each question's answers from the
table for the second: some 2.5 s a period, three periods an export. Both reads are now
index-only. The question-then-date index also serves what ``ix_answer_question_id`` did
(its first column), so that one goes: one index fewer to write with every answer.

Revision ID: c3e7a9d1f5b2
Revises: 9b2d4f6a8c13
Create Date: 2026-12-07 05:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c3e7a9d1f5b2"
down_revision = "9b2d4f6a8c13"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index("ix_answer_created_at_question", ["created_at", "question_id"])
        batch_op.create_index("ix_answer_question_created_at", ["question_id", "created_at"])
        batch_op.drop_index("ix_answer_question_id")


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index("ix_answer_question_id", ["question_id"])
        batch_op.drop_index("ix_answer_question_created_at")
        batch_op.drop_index("ix_answer_created_at_question")
