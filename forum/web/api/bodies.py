"""The JSON bodies the API accepts, one model each: the check and the OpenAPI schema.

The limits are the ones the page forms use, imported from the services, so a text the
page refuses the API refuses too, and the other way round. A field is checked in the
order declared here, and every mistake is reported at once (``validation.read_body``).

Checks against the database (a topic's slug, an answer of the question) run in the
same pass, through the lookups the view hands over as the validation context, so one
422 names every field at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from forum.models import ContentLanguage, DevelopmentStage, DeviceClass, Visibility
from forum.services.answers import (
    ANSWER_MAX_LENGTH,
    ANSWER_MIN_LENGTH,
    COMMENT_MAX_LENGTH,
    COMMENT_MIN_LENGTH,
)
from forum.services.questions import (
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
)
from forum.web.api import input_fields
from forum.web.api.input_fields import REFERENCE_PROBLEM, field_problem

MAX_TOPICS = 12
MAX_SLUG_LENGTH = 60  # Topic.slug

NEW_TEXT_LANGUAGE = (
    "The language you write in; by default your account's language (English if none)."
)


class RequestBody(BaseModel):
    """A request body: a JSON object with only the fields declared."""

    model_config = ConfigDict(extra="forbid")


class NewQuestion(RequestBody):
    title: input_fields.text(min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH)
    body: input_fields.text(
        min_length=BODY_MIN_LENGTH,
        max_length=BODY_MAX_LENGTH,
        markdown=True,
        description="Markdown.",
    )
    topics: input_fields.names(
        max_items=MAX_TOPICS,
        max_length=MAX_SLUG_LENGTH,
        description="Topic slugs, from GET /topics.",
    )
    device_class: input_fields.choice(DeviceClass)
    stage: input_fields.choice(DevelopmentStage)
    visibility: input_fields.choice(
        Visibility,
        optional=True,
        default=Visibility.PUBLIC,
        description="confidential: seen only by you, the experts and the admins.",
    ) = Visibility.PUBLIC
    # None: the account's language (a script has no interface language of its own).
    language: input_fields.choice(ContentLanguage, optional=True, description=NEW_TEXT_LANGUAGE) = (
        None
    )

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, slugs: list[str], info: ValidationInfo) -> list[str]:
        known: Collection[str] = (info.context or {}).get("topic_slugs", ())
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise field_problem(
                _(
                    "Unknown topics: %(slugs)s. GET /api/v1/topics lists them.",
                    slugs=", ".join(unknown),
                ),
                REFERENCE_PROBLEM,
            )
        return slugs


class NewAnswer(RequestBody):
    body: input_fields.text(
        min_length=ANSWER_MIN_LENGTH,
        max_length=ANSWER_MAX_LENGTH,
        markdown=True,
        description="Markdown.",
    )
    language: input_fields.choice(ContentLanguage, optional=True, description=NEW_TEXT_LANGUAGE) = (
        None
    )


class NewComment(RequestBody):
    body: input_fields.text(
        min_length=COMMENT_MIN_LENGTH,
        max_length=COMMENT_MAX_LENGTH,
        markdown=True,
        description="Markdown.",
    )
    language: input_fields.choice(ContentLanguage, optional=True, description=NEW_TEXT_LANGUAGE) = (
        None
    )
    answer_id: input_fields.optional_id(
        "Comment on this answer of the question (omit for the question itself)."
    ) = None

    @field_validator("answer_id")
    @classmethod
    def _an_answer_of_the_question(cls, answer_id: int | None, info: ValidationInfo):
        is_answer: Callable[[int], bool] = (info.context or {})["is_answer_of_question"]
        if answer_id is not None and not is_answer(answer_id):
            raise field_problem(_("This question has no answer with this id."), REFERENCE_PROBLEM)
        return answer_id
