"""The payload of a search: a page of hits with the counts per kind (see ``payloads``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, create_model

from forum.services.search.finder import KINDS as SEARCH_KINDS
from forum.web.api.payloads import Count, Id, Paginated, Part, Payload


class SearchHit(Payload):
    """One result: an FAQ entry, a guide section, or a question's thread (the question,
    its answers and its board answer) once, as its best-matching part."""

    kind: Literal[SEARCH_KINDS] = Field(description="The kind of the text shown.")
    object_id: Id
    title: str
    title_html: str = Field(description="The title, escaped, matching words in <mark>.")
    snippet_html: str = Field(description="Escaped text, matching words in <mark>.")
    url: str = Field(description="The page the text is on.")
    question_id: Id | None = Field(description="The thread's question, for its parts.")
    author_name: str | None = Field(description="For an answer, its author's name.")
    created_at: datetime | None


KindCounts = create_model(
    "KindCounts",
    __base__=Part,
    __doc__="Results per kind, whatever the kind filter: a thread counts once under each "
    "kind it has a match of.",
    **{kind: (Count, ...) for kind in SEARCH_KINDS},
)


class SearchResults(Paginated):
    """One page of what matches, best first; only what the caller may read."""

    items: list[SearchHit]
    query: str
    searched: bool = Field(description="False when the query had no searchable word.")
    total_is_lower_bound: bool = Field(description="True when more matched than were ranked.")
    kind_counts: KindCounts
