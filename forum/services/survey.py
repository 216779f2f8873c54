"""The user survey as the admins make it: building, opening, closing, links, listings.

A survey is built while it is a draft (items added, edited, removed, reordered),
then opened (at most one survey is open at a time) and finally closed. Its items
never change once it is open, so every response answers the same questions.

The limits of a survey's texts and the scales of its items are defined here, for
the forms, the answers (services/survey_answers.py) and the results
(services/survey_results.py). A one-time link is a random token of which only the
SHA-256 is stored, so a database dump hands out no usable links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.content_language import note_source_change
from forum.extensions import db
from forum.models import (
    AuditAction,
    Survey,
    SurveyInvitation,
    SurveyItem,
    SurveyItemKind,
    SurveyResponse,
    SurveyStatus,
    User,
)
from forum.models.columns import utcnow
from forum.permissions import can_manage_surveys
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation

MAX_TITLE = 200
MAX_DESCRIPTION = 5_000
MAX_PROMPT = 500
MAX_OPTION = 200
MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_TEXT_ANSWER = 2_000
MAX_LINKS_PER_BATCH = 200
MAX_LABEL = 200
LIKERT_VALUES = tuple(range(1, 6))  # 1 strongly disagree ... 5 strongly agree
NPS_VALUES = tuple(range(0, 11))
CHOICE_KINDS = (SurveyItemKind.SINGLE, SurveyItemKind.MULTIPLE)


@dataclass(frozen=True)
class ItemDraft:
    """An item as an admin describes it; options only for single and multiple choice."""

    kind: SurveyItemKind
    prompt: str
    options: tuple[str, ...] = ()
    required: bool = True


# --- building (admins) -------------------------------------------------------------


def create_survey(admin: User, title: str, description: str = "") -> Survey:
    """A new draft survey. Raises PermissionDenied (not an admin), RuleViolation (title)."""
    _require_admin(admin)
    survey = Survey(
        title=_clean_title(title),
        description=_clean_description(description),
        status=SurveyStatus.DRAFT,
        created_by_id=admin.id,
    )
    db.session.add(survey)
    db.session.flush()
    audit.record(admin, AuditAction.SURVEY_CREATED, survey, detail=survey.title)
    db.session.commit()
    return survey


def update_survey(survey: Survey, admin: User, title: str, description: str) -> Survey:
    """Change a draft's title and introduction. Raises PermissionDenied, RuleViolation."""
    _require_admin(admin)
    _require_draft(survey)
    title, description = _clean_title(title), _clean_description(description)
    note_source_change(
        survey,
        source_changed=(title, description) != (survey.title, survey.description),
        has_translation=bool(survey.title_it or survey.description_it),
        now=utcnow(),
    )
    survey.title, survey.description = title, description
    db.session.commit()
    return survey


def add_item(survey: Survey, admin: User, draft: ItemDraft) -> SurveyItem:
    """Append an item to a draft. Raises PermissionDenied, RuleViolation (field named)."""
    _require_admin(admin)
    _require_draft(survey)
    prompt, options = _clean_item(draft)
    last = db.session.scalar(
        select(func.max(SurveyItem.position)).where(SurveyItem.survey_id == survey.id)
    )
    item = SurveyItem(
        survey=survey,
        position=(last if last is not None else -1) + 1,
        kind=draft.kind,
        prompt=prompt,
        options="\n".join(options),
        required=draft.required,
    )
    db.session.add(item)
    db.session.commit()
    return item


def edit_item(item: SurveyItem, admin: User, draft: ItemDraft) -> SurveyItem:
    """Rewrite a draft's item (its kind too). Raises PermissionDenied, RuleViolation."""
    _require_admin(admin)
    _require_draft(item.survey)
    prompt, options = _clean_item(draft)
    note_source_change(
        item,
        source_changed=(prompt, "\n".join(options)) != (item.prompt, item.options),
        has_translation=bool(item.prompt_it or item.options_it),
        now=utcnow(),
    )
    item.kind, item.prompt, item.options, item.required = (
        draft.kind,
        prompt,
        "\n".join(options),
        draft.required,
    )
    db.session.commit()
    return item


def remove_item(item: SurveyItem, admin: User) -> None:
    """Delete a draft's item and close the gap. Raises PermissionDenied, RuleViolation."""
    _require_admin(admin)
    survey = item.survey
    _require_draft(survey)
    survey.items.remove(item)
    for position, remaining in enumerate(survey.items):
        remaining.position = position
    db.session.commit()


def move_item(item: SurveyItem, admin: User, offset: int) -> None:
    """Move a draft's item up (-1) or down (+1); at either end nothing changes.

    Positions are renumbered first, so gaps or ties left by earlier edits never block a move.
    Raises PermissionDenied, RuleViolation.
    """
    _require_admin(admin)
    survey = item.survey
    _require_draft(survey)
    items = sorted(survey.items, key=lambda each: (each.position, each.id))
    index = items.index(item)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items):
        each.position = position
    db.session.commit()


def open_survey(survey: Survey, admin: User) -> None:
    """Open a draft for answers; its items are then fixed.

    Raises PermissionDenied, RuleViolation (not a draft, no items, another survey open).
    """
    _require_admin(admin)
    if survey.status != SurveyStatus.DRAFT:
        raise RuleViolation(_l("Only a draft can be opened; this survey was opened before."))
    if not survey.items:
        raise RuleViolation(_l("Add at least one question before opening the survey."))
    already = current_open_survey()
    if already is not None:
        raise RuleViolation(
            _l("“%(title)s” is open: close it before opening another survey.", title=already.title)
        )
    survey.status = SurveyStatus.OPEN
    survey.opened_at = utcnow()
    audit.record(admin, AuditAction.SURVEY_OPENED, survey, detail=survey.title)
    db.session.commit()


def close_survey(survey: Survey, admin: User) -> None:
    """Stop accepting answers (unused links stop working too). Raises PermissionDenied,
    RuleViolation (not open)."""
    _require_admin(admin)
    if survey.status != SurveyStatus.OPEN:
        raise RuleViolation(_l("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = utcnow()
    audit.record(admin, AuditAction.SURVEY_CLOSED, survey, detail=survey.title)
    db.session.commit()


def create_invitation_links(survey: Survey, count: int, label: str, admin: User) -> list[str]:
    """Make ``count`` one-time links; returns their tokens, which are shown once and not kept.

    Raises PermissionDenied, RuleViolation (closed survey, count out of 1..200).
    """
    _require_admin(admin)
    if survey.status == SurveyStatus.CLOSED:
        raise RuleViolation(_l("This survey is closed: links to it would not work."))
    if not 1 <= count <= MAX_LINKS_PER_BATCH:
        raise RuleViolation(
            _l("Make between 1 and %(most)d links at a time.", most=MAX_LINKS_PER_BATCH),
            field="count",
        )
    label = " ".join(label.split())[:MAX_LABEL]
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    db.session.add_all(
        SurveyInvitation(
            survey_id=survey.id, token_hash=token_hash(token), label=label, created_by_id=admin.id
        )
        for token in tokens
    )
    db.session.commit()
    return tokens


def _require_admin(user: User) -> None:
    if not can_manage_surveys(user):
        raise PermissionDenied(_l("Only the centre's admins manage surveys."))


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise RuleViolation(
            _l(
                "The survey is no longer a draft: its questions cannot change, "
                "so that every response answers the same questions."
            )
        )


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise RuleViolation(_l("Give the survey a title."), field="title")
    if len(title) > MAX_TITLE:
        raise RuleViolation(_l("At most %(most)d characters.", most=MAX_TITLE), field="title")
    return title


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise RuleViolation(
            _l("At most %(most)d characters.", most=MAX_DESCRIPTION), field="description"
        )
    return description


def _clean_item(draft: ItemDraft) -> tuple[str, list[str]]:
    prompt = " ".join((draft.prompt or "").split())
    if not prompt:
        raise RuleViolation(_l("Write the question."), field="prompt")
    if len(prompt) > MAX_PROMPT:
        raise RuleViolation(_l("At most %(most)d characters.", most=MAX_PROMPT), field="prompt")
    if draft.kind not in CHOICE_KINDS:
        return prompt, []
    options: list[str] = []
    for option in draft.options:
        option = " ".join(option.split())
        if option and option not in options:
            options.append(option)
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise RuleViolation(
            _l(
                "Give between %(least)d and %(most)d different options, one per line.",
                least=MIN_OPTIONS,
                most=MAX_OPTIONS,
            ),
            field="options",
        )
    if any(len(option) > MAX_OPTION for option in options):
        raise RuleViolation(
            _l("Each option has at most %(most)d characters.", most=MAX_OPTION), field="options"
        )
    return prompt, options


# --- reading ---------------------------------------------------------------------------


def current_open_survey() -> Survey | None:
    """The survey open for answers, if any (the latest opened, should there be two)."""
    return db.session.scalar(
        select(Survey)
        .where(Survey.status == SurveyStatus.OPEN)
        .order_by(Survey.opened_at.desc(), Survey.id.desc())
        .limit(1)
    )


def token_hash(token: str) -> str:
    """What is stored of a one-time link's token, and how a presented token is looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SurveyListing:
    survey: Survey
    items: int
    responses: int


def list_surveys() -> list[SurveyListing]:
    """Every survey, newest first, with its item and response counts (one query)."""
    items = (
        select(func.count())
        .select_from(SurveyItem)
        .where(SurveyItem.survey_id == Survey.id)
        .scalar_subquery()
    )
    responses = (
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == Survey.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Survey, items, responses).order_by(Survey.created_at.desc(), Survey.id.desc())
    )
    return [
        SurveyListing(survey, item_count, response_count)
        for survey, item_count, response_count in rows
    ]


@dataclass(frozen=True)
class LinkBatch:
    label: str
    created: int
    used: int


def invitation_summary(survey: Survey) -> list[LinkBatch]:
    """The survey's one-time links by label: how many were made and how many used."""
    rows = db.session.execute(
        select(SurveyInvitation.label, func.count(), func.count(SurveyInvitation.used_at))
        .where(SurveyInvitation.survey_id == survey.id)
        .group_by(SurveyInvitation.label)
        .order_by(SurveyInvitation.label)
    )
    return [LinkBatch(label, created, used) for label, created, used in rows]
