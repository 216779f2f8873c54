"""Typed readers of environment variables, each refusing a bad value in one line.

An operator who writes ``QUESTIONS_PER_PAGE=twenty`` or ``DB_POOL_SIZE=-1`` should
learn at start-up which variable is wrong, what it holds and what it should hold,
not meet a traceback (or, worse, a pool that misbehaves under load hours later).
Every reader raises ``ConfigurationError`` with such a line; ``create_app`` prints it
as ``forum: cannot start: ...`` and exits with gunicorn's "app failed to load" code.
An unset or empty variable takes the reader's default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from limits import parse_many

# What an on/off setting may say, in any case.
ON_WORDS = ("1", "true", "yes", "on")
OFF_WORDS = ("0", "false", "no", "off")
# Several values in one variable (SECRET_KEY_FALLBACKS): commas, or any white space.
LIST_SEPARATORS = re.compile(r"[\s,]+")


class ConfigurationError(RuntimeError):
    """The environment does not describe a usable configuration."""


class EnvironmentSettings:
    """The environment's variables, read one at a time by what each must be."""

    def __init__(self, environ: Mapping[str, str]):
        self.environ = environ

    def raw(self, name: str) -> str | None:
        """The variable's value stripped of white space, or None when unset or empty."""
        value = self.environ.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def text(self, name: str, default: str) -> str:
        return self.raw(name) or default

    def whole_number(
        self, name: str, default: int, minimum: int = 0, maximum: int | None = None
    ) -> int:
        """An integer within [minimum, maximum]."""
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            raise ConfigurationError(
                f"{name} must be a whole number {_range_words(minimum, maximum)}, not {value!r}"
            )
        return number

    def port(self, name: str, default: int) -> int:
        return self.whole_number(name, default, minimum=1, maximum=65535)

    def seconds(self, name: str, default: float, minimum: float = 0) -> float:
        """A duration in seconds, fractions allowed, at least ``minimum``."""
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            number = None
        # nan compares false with everything, and inf is no timeout: both refused.
        if number is None or not number >= minimum or number == float("inf"):
            raise ConfigurationError(
                f"{name} must be a number of seconds of at least {minimum:g}, not {value!r}"
            )
        return number

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in ON_WORDS:
            return True
        if value.lower() in OFF_WORDS:
            return False
        raise ConfigurationError(
            f"{name} must be on or off ({', '.join(ON_WORDS)} / {', '.join(OFF_WORDS)}), "
            f"not {value!r}"
        )

    def choice(
        self,
        name: str,
        default: str,
        choices: Sequence[str],
        normalise: Callable[[str], str] | None = None,
    ) -> str:
        """One of ``choices``, compared after ``normalise`` (e.g. ``str.lower``) when given."""
        value = self.raw(name)
        if value is None:
            return default
        if normalise is not None:
            value = normalise(value)
        if value not in choices:
            raise ConfigurationError(f"{name} must be {_alternatives(choices)}, not {value!r}")
        return value

    def rate_limit(self, name: str, default: str) -> str:
        """A rate limit as Flask-Limiter reads it (the ``limits`` library's syntax):
        "10 per minute", or several joined by ";"."""
        value = self.raw(name)
        if value is None:
            return default
        try:
            parsed = parse_many(value)
        except ValueError:
            parsed = []
        if not parsed:
            raise ConfigurationError(
                f"{name} must be a rate limit such as '10 per minute' (several joined by ';'), "
                f"not {value!r}"
            )
        return value

    def url(self, name: str, default: str | None, schemes: Sequence[str]) -> str | None:
        """A URL beginning with one of ``schemes`` (each written with its ``://``)."""
        value = self.raw(name)
        if value is None:
            return default
        if not value.startswith(tuple(schemes)) or value in schemes:
            raise ConfigurationError(
                f"{name} must be a URL beginning with {_alternatives(schemes)}, not {value!r}"
            )
        return value

    def word_list(self, name: str) -> list[str]:
        """Values separated by commas or white space; empty when unset."""
        value = self.raw(name)
        if value is None:
            return []
        return [word for word in LIST_SEPARATORS.split(value) if word]


def _range_words(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f"of at least {minimum}"
    return f"from {minimum} to {maximum}"


def _alternatives(choices: Sequence[str]) -> str:
    if len(choices) == 1:
        return choices[0]
    return f"{', '.join(choices[:-1])} or {choices[-1]}"
