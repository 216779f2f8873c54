"""Releases of the guide the centre can sign: making one, its approval, its contributors, its PDF.

An admin freezes the current guide as a *draft* release of a kind (first
version, final version, a later edition): the board and the admins read it,
nobody else. It is published when it is approved, either by a chair of the
board alone or by the board, whose endorsements are counted by the same
quorum rule as board answers (``board_quorum.tally``). A reader then sees who
approved it and when. The command line (``flask guide release``, no user)
publishes at once: whoever runs it holds the server, and the release says
so ("released from the command line").

Each release freezes, with its text, the list of its contributors (as user ids,
named when shown): who wrote the revisions of the guide's sections (an
accepted proposal's expert, else the admin who edited) and who wrote the
answers they were drawn from.

Reading releases (lists, a release, its text) is ``versions``'s, comparing them
``changes``'s; both leave drafts out unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    AuditAction,
    BoardAnswer,
    GuideRelease,
    GuideReleaseStance,
    GuideRevision,
    ReleaseApproval,
    ReleaseKind,
    StanceKind,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import can_approve_release, can_take_release_stance
from forum.services import audit, board_quorum, pdf_layout
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.guide import checks, translated, tree, versions

REVISIONS, ANSWERS = "revisions", "answers"  # the contributors' roles


# --- making a release ------------------------------------------------------------------


def release(
    version: str, notes: str, actor: User | None, kind: ReleaseKind | None = None
) -> GuideRelease:
    """Freeze the current guide as release ``version`` (MAJOR.MINOR, e.g. 1.0, 1.1, 2.0).

    An admin makes a draft, to be approved before it is public; the command
    line (``actor`` None) publishes at once. ``kind`` defaults to a first
    version before any published release, else an edition.

    Refused (RuleViolation) for a malformed version, one that exists already or
    is not higher than the latest release (drafts included), missing notes, no
    guide, or a guide unchanged since the latest release (it would be a
    release of nothing). PermissionDenied if ``actor`` is a user but not an admin.
    """
    checks.require_curator(actor)
    version = (version or "").strip()
    notes = (notes or "").strip()
    if not versions.VERSION_PATTERN.fullmatch(version):
        raise RuleViolation(
            _l("Give the version as two numbers, such as 1.0, 1.1 or 2.0."), field="version"
        )
    if versions.get_release(version) is not None:
        raise _version_taken(version)
    latest = versions.latest_release(include_drafts=True)
    if latest is not None and versions.version_key(version) <= versions.version_key(latest.version):
        raise RuleViolation(
            _l(
                "The version must be higher than the latest release, %(latest)s.",
                latest=latest.version,
            ),
            field="version",
        )
    if not notes:
        raise RuleViolation(
            _l("Say what this release changes: the notes go in the changelog."), field="notes"
        )
    markdown = tree.export_current()
    if (
        latest is not None
        and latest.markdown == markdown
        and all(
            translated.release_markdown(latest, language) == translated.export_current(language)
            for language in translated.TRANSLATION_LANGUAGES
        )
    ):
        raise RuleViolation(
            _l(
                "Nothing has changed since release %(latest)s: there is nothing to release.",
                latest=latest.version,
            )
        )
    if kind is None:
        kind = (
            ReleaseKind.FIRST_VERSION if versions.latest_release() is None else ReleaseKind.EDITION
        )
    now = utcnow()
    frozen = GuideRelease(
        version=version,
        notes=notes,
        markdown=markdown,
        released_at=now,
        released_by_id=actor.id if actor else None,
        kind=kind,
        contributors=current_contributors(),
    )
    if actor is None:
        frozen.approval, frozen.approved_at, frozen.published_at = (
            ReleaseApproval.COMMAND_LINE,
            now,
            now,
        )
    db.session.add(frozen)
    translated.freeze(frozen)  # a release freezes every language
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _version_taken(version) from None
    detail = f"version {version}" if actor is None else f"version {version}, a draft ({kind.value})"
    audit.record(actor, AuditAction.GUIDE_RELEASED, frozen, detail=detail)
    db.session.commit()
    return frozen


def current_contributors() -> list[dict]:
    """Who wrote the current guide's revisions and the answers they were drawn from,
    as [{"user_id", "role"}] (four queries). Ids, not names: a contributor who deletes
    their account is shown anonymised, as everywhere else."""
    revisions = db.session.scalars(
        select(GuideRevision).options(
            selectinload(GuideRevision.source_answer),
            selectinload(GuideRevision.source_board_answer).selectinload(BoardAnswer.revisions),
        )
    )
    writers: set[int] = set()
    answerers: set[int] = set()
    for revision in revisions:
        writer = revision.proposer_id or revision.editor_id
        if writer is not None:
            writers.add(writer)
        if revision.source_answer is not None:
            answerers.add(revision.source_answer.author_id)
        if revision.source_board_answer is not None:
            published = revision.source_board_answer.published_number or 0
            answerers.update(
                item.editor_id
                for item in revision.source_board_answer.revisions
                if item.editor_id is not None and item.number <= published
            )
    return [{"user_id": user_id, "role": REVISIONS} for user_id in sorted(writers)] + [
        {"user_id": user_id, "role": ANSWERS} for user_id in sorted(answerers)
    ]


@dataclass(frozen=True)
class Contributors:
    """A release's contributors by name, each group sorted: those who wrote its
    revisions, and those who wrote the answers they were drawn from."""

    revisions: list[str]
    answers: list[str]


def contributors_of(found: GuideRelease) -> Contributors:
    """The release's frozen contributors with their names as they are now (one query)."""
    ids = {item["user_id"] for item in found.contributors}
    # The users, not the column: a deleted account is named as every page names it.
    names = (
        {
            user.id: user.display_name
            for user in db.session.scalars(select(User).where(User.id.in_(ids)))
        }
        if ids
        else {}
    )

    def named(role: str) -> list[str]:
        return sorted(
            (
                names[item["user_id"]]
                for item in found.contributors
                if item["role"] == role and item["user_id"] in names
            ),
            key=str.casefold,
        )

    return Contributors(named(REVISIONS), named(ANSWERS))


# --- approval -----------------------------------------------------------------------------


def approve_as_chair(found: GuideRelease, chair: User) -> GuideRelease:
    """A chair of the board approves a draft release, which is published at once.

    PermissionDenied for anyone but a chair; RuleViolation if it is not a draft.
    """
    if not can_approve_release(chair):
        raise PermissionDenied(_l("Only a chair of the board approves a release alone."))
    _require_draft(found)
    _publish(found, ReleaseApproval.CHAIR, chair)
    audit.record(
        chair,
        AuditAction.GUIDE_RELEASE_APPROVED,
        found,
        detail=f"version {found.version} approved by the chair",
    )
    db.session.commit()
    return found


def record_stance(
    found: GuideRelease, expert: User, kind: StanceKind, reason: str = ""
) -> board_quorum.QuorumState:
    """An expert of the board endorses, dissents from or abstains on a draft release.

    A stance may be changed, not repeated; a dissent needs a reason. When the
    endorsements meet the board answers' quorum (with no dissent standing), the
    release is approved by the board and published. Returns the quorum after
    the stance. PermissionDenied for non-experts; RuleViolation as said.
    """
    if not can_take_release_stance(expert):
        raise PermissionDenied(_l("Only the board's experts take a stance on a release."))
    _require_draft(found)
    reason = (reason or "").strip()
    if kind == StanceKind.DISSENT and not reason:
        raise RuleViolation(
            _l("Say why you dissent: the reason is recorded with the release."), field="reason"
        )
    if expert.area is None:
        raise RuleViolation(_l("Your expert area is not set; an admin must set it first."))
    existing = next((item for item in found.stances if item.expert_id == expert.id), None)
    if existing is not None and existing.kind == kind:
        raise RuleViolation(_l("You have already taken this stance on this release."))
    if existing is None:
        existing = GuideReleaseStance(release=found, expert=expert)
        db.session.add(existing)
    existing.kind, existing.reason, existing.area = kind, reason, expert.area
    existing.created_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same expert's second click landed at the same moment
        raise RuleViolation(_l("You have already taken this stance on this release.")) from None
    audit.record(
        expert,
        AuditAction.GUIDE_RELEASE_STANCE,
        found,
        detail=f"{kind.value} on version {found.version}" + (f": {reason}" if reason else ""),
    )
    state = quorum(found)
    if state.is_met:
        _publish(found, ReleaseApproval.BOARD, None)
        audit.record(
            expert,
            AuditAction.GUIDE_RELEASE_APPROVED,
            found,
            detail=f"version {found.version} approved by the board's quorum",
        )
    db.session.commit()
    return state


def quorum(found: GuideRelease) -> board_quorum.QuorumState:
    """Where the board's stances on a release stand against the quorum of board answers."""
    return board_quorum.tally(found.stances)


def load_release(version: str) -> GuideRelease | None:
    """A release with who made and approved it and the board's stances (three queries)."""
    return db.session.scalar(
        select(GuideRelease)
        .where(GuideRelease.version == version)
        .options(
            selectinload(GuideRelease.released_by),
            selectinload(GuideRelease.approved_by),
            selectinload(GuideRelease.stances).selectinload(GuideReleaseStance.expert),
        )
    )


# --- the PDF --------------------------------------------------------------------------------


def release_pdf(
    found: GuideRelease, stylesheet_path: str, language: str = translated.SOURCE_LANGUAGE
) -> bytes:
    """The release as a PDF in ``language`` (the caller sets the interface's language to
    match), laid out by the print stylesheet; page 1 carries its version, status, date
    and approval."""
    html = render_template(
        "guide/release_print.html",
        release=found,
        document=translated.release_document(found, language),
        contributors=contributors_of(found),
    )
    return _pdf_of(html, stylesheet_path)


@lru_cache(maxsize=8)
def _pdf_of(html: str, stylesheet_path: str) -> bytes:
    # Laying out the whole guide takes about a second; the page it is made from is
    # cheap, and the same page (release, language, approval, names) gives the same PDF.
    return pdf_layout.pdf_of(html, stylesheet_path)


# --- internals ------------------------------------------------------------------------------


def _publish(found: GuideRelease, approval: ReleaseApproval, approver: User | None) -> None:
    now = utcnow()
    found.approval, found.approved_by, found.approved_at, found.published_at = (
        approval,
        approver,
        now,
        now,
    )


def _require_draft(found: GuideRelease) -> None:
    if found.is_published:
        raise RuleViolation(
            _l("Release %(version)s is already approved and published.", version=found.version)
        )


def _version_taken(version: str) -> RuleViolation:
    return RuleViolation(
        _l("Release %(version)s exists already: choose the next number.", version=version),
        field="version",
    )
