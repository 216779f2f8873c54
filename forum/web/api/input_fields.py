"""The kinds of field the API reads, each declared once: its check and its JSON Schema.

A field type here is ``Annotated[...]`` with a plain validator, which sees the raw
JSON (or query) value and gives the forum's own message, and the JSON Schema the
OpenAPI document shows for it. The limits are passed in once, so what the document
promises and what the check refuses cannot drift. Pydantic's own coercions are
left out on purpose: "12" is not a number here, and null is "missing", as before.

A check raises ``FieldProblem``; ``validation.py`` turns pydantic's ValidationError
into the problem+json answer.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from forum import markdown_limits
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES
from forum.web.forms import MAX_ID
from forum.web.paging import MAX_PAGE

MAX_PER_PAGE = 100

# The error types validation.py sorts and words by.
FIELD_PROBLEM = "forum_field"
REFERENCE_PROBLEM = "forum_reference"  # checked against the database, after the shape
PARAMETER_PROBLEM = "forum_parameter"  # a query parameter's value


def field_problem(message: str, kind: str = FIELD_PROBLEM) -> PydanticCustomError:
    """An error carrying the forum's message as it is (``{message}``: no braces parsed)."""
    return PydanticCustomError(kind, "{message}", {"message": str(message)})


def _required() -> PydanticCustomError:
    return field_problem(_("This field is required."))


# --- body fields: a mistake is one of a 422's errors ------------------------------------------------


def text(
    *, min_length: int, max_length: int, description: str | None = None, markdown: bool = False
) -> Any:
    """A required text of min_length to max_length characters, not blank.

    With ``markdown``, a text the forum could not render (over the renderer's limits,
    forum/markdown_limits.py) is refused here, as the page forms refuse it, rather than
    stored to be shown unrendered.
    """

    def check(value):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise _required()
        if not isinstance(value, str):
            raise field_problem(_("This field must be a string."))
        if "\x00" in value:
            raise field_problem(
                _("This field contains a NUL character, which the forum cannot store.")
            )
        if not min_length <= len(value) <= max_length:
            raise field_problem(
                _(
                    "This field must be between %(min)d and %(max)d characters long.",
                    min=min_length,
                    max=max_length,
                )
            )
        if markdown:
            message = markdown_limits.problem(value)
            if message is not None:
                raise field_problem(message)
        return value

    schema = {"type": "string", "minLength": min_length, "maxLength": max_length, "pattern": r"\S"}
    if description:
        schema["description"] = description
    return Annotated[str, PlainValidator(check), WithJsonSchema(schema)]


def choice(
    enum: type[Enum],
    *,
    optional: bool = False,
    default: Enum | None = None,
    description: str | None = None,
) -> Any:
    """One of the enumeration's values. Null (or a missing field, by the model's default)
    is ``default`` for an optional field, and a mistake for a required one."""
    allowed = tuple(member.value for member in enum)

    def check(value):
        if value is None:
            if not optional:
                raise _required()
            return default
        if isinstance(value, str) and value in allowed:
            return enum(value)
        raise field_problem(_("Choose one of: %(values)s.", values=", ".join(allowed)))

    schema: dict = {"type": "string", "enum": list(allowed)}
    if default is not None:
        schema["default"] = default.value
    if description:
        schema["description"] = description
    return Annotated[enum, PlainValidator(check), WithJsonSchema(schema)]


def names(*, max_items: int, max_length: int, description: str) -> Any:
    """A required, non-empty list of short strings."""

    def check(value):
        if value is None:
            raise _required()
        if (
            not isinstance(value, list)
            or not all(isinstance(item, str) for item in value)
            or not 1 <= len(value) <= max_items
            or any(len(item) > max_length for item in value)
        ):
            raise field_problem(_("Give a list of 1 to %(max)d names.", max=max_items))
        return value

    return Annotated[
        list[str],
        PlainValidator(check),
        WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "maxLength": max_length},
                "minItems": 1,
                "maxItems": max_items,
                "description": description,
            }
        ),
    ]


def optional_id(description: str) -> Any:
    """The id of another row, or null."""

    def check(value):
        if value is None:
            return None
        # bool is an int in Python; true is not an id.
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            raise field_problem(_("This field must be a positive whole number."))
        return value

    return Annotated[
        int | None,
        PlainValidator(check),
        WithJsonSchema(
            {
                "type": ["integer", "null"],
                "minimum": 1,
                "maximum": MAX_ID,
                "description": description,
            }
        ),
    ]


# --- query parameters: a mistake is a 400 naming the parameter ------------------------------------
# An absent or empty parameter is its default; each check sees the first value given.


def _bad_parameter(message: str) -> PydanticCustomError:
    return field_problem(message, PARAMETER_PROBLEM)


def _whole_number(raw: str, *, maximum: int) -> int:
    # Leading zeros are allowed ("007"); the length is checked before int(), which refuses
    # a text of over 4300 digits with a ValueError.
    digits = raw.lstrip("0") or "0"
    if (
        not raw.isascii()
        or not raw.isdigit()
        or len(digits) > len(str(maximum))
        or not 1 <= int(digits) <= maximum
    ):
        raise _bad_parameter(
            _("a whole number from %(min)d to %(max)d is expected.", min=1, max=maximum)
        )
    return int(digits)


def page() -> Any:
    """The page of a list, from 1."""

    def check(raw):
        return 1 if raw is None or raw == "" else _whole_number(raw, maximum=MAX_PAGE)

    return Annotated[
        int,
        PlainValidator(check),
        WithJsonSchema(
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE,
                "default": 1,
                "description": "The page to return.",
            }
        ),
    ]


def per_page(default: int) -> Any:
    """Items per page; ``default`` is what the document states. Absent, it is None: the view
    knows its own default (the questions' comes from the configuration)."""

    def check(raw):
        return None if raw is None or raw == "" else _whole_number(raw, maximum=MAX_PER_PAGE)

    return Annotated[
        int | None,
        PlainValidator(check),
        WithJsonSchema(
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PER_PAGE,
                "default": default,
                "description": f"Items per page, at most {MAX_PER_PAGE}.",
            }
        ),
    ]


def flag(description: str) -> Any:
    """true/1 or false/0; false when absent."""

    def check(raw):
        if raw is None or raw == "":
            return False
        if raw in ("true", "1"):
            return True
        if raw in ("false", "0"):
            return False
        raise _bad_parameter(_("true or false is expected."))

    return Annotated[
        bool, PlainValidator(check), WithJsonSchema({"type": "boolean", "description": description})
    ]


def one_of(enum: type[Enum], description: str, *, default: Enum | None = None) -> Any:
    """One of the enumeration's values, or ``default`` when absent."""

    def check(raw):
        if raw is None or raw == "":
            return default
        for member in enum:
            if member.value == raw:
                return member
        raise _bad_parameter(
            _("one of %(values)s is expected.", values=", ".join(member.value for member in enum))
        )

    schema: dict = {
        "type": "string",
        "enum": [member.value for member in enum],
        "description": description,
    }
    if default is not None:
        schema["default"] = default.value
    return Annotated[enum | None, PlainValidator(check), WithJsonSchema(schema)]


def many_of(values: tuple[str, ...], description: str) -> Any:
    """A parameter repeated, each time one of ``values``; absent is none."""

    def check(raw):
        if any(value not in values for value in raw):
            # The plain validation detail, not the one-parameter detail: as it always was.
            raise field_problem(_("Choose among: %(kinds)s.", kinds=", ".join(values)))
        return raw

    return Annotated[
        list[str],
        PlainValidator(check),
        WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "enum": list(values)},
                "description": description,
            }
        ),
    ]


def language() -> Any:
    """``?language=``: the language of the curated texts asked for (English by default)."""
    languages = (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES)

    def check(raw):
        if raw is None or raw == "":
            return SOURCE_LANGUAGE
        if raw not in languages:
            raise _bad_parameter(_("one of %(values)s is expected.", values=", ".join(languages)))
        return raw

    return Annotated[
        str,
        PlainValidator(check),
        WithJsonSchema(
            {
                "type": "string",
                "enum": list(languages),
                "description": "The language of the curated texts (default en).",
            }
        ),
    ]


def short_text(*, max_length: int | None, description: str) -> Any:
    """A text of at most max_length characters (any length for None); absent is None."""

    def check(raw):
        if raw is None or raw == "":
            return None
        if max_length is not None and len(raw) > max_length:
            raise _bad_parameter(_("at most %(max)d characters are accepted.", max=max_length))
        return raw

    schema: dict = {"type": "string", "description": description}
    if max_length is not None:
        schema["maxLength"] = max_length
    return Annotated[str | None, PlainValidator(check), WithJsonSchema(schema)]


def day(description: str) -> Any:
    """A date written as YYYY-MM-DD."""

    def check(raw):
        if raw is None or raw == "":
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise _bad_parameter(_("a date written as YYYY-MM-DD is expected.")) from None

    return Annotated[
        date | None,
        PlainValidator(check),
        WithJsonSchema({"type": "string", "format": "date", "description": description}),
    ]


def raw_day(description: str) -> Any:
    """A date the service reads itself (the review's period, with its own rules and
    messages): documented as a date, handed over as written."""
    return Annotated[
        str | None,
        PlainValidator(lambda raw: raw),
        WithJsonSchema({"type": "string", "format": "date", "description": description}),
    ]
