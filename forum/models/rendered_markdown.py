"""Members' Markdown texts stored rendered beside them, so a page never renders on a request.

A model whose rows hold Markdown mixes in ``RenderedMarkdown`` and declares its texts once
(``markdown_texts``): for each, the attribute a page reads (which may stand in a tombstone),
the mapped attribute holding what was written, and the column holding its rendered HTML.
One ``markdown_version`` per row records the renderer (``RENDERER_VERSION``) that wrote the
row's copies.

Writing: a ``before_flush`` listener renders every declared text of a new row, or of a row
one of whose texts changed, so no service can forget it. A bulk ``update()`` that sets a
text gets its HTML set in the same statement: rendered from the value it writes, or, when
the statement does not carry it (an SQL expression, executemany), NULL with the row marked
stale; never the old text's HTML left behind (an erased body must not survive in its copy).
A bulk ``update()`` leaves the row's version as it was: a copy rendered now is the current
renderer's, and a row already stale stays so.

Reading: ``rendered(name)`` returns the stored copy only when the row's version is the
current one and the attribute shows what was written (not a tombstone); otherwise it
renders, and writes nothing (a GET never writes). ``forum markdown rerender`` re-renders
stale rows after the renderer changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup
from sqlalchemy import BindParameter, Integer, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.markdown_render import RENDERER_VERSION, render_for_storage, render_markdown


@dataclass(frozen=True)
class MarkdownText:
    """One Markdown text of a model."""

    shown: str  # the attribute a page reads (a hybrid may show a tombstone instead)
    source: str  # the mapped attribute holding the text as written
    html: str  # the mapped attribute holding its rendered, cleaned copy (NULL: none yet)


class RenderedMarkdown:
    """The stored rendering of a model's Markdown texts (declared in ``markdown_texts``)."""

    markdown_texts: ClassVar[tuple[MarkdownText, ...]] = ()

    # The renderer's version that wrote every HTML copy of the row; 0: never rendered.
    markdown_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @classmethod
    def markdown_text(cls, shown: str) -> MarkdownText:
        for text in cls.markdown_texts:
            if text.shown == shown:
                return text
        raise KeyError(f"{cls.__name__}.{shown} is not a declared Markdown text")

    def rendered(self, shown: str) -> Markup:
        """The text ``shown`` as safe HTML: the stored copy when current, else rendered now."""
        text = self.markdown_text(shown)
        value = getattr(self, text.shown)
        stored = getattr(self, text.html)
        if (
            stored is not None
            and self.markdown_version == RENDERER_VERSION
            and value == getattr(self, text.source)
        ):
            return Markup(stored)  # nosec B704  # the renderer's nh3 output, written on save
        return render_markdown(value)

    def store_rendered_markdown(self) -> None:
        """Render every declared text of the row and stamp the current version."""
        for text in self.markdown_texts:
            setattr(self, text.html, render_for_storage(getattr(self, text.source)))
        self.markdown_version = RENDERER_VERSION


def markdown_models() -> list[type[RenderedMarkdown]]:
    """Every mapped model with stored renderings, in a stable order."""
    found: list[type] = []
    pending = list(RenderedMarkdown.__subclasses__())
    while pending:
        model = pending.pop(0)
        if getattr(model, "__table__", None) is not None and model.markdown_texts:
            found.append(model)
        pending.extend(model.__subclasses__())
    return sorted(found, key=lambda model: model.__name__)


def _text_changed(instance: RenderedMarkdown) -> bool:
    attributes = inspect(instance).attrs
    return any(attributes[text.source].history.has_changes() for text in instance.markdown_texts)


def _render_written_texts(session: Session, _flush_context, _instances) -> None:
    for instance in session.new:
        if isinstance(instance, RenderedMarkdown):
            instance.store_rendered_markdown()
    for instance in session.dirty:
        if isinstance(instance, RenderedMarkdown) and _text_changed(instance):
            instance.store_rendered_markdown()


_UNKNOWN = object()  # a value written, but not a literal the statement carries


def _written_values(orm_execute_state, model) -> dict[str, object]:
    """The columns an UPDATE sets, by column name, each with its literal value or
    ``_UNKNOWN`` (an SQL expression, or executemany's rows each with their own)."""
    columns = model.__mapper__.columns

    def name_of(key) -> str:
        if isinstance(key, str):
            return columns[key].name if key in columns else key
        return key.name

    rows = orm_execute_state.parameters
    if isinstance(rows, list):  # executemany (bulk by primary key)
        return {name_of(key): _UNKNOWN for row in rows[:1] for key in row}
    statement = orm_execute_state.statement
    # SQLAlchemy names an UPDATE's SET clause only privately (``_values``, or
    # ``_ordered_values`` after ordered_values()); tests/unit/test_rendered_markdown.py
    # fails if that changes.
    pairs = dict(statement._values or {}) or dict(statement._ordered_values or ())
    return {
        name_of(key): value.value if isinstance(value, BindParameter) else _UNKNOWN
        for key, value in pairs.items()
    }


def _render_bulk_updates(orm_execute_state) -> None:
    """A bulk UPDATE setting a text sets its rendered copy too: rendered from the value when
    the statement carries it, else NULL with the row marked stale (pages then render)."""
    if not orm_execute_state.is_update:
        return
    model = orm_execute_state.bind_mapper.class_ if orm_execute_state.bind_mapper else None
    if not (isinstance(model, type) and issubclass(model, RenderedMarkdown)):
        return
    columns = model.__mapper__.columns
    written = _written_values(orm_execute_state, model)
    copies: dict[str, str | None] = {}
    for text in model.markdown_texts:
        source, html = columns[text.source].name, columns[text.html].name
        if source not in written or html in written:
            continue
        value = written[source]
        copies[text.html] = render_for_storage(value) if isinstance(value, str) else None
    if not copies:
        return
    if None in copies.values():
        copies["markdown_version"] = 0
    orm_execute_state.statement = orm_execute_state.statement.values(**copies)


def keep_rendered_markdown() -> None:
    """Listen on every ORM session (idempotent: listeners are registered once)."""
    for name, listener in (
        ("before_flush", _render_written_texts),
        ("do_orm_execute", _render_bulk_updates),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
