"""Reading the guide's releases: which there are, the latest, one by its version, its text.

A release freezes the whole guide as its canonical Markdown under a version
number (made and approved in ``releases``). Drafts are listed only when asked
for; the caller decides who may see one (``permissions.can_see_release``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import GuideRelease
from forum.services.errors import RuleViolation
from forum.services.guide import markdown
from forum.services.guide.markdown import GuideDocument

# MAJOR.MINOR, no leading zeros: 1.0, 1.1, 2.0, 10.12.
VERSION_PATTERN = re.compile(r"(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})")


def version_key(version: str) -> tuple[int, int]:
    """A valid version as numbers, for ordering (1.10 comes after 1.9)."""
    major, minor = version.split(".")
    return int(major), int(minor)


def releases(*, include_drafts: bool = False) -> list[GuideRelease]:
    """The published releases (and the drafts, for those who may see them), newest
    version first, with who released and who approved them."""
    # The approver comes joined, so the list stays at two queries (releases, their makers).
    statement = select(GuideRelease).options(
        selectinload(GuideRelease.released_by), joinedload(GuideRelease.approved_by)
    )
    if not include_drafts:
        statement = statement.where(GuideRelease.published_at.is_not(None))
    found = db.session.scalars(statement)
    return sorted(found, key=lambda release: version_key(release.version), reverse=True)


def latest_release(*, include_drafts: bool = False) -> GuideRelease | None:
    """The most recent published release (or release of any state), or None before the first."""
    # Versions only ever increase (a release refuses a lower one), so the
    # latest in time is the highest.
    statement = select(GuideRelease)
    if not include_drafts:
        statement = statement.where(GuideRelease.published_at.is_not(None))
    return db.session.scalar(
        statement.order_by(GuideRelease.released_at.desc(), GuideRelease.id.desc()).limit(1)
    )


def get_release(version: str) -> GuideRelease | None:
    """The release with this version, published or not (and who made it), or None.

    The caller decides who may see a draft (``permissions.can_see_release``).
    """
    return db.session.scalar(
        select(GuideRelease)
        .where(GuideRelease.version == version)
        .options(selectinload(GuideRelease.released_by))
    )


def export_release(version: str) -> str:
    """The frozen Markdown of one published release; RuleViolation if there is no such
    published version."""
    found = get_release(version)
    if found is None or not found.is_published:
        raise RuleViolation(
            _l("There is no release %(version)s.", version=version), field="version"
        )
    return found.markdown


def release_document(release: GuideRelease) -> GuideDocument:
    """A release's text as a tree, for its page."""
    return _parse_frozen(release.markdown)


def release_document_of(text: str) -> GuideDocument:
    """A frozen text (a release's, in any language) as a tree; parsed once per text."""
    return _parse_frozen(text)


@lru_cache(maxsize=64)
def _parse_frozen(text: str) -> GuideDocument:
    # A release's text never changes, and it was rendered by ``markdown.render``.
    return markdown.parse(text)
