"""moderation: flags, the moderation state of questions, answers and comments, locks,
the question an e-mail is about, and the "moderated" notification kind

Revision ID: 3f14087516d3
Revises: c5e1a8d3f720
Create Date: 2026-12-06 09:21:27.169635

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f14087516d3"
down_revision = "c5e1a8d3f720"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "new-question-in-topic",
    "invitation",
    "stance-needed",
    "board-answer-published",
    "new-answer",
    "new-comment",
    "answer-accepted",
    "proposal-accepted",
    "proposal-declined",
)
NEW_KINDS = OLD_KINDS + ("moderated",)
# (table, CHECK constraint) pairs holding the kinds (enum_column's constraints).
KIND_CHECKS = (("notification", "notification_kind"), ("email_opt_out", "opt_out_kind"))


def _replace_kind_checks(kinds):
    """Swap the CHECK constraints that list the allowed kinds (SQLite rebuilds the table)."""
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    for table, name in KIND_CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(
                op.f(f"ck_{table}_{name}"), sa.text(f"kind IN ({allowed})")
            )


def upgrade():
    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "spam",
                "offensive",
                "off-topic",
                "dangerous-advice",
                "personal-data",
                "other",
                name="flag_reason",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN question_id IS NULL THEN 0 ELSE 1 END + CASE WHEN answer_id IS NULL THEN 0 ELSE 1 END + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_flag_exactly_one_text"),
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["answer.id"], name=op.f("fk_flag_answer_id_answer"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comment.id"],
            name=op.f("fk_flag_comment_id_comment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_flag_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_flag_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag")),
        sa.UniqueConstraint("user_id", "answer_id", name="uq_flag_user_answer"),
        sa.UniqueConstraint("user_id", "comment_id", name="uq_flag_user_comment"),
        sa.UniqueConstraint("user_id", "question_id", name="uq_flag_user_question"),
    )
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flag_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flag_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flag_question_id"), ["question_id"], unique=False)
        batch_op.create_index(
            "ix_flag_resolved_at_created_at", ["resolved_at", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_flag_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("answer", schema=None) as batch_op:
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

    with op.batch_alter_table("comment", schema=None) as batch_op:
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

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_message_question_id"), ["question_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_question_id_question"),
            "question",
            ["question_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lock_reason", sa.String(length=500), nullable=True))
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

    _replace_kind_checks(NEW_KINDS)


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("moderation_reason")
        # The enum column's CHECK constraint goes with it (SQLite rebuilds the table).
        batch_op.drop_constraint(op.f("ck_question_moderation_state"), type_="check")
        batch_op.drop_column("moderation_state")
        batch_op.drop_column("lock_reason")
        batch_op.drop_column("locked_at")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_message_question_id_question"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_message_question_id"))
        batch_op.drop_column("question_id")

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("moderation_reason")
        # The enum column's CHECK constraint goes with it (SQLite rebuilds the table).
        batch_op.drop_constraint(op.f("ck_comment_moderation_state"), type_="check")
        batch_op.drop_column("moderation_state")

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("moderation_reason")
        # The enum column's CHECK constraint goes with it (SQLite rebuilds the table).
        batch_op.drop_constraint(op.f("ck_answer_moderation_state"), type_="check")
        batch_op.drop_column("moderation_state")

    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flag_user_id"))
        batch_op.drop_index("ix_flag_resolved_at_created_at")
        batch_op.drop_index(batch_op.f("ix_flag_question_id"))
        batch_op.drop_index(batch_op.f("ix_flag_comment_id"))
        batch_op.drop_index(batch_op.f("ix_flag_answer_id"))

    op.drop_table("flag")
    op.execute("DELETE FROM notification WHERE kind = 'moderated'")
    op.execute("DELETE FROM email_opt_out WHERE kind = 'moderated'")
    _replace_kind_checks(OLD_KINDS)
