"""Jinja filters and globals shared by every template, the permission rules among them."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import get_date_format, get_datetime_format, get_time_format
from babel.support import NullTranslations
from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations
from markupsafe import Markup, escape

from forum import network_access, permissions
from forum.content_language import Localized, localized, reader_language, topic_name
from forum.countries import country_name
from forum.labels import TEMPLATE_LABELS
from forum.locales import NATIVE_NAMES
from forum.markdown_render import mark_english_citations, render_markdown
from forum.models import ContentLanguage
from forum.slugs import slugify

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def register(app: Flask) -> None:
    _install_gettext(app)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["english_citations"] = lambda html: mark_english_citations(
        html, reader_language()
    )
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["date"] = _format_date
    app.jinja_env.filters["isoformat"] = _isoformat
    app.jinja_env.filters["slugify"] = slugify
    app.jinja_env.filters["number"] = _format_number
    app.jinja_env.filters["plain_paragraphs"] = plain_paragraphs
    # base.html's lang attribute: the language the page is rendered in.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["labels"] = TEMPLATE_LABELS
    app.jinja_env.globals["country_name"] = _country_name
    app.jinja_env.globals["native_language_name"] = lambda code: NATIVE_NAMES.get(code, code)
    app.jinja_env.globals["lang_attr"] = lang_attr
    app.jinja_env.globals["in_lang"] = in_lang
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["topic_name"] = topic_name
    # The written-language choice of hand-built forms (the comment boxes), as
    # forms.written_language_field offers it.
    app.jinja_env.globals["language_choices"] = [
        (language.value, NATIVE_NAMES[language.value]) for language in ContentLanguage
    ]
    # Templates ask the rules (``can_curate(current_user)``) rather than the roles, so a
    # link is shown exactly to those the page behind it lets in.
    app.jinja_env.globals.update(policies())


def _install_gettext(app: Flask) -> None:
    """Templates' ``_()`` and ``ngettext()`` through the catalogue of the page's locale,
    looked up by the locale alone.

    Flask-Babel's own callables ask ``get_translations()`` for every string, which walks
    its request context three times (domain, locale, catalogue) and names the locale
    again: some 11 µs a string, against 1 µs for the lookup itself, and a question page
    of twelve answers shows about 190 strings (issue 28). A catalogue depends only on
    the locale (the forum has one domain), so each locale's is kept here once Flask-Babel
    has loaded it; ``force_locale`` (the e-mails, the feeds) still gets its own, since
    the locale is asked each time.
    """
    catalogues: dict[Locale | None, NullTranslations] = {}

    def catalogue() -> NullTranslations:
        locale = get_locale()
        found = catalogues.get(locale)
        if found is None:
            found = catalogues[locale] = get_translations()
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda string: catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )


def policies() -> dict[str, Callable]:
    """Every public function of forum/permissions.py and forum/network_access.py, by its
    name."""
    return {
        name: rule
        for module in (permissions, network_access)
        for name, rule in vars(module).items()
        if inspect.isfunction(rule)
        and rule.__module__ == module.__name__
        and not name.startswith("_")
    }


def _country_name(code: str) -> str:
    """An organisation's country in the page's language."""
    return country_name(code, str(get_locale()))


def lang_attr(lang: str | Localized | None) -> Markup:
    """` lang="en"` for an element whose text is in another language than the page's
    (a user's text, an untranslated label); nothing when they agree or it is unknown."""
    if isinstance(lang, Localized):
        lang = lang.lang
    if not lang or lang == reader_language():
        return Markup("")
    return Markup(' lang="%s"') % lang


def in_lang(value: Localized | str, lang: str | None = None) -> Markup:
    """A text inside a sentence of the page: in a ``<span lang="en">`` when its language
    (a ``Localized``'s, or ``lang``) is not the page's, else the escaped text alone."""
    text = value.text if isinstance(value, Localized) else value
    attr = lang_attr(value if isinstance(value, Localized) else lang)
    if not attr:
        return escape(text)
    return Markup("<span%s>%s</span>") % (attr, text)


def plain_paragraphs(text: str | None) -> list[str]:
    """Plain text's paragraphs (split at blank lines), for ``<p>`` elements escaped one by
    one: the network's descriptions, visit notes and introduction notes are plain text, not
    Markdown."""
    return [part.strip() for part in PARAGRAPH_BREAK.split(text or "") if part.strip()]


def _format_datetime(value: datetime | None) -> str:
    """A moment in the reader's language and time zone, to the minute: the locale's medium
    date and short time joined its way ("Mar 5, 2026, 2:30 PM", "5 mar 2026, 14:30").
    Babel's "medium" date-time carries the seconds, which no reader of a history needs."""
    if not value:
        return ""
    return format_datetime(value, _minute_pattern(get_locale()))


@cache  # one per locale: built from Babel's data on every byline, it was a third of the filter
def _minute_pattern(locale: Locale) -> str:
    return (
        get_datetime_format("medium", locale)
        .replace("{1}", get_date_format("medium", locale).pattern)
        .replace("{0}", get_time_format("short", locale).pattern)
    )


def _format_date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def _format_number(value):
    """A figure in the reader's locale (1,234.5 or 1.234,5); text passes unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    return format_decimal(value)


def _isoformat(value: datetime | None) -> str:
    return value.isoformat() if value else ""
