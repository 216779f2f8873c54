"""moderation of stance reasons: a stance's moderation state, and flags on a stance

Revision ID: 7b2d9e4c1a85
Revises: c4e8a1f7d2b6
Create Date: 2026-12-06 10:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7b2d9e4c1a85"
down_revision = "c4e8a1f7d2b6"
branch_labels = None
depends_on = None

THREE_TEXTS = (
    "(CASE WHEN question_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END) = 1"
)
FOUR_TEXTS = (
    "(CASE WHEN question_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN stance_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade():
    with op.batch_alter_table("stance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "moderation_state",
                sa.Enum(
                    "held",
                    "flagged",
                    "hidden",
                    "spam",
                    "removed",
                    name="moderation_state",
                    native_enum=False,
                    create_constraint=True,
                    length=15,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("moderation_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stance_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_flag_stance_id"), ["stance_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_flag_stance_id_stance"),
            "stance",
            ["stance_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint("uq_flag_user_stance", ["user_id", "stance_id"])
        batch_op.drop_constraint(op.f("ck_flag_exactly_one_text"), type_="check")
        batch_op.create_check_constraint(op.f("ck_flag_exactly_one_text"), sa.text(FOUR_TEXTS))


def downgrade():
    # Flags on stances have no place in the older table.
    op.execute("DELETE FROM flag WHERE stance_id IS NOT NULL")
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_flag_exactly_one_text"), type_="check")
        batch_op.create_check_constraint(op.f("ck_flag_exactly_one_text"), sa.text(THREE_TEXTS))
        batch_op.drop_constraint("uq_flag_user_stance", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_flag_stance_id_stance"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_flag_stance_id"))
        batch_op.drop_column("stance_id")

    with op.batch_alter_table("stance", schema=None) as batch_op:
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("moderation_reason")
        # The enum column's CHECK constraint goes with it (SQLite rebuilds the table).
        batch_op.drop_constraint(op.f("ck_stance_moderation_state"), type_="check")
        batch_op.drop_column("moderation_state")
