"""law changes and their review flags, release kinds, approval and contributors, guide proposals

Revision ID: ffa675c48d2a
Revises: b7c4d9e2f1a3
Create Date: 2026-12-06 05:57:16.472775

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ffa675c48d2a"
down_revision = "b7c4d9e2f1a3"
branch_labels = None
depends_on = None

# The notification kinds, written out: a migration must not change meaning when the
# code it once matched changes. The two new ones tell an expert what became of a proposal.
OLD_KINDS = (
    "new-question-in-topic",
    "invitation",
    "stance-needed",
    "board-answer-published",
    "new-answer",
    "new-comment",
    "answer-accepted",
)
NEW_KINDS = OLD_KINDS + ("proposal-accepted", "proposal-declined")
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
        "law_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause", sa.String(length=80), nullable=False),
        sa.Column("clause_slug", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_law_change_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_change")),
    )
    with op.batch_alter_table("law_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_law_change_clause_slug"), ["clause_slug"], unique=False
        )

    op.create_table(
        "guide_release_stance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column(
            "area",
            sa.Enum(
                "research",
                "university",
                "clinical",
                "sme",
                "regulatory",
                name="release_stance_area",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "endorse",
                "dissent",
                "abstain",
                name="release_stance_kind",
                native_enum=False,
                create_constraint=True,
                length=15,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["user.id"],
            name=op.f("fk_guide_release_stance_expert_id_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["guide_release.id"],
            name=op.f("fk_guide_release_stance_release_id_guide_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide_release_stance")),
        sa.UniqueConstraint("release_id", "expert_id", name="uq_guide_release_stance_expert"),
    )
    with op.batch_alter_table("guide_release_stance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guide_release_stance_expert_id"), ["expert_id"], unique=False
        )

    op.create_table(
        "law_change_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_change_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["law_change_id"],
            ["law_change.id"],
            name=op.f("fk_law_change_flag_law_change_id_law_change"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_law_change_flag_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user.id"],
            name=op.f("fk_law_change_flag_reviewed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_change_flag")),
        sa.UniqueConstraint(
            "law_change_id", "subject_type", "subject_id", name="uq_law_change_flag_subject"
        ),
    )
    with op.batch_alter_table("law_change_flag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_law_change_flag_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_law_change_flag_reviewed_at"), ["reviewed_at"], unique=False
        )
        batch_op.create_index(
            "ix_law_change_flag_subject", ["subject_type", "subject_id"], unique=False
        )

    op.create_table(
        "guide_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("base_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("proposer_id", sa.Integer(), nullable=True),
        sa.Column("source_answer_id", sa.Integer(), nullable=True),
        sa.Column("source_board_answer_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "accepted",
                "declined",
                name="proposal_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user.id"],
            name=op.f("fk_guide_proposal_decided_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"],
            ["user.id"],
            name=op.f("fk_guide_proposal_proposer_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["guide_revision.id"],
            name=op.f("fk_guide_proposal_revision_id_guide_revision"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["guide_section.id"],
            name=op.f("fk_guide_proposal_section_id_guide_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_answer_id"],
            ["answer.id"],
            name=op.f("fk_guide_proposal_source_answer_id_answer"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_board_answer_id"],
            ["board_answer.id"],
            name=op.f("fk_guide_proposal_source_board_answer_id_board_answer"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide_proposal")),
    )
    with op.batch_alter_table("guide_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guide_proposal_proposer_id"), ["proposer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_guide_proposal_section_id"), ["section_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_guide_proposal_status"), ["status"], unique=False)

    _replace_kind_checks(NEW_KINDS)

    with op.batch_alter_table("guide_release", schema=None) as batch_op:
        # Releases made before approvals existed were public at once: they stay so,
        # as editions released by the command line's rule (their contributors unknown).
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "first-version",
                    "final-version",
                    "edition",
                    name="release_kind",
                    native_enum=False,
                    create_constraint=True,
                    length=21,
                ),
                nullable=False,
                server_default="edition",
            )
        )
        batch_op.add_column(
            sa.Column("contributors", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column(
                "approval",
                sa.Enum(
                    "chair",
                    "board",
                    "command-line",
                    name="release_approval",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_guide_release_published_at"), ["published_at"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_guide_release_approved_by_id_user"),
            "user",
            ["approved_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("guide_revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_guide_revision_proposer_id_user"),
            "user",
            ["proposer_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guide_proposal_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notification_guide_proposal_id_guide_proposal"),
            "guide_proposal",
            ["guide_proposal_id"],
            ["id"],
            ondelete="CASCADE",
        )

    op.execute(
        "UPDATE guide_release SET published_at = released_at, approved_at = released_at, "
        "approval = 'command-line'"
    )
    with op.batch_alter_table("guide_release", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
        batch_op.alter_column("contributors", server_default=None)


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notification_guide_proposal_id_guide_proposal"), type_="foreignkey"
        )
        batch_op.drop_column("guide_proposal_id")

    with op.batch_alter_table("guide_revision", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_guide_revision_proposer_id_user"), type_="foreignkey"
        )
        batch_op.drop_column("proposer_id")

    with op.batch_alter_table("guide_release", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_guide_release_approved_by_id_user"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_guide_release_published_at"))
        batch_op.drop_column("published_at")
        batch_op.drop_column("approved_by_id")
        batch_op.drop_column("approved_at")
        # The enum columns' CHECK constraints go with them (SQLite rebuilds the table).
        batch_op.drop_constraint(op.f("ck_guide_release_release_approval"), type_="check")
        batch_op.drop_constraint(op.f("ck_guide_release_release_kind"), type_="check")
        batch_op.drop_column("approval")
        batch_op.drop_column("contributors")
        batch_op.drop_column("kind")

    op.execute("DELETE FROM notification WHERE kind IN ('proposal-accepted', 'proposal-declined')")
    op.execute("DELETE FROM email_opt_out WHERE kind IN ('proposal-accepted', 'proposal-declined')")
    _replace_kind_checks(OLD_KINDS)

    with op.batch_alter_table("guide_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_proposal_status"))
        batch_op.drop_index(batch_op.f("ix_guide_proposal_section_id"))
        batch_op.drop_index(batch_op.f("ix_guide_proposal_proposer_id"))

    op.drop_table("guide_proposal")
    with op.batch_alter_table("law_change_flag", schema=None) as batch_op:
        batch_op.drop_index("ix_law_change_flag_subject")
        batch_op.drop_index(batch_op.f("ix_law_change_flag_reviewed_at"))
        batch_op.drop_index(batch_op.f("ix_law_change_flag_question_id"))

    op.drop_table("law_change_flag")
    with op.batch_alter_table("guide_release_stance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_release_stance_expert_id"))

    op.drop_table("guide_release_stance")
    with op.batch_alter_table("law_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_law_change_clause_slug"))

    op.drop_table("law_change")
