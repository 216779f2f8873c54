"""The OpenAPI 3.1 document of /api/v1: the single description of the API.

Served as /api/v1/openapi.json and rendered for people at /api/v1/docs. Tests
hold it to the code: it validates as OpenAPI 3.1, every route of the
blueprint is in it and nothing else, and Schemathesis checks real responses
(for a visitor, a member, an expert and an admin) against its schemas.

Enumerations come from the models and limits from the services, so the
document cannot drift from the rules it describes.
"""
from __future__ import annotations

import copy
from functools import lru_cache

from forum.models import (
    DevelopmentStage,
    DeviceClass,
    ExpertArea,
    FacilitationStatus,
    ModerationState,
    QuestionStatus,
    ReferralDecision,
    Role,
    TrialConfirmation,
    Visibility,
)
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
from forum.services.review_export import MEDIA_TYPES, ExportFormat
from forum.services.search import KINDS as SEARCH_KINDS
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES, TranslationState
from forum.web.api.validation import MAX_PAGE, MAX_PER_PAGE
from forum.web.forms import MAX_ID

PROBLEM = "application/problem+json"
JSON = "application/json"

# --- schema building blocks ---------------------------------------------------------------------

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
BOOLEAN = {"type": "boolean"}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "description": "A path on this server."}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    widened = copy.deepcopy(schema)
    widened["type"] = [schema["type"], "null"]
    if "enum" in widened:
        widened["enum"] = [*widened["enum"], None]
    return widened


def enum_of(enumeration) -> dict:
    return {"type": "string", "enum": [member.value for member in enumeration]}


# The language a user wrote a text in; on a new text, the caller's account language by default.
LANGUAGE = {"type": "string", "enum": ["en", "it"],
            "description": "The language the author wrote the text in."}
NEW_TEXT_LANGUAGE = {**LANGUAGE, "description": "The language you write in; by default "
                                                "your account's language (English if none)."}


def array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


def obj(properties: dict, *, optional: tuple[str, ...] = (), description: str | None = None) -> dict:
    """An object with exactly these properties, all present unless named optional."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def links(*names: str, nullable_names: tuple[str, ...] = ()) -> dict:
    return obj({name: nullable(URL) if name in nullable_names else URL for name in names})


# --- schemas ---------------------------------------------------------------------------------------

def _schemas() -> dict:
    paginated_links = links("self", "first", "last", "prev", "next",
                            nullable_names=("prev", "next"))

    def page_of(item: str, description: str) -> dict:
        return obj({
            "items": array(ref(item)),
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": COUNT,
            "pages": {"type": "integer", "minimum": 1},
            "links": paginated_links,
        }, description=description)

    question_summary = {
        "id": ID,
        "title": STRING,
        "language": LANGUAGE,
        "status": enum_of(QuestionStatus),
        "visibility": enum_of(Visibility),
        "device_class": enum_of(DeviceClass),
        "stage": enum_of(DevelopmentStage),
        "topics": array(ref("Topic")),
        "author": ref("Person"),
        "answer_count": COUNT,
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
        "links": links("self", "html"),
    }
    question = dict(question_summary)
    question.update({
        "author": ref("Byline"),
        "body": {**STRING, "description": "Markdown, as the author wrote it."},
        "body_html": {**STRING, "description": "The Markdown rendered and sanitised, as the page shows it."},
        "accepted_answer_id": nullable(ID),
        "comments": array(ref("Comment")),
        "answers": array(ref("Answer")),
        "board_answer": nullable(ref("BoardAnswer")),
        "you_may": obj({"answer": BOOLEAN, "comment": BOOLEAN, "edit": BOOLEAN},
                       description="What the caller may do with this question."),
        "locked": nullable(obj({"reason": STRING}, description=(
            "Set when the moderators locked the question: it takes no new answers or "
            "comments (posting one answers 409 with the reason)."))),
        "moderation": nullable(obj({"state": enum_of(ModerationState),
                                    "reason": nullable(STRING)}, description=(
            "The moderators' decision on the question: only its author and the admins "
            "read it (others get 404 for a hidden question)."))),
    })
    release_summary = {
        "version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+$"},
        "released_at": DATE_TIME,
        "notes": STRING,
        "links": links("self", "markdown", "html"),
    }
    release = dict(release_summary)
    release.update({
        "title": STRING,
        "introduction": STRING,
        "introduction_html": STRING,
        "sections": array(ref("ReleaseSection")),
        "markdown": {**STRING, "description": "The frozen Markdown of the release."},
    })
    stance = obj({
        "expert": ref("Byline"),
        "area": enum_of(ExpertArea),
        "reason": {**STRING, "description": (
            "Empty when the moderators hid the reason (its author and the admins read it).")},
        "reason_html": STRING,
        "reason_hidden": {**BOOLEAN, "description": (
            "The moderators hid the reason; the stance still counts for the board.")},
        "created_at": DATE_TIME,
        "override": nullable(obj({"by": nullable(STRING), "at": DATE_TIME, "reason": STRING})),
        "moderation": nullable(obj({"state": enum_of(ModerationState),
                                    "reason": nullable(STRING)}, description=(
            "The moderators' decision on the reason: only its author and the admins "
            "read it."))),
    }, description="An expert's stance on the published revision.")
    return {
        "Problem": obj({
            "type": {"type": "string", "description": "about:blank, or a link to this problem's "
                                                      "explanation."},
            "title": STRING,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": STRING,
            "errors": array(obj({"field": STRING, "message": STRING}),
                            description="For validation problems: each field at fault."),
        }, optional=("errors",), description="An error, as RFC 9457 describes it."),
        "Topic": obj({"id": ID, "slug": STRING, "name": STRING,
                      "name_it": {**STRING, "description": "The Italian name; empty while "
                                                           "not translated."}}),
        "TopicList": obj({"items": array(ref("Topic"))}),
        "Person": obj({"id": ID, "display_name": STRING}),
        "Byline": obj({
            "id": ID,
            "display_name": STRING,
            "is_expert": BOOLEAN,
            "expert_area": nullable(enum_of(ExpertArea)),
            "is_chair": BOOLEAN,
            "organisation": nullable(STRING),
            "declared_interests": nullable(obj({"text": STRING,
                                                "declared_at": nullable(DATE_TIME)})),
        }, description="Who wrote something, as the question page names them; for an answer "
                       "or a stance, the declaration of interests in force when it was given."),
        "Me": obj({
            "id": ID,
            "display_name": STRING,
            "email": STRING,
            "role": enum_of(Role),
            "expert_area": nullable(enum_of(ExpertArea)),
            "is_chair": BOOLEAN,
            "organisation": nullable(STRING),
            "locale": nullable(STRING),
            "created_at": DATE_TIME,
            "token": obj({
                "name": STRING,
                "read_only": BOOLEAN,
                "expires_at": nullable(DATE_TIME),
            }, description="The token of this call: whether it may only read (its writes "
                           "get 403), and when it expires (null: never)."),
        }),
        "QuestionSummary": obj(question_summary),
        "QuestionList": page_of("QuestionSummary", "A page of questions, newest first."),
        "Question": obj(question),
        "Comment": obj({
            "id": ID,
            "answer_id": nullable(ID),
            "body": STRING,
            "body_html": STRING,
            "language": LANGUAGE,
            "author": ref("Byline"),
            "created_at": DATE_TIME,
        }),
        "Answer": obj({
            "id": ID,
            "question_id": ID,
            "body": STRING,
            "body_html": STRING,
            "language": LANGUAGE,
            "author": ref("Byline"),
            "helpful_count": COUNT,
            "marked_helpful_by_you": BOOLEAN,
            "accepted": BOOLEAN,
            "created_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "comments": array(ref("Comment")),
        }),
        "Stance": stance,
        "BoardAnswer": obj({
            "id": ID,
            "revision": {"type": "integer", "minimum": 1},
            "body": STRING,
            "body_html": STRING,
            "language": LANGUAGE,
            "published_at": nullable(DATE_TIME),
            "published_by": nullable(STRING),
            "endorsements": array(ref("Stance")),
            "dissents": array(ref("Stance")),
            "abstentions": COUNT,
        }, description="The board's published answer (never a draft)."),
        "NewQuestion": obj({
            "title": {"type": "string", "minLength": TITLE_MIN_LENGTH,
                      "maxLength": TITLE_MAX_LENGTH, "pattern": r"\S"},
            "body": {"type": "string", "minLength": BODY_MIN_LENGTH,
                     "maxLength": BODY_MAX_LENGTH, "pattern": r"\S",
                     "description": "Markdown."},
            "topics": array({"type": "string", "maxLength": 60}, minItems=1, maxItems=12,
                            description="Topic slugs, from GET /topics."),
            "device_class": enum_of(DeviceClass),
            "stage": enum_of(DevelopmentStage),
            "visibility": {**enum_of(Visibility), "default": Visibility.PUBLIC.value,
                           "description": "confidential: seen only by you, the experts "
                                          "and the admins."},
            "language": NEW_TEXT_LANGUAGE,
        }, optional=("visibility", "language")),
        "NewAnswer": obj({
            "body": {"type": "string", "minLength": ANSWER_MIN_LENGTH,
                     "maxLength": ANSWER_MAX_LENGTH, "pattern": r"\S",
                     "description": "Markdown."},
            "language": NEW_TEXT_LANGUAGE,
        }, optional=("language",)),
        "NewComment": obj({
            "body": {"type": "string", "minLength": COMMENT_MIN_LENGTH,
                     "maxLength": COMMENT_MAX_LENGTH, "pattern": r"\S",
                     "description": "Markdown."},
            "answer_id": {**nullable({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                          "description": "Comment on this answer of the question "
                                         "(omit for the question itself)."},
            "language": NEW_TEXT_LANGUAGE,
        }, optional=("answer_id", "language")),
        "FaqEntry": obj({
            "id": ID,
            "topic": ref("Topic"),
            "position": INTEGER,
            "question": STRING,
            "answer": STRING,
            "answer_html": STRING,
            **TEXT_LANGUAGE,
            "last_reviewed_on": DATE,
            "source_question_id": {**nullable(ID), "description":
                                   "The discussion it came from, if you may see it."},
            "links": links("self", "html"),
        }),
        "FaqList": obj({"items": array(ref("FaqEntry"))}),
        "GuideSection": obj({
            "id": ID,
            "level": {"type": "integer", "minimum": 2, "maximum": 3},
            "title": STRING,
            "anchor": STRING,
            "body": STRING,
            "body_html": STRING,
            **TEXT_LANGUAGE,
            "last_reviewed_on": nullable(DATE),
            "children": array(ref("GuideSection")),
        }),
        "Guide": obj({
            "title": STRING,
            "introduction": STRING,
            "introduction_html": STRING,
            **TEXT_LANGUAGE,
            "sections": array(ref("GuideSection")),
            "latest_release": nullable(ref("ReleaseSummary")),
        }, description="The current text of the requirements guide."),
        "ReleaseSummary": obj(release_summary),
        "ReleaseList": obj({"items": array(ref("ReleaseSummary"))}),
        "ReleaseSection": obj({
            "level": {"type": "integer", "minimum": 2, "maximum": 3},
            "title": STRING,
            "anchor": STRING,
            "body": STRING,
            "body_html": STRING,
            "children": array(ref("ReleaseSection")),
        }),
        "Release": obj(release, description="A release of the guide, frozen."),
        "Clinic": obj({
            "id": ID,
            "name": STRING,
            "city": STRING,
            "specialties": array(STRING),
            "populations": array(STRING),
            "hosts_device_studies": BOOLEAN,
            "description": STRING,
            "description_html": STRING,
            "active": BOOLEAN,
            "contact": {**nullable(ref("ClinicContact")),
                        "description": "For experts and admins only; null for everyone else."},
            "links": links("self", "html"),
        }),
        "ClinicContact": obj({"name": STRING, "email": STRING, "phone": STRING}),
        "Referral": obj({
            "id": ID,
            "question_id": ID,
            "clinic": obj({"id": ID, "name": STRING, "city": STRING}),
            "status": enum_of(FacilitationStatus),
            "member_answer": nullable(enum_of(ReferralDecision)),
            "clinic_answer": nullable(enum_of(ReferralDecision)),
            "contacts": {**nullable(ref("ReferralContacts")),
                         "description": "Each side's contact, only once both the member and "
                                        "the clinic accepted the introduction; null before."},
            "trial_started_on": nullable(DATE),
            "trial_start_confirmed_by": {
                **nullable(enum_of(TrialConfirmation)),
                "description": "Who confirmed the start: only confirmed starts count as "
                               "trials facilitated."},
            "steps": array(obj({"status": enum_of(FacilitationStatus), "occurred_on": DATE,
                                "note": STRING})),
            "links": links("self", "html"),
        }, description="A referral of a question to a clinic, for the member who asked, "
                       "the experts and the admins."),
        "ReferralContacts": obj({
            "clinic": ref("ClinicContact"),
            "member": obj({"name": STRING, "email": STRING, "organisation": nullable(STRING)}),
        }),
        "ClinicList": page_of("Clinic", "A page of the clinic directory, by name."),
        "SearchHit": obj({
            "kind": {"type": "string", "enum": list(SEARCH_KINDS)},
            "object_id": ID,
            "title": STRING,
            "title_html": {**STRING, "description": "The title, escaped, matching words in <mark>."},
            "snippet_html": {**STRING, "description": "Escaped text, matching words in <mark>."},
            "url": {**STRING, "description": "The page the text is on."},
            "question_id": nullable(ID),
            "created_at": nullable(DATE_TIME),
        }),
        "SearchResults": obj({
            **page_of("SearchHit", "")["properties"],
            "query": STRING,
            "searched": {**BOOLEAN, "description": "False when the query had no searchable word."},
            "total_is_lower_bound": {**BOOLEAN,
                                     "description": "True when more matched than were ranked."},
            "kind_counts": obj({kind: COUNT for kind in SEARCH_KINDS},
                               description="Matches per kind, whatever the kind filter."),
        }, description="One page of what matches, best first; only what the caller may read."),
        "Review": obj({
            "period": obj({"from": DATE, "to": DATE}),
            "tables": array(obj({
                "key": STRING,
                "title": STRING,
                "columns": array(STRING),
                "rows": array(array({"type": ["string", "number", "boolean", "null"]})),
            })),
        }, description="The six-month review's tables: aggregates only."),
    }


# --- parameters and responses ---------------------------------------------------------------------

def _path_id(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s id.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


LANGUAGE_QUERY = _query("language", {"type": "string", "enum": [SOURCE_LANGUAGE,
                                                        *TRANSLATION_LANGUAGES]},
                  "The language of the curated texts (default en).")
# Each curated text's language, and in a translated language its translation's state.
TEXT_LANGUAGE = {
    "lang": {"type": "string", "enum": [SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES]},
    "translation_state": nullable({"type": "string",
                                   "enum": [state.value for state in TranslationState]}),
}

PAGE = _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
              "The page to return.")


def _per_page(default: int) -> dict:
    return _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                               "default": default}, f"Items per page, at most {MAX_PER_PAGE}.")


VERSION = {"name": "version", "in": "path", "required": True,
           "description": "A release's version, MAJOR.MINOR.",
           "schema": {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$"},
           "example": "1.0"}


def _problem(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {PROBLEM: {"schema": ref("Problem")}}}
    if headers:
        response["headers"] = headers
    return response


def _responses() -> dict:
    return {
        "BadRequest": _problem("A query parameter (named in errors) or the body is malformed."),
        "Unauthorized": _problem(
            "No token where one is needed, or a token that is unknown, revoked, expired or "
            "belongs to an account no longer active.",
            {"WWW-Authenticate": {"required": True, "schema": STRING}}),
        "Forbidden": _problem("Your role may not do this, or the token is read-only and "
                              "this writes."),
        "NotFound": _problem("No such thing, or you may not see it (confidential questions "
                             "answer 404, not 403)."),
        "Conflict": _problem("The rules refuse this in the current state of things."),
        "TooLarge": _problem("The body is larger than the forum accepts (MAX_CONTENT_LENGTH)."),
        "UnsupportedMediaType": _problem("The body is not declared as application/json."),
        "ValidationFailed": _problem("Fields are missing or invalid; errors names each."),
        "TooManyRequests": _problem("Too many requests in a short time; Retry-After says how "
                                    "many seconds to wait.",
                                    {"Retry-After": {"required": False, "schema": INTEGER}}),
    }


def _errors(*statuses: int) -> dict:
    names = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
             409: "Conflict", 413: "TooLarge", 415: "UnsupportedMediaType",
             422: "ValidationFailed", 429: "TooManyRequests"}
    return {str(status): {"$ref": f"#/components/responses/{names[status]}"}
            for status in statuses}


def _json_response(schema: str, description: str, example: dict | None = None) -> dict:
    media = {"schema": ref(schema)}
    if example is not None:
        media["example"] = example
    return {"description": description, "content": {JSON: media}}


OPTIONAL_TOKEN = [{}, {"bearerAuth": []}]
TOKEN = [{"bearerAuth": []}]
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422, 429)


def _body(schema: str, example: dict) -> dict:
    return {"required": True, "content": {JSON: {"schema": ref(schema), "example": example}}}


# --- the paths -----------------------------------------------------------------------------------

def _paths() -> dict:
    question_id = _path_id("question_id", "question")
    return {
        "/me": {"get": {
            "operationId": "me", "tags": ["account"], "summary": "The caller's account",
            "security": TOKEN,
            "responses": {"200": _json_response("Me", "The account the token belongs to."),
                          **_errors(401)},
        }},
        "/topics": {"get": {
            "operationId": "list_topics", "tags": ["questions"],
            "summary": "The topics questions are filed under", "security": OPTIONAL_TOKEN,
            "responses": {"200": _json_response("TopicList", "Every topic, in the set order."),
                          **_errors(401)},
        }},
        "/questions": {
            "get": {
                "operationId": "list_questions", "tags": ["questions"],
                "summary": "Questions, newest first, with filters",
                "description": "Lists the questions the caller may see: public ones, and "
                               "confidential ones for their author, experts and admins. "
                               "Others' confidential questions are in no list or count.",
                "security": OPTIONAL_TOKEN,
                "parameters": [
                    _query("topic", {"type": "string", "maxLength": 60}, "A topic's slug."),
                    _query("status", enum_of(QuestionStatus), "Only questions in this status."),
                    _query("unanswered", BOOLEAN, "Only questions without an expert answer."),
                    _query("mine", BOOLEAN, "Only the caller's own questions (needs a token)."),
                    PAGE, _per_page(20),
                ],
                "responses": {"200": _json_response("QuestionList", "A page of questions."),
                              **_errors(400, 401)},
            },
            "post": {
                "operationId": "create_question", "tags": ["questions"],
                "summary": "Ask a question",
                "description": "Any signed-in account may ask. A confidential question is seen "
                               "only by its author, the experts and the admins.",
                "security": TOKEN,
                "requestBody": _body("NewQuestion", {
                    "title": "Do we need Ministry authorisation for a class IIb study?",
                    "body": "Our non-invasive class IIb monitor is ready for a first study.",
                    "topics": ["regulatory-pathway"], "device_class": "IIb",
                    "stage": "prototype", "visibility": "public"}),
                "responses": {
                    "201": {**_json_response("Question", "The question, as GET returns it."),
                            "headers": {"Location": {"required": True, "schema": STRING,
                                                     "description": "The question's address."}}},
                    **_errors(*WRITE_ERRORS),
                },
            },
        },
        "/questions/{question_id}": {"get": {
            "operationId": "get_question", "tags": ["questions"],
            "summary": "A question with its answers, comments and the board's answer",
            "security": OPTIONAL_TOKEN, "parameters": [question_id],
            "responses": {"200": _json_response("Question", "The question."),
                          **_errors(401, 404)},
        }},
        "/questions/{question_id}/answers": {"post": {
            "operationId": "create_answer", "tags": ["questions"],
            "summary": "Answer a question (experts)",
            "security": TOKEN, "parameters": [question_id],
            "requestBody": _body("NewAnswer", {
                "body": "A first-in-human study of a class IIb device needs the Ministry's "
                        "authorisation under MDR Art. 70."}),
            "responses": {"201": _json_response("Answer", "The answer."),
                          **_errors(*WRITE_ERRORS)},
        }},
        "/questions/{question_id}/comments": {"post": {
            "operationId": "create_comment", "tags": ["questions"],
            "summary": "Comment to clarify (the asker, experts and admins)",
            "security": TOKEN, "parameters": [question_id],
            "requestBody": _body("NewComment", {"body": "Is the device implanted?"}),
            "responses": {"201": _json_response("Comment", "The comment."),
                          **_errors(*WRITE_ERRORS)},
        }},
        "/faq": {"get": {
            "operationId": "list_faq", "tags": ["faq"], "summary": "The published FAQ",
            "security": OPTIONAL_TOKEN,
            "parameters": [_query("topic", {"type": "string", "maxLength": 60},
                                  "Only this topic's entries (a slug)."), LANGUAGE_QUERY],
            "responses": {"200": _json_response("FaqList", "Entries by topic, in their order."),
                          **_errors(400, 401)},
        }},
        "/faq/{entry_id}": {"get": {
            "operationId": "get_faq_entry", "tags": ["faq"], "summary": "One FAQ entry",
            "security": OPTIONAL_TOKEN,
            "parameters": [_path_id("entry_id", "FAQ entry"), LANGUAGE_QUERY],
            "responses": {"200": _json_response("FaqEntry", "The entry."),
                          **_errors(400, 401, 404)},
        }},
        "/guide": {"get": {
            "operationId": "get_guide", "tags": ["guide"],
            "summary": "The requirements guide's current text",
            "description": "In English, or with language=it in Italian: a section not "
                           "translated comes in English, and says so.",
            "security": OPTIONAL_TOKEN, "parameters": [LANGUAGE_QUERY],
            "responses": {"200": _json_response("Guide", "Sections and subsections in order."),
                          **_errors(400, 401, 404)},
        }},
        "/guide/releases": {"get": {
            "operationId": "list_guide_releases", "tags": ["guide"],
            "summary": "The guide's releases, newest first", "security": OPTIONAL_TOKEN,
            "responses": {"200": _json_response("ReleaseList", "Every release."),
                          **_errors(401)},
        }},
        "/guide/releases/{version}": {"get": {
            "operationId": "get_guide_release", "tags": ["guide"],
            "summary": "A release of the guide",
            "description": "JSON by default; with “Accept: text/markdown”, the frozen Markdown "
                           "file (as /guide/releases/{version}.md).",
            "security": OPTIONAL_TOKEN, "parameters": [VERSION],
            "responses": {"200": {"description": "The release.", "content": {
                JSON: {"schema": ref("Release")},
                "text/markdown": {"schema": STRING}}},
                **_errors(401, 404)},
        }},
        "/guide/releases/{version}.md": {"get": {
            "operationId": "get_guide_release_markdown", "tags": ["guide"],
            "summary": "A release of the guide as its Markdown file",
            "description": "The English file, or with language=it the Italian one frozen with "
                           "the release (404 for a release made before translations).",
            "security": OPTIONAL_TOKEN, "parameters": [VERSION, LANGUAGE_QUERY],
            "responses": {"200": {"description": "The frozen Markdown.",
                                  "content": {"text/markdown": {"schema": STRING}}},
                          **_errors(400, 401, 404)},
        }},
        "/clinics": {"get": {
            "operationId": "list_clinics", "tags": ["clinics"],
            "summary": "The clinic directory",
            "description": "Active clinics (admins also see deactivated ones). The contact is "
                           "given to experts and admins only.",
            "security": OPTIONAL_TOKEN,
            "parameters": [
                _query("q", {"type": "string", "maxLength": 200},
                       "Words to find in the name, city, specialties or populations."),
                _query("city", {"type": "string", "maxLength": 200}, "Only this city."),
                _query("specialty", {"type": "string", "maxLength": 200},
                       "Only clinics with this specialty."),
                _query("device_studies", BOOLEAN, "Only clinics hosting device studies."),
                PAGE, _per_page(20),
            ],
            "responses": {"200": _json_response("ClinicList", "A page of clinics."),
                          **_errors(400, 401)},
        }},
        "/clinics/{clinic_id}": {"get": {
            "operationId": "get_clinic", "tags": ["clinics"], "summary": "One clinic",
            "security": OPTIONAL_TOKEN, "parameters": [_path_id("clinic_id", "clinic")],
            "responses": {"200": _json_response("Clinic", "The clinic."),
                          **_errors(401, 404)},
        }},
        "/referrals/{facilitation_id}": {"get": {
            "operationId": "get_referral", "tags": ["clinics"], "summary": "One referral",
            "description": "For the member who asked, the experts and the admins (404 for "
                           "anyone else): its steps, each side's answer, and the contacts "
                           "once both sides agreed.",
            "security": TOKEN, "parameters": [_path_id("facilitation_id", "referral")],
            "responses": {"200": _json_response("Referral", "The referral."),
                          **_errors(401, 404)},
        }},
        "/search": {"get": {
            "operationId": "search_texts", "tags": ["search"],
            "summary": "Search questions, answers, board answers, the FAQ and the guide",
            "description": "The search page's results: confidential questions and their "
                           "answers are found only by those who may open them.",
            "security": OPTIONAL_TOKEN,
            "parameters": [
                _query("q", {"type": "string"},
                       "The words to find: any text, of any length; operators and symbols "
                       "are only separators."),
                {"name": "kind", "in": "query", "required": False, "style": "form",
                 "explode": True, "description": "Only these kinds (repeat the parameter).",
                 "schema": array({"type": "string", "enum": list(SEARCH_KINDS)})},
                _query("topic", {"type": "string", "maxLength": 60}, "Only this topic (a slug)."),
                _query("status", enum_of(QuestionStatus),
                       "Only questions (and their answers) in this status."),
                _query("since", DATE, "From this day."),
                _query("until", DATE, "Up to this day, included."),
                PAGE, _per_page(20),
            ],
            "responses": {"200": _json_response("SearchResults", "A page of results."),
                          **_errors(400, 401, 429)},
        }},
        "/review": {"get": {
            "operationId": "get_review", "tags": ["review"],
            "summary": "The six-month review's figures (admins)",
            "security": TOKEN,
            "parameters": [
                _query("from", DATE, "First day (default: six months before the last)."),
                _query("to", DATE, "Last day, included (default: today)."),
            ],
            "responses": {"200": _json_response("Review", "The figures for the period."),
                          **_errors(400, 401, 403)},
        }},
        "/review/export": {"get": {
            "operationId": "export_review", "tags": ["review"],
            "summary": "The review as a file (admins)",
            "description": "The same files as the review page's exports: an XLSX workbook, "
                           "a zip of CSV files, or JSON.",
            "security": TOKEN,
            "parameters": [
                _query("format", {**enum_of(ExportFormat), "default": "xlsx"}, "The file's format."),
                _query("from", DATE, "First day."),
                _query("to", DATE, "Last day, included."),
            ],
            "responses": {"200": {"description": "The file (Content-Disposition: attachment).",
                                  "content": {
                                      MEDIA_TYPES[ExportFormat.XLSX]: {
                                          "schema": {"type": "string",
                                                     "contentMediaType": MEDIA_TYPES[ExportFormat.XLSX]}},
                                      MEDIA_TYPES[ExportFormat.CSV]: {
                                          "schema": {"type": "string",
                                                     "contentMediaType": MEDIA_TYPES[ExportFormat.CSV]}},
                                      MEDIA_TYPES[ExportFormat.JSON]: {"schema": ref("Review")},
                                  }},
                          **_errors(400, 401, 403)},
        }},
        "/openapi.json": {"get": {
            "operationId": "openapi_document", "tags": ["about"],
            "summary": "This document", "security": [{}],
            "responses": {"200": {"description": "The OpenAPI 3.1 document.",
                                  "content": {JSON: {"schema": {"type": "object"}}}}},
        }},
        "/docs": {"get": {
            "operationId": "docs", "tags": ["about"],
            "summary": "This document as a page for people", "security": [{}],
            "responses": {"200": {"description": "An HTML page.",
                                  "content": {"text/html": {"schema": STRING}}}},
        }},
    }


DESCRIPTION = """\
The forum's JSON API, served by the same services as the pages, so the same rules hold:
confidential questions are seen only by their author, the experts and the admins (404 for
everyone else, and absent from every list and count); experts answer; the asker, experts and
admins comment; the review is for admins.

**Authentication.** Create a personal token on your account's token page (/account/tokens)
and send it as `Authorization: Bearer <token>`. A token acts with its owner's role and
nothing more, and stops working when revoked, when its owner's password changes or is
reset, and at its expiry (chosen when it is made: 30, 90 or 365 days, or never). A
read-only token may only read: every write with it gets 403. `/me` tells both. Without a
token you read as a visitor; every write needs one. Browser sessions do not count here: a
cookie alone is a visitor.

**Errors** are `application/problem+json` (RFC 9457) with `type`, `title`, `status` and
`detail`; validation problems (422 for a body, 400 for a query parameter) add `errors`, a
list of `{field, message}`.

**Markdown** fields come with their rendered, sanitised HTML beside them (`body_html`).
"""


@lru_cache(maxsize=1)
def _document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Clinical Trials Competence Centre forum API",
            "version": "1.0.0",
            "description": DESCRIPTION,
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "servers": [{"url": "/api/v1"}],
        "tags": [
            {"name": "account", "description": "The caller."},
            {"name": "questions", "description": "Questions, answers and comments."},
            {"name": "faq", "description": "The published FAQ."},
            {"name": "guide", "description": "The requirements guide and its releases."},
            {"name": "clinics", "description": "The clinic directory and referrals."},
            {"name": "search", "description": "Full-text search."},
            {"name": "review", "description": "The six-month review (admins)."},
            {"name": "about", "description": "This document."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A personal API token from /account/tokens (ctcc_...): it may "
                               "read and write, or only read, and may have an expiry.",
            }},
        },
    }


def document() -> dict:
    """The OpenAPI document (a fresh copy: callers may not change the shared one)."""
    return copy.deepcopy(_document())


def operations() -> list[dict]:
    """Every operation with its path and method, in the document's order (for the docs page)."""
    found = []
    for path, methods in _document()["paths"].items():
        for method, operation in methods.items():
            found.append({"path": path, "method": method.upper(), **operation})
    return found


def schema_label(schema: dict) -> str:
    """A short human name for a schema, for the docs page: "Question", "array of Topic", "string or null"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(schema_label(option) for option in schema["anyOf"])
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    labels = []
    for name in kinds:
        if name == "array":
            labels.append("array of " + schema_label(schema.get("items", {})))
        elif name == "string" and schema.get("format"):
            labels.append(f"string ({schema['format']})")
        else:
            labels.append(name)
    label = " or ".join(labels)
    if schema.get("enum"):
        label += ": " + ", ".join("null" if value is None else str(value) for value in schema["enum"])
    return label


def schema_limits(schema: dict) -> str:
    """The limits a schema sets, in words (for the docs page)."""
    parts = []
    for key, words in (("minLength", "at least {} characters"), ("maxLength", "at most {} characters"),
                       ("minimum", "from {}"), ("maximum", "up to {}"),
                       ("minItems", "at least {} items"), ("maxItems", "at most {} items"),
                       ("default", "default {}")):
        if key in schema:
            parts.append(words.format(schema[key]))
    return ", ".join(parts)
