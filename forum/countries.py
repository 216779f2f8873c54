"""Countries by their ISO 3166-1 alpha-2 codes, named in the reader's language (CLDR's
names, through Babel: nothing to maintain here)."""

from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR names groupings and placeholders with two letters too: they are not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def _names(locale: str) -> dict[str, str]:
    territories = Locale.parse(locale).territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def is_country(code: str) -> bool:
    return code in _names("en")


def country_name(code: str, locale: str) -> str:
    """The country's name in ``locale``; the code itself if CLDR does not know it."""
    return _names(locale).get(code, code)


def country_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name) for a select: Italy first, where nearly every member is, then by name."""
    names = _names(locale)
    others = sorted(
        (item for item in names.items() if item[0] != "IT"), key=lambda item: item[1].casefold()
    )
    return [("IT", names["IT"]), *others]
