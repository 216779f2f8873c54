"""Jinja filters shared by every template."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_datetime

from forum.markdown_render import render_markdown
from forum.slugs import slugify
from forum.labels import TEMPLATE_LABELS


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["date"] = _format_date
    app.jinja_env.filters["isoformat"] = _isoformat
    app.jinja_env.filters["slugify"] = slugify
    app.jinja_env.globals["labels"] = TEMPLATE_LABELS


def _format_datetime(value: datetime | None) -> str:
    return format_datetime(value, "medium") if value else ""


def _format_date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def _isoformat(value: datetime | None) -> str:
    return value.isoformat() if value else ""
