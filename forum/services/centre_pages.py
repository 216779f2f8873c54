"""The centre's own pages (about, contact, privacy, terms) and consent to the privacy notice.

Each page is a series of numbered revisions holding both languages; the newest is the
page. Admins edit them. The privacy notice has versions on top of revisions: an edit
marked as a new version starts the next one, and everyone whose accepted version is
older is asked to accept it at their next login. Corrections (a typo, the Italian text
arriving) keep the version, so people are not asked again for what did not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import AuditAction, CentrePage, CentrePageRevision, User
from forum.models.columns import utcnow
from forum.permissions import can_curate
from forum.services import audit
from forum.services.diffs import DiffLine, diff_texts
from forum.services.errors import PermissionDenied, RuleViolation

LANGUAGES = ("en", "it")
MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 50_000
MAX_NOTE_LENGTH = 300


@dataclass(frozen=True)
class PageDraft:
    """What an admin typed: a title and a Markdown body per language (either may be empty)."""

    title_en: str = ""
    body_en: str = ""
    title_it: str = ""
    body_it: str = ""
    note: str = ""
    # The admin checked that the Italian still says what the English says: an outdated
    # mark is cleared without the Italian having to change.
    italian_checked: bool = False


@dataclass(frozen=True)
class PageText:
    """A page as one reader reads it: ``lang`` is the language of the text shown, which
    differs from the reader's when their translation is missing (``is_fallback``)."""

    title: str
    body: str
    lang: str
    is_fallback: bool
    # Set on the Italian text while the English changed after it (the date it did).
    outdated_since: datetime | None = None


@dataclass(frozen=True)
class HistoryEntry:
    revision: CentrePageRevision
    diffs: dict[str, list[DiffLine]]  # per language, from the revision before
    starts_privacy_version: bool


def current(page: CentrePage) -> CentrePageRevision | None:
    """The page's newest revision (its text), or None when it was never written. One query."""
    return db.session.scalar(
        select(CentrePageRevision)
        .where(CentrePageRevision.page == page)
        .order_by(CentrePageRevision.number.desc())
        .limit(1)
    )


def has_text(revision: CentrePageRevision, lang: str) -> bool:
    return bool(getattr(revision, f"body_{lang}").strip())


def text_for(revision: CentrePageRevision, locale: str) -> PageText:
    """The revision in the reader's language, or in the other one when it is not written."""
    wanted = locale if locale in LANGUAGES else LANGUAGES[0]
    lang = wanted
    if not has_text(revision, wanted):
        lang = next(other for other in LANGUAGES if other != wanted)
    return PageText(
        title=getattr(revision, f"title_{lang}"),
        body=getattr(revision, f"body_{lang}"),
        lang=lang,
        is_fallback=lang != wanted,
        outdated_since=revision.italian_outdated_since if lang == "it" else None,
    )


def current_pages() -> dict[CentrePage, CentrePageRevision]:
    """Every written page's newest revision (the admin list), in one query."""
    newest = (
        select(CentrePageRevision.page, func.max(CentrePageRevision.number).label("number"))
        .group_by(CentrePageRevision.page)
        .subquery()
    )
    rows = db.session.scalars(
        select(CentrePageRevision)
        .join(
            newest,
            (CentrePageRevision.page == newest.c.page)
            & (CentrePageRevision.number == newest.c.number),
        )
        .options(selectinload(CentrePageRevision.editor))
    )
    return {revision.page: revision for revision in rows}


def save(
    page: CentrePage,
    editor: User,
    draft: PageDraft,
    *,
    base_number: int,
    new_privacy_version: bool = False,
) -> CentrePageRevision:
    """Save a new revision of a page from ``draft`` and commit it, audited.

    ``base_number`` is the revision the editor started from (0 for a page never
    written): if someone saved since, nothing is saved. ``new_privacy_version``
    (the privacy notice only) makes this text the notice's next version, which
    everyone must accept at their next login (except its editor, recorded as
    accepting it); the notice's first text is always version 1. Raises PermissionDenied for non-admins and RuleViolation (with the
    field) for a missing or too long text, a later save by someone else, or an edit
    that changes nothing.
    """
    if not can_curate(editor):
        raise PermissionDenied(_l("Only the centre's admins edit its pages."))
    texts = _checked(draft)
    note = (draft.note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise RuleViolation(
            _l("Keep the note under %(max)d characters.", max=MAX_NOTE_LENGTH), field="note"
        )
    latest = current(page)
    latest_number = latest.number if latest is not None else 0
    if base_number != latest_number:
        raise RuleViolation(
            _l(
                "Someone saved this page while you were editing it. Your text "
                "is kept below: compare it with the page's history, then save "
                "again."
            ),
            field="base_number",
        )
    privacy_version = None
    if page == CentrePage.PRIVACY:
        previous_version = latest.privacy_version if latest is not None else None
        privacy_version = (
            (previous_version or 0) + 1
            if (new_privacy_version or previous_version is None)
            else previous_version
        )
    # Checking an outdated Italian as current is a change of its own, recorded as a revision.
    unchanged = (
        latest is not None
        and all(getattr(latest, name) == value for name, value in texts.items())
        and not (draft.italian_checked and latest.italian_outdated_since is not None)
    )
    if unchanged and privacy_version == (latest.privacy_version if latest else None):
        raise RuleViolation(
            _l("Nothing changed: there is no new revision to save."), field="body_en"
        )
    revision = CentrePageRevision(
        page=page,
        number=latest_number + 1,
        note=note or None,
        privacy_version=privacy_version,
        editor=editor,
        **texts,
        italian_outdated_since=_italian_outdated_since(
            latest, texts, checked=draft.italian_checked
        ),
    )
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError:  # another admin's save took the same number first
        db.session.rollback()
        raise RuleViolation(
            _l(
                "Someone saved this page while you were editing it. Your text "
                "is kept below: compare it with the page's history, then save "
                "again."
            ),
            field="base_number",
        ) from None
    detail = f"{page.value} revision {revision.number}"
    if privacy_version is not None:
        detail += f", privacy notice version {privacy_version}"
        if latest is None or privacy_version != latest.privacy_version:
            detail += " (new: everyone accepts it at their next login)"
    if privacy_version is not None and (editor.privacy_version_accepted or 0) < privacy_version:
        # Whoever wrote the version has read it: they are not asked again at their login.
        editor.privacy_version_accepted = privacy_version
        editor.privacy_accepted_at = revision.created_at
    audit.record(editor, AuditAction.CENTRE_PAGE_EDITED, revision, detail=detail)
    db.session.commit()
    return revision


def _italian_outdated_since(
    latest: CentrePageRevision | None, texts: dict[str, str], *, checked: bool
) -> datetime | None:
    """Since when the Italian of the new revision lags behind its English: cleared when
    the Italian is edited or checked, started when only the English changes, carried
    from the revision before otherwise."""
    if latest is None or checked or not texts["body_it"]:
        return None
    if any(texts[name] != getattr(latest, name) for name in ("title_it", "body_it")):
        return None
    if latest.italian_outdated_since is not None:
        return latest.italian_outdated_since
    english_changed = any(texts[name] != getattr(latest, name) for name in ("title_en", "body_en"))
    return utcnow() if english_changed else None


def english_changes_since_translation(page: CentrePage) -> list[DiffLine] | None:
    """While a page's Italian is outdated: the diff of its English from the last revision
    whose Italian was current to the newest. None when the Italian is current. One query."""
    revisions = list(
        db.session.scalars(
            select(CentrePageRevision)
            .where(CentrePageRevision.page == page)
            .order_by(CentrePageRevision.number)
        )
    )
    if not revisions or revisions[-1].italian_outdated_since is None:
        return None
    translated = next(
        (revision for revision in reversed(revisions) if revision.italian_outdated_since is None),
        None,
    )
    return diff_texts(_text(translated, "en") if translated else "", _text(revisions[-1], "en"))


def _checked(draft: PageDraft) -> dict[str, str]:
    texts = {}
    for lang in LANGUAGES:
        title = " ".join((getattr(draft, f"title_{lang}") or "").split())
        body = (getattr(draft, f"body_{lang}") or "").strip().replace("\r\n", "\n")
        if len(title) > MAX_TITLE_LENGTH:
            raise RuleViolation(
                _l("Keep the title under %(max)d characters.", max=MAX_TITLE_LENGTH),
                field=f"title_{lang}",
            )
        if len(body) > MAX_BODY_LENGTH:
            raise RuleViolation(
                _l("Keep the text under %(max)d characters.", max=MAX_BODY_LENGTH),
                field=f"body_{lang}",
            )
        if body and not title:
            raise RuleViolation(_l("Give this text a title."), field=f"title_{lang}")
        if title and not body:
            raise RuleViolation(
                _l("Write the text under this title, or clear the title."), field=f"body_{lang}"
            )
        texts[f"title_{lang}"] = title
        texts[f"body_{lang}"] = body
    if not any(texts[f"body_{lang}"] for lang in LANGUAGES):
        raise RuleViolation(_l("Write the page in at least one language."), field="body_en")
    return texts


def history(page: CentrePage) -> list[HistoryEntry]:
    """Every revision of a page with its diff from the one before, per language, newest
    first (two queries: the revisions, their editors)."""
    revisions = db.session.scalars(
        select(CentrePageRevision)
        .where(CentrePageRevision.page == page)
        .options(selectinload(CentrePageRevision.editor))
        .order_by(CentrePageRevision.number)
    )
    entries = []
    previous: CentrePageRevision | None = None
    for revision in revisions:
        diffs = {
            lang: diff_texts(_text(previous, lang) if previous else "", _text(revision, lang))
            for lang in LANGUAGES
        }
        starts = revision.privacy_version is not None and (
            previous is None or previous.privacy_version != revision.privacy_version
        )
        entries.append(HistoryEntry(revision, diffs, starts))
        previous = revision
    entries.reverse()
    return entries


def _text(revision: CentrePageRevision, lang: str) -> str:
    title, body = getattr(revision, f"title_{lang}"), getattr(revision, f"body_{lang}")
    return f"{title}\n\n{body}" if title else body


# --- consent to the privacy notice ----------------------------------------------------


def current_privacy_version() -> int | None:
    """The privacy notice's version in force, or None while no notice is written. One query."""
    return db.session.scalar(
        select(func.max(CentrePageRevision.privacy_version)).where(
            CentrePageRevision.page == CentrePage.PRIVACY
        )
    )


def privacy_version_date(version: int):
    """When a version of the privacy notice came into force (its first revision's time)."""
    return db.session.scalar(
        select(func.min(CentrePageRevision.created_at)).where(
            CentrePageRevision.page == CentrePage.PRIVACY,
            CentrePageRevision.privacy_version == version,
        )
    )


def privacy_consent_due(user: User) -> bool:
    """Whether the person has not yet accepted the privacy notice's version in force."""
    version = current_privacy_version()
    return version is not None and (user.privacy_version_accepted or 0) < version


def record_privacy_acceptance(user: User, version: int | None) -> None:
    """Note that ``user`` accepted privacy notice ``version`` now (not committed).

    Raises RuleViolation when ``version`` is not the one in force: the notice
    changed while the person was reading it, so they must read the new one.
    """
    if version != current_privacy_version():
        raise RuleViolation(
            _l("The privacy notice changed while you were reading it: please read this version."),
            field="accept",
        )
    user.privacy_version_accepted = version
    user.privacy_accepted_at = utcnow() if version is not None else None


def accept_privacy(user: User, version: int | None) -> User:
    """Record that a signed-in person accepted the notice ``version`` and commit.

    Raises RuleViolation when that version is no longer the one in force.
    """
    record_privacy_acceptance(user, version)
    db.session.commit()
    return user


def mark_everyone_accepted(version: int) -> int:
    """Record every account as having accepted ``version`` (the demo's loader only: its
    accounts exist before its notice). Returns the number of accounts changed."""
    result = db.session.execute(
        update(User)
        .where(User.privacy_version_accepted.is_(None))
        .values(privacy_version_accepted=version, privacy_accepted_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
