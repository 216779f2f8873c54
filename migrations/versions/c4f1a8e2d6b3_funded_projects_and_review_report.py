"""funded projects (beneficiaries, counselling sessions), questions and referrals linked
to a project; the review's targets and narrative per period

Revision ID: c4f1a8e2d6b3
Revises: c4e8a1d2f6b7
Create Date: 2026-12-06 09:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4f1a8e2d6b3"
down_revision = "c4e8a1d2f6b7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "funded_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("programme", sa.String(length=200), nullable=False),
        sa.Column("axis", sa.String(length=200), nullable=False),
        sa.Column("call", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("clinical_aims", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_funded_project_project_dates_in_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funded_project")),
        sa.UniqueConstraint("title", name=op.f("uq_funded_project_title")),
    )
    op.create_table(
        "project_beneficiary",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_project_beneficiary_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["funded_project.id"],
            name=op.f("fk_project_beneficiary_project_id_funded_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "organisation_id", name=op.f("pk_project_beneficiary")
        ),
    )
    op.create_index(
        op.f("ix_project_beneficiary_organisation_id"),
        "project_beneficiary",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "counselling_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["funded_project.id"],
            name=op.f("fk_counselling_session_project_id_funded_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_counselling_session_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counselling_session")),
    )
    op.create_index(
        op.f("ix_counselling_session_project_id"),
        "counselling_session",
        ["project_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_counselling_session_held_on"), "counselling_session", ["held_on"], unique=False
    )
    op.create_table(
        "counselling_session_expert",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["counselling_session.id"],
            name=op.f("fk_counselling_session_expert_session_id_counselling_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_counselling_session_expert_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "session_id", "user_id", name=op.f("pk_counselling_session_expert")
        ),
    )
    op.create_index(
        op.f("ix_counselling_session_expert_user_id"),
        "counselling_session_expert",
        ["user_id"],
        unique=False,
    )
    op.create_table(
        "review_period_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("target_visits", sa.Integer(), nullable=True),
        sa.Column("target_questions_answered", sa.Integer(), nullable=True),
        sa.Column("target_trials", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("highlights", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_review_period_report_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_period_report")),
        sa.UniqueConstraint("starts_on", "ends_on", name="uq_review_report_period"),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_question_project_id"), ["project_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_question_project_id_funded_project"),
            "funded_project",
            ["project_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("facilitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_facilitation_project_id"), ["project_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_facilitation_project_id_funded_project"),
            "funded_project",
            ["project_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("facilitation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_facilitation_project_id_funded_project"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_facilitation_project_id"))
        batch_op.drop_column("project_id")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_question_project_id_funded_project"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_question_project_id"))
        batch_op.drop_column("project_id")
    op.drop_table("review_period_report")
    op.drop_index(
        op.f("ix_counselling_session_expert_user_id"), table_name="counselling_session_expert"
    )
    op.drop_table("counselling_session_expert")
    op.drop_index(op.f("ix_counselling_session_held_on"), table_name="counselling_session")
    op.drop_index(op.f("ix_counselling_session_project_id"), table_name="counselling_session")
    op.drop_table("counselling_session")
    op.drop_index(op.f("ix_project_beneficiary_organisation_id"), table_name="project_beneficiary")
    op.drop_table("project_beneficiary")
    op.drop_table("funded_project")
