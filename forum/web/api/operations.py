"""Every operation of /api/v1, declared: what ``openapi.py`` turns into the document's paths.

An operation names its models (query parameters from queries.py, the body from bodies.py,
the payload from payloads.py or its subject's ``*_payloads.py``) rather than describing
their fields again; its own words are the summary, a description where it helps, and the
statuses it may answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from forum.services.review.export import MEDIA_TYPES, ExportFormat
from forum.web.api import (
    bodies,
    clinic_payloads,
    curated_payloads,
    payloads,
    queries,
    question_payloads,
    review_payloads,
    search_payloads,
)
from forum.web.api.input_fields import MAX_ID

JSON = "application/json"
MARKDOWN = "text/markdown"

# Who may call: anyone (a token optional: without one, a visitor), a token holder, anyone
# at all (a stray Authorization header ignored).
OPTIONAL_TOKEN = "optional token"
TOKEN = "token"
NO_TOKEN = "no token"

WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422, 429)

Schema = type[BaseModel] | dict


@dataclass(frozen=True)
class Success:
    """The answer when all goes well: a status, and a schema per media type."""

    status: int
    description: str
    content: dict[str, Schema]
    headers: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    tag: str
    summary: str
    success: Success
    errors: tuple[int, ...]
    security: str = OPTIONAL_TOKEN
    description: str | None = None
    path_parameters: tuple[dict, ...] = ()
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    body_example: dict | None = None


def path_id(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def ok(model: type[BaseModel], description: str, status: int = 200, **headers) -> Success:
    return Success(status, description, {JSON: model}, headers)


QUESTION_ID = path_id("question_id", "question")
VERSION = {
    "name": "version",
    "in": "path",
    "required": True,
    "description": "A release's version, MAJOR.MINOR.",
    "schema": {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$"},
    "example": "1.0",
}
TEXT = {"type": "string"}


def _file(media_type: str) -> dict:
    return {"type": "string", "contentMediaType": media_type}


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "get",
        "/me",
        "me",
        "account",
        "The caller's account",
        security=TOKEN,
        success=ok(payloads.Me, "The account the token belongs to."),
        errors=(401,),
    ),
    Operation(
        "get",
        "/topics",
        "list_topics",
        "questions",
        "The topics questions are filed under",
        success=ok(payloads.TopicList, "Every topic, in the set order."),
        errors=(401,),
    ),
    Operation(
        "get",
        "/questions",
        "list_questions",
        "questions",
        "Questions, newest first, with filters",
        description="Lists the questions the caller may see: public ones, and confidential "
        "ones for their author, experts and admins. Others' confidential "
        "questions are in no list or count.",
        query=queries.QuestionListQuery,
        success=ok(question_payloads.QuestionList, "A page of questions."),
        errors=(400, 401),
    ),
    Operation(
        "post",
        "/questions",
        "create_question",
        "questions",
        "Ask a question",
        description="Any signed-in account may ask. A confidential question is seen only by "
        "its author, the experts and the admins.",
        security=TOKEN,
        body=bodies.NewQuestion,
        body_example={
            "title": "Do we need Ministry authorisation for a class IIb study?",
            "body": "Our non-invasive class IIb monitor is ready for a first study.",
            "topics": ["regulatory-pathway"],
            "device_class": "IIb",
            "stage": "prototype",
            "visibility": "public",
        },
        success=ok(
            question_payloads.Question,
            "The question, as GET returns it.",
            status=201,
            Location={"required": True, "schema": TEXT, "description": "The question's address."},
        ),
        errors=WRITE_ERRORS,
    ),
    Operation(
        "get",
        "/questions/{question_id}",
        "get_question",
        "questions",
        "A question with its answers, comments and the board's answer",
        path_parameters=(QUESTION_ID,),
        success=ok(question_payloads.Question, "The question."),
        errors=(401, 404),
    ),
    Operation(
        "post",
        "/questions/{question_id}/answers",
        "create_answer",
        "questions",
        "Answer a question (experts)",
        security=TOKEN,
        path_parameters=(QUESTION_ID,),
        body=bodies.NewAnswer,
        body_example={
            "body": "A first-in-human study of a class IIb device needs the Ministry's "
            "authorisation under MDR Art. 70."
        },
        success=ok(question_payloads.Answer, "The answer.", status=201),
        errors=WRITE_ERRORS,
    ),
    Operation(
        "post",
        "/questions/{question_id}/comments",
        "create_comment",
        "questions",
        "Comment to clarify (the asker, experts and admins)",
        security=TOKEN,
        path_parameters=(QUESTION_ID,),
        body=bodies.NewComment,
        body_example={"body": "Is the device implanted?"},
        success=ok(question_payloads.Comment, "The comment.", status=201),
        errors=WRITE_ERRORS,
    ),
    Operation(
        "get",
        "/faq",
        "list_faq",
        "faq",
        "The published FAQ",
        query=queries.FaqQuery,
        success=ok(curated_payloads.FaqList, "Entries by topic, in their order."),
        errors=(400, 401),
    ),
    Operation(
        "get",
        "/faq/{entry_id}",
        "get_faq_entry",
        "faq",
        "One FAQ entry",
        path_parameters=(path_id("entry_id", "FAQ entry"),),
        query=queries.LanguageQuery,
        success=ok(curated_payloads.FaqEntry, "The entry."),
        errors=(400, 401, 404),
    ),
    Operation(
        "get",
        "/guide",
        "get_guide",
        "guide",
        "The requirements guide's current text",
        description="In English, or with language=it in Italian: a section not translated "
        "comes in English, and says so.",
        query=queries.LanguageQuery,
        success=ok(curated_payloads.Guide, "Sections and subsections in order."),
        errors=(400, 401, 404),
    ),
    Operation(
        "get",
        "/guide/releases",
        "list_guide_releases",
        "guide",
        "The guide's releases, newest first",
        success=ok(curated_payloads.ReleaseList, "Every release."),
        errors=(401,),
    ),
    Operation(
        "get",
        "/guide/releases/{version}",
        "get_guide_release",
        "guide",
        "A release of the guide",
        description="JSON by default; with “Accept: text/markdown”, the frozen Markdown file "
        "(as /guide/releases/{version}.md).",
        path_parameters=(VERSION,),
        success=Success(200, "The release.", {JSON: curated_payloads.Release, MARKDOWN: TEXT}),
        errors=(401, 404),
    ),
    Operation(
        "get",
        "/guide/releases/{version}.md",
        "get_guide_release_markdown",
        "guide",
        "A release of the guide as its Markdown file",
        description="The English file, or with language=it the Italian one frozen with the "
        "release (404 for a release made before translations).",
        path_parameters=(VERSION,),
        query=queries.LanguageQuery,
        success=Success(200, "The frozen Markdown.", {MARKDOWN: TEXT}),
        errors=(400, 401, 404),
    ),
    Operation(
        "get",
        "/clinics",
        "list_clinics",
        "clinics",
        "The clinic directory",
        description="Active clinics (admins also see deactivated ones). The contact is given "
        "to experts and admins only.",
        query=queries.ClinicListQuery,
        success=ok(clinic_payloads.ClinicList, "A page of clinics."),
        errors=(400, 401),
    ),
    Operation(
        "get",
        "/clinics/{clinic_id}",
        "get_clinic",
        "clinics",
        "One clinic",
        path_parameters=(path_id("clinic_id", "clinic"),),
        success=ok(clinic_payloads.Clinic, "The clinic."),
        errors=(401, 404),
    ),
    Operation(
        "get",
        "/referrals/{facilitation_id}",
        "get_referral",
        "clinics",
        "One referral",
        description="For the member who asked, the experts and the admins (404 for anyone "
        "else): its steps, each side's answer, and the contacts once both sides "
        "agreed.",
        security=TOKEN,
        path_parameters=(path_id("facilitation_id", "referral"),),
        success=ok(clinic_payloads.Referral, "The referral."),
        errors=(401, 404),
    ),
    Operation(
        "get",
        "/search",
        "search_texts",
        "search",
        "Search questions, answers, board answers, the FAQ and the guide",
        description="The search page's results: one per thread (a question, its answers "
        "and its board answer are listed once, as the part that matches best), FAQ entry "
        "or guide section; confidential questions and their answers are found only by "
        "those who may open them.",
        query=queries.SearchQuery,
        success=ok(search_payloads.SearchResults, "A page of results."),
        errors=(400, 401, 429),
    ),
    Operation(
        "get",
        "/review",
        "get_review",
        "review",
        "The six-month review's figures (admins)",
        security=TOKEN,
        query=queries.ReviewQuery,
        success=ok(review_payloads.Review, "The figures for the period."),
        errors=(400, 401, 403),
    ),
    Operation(
        "get",
        "/review/export",
        "export_review",
        "review",
        "The review as a file (admins)",
        description="The same files as the review page's exports: an XLSX workbook, a zip of "
        "CSV files, or JSON.",
        security=TOKEN,
        query=queries.ReviewExportQuery,
        success=Success(
            200,
            "The file (Content-Disposition: attachment).",
            {
                MEDIA_TYPES[ExportFormat.XLSX]: _file(MEDIA_TYPES[ExportFormat.XLSX]),
                MEDIA_TYPES[ExportFormat.CSV]: _file(MEDIA_TYPES[ExportFormat.CSV]),
                MEDIA_TYPES[ExportFormat.JSON]: review_payloads.Review,
            },
        ),
        errors=(400, 401, 403),
    ),
    Operation(
        "get",
        "/openapi.json",
        "openapi_document",
        "about",
        "This document",
        security=NO_TOKEN,
        success=Success(200, "The OpenAPI 3.1 document.", {JSON: {"type": "object"}}),
        errors=(),
    ),
    Operation(
        "get",
        "/docs",
        "docs",
        "about",
        "This document as a page for people",
        security=NO_TOKEN,
        success=Success(200, "An HTML page.", {"text/html": TEXT}),
        errors=(),
    ),
)
