"""translations of the guide's sections and the FAQ's entries, each with revisions, and the
releases' frozen text in each language; experts' guide proposals in a language

Revision ID: c4e8a1d7b2f6
Revises: 3f14087516d3
Create Date: 2026-12-06 09:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8a1d7b2f6"
down_revision = "3f14087516d3"
branch_labels = None
depends_on = None


def _text_columns():
    return [
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("source_number", sa.Integer(), nullable=False),
    ]


def _translation_table(name, subject_column, subject_table):
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(subject_column, sa.Integer(), nullable=False),
        sa.Column("current_number", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_text_columns(),
        sa.ForeignKeyConstraint(
            [subject_column],
            [f"{subject_table}.id"],
            name=op.f(f"fk_{name}_{subject_column}_{subject_table}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint(subject_column, "language", name=f"uq_{name}_language"),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{name}_{subject_column}"), [subject_column], unique=False
        )


def _revision_table(name, translation_table, *, with_proposer=False):
    proposer = (
        [
            sa.Column("proposer_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["proposer_id"],
                ["user.id"],
                name=op.f(f"fk_{name}_proposer_id_user"),
                ondelete="SET NULL",
            ),
        ]
        if with_proposer
        else []
    )
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_text_columns(),
        *proposer,
        sa.ForeignKeyConstraint(
            ["editor_id"], ["user.id"], name=op.f(f"fk_{name}_editor_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            [f"{translation_table}.id"],
            name=op.f(f"fk_{name}_translation_id_{translation_table}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("translation_id", "number", name=f"uq_{name}_number"),
    )


def upgrade():
    _translation_table("guide_section_translation", "section_id", "guide_section")
    _revision_table(
        "guide_section_translation_revision", "guide_section_translation", with_proposer=True
    )
    _translation_table("faq_entry_translation", "faq_entry_id", "faq_entry")
    _revision_table("faq_entry_translation_revision", "faq_entry_translation")
    op.create_table(
        "guide_release_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["guide_release.id"],
            name=op.f("fk_guide_release_translation_release_id_guide_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide_release_translation")),
        sa.UniqueConstraint("release_id", "language", name="uq_guide_release_translation_language"),
    )
    with op.batch_alter_table("guide_release_translation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guide_release_translation_release_id"), ["release_id"], unique=False
        )
    with op.batch_alter_table("guide_proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("guide_proposal", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("guide_release_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_release_translation_release_id"))
    op.drop_table("guide_release_translation")
    op.drop_table("faq_entry_translation_revision")
    with op.batch_alter_table("faq_entry_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_entry_translation_faq_entry_id"))
    op.drop_table("faq_entry_translation")
    op.drop_table("guide_section_translation_revision")
    with op.batch_alter_table("guide_section_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_section_translation_section_id"))
    op.drop_table("guide_section_translation")
