"""Members' Markdown texts stored rendered beside them (issue 28)

Each text a hot page shows gets a copy of its rendered, cleaned HTML (``..._html``) and
its row the version of the renderer that wrote it (``markdown_version``; 0: none yet), so
a page reads the copy instead of rendering (forum/models/rendered_markdown.py). The rows
already written are rendered here, in batches, by the app's own renderer: the version
stamped is the one of the code running the migration. Later changes of the renderer are
caught up by ``forum markdown rerender``.

Revision ID: a8d3f1c6e2b7
Revises: 7c1e4b9a2f60
Create Date: 2026-12-07 01:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

from forum.markdown_render import RENDERER_VERSION, render_for_storage

# revision identifiers, used by Alembic.
revision = "a8d3f1c6e2b7"
down_revision = "7c1e4b9a2f60"
branch_labels = None
depends_on = None

# Each table's Markdown columns and the column of their rendered copy.
TEXTS = {
    "question": (("body", "body_html"),),
    "answer": (("body", "body_html"),),
    "comment": (("body", "body_html"),),
    "board_answer": (("body", "body_html"), ("published_body", "published_body_html")),
    "stance": (("reason", "reason_html"),),
    "faq_entry": (("answer_text", "answer_html"),),
    "faq_entry_translation": (("body", "body_html"),),
}
BATCH = 500


def _render_rows(table_name: str, texts) -> None:
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer),
        sa.column("markdown_version", sa.Integer),
        *(sa.column(name, sa.Text) for pair in texts for name in pair),
    )
    bind = op.get_bind()
    store = (
        table.update()
        .where(table.c.id == sa.bindparam("row_id"))
        .values(
            markdown_version=RENDERER_VERSION,
            **{html: sa.bindparam(f"new_{html}") for _source, html in texts},
        )
    )
    last_id = None
    while True:
        query = sa.select(table.c.id, *(table.c[source] for source, _html in texts))
        if last_id is not None:
            query = query.where(table.c.id > last_id)
        rows = bind.execute(query.order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(
            store,
            [
                {
                    "row_id": row.id,
                    **{
                        f"new_{html}": render_for_storage(row._mapping[source])
                        for source, html in texts
                    },
                }
                for row in rows
            ],
        )
        last_id = rows[-1].id


def upgrade():
    for table_name, texts in TEXTS.items():
        with op.batch_alter_table(table_name) as batch:
            for _source, html in texts:
                batch.add_column(sa.Column(html, sa.Text(), nullable=True))
            batch.add_column(
                sa.Column("markdown_version", sa.Integer(), nullable=False, server_default="0")
            )
    for table_name, texts in TEXTS.items():
        _render_rows(table_name, texts)


def downgrade():
    for table_name, texts in reversed(TEXTS.items()):
        with op.batch_alter_table(table_name) as batch:
            batch.drop_column("markdown_version")
            for _source, html in reversed(texts):
                batch.drop_column(html)
