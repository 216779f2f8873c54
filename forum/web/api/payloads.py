"""The API's response payloads as models: the shapes serializers.py returns, declared once.

This module holds the base every payload shares and the shapes of more than one subject
(links and pages, the problem, topics) or of none (the caller, ``Me``); each subject's
payloads are in a module of their own: ``question_payloads`` (questions, answers,
comments, the board's answer), ``curated_payloads`` (the FAQ and the guide),
``clinic_payloads`` (clinics and referrals), ``search_payloads``, ``review_payloads``.

The OpenAPI document's component schemas are generated from these (``openapi.py``), and
Schemathesis checks every real response against them, so a serializer that gave a field
the model lacks, or left one out, fails the tests. A class docstring is the schema's
description in the document; a ``Part`` (a payload's links, a token's scope) is shown
inline where it is used rather than as a schema of its own.

Every field is always present: an absent value is null, never a missing key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from forum.models import ExpertArea, Role
from forum.web.api.input_fields import MAX_PER_PAGE

Id = Annotated[int, Field(ge=1)]
Count = Annotated[int, Field(ge=0)]
ServerPath = Annotated[str, Field(description="A path on this server.")]


class Payload(BaseModel):
    """An object with exactly these fields."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Part(Payload):
    """A part of one payload: shown inline in the document, not as a schema of its own."""


# --- links and pages ------------------------------------------------------------------------


class PageLinks(Part):
    self_: ServerPath = Field(alias="self")
    html: ServerPath


class ListLinks(Part):
    self_: ServerPath = Field(alias="self")
    first: ServerPath
    last: ServerPath
    prev: ServerPath | None
    next: ServerPath | None


class Paginated(Payload):
    page: Id
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]
    total: Count
    pages: Id
    links: ListLinks


# --- errors ------------------------------------------------------------------------------------


class FieldError(Part):
    field: str
    message: str


class Problem(Payload):
    """An error, as RFC 9457 describes it."""

    type: str = Field(description="about:blank, or a link to this problem's explanation.")
    title: str
    status: Annotated[int, Field(ge=400, le=599)]
    detail: str
    errors: list[FieldError] = Field(
        default_factory=list, description="For validation problems: each field at fault."
    )


# --- topics and the caller ---------------------------------------------------------------------


class Topic(Payload):
    id: Id
    slug: str
    name: str
    name_it: str = Field(description="The Italian name; empty while not translated.")


class TopicList(Payload):
    items: list[Topic]


class TokenScope(Part):
    """The token of this call: whether it may only read (its writes get 403), and when it
    expires (null: never)."""

    name: str
    read_only: bool
    expires_at: datetime | None


class Me(Payload):
    id: Id
    display_name: str
    email: str
    role: Role
    expert_area: ExpertArea | None
    is_chair: bool
    organisation: str | None
    locale: str | None
    created_at: datetime
    token: TokenScope
