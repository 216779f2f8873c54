"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum, TypeDecorator


def enum_column(enum_class: type[StrEnum], name: str) -> Enum:
    """A string column holding an enum's values, with a CHECK constraint.

    Values rather than member names are stored so the database reads the same
    as the URLs and forms ("start-up", not "START_UP"); no native PostgreSQL
    enum type, so adding a value is a plain migration on both databases.
    """
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class) + 8,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def same_as_created(context) -> datetime:
    """A new row's ``updated_at``: its ``created_at`` (the column before it), so a text
    never edited does not read "edited"; two calls of ``utcnow`` were microseconds apart."""
    return context.get_current_parameters().get("created_at") or utcnow()


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always returned timezone-aware.

    SQLite keeps no timezone; without this the same column would come back
    naive on SQLite and aware on PostgreSQL, and comparisons would break.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def render_type_for_migration(type_, obj, autogen_context):
    """Alembic hook: write our column types as plain SQLAlchemy types in migrations.

    Migrations must not import application code that may change or vanish.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
