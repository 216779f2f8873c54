"""The OpenAPI 3.1 document of /api/v1, generated: the single description of the API.

Served as /api/v1/openapi.json and rendered for people at /api/v1/docs. The paths come
from the declared operations (``operations.py``); the schemas from the models that also
check the input and shape the output (``bodies.py``, ``queries.py``, ``payloads.py`` and
the subjects' ``*_payloads.py``), through pydantic's JSON Schema 2020-12, the dialect
OpenAPI 3.1 uses. Tests hold it to the code: it validates as OpenAPI 3.1, every route of
the blueprint is in it and nothing else, and Schemathesis checks real responses (for a
visitor, a member, an expert and an admin) against its schemas.
"""

from __future__ import annotations

import copy
from functools import lru_cache

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from forum.web.api import payloads
from forum.web.api.operations import NO_TOKEN, OPERATIONS, TOKEN, Operation, Success
from forum.web.api.payloads import Part

PROBLEM = "application/problem+json"
JSON = "application/json"
REF_TEMPLATE = "#/components/schemas/{model}"

SECURITY = {TOKEN: [{"bearerAuth": []}], NO_TOKEN: [{}]}
OPTIONAL_TOKEN_SECURITY = [{}, {"bearerAuth": []}]


class _Schemas(GenerateJsonSchema):
    """Pydantic's JSON Schema without the noise: no titles made from field names, no
    ``default: null`` on fields whose null is simply "not given"."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema):
        json_schema = super().default_schema(schema)
        if "default" in json_schema and json_schema["default"] is None:
            del json_schema["default"]
        return json_schema


def ref(name: str) -> dict:
    return {"$ref": REF_TEMPLATE.format(model=name)}


# --- components: the models' schemas ----------------------------------------------------------


def _models() -> list[type[BaseModel]]:
    """Every model a body or an answer uses, in the order the operations name them."""
    found: list[type[BaseModel]] = [payloads.Problem]
    for operation in OPERATIONS:
        candidates = [operation.body, *operation.success.content.values()]
        for model in candidates:
            if isinstance(model, type) and issubclass(model, BaseModel) and model not in found:
                found.append(model)
    return found


def _parts() -> set[str]:
    """The names of the models shown inline (``payloads.Part`` and its subclasses)."""
    names, pending = set(), [Part]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def _schemas() -> dict:
    _mapping, top = models_json_schema(
        [(model, "validation") for model in _models()],
        ref_template=REF_TEMPLATE,
        schema_generator=_Schemas,
    )
    definitions = top.get("$defs", {})
    for schema in definitions.values():
        schema.pop("title", None)
    # An enumeration, or a part of one payload, reads better where it is used.
    inline = {name for name, schema in definitions.items() if "enum" in schema} | _parts()
    return {
        name: _inlined(schema, definitions, inline)
        for name, schema in definitions.items()
        if name not in inline
    }


def _inlined(node, definitions: dict, inline: set[str]):
    """``node`` with each reference to an ``inline`` schema replaced by that schema."""
    if isinstance(node, list):
        return [_inlined(item, definitions, inline) for item in node]
    if not isinstance(node, dict):
        return node
    name = node.get("$ref", "").rsplit("/", 1)[-1]
    if name in inline:
        target = copy.deepcopy(definitions[name])
        if "enum" in target:
            target.pop("description", None)  # the enumeration's docstring is for the code
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**target, **siblings}
    result = {key: _inlined(value, definitions, inline) for key, value in node.items()}
    if isinstance(result.get("description"), str):
        # A docstring's line breaks are the code's layout, not the text's.
        result["description"] = " ".join(result["description"].split())
    return _null_as_type(result)


def _null_as_type(schema: dict) -> dict:
    """ "X or null" for a plain X written as X with "null" among its types, as people write
    it (and the docs page shows its fields and description)."""
    options = schema.get("anyOf")
    if not options or len(options) != 2 or {"type": "null"} not in options:
        return schema
    [other] = [option for option in options if option != {"type": "null"}]
    if not isinstance(other.get("type"), str):
        return schema
    merged = {**other, **{key: value for key, value in schema.items() if key != "anyOf"}}
    merged["type"] = [other["type"], "null"]
    if "enum" in merged:
        merged["enum"] = [*merged["enum"], None]
    return merged


# --- paths: the declared operations ---------------------------------------------------------


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    properties = model.model_json_schema(schema_generator=_Schemas)["properties"]
    parameters = []
    for name, schema in properties.items():
        schema = dict(schema)
        parameter = {
            "name": name,
            "in": "query",
            "required": False,
            "description": schema.pop("description", ""),
        }
        if schema.get("type") == "array":
            parameter.update(style="form", explode=True)  # repeat the parameter
        parameter["schema"] = schema
        parameters.append(parameter)
    return parameters


def _media_schema(schema) -> dict:
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return ref(schema.__name__)
    return copy.deepcopy(schema)


def _success(success: Success) -> dict:
    response: dict = {
        "description": success.description,
        "content": {
            media_type: {"schema": _media_schema(schema)}
            for media_type, schema in success.content.items()
        },
    }
    if success.headers:
        response["headers"] = copy.deepcopy(success.headers)
    return response


ERROR_RESPONSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "TooLarge",
    415: "UnsupportedMediaType",
    422: "ValidationFailed",
    429: "TooManyRequests",
}


def _operation(operation: Operation) -> dict:
    document: dict = {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": operation.summary,
    }
    if operation.description:
        document["description"] = operation.description
    document["security"] = copy.deepcopy(SECURITY.get(operation.security, OPTIONAL_TOKEN_SECURITY))
    parameters = [copy.deepcopy(parameter) for parameter in operation.path_parameters]
    if operation.query is not None:
        parameters += _query_parameters(operation.query)
    if parameters:
        document["parameters"] = parameters
    if operation.body is not None:
        media = {"schema": ref(operation.body.__name__)}
        if operation.body_example is not None:
            media["example"] = copy.deepcopy(operation.body_example)
        document["requestBody"] = {"required": True, "content": {JSON: media}}
    document["responses"] = {
        str(operation.success.status): _success(operation.success),
        **{
            str(status): {"$ref": f"#/components/responses/{ERROR_RESPONSES[status]}"}
            for status in operation.errors
        },
    }
    return document


def _paths() -> dict:
    paths: dict = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation)
    return paths


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
            {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
        ),
        "Forbidden": _problem(
            "Your role may not do this, or the token is read-only and this writes."
        ),
        "NotFound": _problem(
            "No such thing, or you may not see it (confidential questions answer 404, not 403)."
        ),
        "Conflict": _problem("The rules refuse this in the current state of things."),
        "TooLarge": _problem("The body is larger than the forum accepts (MAX_CONTENT_LENGTH)."),
        "UnsupportedMediaType": _problem("The body is not declared as application/json."),
        "ValidationFailed": _problem("Fields are missing or invalid; errors names each."),
        "TooManyRequests": _problem(
            "Too many requests in a short time; Retry-After says how many seconds to wait.",
            {"Retry-After": {"required": False, "schema": {"type": "integer"}}},
        ),
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
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from /account/tokens (ctcc_...): it may "
                    "read and write, or only read, and may have an expiry.",
                }
            },
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
        label += ": " + ", ".join(
            "null" if value is None else str(value) for value in schema["enum"]
        )
    return label


def schema_limits(schema: dict) -> str:
    """The limits a schema sets, in words (for the docs page)."""
    parts = []
    for key, words in (
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minimum", "from {}"),
        ("maximum", "up to {}"),
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
        ("default", "default {}"),
    ):
        if key in schema:
            parts.append(words.format(schema[key]))
    return ", ".join(parts)
