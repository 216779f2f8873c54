"""search index: documents and their texts, an FTS5 table on SQLite, a weighted tsvector on PostgreSQL

Revision ID: 5aa07bbd0e25
Revises: cd0b2bc7f924
Create Date: 2026-11-22 08:14:14.909236

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5aa07bbd0e25"
down_revision = "cd0b2bc7f924"
branch_labels = None
depends_on = None

# The engines' structures, which models cannot describe (tests/unit/test_config.py leaves
# them out of its comparison). Both index the terms forum/services/search/terms.py
# writes (accents folded, English and Italian stems), so no engine-side stemming:
# SQLite's tokenizer only splits on spaces and PostgreSQL uses the 'simple' configuration.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
           title_terms, body_terms,
           content='search_text', content_rowid='document_id',
           tokenize='unicode61 remove_diacritics 2')""",
    # External content: the triggers keep the FTS index in step with the rows,
    # including rows deleted by a foreign key's cascade.
    """CREATE TRIGGER search_text_after_insert AFTER INSERT ON search_text BEGIN
           INSERT INTO search_fts(rowid, title_terms, body_terms)
           VALUES (new.document_id, new.title_terms, new.body_terms);
       END""",
    """CREATE TRIGGER search_text_after_delete AFTER DELETE ON search_text BEGIN
           INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
           VALUES ('delete', old.document_id, old.title_terms, old.body_terms);
       END""",
    """CREATE TRIGGER search_text_after_update
           AFTER UPDATE OF title_terms, body_terms ON search_text BEGIN
           INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
           VALUES ('delete', old.document_id, old.title_terms, old.body_terms);
           INSERT INTO search_fts(rowid, title_terms, body_terms)
           VALUES (new.document_id, new.title_terms, new.body_terms);
       END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_text_after_update",
    "DROP TRIGGER IF EXISTS search_text_after_delete",
    "DROP TRIGGER IF EXISTS search_text_after_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_UP = [
    # Generated from the terms, so no write path can forget it; title weight A, body B.
    """ALTER TABLE search_text ADD COLUMN search_vector tsvector
           GENERATED ALWAYS AS (
               setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
               || setweight(to_tsvector('simple'::regconfig, body_terms), 'B')
           ) STORED""",
    "CREATE INDEX ix_search_text_search_vector ON search_text USING gin (search_vector)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS ix_search_text_search_vector",
    "ALTER TABLE search_text DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_dialect):
    bind = op.get_bind()
    for statement in statements_by_dialect.get(bind.dialect.name, []):
        op.execute(statement)


def upgrade():
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "question",
                "answer",
                "board-answer",
                "faq",
                "guide",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("board_answer_id", sa.Integer(), nullable=True),
        sa.Column("faq_entry_id", sa.Integer(), nullable=True),
        sa.Column("guide_section_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("fragment", sa.String(length=140), nullable=True),
        sa.Column("dated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_search_document_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["board_answer_id"],
            ["board_answer.id"],
            name=op.f("fk_search_document_board_answer_id_board_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["faq_entry_id"],
            ["faq_entry.id"],
            name=op.f("fk_search_document_faq_entry_id_faq_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["guide_section_id"],
            ["guide_section.id"],
            name=op.f("fk_search_document_guide_section_id_guide_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_search_document_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_search_document_topic_id_topic"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_search_document_answer_id")),
        sa.UniqueConstraint("board_answer_id", name=op.f("uq_search_document_board_answer_id")),
        sa.UniqueConstraint("faq_entry_id", name=op.f("uq_search_document_faq_entry_id")),
        sa.UniqueConstraint("guide_section_id", name=op.f("uq_search_document_guide_section_id")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_document_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            "uq_search_document_question",
            ["question_id"],
            unique=True,
            sqlite_where=sa.text("kind = 'question'"),
            postgresql_where=sa.text("kind = 'question'"),
        )

    op.create_table(
        "search_text",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["search_document.id"],
            name=op.f("fk_search_text_document_id_search_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_search_text")),
    )
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})
    # The documents are written by the services from now on; existing content is
    # indexed by `flask --app forum search reindex` (run it once after this upgrade).


def downgrade():
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
    op.drop_table("search_text")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_search_document_question",
            sqlite_where=sa.text("kind = 'question'"),
            postgresql_where=sa.text("kind = 'question'"),
        )
        batch_op.drop_index(batch_op.f("ix_search_document_question_id"))

    op.drop_table("search_document")
