"""attachments: files on questions, answers and guide proposals (their bytes in the store)

Revision ID: a1f3c8e2d7b4
Revises: a3f6c9e2d418
Create Date: 2026-12-06 18:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a1f3c8e2d7b4"
down_revision = "a3f6c9e2d418"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("guide_proposal_id", sa.Integer(), nullable=True),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN question_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN guide_proposal_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_attachment_exactly_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_attachment_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["guide_proposal_id"],
            ["guide_proposal.id"],
            name=op.f("fk_attachment_guide_proposal_id_guide_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_attachment_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploader_id"],
            ["user.id"],
            name=op.f("fk_attachment_uploader_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_attachment_storage_key")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attachment_guide_proposal_id"), ["guide_proposal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_attachment_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_attachment_uploader_id"), ["uploader_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_uploader_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_question_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_guide_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_answer_id"))
    op.drop_table("attachment")
