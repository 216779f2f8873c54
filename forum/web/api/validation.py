"""Reading the API's input: JSON bodies field by field, and query parameters.

Every mistake is collected and reported at once, each naming its field: a
body's fields in a 422, query parameters in a 400. The limits are the ones the
page forms use, imported from the services, so a text the page refuses the API
refuses too, and the other way round.
"""
from __future__ import annotations

import json
from datetime import date
from enum import Enum
from typing import TypeVar

from flask import request
from flask_babel import gettext as _

from forum import markdown_limits
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES
from forum.web.api.problems import ApiError, ValidationFailed
from forum.web.forms import MAX_ID
from forum.web.paging import MAX_PAGE

E = TypeVar("E", bound=Enum)

MAX_PER_PAGE = 100


def json_object() -> dict:
    """The request body as a JSON object.

    415 unless the body is declared JSON, 413 when it is over MAX_CONTENT_LENGTH
    (raised by Werkzeug as it reads), 400 when it is not JSON or not an object.
    """
    if not request.is_json:
        raise ApiError(415, _("Send the body as JSON, with the header "
                              "“Content-Type: application/json”."))
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, _("The body must be a JSON object."))
    unencodable = sorted(set(_fields_with_lone_surrogates(data)))
    if unencodable:
        raise ValidationFailed([
            {"field": field, "message": _("This field contains a lone UTF-16 surrogate "
                                          "(such as \\ud800), which is not a character "
                                          "and cannot be stored.")}
            for field in unencodable])
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


class Body:
    """The fields of a JSON object, checked one by one; ``finish`` raises the 422."""

    def __init__(self, data: dict, allowed: set[str]):
        self.data = data
        self.errors: list[dict] = []
        for name in sorted(set(data) - allowed):
            self.error(name, _("This field is not known here."))

    def error(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def text(self, name: str, *, min_length: int, max_length: int) -> str | None:
        """A required text of min_length to max_length characters, not blank."""
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(name, _("This field is required."))
            return None
        if not isinstance(value, str):
            self.error(name, _("This field must be a string."))
            return None
        if "\x00" in value:
            self.error(name, _("This field contains a NUL character, which the forum cannot store."))
            return None
        if not min_length <= len(value) <= max_length:
            self.error(name, _("This field must be between %(min)d and %(max)d characters long.",
                               min=min_length, max=max_length))
            return None
        return value

    def markdown(self, name: str, *, min_length: int, max_length: int) -> str | None:
        """A required Markdown text, as ``text``, that the forum can also render.

        A text over the renderer's limits (forum/markdown_limits.py) is refused
        here, as the page forms refuse it, rather than stored to be shown unrendered.
        """
        value = self.text(name, min_length=min_length, max_length=max_length)
        if value is None:
            return None
        message = markdown_limits.problem(value)
        if message is not None:
            self.error(name, str(message))
            return None
        return value

    def choice(self, name: str, enum: type[E], *, default: E | None = None) -> E | None:
        """One of the enumeration's values; required unless there is a default."""
        value = self.data.get(name)
        if value is None:
            if default is None:
                self.error(name, _("This field is required."))
            return default
        if isinstance(value, str):
            for member in enum:
                if member.value == value:
                    return member
        self.error(name, _("Choose one of: %(values)s.",
                           values=", ".join(member.value for member in enum)))
        return None

    def strings(self, name: str, *, max_items: int, max_length: int) -> list[str] | None:
        """A required, non-empty list of short strings."""
        value = self.data.get(name)
        if value is None:
            self.error(name, _("This field is required."))
            return None
        if (not isinstance(value, list) or not all(isinstance(item, str) for item in value)
                or not 1 <= len(value) <= max_items
                or any(len(item) > max_length for item in value)):
            self.error(name, _("Give a list of 1 to %(max)d names.", max=max_items))
            return None
        return value

    def optional_id(self, name: str) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        # bool is an int in Python; true is not an id.
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            self.error(name, _("This field must be a positive whole number."))
            return None
        return value

    def finish(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


# --- query parameters: a mistake is a 400 naming the parameter ------------------------------

def _bad_parameter(name: str, message: str) -> ValidationFailed:
    return ValidationFailed([{"field": name, "message": message}], status=400,
                            detail=_("The query parameter “%(name)s” is invalid: %(message)s",
                                     name=name, message=message))


def integer_arg(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise _bad_parameter(name, _("a whole number from %(min)d to %(max)d is expected.",
                                     min=minimum, max=maximum))
    return int(raw)


def pagination_args(default_per_page: int) -> tuple[int, int]:
    page = integer_arg("page", 1, minimum=1, maximum=MAX_PAGE)
    per_page = integer_arg("per_page", min(default_per_page, MAX_PER_PAGE),
                           minimum=1, maximum=MAX_PER_PAGE)
    return page, per_page


def boolean_arg(name: str) -> bool:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return False
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise _bad_parameter(name, _("true or false is expected."))


def choice_arg(name: str, enum: type[E]) -> E | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    for member in enum:
        if member.value == raw:
            return member
    raise _bad_parameter(name, _("one of %(values)s is expected.",
                                 values=", ".join(member.value for member in enum)))


def language_arg() -> str:
    """``?language=``: the language of the curated texts asked for (English by default)."""
    raw = request.args.get("language")
    if raw is None or raw == "":
        return SOURCE_LANGUAGE
    if raw not in (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES):
        raise _bad_parameter("language", _("one of %(values)s is expected.", values=", ".join(
            (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES))))
    return raw


def text_arg(name: str, *, max_length: int) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > max_length:
        raise _bad_parameter(name, _("at most %(max)d characters are accepted.", max=max_length))
    return raw


def date_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad_parameter(name, _("a date written as YYYY-MM-DD is expected.")) from None
