"""The user survey: admins build it and open it; people answer it once; its results.

A survey is built while it is a draft (items added, edited, removed, reordered),
then opened (at most one survey is open at a time) and finally closed. Its items
never change once it is open, so every response answers the same questions.

Answering once: a signed-in user answers as themself, once per survey; someone
without an account answers through a one-time link (only the token's SHA-256 is
stored, so a database dump hands out no usable links). The services check first
and refuse politely (``AlreadyAnswered``); the unique constraints on
``SurveyResponse`` (survey and user; invitation) settle two submissions racing
each other, and the loser gets the same polite refusal.
"""
from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum.content_language import note_source_change
from forum.extensions import db
from forum.models import (
    AuditAction,
    Survey,
    SurveyAnswer,
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


class AlreadyAnswered(RuleViolation):
    """A second response by the same person, or through a used link."""


class InvalidAnswers(RuleViolation):
    """Some answers are missing or out of range; ``errors`` maps item ids to messages."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_l("Please correct the answers marked below."))
        self.errors = errors


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
    survey = Survey(title=_clean_title(title), description=_clean_description(description),
                    status=SurveyStatus.DRAFT, created_by_id=admin.id)
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
    note_source_change(survey, source_changed=(title, description) != (survey.title,
                                                                       survey.description),
                       has_translation=bool(survey.title_it or survey.description_it),
                       now=utcnow())
    survey.title, survey.description = title, description
    db.session.commit()
    return survey


def add_item(survey: Survey, admin: User, draft: ItemDraft) -> SurveyItem:
    """Append an item to a draft. Raises PermissionDenied, RuleViolation (field named)."""
    _require_admin(admin)
    _require_draft(survey)
    prompt, options = _clean_item(draft)
    last = db.session.scalar(select(func.max(SurveyItem.position))
                             .where(SurveyItem.survey_id == survey.id))
    item = SurveyItem(survey=survey, position=(last if last is not None else -1) + 1,
                      kind=draft.kind, prompt=prompt, options="\n".join(options),
                      required=draft.required)
    db.session.add(item)
    db.session.commit()
    return item


def edit_item(item: SurveyItem, admin: User, draft: ItemDraft) -> SurveyItem:
    """Rewrite a draft's item (its kind too). Raises PermissionDenied, RuleViolation."""
    _require_admin(admin)
    _require_draft(item.survey)
    prompt, options = _clean_item(draft)
    note_source_change(item, source_changed=(prompt, "\n".join(options)) != (item.prompt,
                                                                            item.options),
                       has_translation=bool(item.prompt_it or item.options_it), now=utcnow())
    item.kind, item.prompt, item.options, item.required = (
        draft.kind, prompt, "\n".join(options), draft.required)
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
        raise RuleViolation(_l("“%(title)s” is open: close it before opening another survey.",
                               title=already.title))
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
        raise RuleViolation(_l("Make between 1 and %(most)d links at a time.",
                               most=MAX_LINKS_PER_BATCH), field="count")
    label = " ".join(label.split())[:MAX_LABEL]
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    db.session.add_all(
        SurveyInvitation(survey_id=survey.id, token_hash=token_hash(token), label=label,
                         created_by_id=admin.id)
        for token in tokens
    )
    db.session.commit()
    return tokens


def _require_admin(user: User) -> None:
    if not can_manage_surveys(user):
        raise PermissionDenied(_l("Only the centre's admins manage surveys."))


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise RuleViolation(_l("The survey is no longer a draft: its questions cannot change, "
                               "so that every response answers the same questions."))


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
        raise RuleViolation(_l("At most %(most)d characters.", most=MAX_DESCRIPTION),
                            field="description")
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
        raise RuleViolation(_l("Give between %(least)d and %(most)d different options, "
                               "one per line.", least=MIN_OPTIONS, most=MAX_OPTIONS),
                            field="options")
    if any(len(option) > MAX_OPTION for option in options):
        raise RuleViolation(_l("Each option has at most %(most)d characters.", most=MAX_OPTION),
                            field="options")
    return prompt, options


# --- reading (everyone) ----------------------------------------------------------

def current_open_survey() -> Survey | None:
    """The survey open for answers, if any (the latest opened, should there be two)."""
    return db.session.scalar(
        select(Survey).where(Survey.status == SurveyStatus.OPEN)
        .order_by(Survey.opened_at.desc(), Survey.id.desc()).limit(1)
    )


def survey_awaiting(user: User) -> Survey | None:
    """The open survey ``user`` has not answered yet, if any (one query)."""
    answered = (select(SurveyResponse.id)
                .where(SurveyResponse.survey_id == Survey.id, SurveyResponse.user_id == user.id)
                .exists())
    return db.session.scalar(
        select(Survey).where(Survey.status == SurveyStatus.OPEN, ~answered)
        .order_by(Survey.opened_at.desc(), Survey.id.desc()).limit(1)
    )


def has_answered(survey: Survey, user: User) -> bool:
    return db.session.scalar(
        select(SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id)
    ) is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The one-time link's invitation (used or not), or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token))
    )


@dataclass(frozen=True)
class SurveyListing:
    survey: Survey
    items: int
    responses: int


def list_surveys() -> list[SurveyListing]:
    """Every survey, newest first, with its item and response counts (one query)."""
    items = (select(func.count()).select_from(SurveyItem)
             .where(SurveyItem.survey_id == Survey.id).scalar_subquery())
    responses = (select(func.count()).select_from(SurveyResponse)
                 .where(SurveyResponse.survey_id == Survey.id).scalar_subquery())
    rows = db.session.execute(
        select(Survey, items, responses).order_by(Survey.created_at.desc(), Survey.id.desc())
    )
    return [SurveyListing(survey, item_count, response_count)
            for survey, item_count, response_count in rows]


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
        .group_by(SurveyInvitation.label).order_by(SurveyInvitation.label)
    )
    return [LinkBatch(label, created, used) for label, created, used in rows]


# --- answering ---------------------------------------------------------------------

def submit_response(survey: Survey, answers: Mapping[int, str | list[str] | None], *,
                    user: User | None = None, invitation: SurveyInvitation | None = None,
                    quote_consent: bool = False) -> SurveyResponse:
    """Record one person's answers: as ``user`` or through ``invitation`` (a one-time link).

    ``answers`` maps item ids to the raw input: a string, or a list of strings for
    multiple choice. Raises RuleViolation (survey not open, link of another
    survey), AlreadyAnswered (second response, used link) and InvalidAnswers
    (errors by item id).
    """
    if (user is None) == (invitation is None):
        raise ValueError("submit_response needs exactly one of user and invitation")
    if survey.status != SurveyStatus.OPEN:
        raise RuleViolation(_l("This survey is closed and no longer takes answers. "
                               "Thank you for your interest."))
    if invitation is not None and invitation.survey_id != survey.id:
        raise RuleViolation(_l("This link belongs to another survey."))
    refusal = _already_answered_message(user)
    if user is not None and has_answered(survey, user):
        raise AlreadyAnswered(refusal)
    if invitation is not None and invitation.used_at is not None:
        raise AlreadyAnswered(refusal)
    values = validate_answers(survey.items, answers)

    response = SurveyResponse(survey_id=survey.id, user_id=user.id if user else None,
                              invitation_id=invitation.id if invitation else None,
                              quote_consent=bool(quote_consent))
    response.answers = [SurveyAnswer(item_id=item_id, value=value)
                        for item_id, value in values.items()]
    db.session.add(response)
    try:
        if invitation is not None:
            # Compare-and-set: of two submissions through one link, one marks it used.
            claimed = db.session.execute(
                update(SurveyInvitation)
                .where(SurveyInvitation.id == invitation.id, SurveyInvitation.used_at.is_(None))
                .values(used_at=utcnow()),
                execution_options={"synchronize_session": False},
            ).rowcount
            if claimed != 1:
                raise AlreadyAnswered(refusal)
        db.session.commit()
    except (IntegrityError, AlreadyAnswered):
        db.session.rollback()
        raise AlreadyAnswered(refusal) from None
    return response


def _already_answered_message(user: User | None) -> str:
    if user is not None:
        return _l("You have already answered this survey: thank you! "
                  "Each person answers once, so your first answers stand.")
    return _l("This link has already been used to answer the survey: each link works once. "
              "Thank you!")


def validate_answers(items: list[SurveyItem],
                     answers: Mapping[int, str | list[str] | None]) -> dict[int, str]:
    """The values to store by item id, or InvalidAnswers with a message per faulty item.

    Unanswered optional items are left out; answers to unknown items are ignored.
    """
    values: dict[int, str] = {}
    errors: dict[int, str] = {}
    for item in items:
        raw = answers.get(item.id)
        try:
            value = _answer_value(item, raw)
        except ValueError as error:
            errors[item.id] = str(error.args[0])
            continue
        if value is None:
            if item.required:
                errors[item.id] = str(_l("Please answer this question."))
        else:
            values[item.id] = value
    if errors:
        raise InvalidAnswers(errors)
    return values


def _answer_value(item: SurveyItem, raw) -> str | None:
    """The stored form of one answer; None if unanswered; ValueError if not acceptable."""
    if item.kind == SurveyItemKind.MULTIPLE:
        chosen = [raw] if isinstance(raw, str) else list(raw or [])
        chosen = [each for each in chosen if each and each.strip()]
        if not chosen:
            return None
        options = item.option_list
        if any(each not in options for each in chosen):
            raise ValueError(_l("Choose among the options shown."))
        return "\n".join(option for option in options if option in chosen)
    if isinstance(raw, (list, tuple)):
        if len(raw) > 1:
            raise ValueError(_l("Choose one answer."))
        raw = raw[0] if raw else None
    text = (raw or "").strip()
    if not text:
        return None
    if item.kind == SurveyItemKind.TEXT:
        if len(text) > MAX_TEXT_ANSWER:
            raise ValueError(_l("At most %(most)d characters, please (you wrote %(length)d).",
                                most=MAX_TEXT_ANSWER, length=len(text)))
        return text
    if item.kind == SurveyItemKind.SINGLE:
        if text not in item.option_list:
            raise ValueError(_l("Choose one of the options shown."))
        return text
    scale = LIKERT_VALUES if item.kind == SurveyItemKind.LIKERT else NPS_VALUES
    if not (text.isascii() and text.isdigit()) or int(text) not in scale:
        raise ValueError(_l("Choose a value from %(low)d to %(high)d.",
                            low=scale[0], high=scale[-1]))
    return str(int(text))


# --- results ------------------------------------------------------------------------

@dataclass(frozen=True)
class TextAnswer:
    text: str
    quote_consent: bool
    submitted_at: datetime


@dataclass
class ItemResult:
    """One item's figures.

    ``counts`` lists (value, responses) in the item's order: "1".."5" for Likert,
    "0".."10" for NPS, the options for choices (a multiple-choice response counts
    once for each option it ticks); empty for free text. ``answered`` is the
    number of responses that answered the item.
    """

    item: SurveyItem
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None  # Likert: the mean of 1..5
    nps: float | None = None  # NPS: % promoters (9-10) minus % detractors (0-6), -100..100
    texts: list[TextAnswer] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    items: list[ItemResult]


def results(survey: Survey, *, quotable_only: bool = False, since: datetime | None = None,
            until: datetime | None = None) -> SurveyResults:
    """The survey's figures per item, from responses submitted in [since, until).

    Free-text answers are all listed for the admins' page; with ``quotable_only``
    (exports, the review) only those whose respondent agreed to be quoted. Four
    queries whatever the number of responses (one more if the items are not loaded).
    """
    period = []
    if since is not None:
        period.append(SurveyResponse.submitted_at >= since)
    if until is not None:
        period.append(SurveyResponse.submitted_at < until)
    responses = db.session.scalar(
        select(func.count()).select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id, *period)) or 0

    by_item = {item.id: ItemResult(item) for item in survey.items}
    grouped = Counter()
    for item_id, value, count in db.session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyItem.kind != SurveyItemKind.TEXT,
               *period)
        .group_by(SurveyAnswer.item_id, SurveyAnswer.value)
    ):
        if item_id in by_item:
            by_item[item_id].answered += count
            for part in value.split("\n"):  # a multiple choice's ticks, one per line
                grouped[(item_id, part)] += count

    text_query = (
        select(SurveyAnswer.item_id, SurveyAnswer.value, SurveyResponse.quote_consent,
               SurveyResponse.submitted_at)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyItem.kind == SurveyItemKind.TEXT,
               *period)
        .order_by(SurveyResponse.submitted_at, SurveyAnswer.id)
    )
    for item_id, value, consent, submitted_at in db.session.execute(text_query):
        if item_id not in by_item:
            continue
        by_item[item_id].answered += 1
        if consent or not quotable_only:
            by_item[item_id].texts.append(TextAnswer(value, bool(consent), submitted_at))

    for result in by_item.values():
        _summarise(result, grouped)
    return SurveyResults(survey, responses, list(by_item.values()))


def _summarise(result: ItemResult, grouped: Counter) -> None:
    item = result.item
    if item.kind == SurveyItemKind.TEXT:
        return
    if item.kind in CHOICE_KINDS:
        values = item.option_list
    else:
        values = [str(value) for value in
                  (LIKERT_VALUES if item.kind == SurveyItemKind.LIKERT else NPS_VALUES)]
    result.counts = [(value, grouped[(item.id, value)]) for value in values]
    numeric_total = sum(count for _value, count in result.counts)
    if item.kind == SurveyItemKind.LIKERT and numeric_total:
        result.mean = sum(int(value) * count for value, count in result.counts) / numeric_total
    if item.kind == SurveyItemKind.NPS and numeric_total:
        promoters = sum(count for value, count in result.counts if int(value) >= 9)
        detractors = sum(count for value, count in result.counts if int(value) <= 6)
        result.nps = 100 * (promoters - detractors) / numeric_total


def surveys_answered_between(since: datetime, until: datetime) -> list[Survey]:
    """Surveys with at least one response submitted in [since, until), oldest first."""
    answered = (select(SurveyResponse.survey_id)
                .where(SurveyResponse.submitted_at >= since, SurveyResponse.submitted_at < until))
    return list(db.session.scalars(
        select(Survey).where(Survey.id.in_(answered)).order_by(Survey.created_at, Survey.id)))
