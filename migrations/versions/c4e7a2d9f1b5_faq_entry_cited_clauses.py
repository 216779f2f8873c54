"""FAQ entries keep the clauses they cite (issue 28)

The FAQ page's "Cites" line under each entry scanned the entry's text with the citation
patterns on every request (0.27 s of a 1,000-entry page); each entry now stores its
clauses when its text is saved (``faq_entry.cited_clauses``, [slug, clause] pairs). The
rows already written are scanned here, by the app's own patterns; later changes of the
patterns are caught up by ``forum citations reindex``.

Revision ID: c4e7a2d9f1b5
Revises: 4f7a2c9e1b35
Create Date: 2026-12-07 05:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.services.citations import clauses_to_store

# revision identifiers, used by Alembic.
revision = "c4e7a2d9f1b5"
down_revision = "4f7a2c9e1b35"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    with op.batch_alter_table("faq_entry") as batch:
        batch.add_column(sa.Column("cited_clauses", sa.JSON(), nullable=True))
    entries = sa.table(
        "faq_entry",
        sa.column("id", sa.Integer),
        sa.column("question_text", sa.String),
        sa.column("answer_text", sa.Text),
        sa.column("cited_clauses", sa.JSON),
    )
    bind = op.get_bind()
    store = (
        entries.update()
        .where(entries.c.id == sa.bindparam("row_id"))
        .values(cited_clauses=sa.bindparam("clauses", type_=sa.JSON))
    )
    last_id = None
    while True:
        query = sa.select(entries.c.id, entries.c.question_text, entries.c.answer_text)
        if last_id is not None:
            query = query.where(entries.c.id > last_id)
        rows = bind.execute(query.order_by(entries.c.id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(
            store,
            [
                {"row_id": row.id, "clauses": clauses_to_store(row.question_text, row.answer_text)}
                for row in rows
            ],
        )
        last_id = rows[-1].id


def downgrade():
    with op.batch_alter_table("faq_entry") as batch:
        batch.drop_column("cited_clauses")
