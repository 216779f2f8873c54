"""initial schema

Revision ID: 7d3f4c1414f7
Revises:
Create Date: 2026-11-22 03:24:55.043569

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7d3f4c1414f7"
down_revision = None
branch_labels = None
depends_on = None


# The controlled vocabulary questions are filed under, as first released.
STANDARD_TOPICS = [
    ("regulatory-pathway", "Regulatory pathway"),
    ("ethics-committee", "Ethics committee"),
    ("study-design-statistics", "Study design and statistics"),
    ("study-documents", "Study documents (CIP, brochure, consent)"),
    ("clinical-sites-populations", "Clinical sites and populations"),
    ("insurance-costs", "Insurance and costs"),
    ("data-protection", "Data protection"),
    ("safety-reporting", "Safety reporting"),
    ("pmcf", "Post-market clinical follow-up (PMCF)"),
    ("software-ai", "Software and AI"),
    ("ivd-performance-studies", "IVD performance studies"),
    ("reimbursement-hta", "Reimbursement and HTA"),
]


def upgrade():
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "sme",
                "start-up",
                "research",
                "university",
                "clinic",
                "hospital",
                name="organisation_kind",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_table(
        "topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic")),
        sa.UniqueConstraint("slug", name=op.f("uq_topic_slug")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "member",
                "expert",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=14,
            ),
            nullable=False,
        ),
        sa.Column(
            "area",
            sa.Enum(
                "research",
                "university",
                "clinical",
                "sme",
                "regulatory",
                name="expert_area",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=True,
        ),
        sa.Column("is_chair", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_token", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_user_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("email", name=op.f("uq_user_email")),
    )
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "device_class",
            sa.Enum(
                "I",
                "IIa",
                "IIb",
                "III",
                "IVD",
                "unknown",
                name="device_class",
                native_enum=False,
                create_constraint=True,
                length=15,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "concept",
                "prototype",
                "preclinical",
                "first-in-human",
                "pivotal",
                "on-market",
                name="development_stage",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=False,
        ),
        sa.Column(
            "visibility",
            sa.Enum(
                "public",
                "confidential",
                name="visibility",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "answered",
                "closed",
                name="question_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("accepted_answer_id", sa.Integer(), nullable=True),
        sa.Column("answer_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_question_author_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question")),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_question_status_created_at", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_question_visibility_created_at", ["visibility", "created_at"], unique=False
        )

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("helpful_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_answer_author_id_user")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_answer_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_question_id"), ["question_id"], unique=False)

    # question and answer refer to each other: the accepted-answer key is added
    # once both tables exist (batch mode rebuilds the table on SQLite).
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_question_accepted_answer_id_answer"),
            "answer",
            ["accepted_answer_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "question_topic",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_question_topic_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_question_topic_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_id", "topic_id", name=op.f("pk_question_topic")),
    )
    with op.batch_alter_table("question_topic", schema=None) as batch_op:
        batch_op.create_index("ix_question_topic_topic_id", ["topic_id"], unique=False)

    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_comment_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_comment_author_id_user")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_comment_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment")),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_comment_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_comment_question_id"), ["question_id"], unique=False)

    op.create_table(
        "faq_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_text", sa.String(length=300), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("source_answer_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=False),
        sa.Column("review_due_on", sa.Date(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_faq_entry_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["source_answer_id"],
            ["answer.id"],
            name=op.f("fk_faq_entry_source_answer_id_answer"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_faq_entry_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_entry")),
    )
    with op.batch_alter_table("faq_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_faq_entry_source_answer_id"), ["source_answer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_faq_entry_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "helpful_mark",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_helpful_mark_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_helpful_mark_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("answer_id", "user_id", name=op.f("pk_helpful_mark")),
    )
    with op.batch_alter_table("helpful_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_helpful_mark_user_id"), ["user_id"], unique=False)

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(question_id IS NULL) <> (answer_id IS NULL)",
            name=op.f("ck_revision_exactly_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_revision_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["user.id"], name=op.f("fk_revision_editor_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_revision_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("answer_id", "number", name="uq_revision_answer_number"),
        sa.UniqueConstraint("question_id", "number", name="uq_revision_question_number"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revision_question_id"), ["question_id"], unique=False)

    topic = sa.table(
        "topic",
        sa.column("slug", sa.String),
        sa.column("name", sa.String),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        topic,
        [
            {"slug": slug, "name": name, "position": position}
            for position, (slug, name) in enumerate(STANDARD_TOPICS, start=1)
        ],
    )


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_question_accepted_answer_id_answer"), type_="foreignkey"
        )

    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_question_id"))
        batch_op.drop_index(batch_op.f("ix_revision_answer_id"))

    op.drop_table("revision")
    with op.batch_alter_table("helpful_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpful_mark_user_id"))

    op.drop_table("helpful_mark")
    with op.batch_alter_table("faq_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_entry_topic_id"))
        batch_op.drop_index(batch_op.f("ix_faq_entry_source_answer_id"))

    op.drop_table("faq_entry")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_question_id"))
        batch_op.drop_index(batch_op.f("ix_comment_author_id"))
        batch_op.drop_index(batch_op.f("ix_comment_answer_id"))

    op.drop_table("comment")
    with op.batch_alter_table("question_topic", schema=None) as batch_op:
        batch_op.drop_index("ix_question_topic_topic_id")

    op.drop_table("question_topic")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_question_id"))
        batch_op.drop_index(batch_op.f("ix_answer_author_id"))

    op.drop_table("answer")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_visibility_created_at")
        batch_op.drop_index("ix_question_status_created_at")
        batch_op.drop_index(batch_op.f("ix_question_author_id"))

    op.drop_table("question")
    op.drop_table("user")
    op.drop_table("topic")
    op.drop_table("organisation")
