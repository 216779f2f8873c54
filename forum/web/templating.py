"""Jinja filters shared by every template."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from forum.countries import country_name
from forum.labels import TEMPLATE_LABELS
from forum.locales import NATIVE_NAMES
from forum.markdown_render import render_markdown
from forum.slugs import slugify


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["date"] = _format_date
    app.jinja_env.filters["isoformat"] = _isoformat
    app.jinja_env.filters["slugify"] = slugify
    app.jinja_env.filters["number"] = _format_number
    # base.html's lang attribute: the language the page is rendered in.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["labels"] = TEMPLATE_LABELS
    app.jinja_env.globals["country_name"] = _country_name
    app.jinja_env.globals["native_language_name"] = lambda code: NATIVE_NAMES.get(code, code)


def _country_name(code: str) -> str:
    """An organisation's country in the page's language."""
    return country_name(code, str(get_locale()))


def _format_datetime(value: datetime | None) -> str:
    return format_datetime(value, "medium") if value else ""


def _format_date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def _format_number(value):
    """A figure in the reader's locale (1,234.5 or 1.234,5); text passes unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    return format_decimal(value)


def _isoformat(value: datetime | None) -> str:
    return value.isoformat() if value else ""
