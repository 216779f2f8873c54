"""The query parameters of each listing and read, one model per operation.

Every parameter is optional; an absent or empty one takes its default. The first
parameter at fault, in the order declared, is answered with a 400 naming it
(``validation.read_query``); the OpenAPI document's parameters are these fields.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from forum.models import DevelopmentStage, DeviceClass, QuestionStatus
from forum.services.questions import QuestionSort
from forum.services.review.export import ExportFormat
from forum.services.search import finder
from forum.web.api import input_fields
from forum.web.api.bodies import MAX_SLUG_LENGTH

MAX_QUERY_LENGTH = 200
CLINICS_PER_PAGE = 20
SEARCH_PER_PAGE = 20
# What the document states for the questions' page size; the view reads the
# configuration's QUESTIONS_PER_PAGE (20 unless set otherwise).
QUESTIONS_PER_PAGE = 20


class Query(BaseModel):
    """A request's query parameters; any others are ignored, as a page ignores them."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class QuestionListQuery(Query):
    topic: input_fields.short_text(max_length=MAX_SLUG_LENGTH, description="A topic's slug.")
    status: input_fields.one_of(QuestionStatus, "Only questions in this status.")
    unanswered: input_fields.flag("Only questions without an expert answer.")
    mine: input_fields.flag("Only the caller's own questions (needs a token).")
    device_class: input_fields.one_of(DeviceClass, "Only questions about this device class.")
    stage: input_fields.one_of(DevelopmentStage, "Only questions at this development stage.")
    sort: input_fields.one_of(
        QuestionSort,
        "The order: newest asked first; most recently active first (asked, edited, "
        "answered or given a board answer); or questions without an answer first, "
        "then newest.",
        default=QuestionSort.NEWEST,
    )
    page: input_fields.page()
    per_page: input_fields.per_page(QUESTIONS_PER_PAGE)


class FaqQuery(Query):
    topic: input_fields.short_text(
        max_length=MAX_SLUG_LENGTH, description="Only this topic's entries (a slug)."
    )
    language: input_fields.language()


class LanguageQuery(Query):
    language: input_fields.language()


class ClinicListQuery(Query):
    q: input_fields.short_text(
        max_length=MAX_QUERY_LENGTH,
        description="Words to find in the name, city, specialties or populations.",
    )
    city: input_fields.short_text(max_length=MAX_QUERY_LENGTH, description="Only this city.")
    specialty: input_fields.short_text(
        max_length=MAX_QUERY_LENGTH, description="Only clinics with this specialty."
    )
    device_studies: input_fields.flag("Only clinics hosting device studies.")
    page: input_fields.page()
    per_page: input_fields.per_page(CLINICS_PER_PAGE)


class SearchQuery(Query):
    # Any text is a query, of any length, as on the search page (search_text.parse_query
    # keeps what it can use).
    q: input_fields.short_text(
        max_length=None,
        description=(
            "The words to find: any text, of any length; operators and symbols are only separators."
        ),
    )
    kind: input_fields.many_of(finder.KINDS, "Only these kinds (repeat the parameter).")
    status: input_fields.one_of(
        QuestionStatus, "Only questions (and their answers) in this status."
    )
    topic: input_fields.short_text(
        max_length=MAX_SLUG_LENGTH, description="Only this topic (a slug)."
    )
    since: input_fields.day("From this day.")
    until: input_fields.day("Up to this day, included.")
    page: input_fields.page()
    per_page: input_fields.per_page(SEARCH_PER_PAGE)


class ReviewQuery(Query):
    # The service reads the period (review_period.parse_period) with its own rules.
    from_: input_fields.raw_day("First day (default: six months before the last).") = Field(
        alias="from"
    )
    to: input_fields.raw_day("Last day, included (default: today).")


class ReviewExportQuery(Query):
    format: input_fields.one_of(ExportFormat, "The file's format.", default=ExportFormat.XLSX)
    from_: input_fields.raw_day("First day.") = Field(alias="from")
    to: input_fields.raw_day("Last day, included.")
