"""The payload of the six-month review: its tables, aggregates only (see ``payloads``)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from forum.web.api.payloads import Part, Payload


class Period(Part):
    from_: date = Field(alias="from")
    to: date


class ReviewTable(Part):
    key: str
    title: str
    columns: list[str]
    rows: list[list[str | float | bool | None]]


class Review(Payload):
    """The six-month review's tables: aggregates only."""

    period: Period
    tables: list[ReviewTable]
