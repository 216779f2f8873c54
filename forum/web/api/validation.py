"""Reading the API's input into its models: the JSON body, and the query parameters.

The models (bodies.py, queries.py) declare each field once; this module reads the
request into them and turns pydantic's ValidationError into the forum's problems: every
mistake of a body at once in a 422, each naming its field; the first query parameter at
fault in a 400 naming it.
"""

from __future__ import annotations

import json
from typing import TypeVar, get_origin

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from forum.web.api.input_fields import PARAMETER_PROBLEM, REFERENCE_PROBLEM
from forum.web.api.problems import ApiError, ValidationFailed

B = TypeVar("B", bound=BaseModel)
Q = TypeVar("Q", bound=BaseModel)


def json_object() -> dict:
    """The request body as a JSON object.

    415 unless the body is declared JSON, 413 when it is over MAX_CONTENT_LENGTH
    (raised by Werkzeug as it reads), 400 when it is not JSON or not an object.
    """
    if not request.is_json:
        raise ApiError(
            415, _("Send the body as JSON, with the header “Content-Type: application/json”.")
        )
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    unencodable = sorted(set(_fields_with_lone_surrogates(data)))
    if unencodable:
        raise ValidationFailed(
            [
                {
                    "field": field,
                    "message": _(
                        "This field contains a lone UTF-16 surrogate "
                        "(such as \\ud800), which is not a character "
                        "and cannot be stored."
                    ),
                }
                for field in unencodable
            ]
        )
    return data


def _has_lone_surrogate(text: str) -> bool:
    # JSON's \uXXXX escapes can spell half of a surrogate pair, which json.loads keeps
    # as a code point no encoder (UTF-8 for the database, the page, the e-mail) accepts.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _readable(name: str) -> str:
    """A field name fit for the answer, even when it holds a surrogate itself."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _fields_with_lone_surrogates(data: dict):
    """The paths (``title``, ``topics[2]``, ``a.b``) of every string, key or value,
    anywhere in the payload, that holds a lone surrogate.

    Walked with a list rather than recursion: json.loads accepts nesting nearly as
    deep as Python's recursion limit, and this must not be the one to overflow."""
    pending: list[tuple[str, object]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                yield path or "(body)"
        elif isinstance(value, dict):
            for key, item in value.items():
                field = f"{path}.{_readable(key)}" if path else _readable(key)
                if _has_lone_surrogate(key):
                    yield field
                pending.append((field, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(value))


def read_body(model: type[B], **context) -> B:
    """The request body as ``model`` (forum/web/api/bodies.py), or a 422 naming every field
    at fault. ``context`` holds the lookups a model's checks against the database use."""
    data = json_object()
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise ValidationFailed(_body_errors(error)) from None


def _body_errors(error: ValidationError) -> list[dict]:
    """Pydantic's errors in the forum's words and order: unknown fields first (by name),
    then the declared fields in their order, then what was checked against the database."""
    found = []
    for index, item in enumerate(error.errors()):
        field = ".".join(str(part) for part in item["loc"]) or "(body)"
        if item["type"] == "extra_forbidden":
            found.append(
                ((0, field), {"field": field, "message": _("This field is not known here.")})
            )
        else:
            group = 2 if item["type"] == REFERENCE_PROBLEM else 1
            found.append(((group, index), {"field": field, "message": _message(item)}))
    return [entry for _key, entry in sorted(found, key=lambda pair: pair[0])]


def _message(item: dict) -> str:
    if item["type"] == "missing":
        return _("This field is required.")
    # The forum's checks carry their message; anything else is pydantic's own words.
    return (item.get("ctx") or {}).get("message", item["msg"])


# --- query parameters: a mistake is a 400 naming the parameter ------------------------------


def read_query(model: type[Q]) -> Q:
    """The query parameters as ``model`` (forum/web/api/queries.py): each parameter's first
    value, or all of them for a list. The first parameter at fault is a 400 naming it."""
    data = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        data[key] = (
            request.args.getlist(key)
            if get_origin(field.annotation) is list
            else request.args.get(key)
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0])
        message = _message(first)
        if first["type"] == PARAMETER_PROBLEM:
            raise ValidationFailed(
                [{"field": name, "message": message}],
                status=400,
                detail=_(
                    "The query parameter “%(name)s” is invalid: %(message)s",
                    name=name,
                    message=message,
                ),
            ) from None
        raise ValidationFailed([{"field": name, "message": message}], status=400) from None
