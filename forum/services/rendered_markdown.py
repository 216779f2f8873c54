"""Catching up the stored renderings of members' Markdown after the renderer changed.

Every write stores a text's rendered HTML with the renderer's version
(forum/models/rendered_markdown.py); pages render a row whose version is old. This
renders those rows again, in batches, so pages read the stored copies once more.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.markdown_render import RENDERER_VERSION
from forum.models.rendered_markdown import markdown_models

BATCH_SIZE = 500


def rerender_stale(batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Render again every row whose copies another renderer version wrote (or none), a
    commit per batch; the rows done, by model. Idempotent: a second run finds none."""
    counts: dict[str, int] = {}
    for model in markdown_models():
        done, last_id = 0, None
        while True:
            query = select(model).where(model.markdown_version != RENDERER_VERSION)
            if last_id is not None:
                query = query.where(model.id > last_id)
            rows = db.session.scalars(query.order_by(model.id).limit(batch_size)).all()
            if not rows:
                break
            for row in rows:
                row.store_rendered_markdown()
            last_id = rows[-1].id
            done += len(rows)
            db.session.commit()
            # A batch's rows are done with: keep the session's identity map small.
            db.session.expunge_all()
        counts[model.__name__] = done
    return counts
