"""The payloads of the curated texts: the FAQ's entries, the requirements guide and its
releases, each in the language asked for (see ``payloads``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES, TranslationState
from forum.web.api.payloads import Id, PageLinks, Part, Payload, ServerPath, Topic

Level = Annotated[int, Field(ge=2, le=3)]
# Each curated text's language, and in a translated language its translation's state.
CuratedLanguage = Literal[(SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES)]


class FaqEntry(Payload):
    id: Id
    topic: Topic
    position: int
    question: str
    answer: str
    answer_html: str
    lang: CuratedLanguage
    translation_state: TranslationState | None
    last_reviewed_on: date
    source_question_id: Id | None = Field(
        description="The discussion it came from, if you may see it."
    )
    links: PageLinks


class FaqList(Payload):
    items: list[FaqEntry]


class GuideSection(Payload):
    id: Id
    level: Level
    title: str
    anchor: str
    body: str
    body_html: str
    lang: CuratedLanguage
    translation_state: TranslationState | None
    last_reviewed_on: date | None
    children: list[GuideSection]


class ReleaseLinks(Part):
    self_: ServerPath = Field(alias="self")
    markdown: ServerPath
    html: ServerPath


class ReleaseSummary(Payload):
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+$")
    released_at: datetime
    notes: str
    links: ReleaseLinks


class ReleaseList(Payload):
    items: list[ReleaseSummary]


class Guide(Payload):
    """The current text of the requirements guide."""

    title: str
    introduction: str
    introduction_html: str
    lang: CuratedLanguage
    translation_state: TranslationState | None
    sections: list[GuideSection]
    latest_release: ReleaseSummary | None


class ReleaseSection(Payload):
    level: Level
    title: str
    anchor: str
    body: str
    body_html: str
    children: list[ReleaseSection]


class Release(ReleaseSummary):
    """A release of the guide, frozen."""

    title: str
    introduction: str
    introduction_html: str
    sections: list[ReleaseSection]
    markdown: str = Field(description="The frozen Markdown of the release.")
