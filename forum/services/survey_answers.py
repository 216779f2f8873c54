"""Answering the user survey once: which survey awaits a person, and their response.

A signed-in user answers as themself, once per survey; someone without an account
answers through a one-time link. The services check first and refuse politely
(``AlreadyAnswered``); the unique constraints on ``SurveyResponse`` (survey and
user; invitation) settle two submissions racing each other, and the loser gets
the same polite refusal.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import (
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
from forum.services.errors import RuleViolation
from forum.services.survey import LIKERT_VALUES, MAX_TEXT_ANSWER, NPS_VALUES, token_hash


class AlreadyAnswered(RuleViolation):
    """A second response by the same person, or through a used link."""


class InvalidAnswers(RuleViolation):
    """Some answers are missing or out of range; ``errors`` maps item ids to messages."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_l("Please correct the answers marked below."))
        self.errors = errors


# --- who answers what ------------------------------------------------------------------


def survey_awaiting(user: User) -> Survey | None:
    """The open survey ``user`` has not answered yet, if any (one query)."""
    answered = (
        select(SurveyResponse.id)
        .where(SurveyResponse.survey_id == Survey.id, SurveyResponse.user_id == user.id)
        .exists()
    )
    return db.session.scalar(
        select(Survey)
        .where(Survey.status == SurveyStatus.OPEN, ~answered)
        .order_by(Survey.opened_at.desc(), Survey.id.desc())
        .limit(1)
    )


def has_answered(survey: Survey, user: User) -> bool:
    return (
        db.session.scalar(
            select(SurveyResponse.id).where(
                SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id
            )
        )
        is not None
    )


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The one-time link's invitation (used or not), or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token))
    )


# --- answering ---------------------------------------------------------------------


def submit_response(
    survey: Survey,
    answers: Mapping[int, str | list[str] | None],
    *,
    user: User | None = None,
    invitation: SurveyInvitation | None = None,
    quote_consent: bool = False,
) -> SurveyResponse:
    """Record one person's answers: as ``user`` or through ``invitation`` (a one-time link).

    ``answers`` maps item ids to the raw input: a string, or a list of strings for
    multiple choice. Raises RuleViolation (survey not open, link of another
    survey), AlreadyAnswered (second response, used link) and InvalidAnswers
    (errors by item id).
    """
    if (user is None) == (invitation is None):
        raise ValueError("submit_response needs exactly one of user and invitation")
    if survey.status != SurveyStatus.OPEN:
        raise RuleViolation(
            _l("This survey is closed and no longer takes answers. Thank you for your interest.")
        )
    if invitation is not None and invitation.survey_id != survey.id:
        raise RuleViolation(_l("This link belongs to another survey."))
    refusal = _already_answered_message(user)
    if user is not None and has_answered(survey, user):
        raise AlreadyAnswered(refusal)
    if invitation is not None and invitation.used_at is not None:
        raise AlreadyAnswered(refusal)
    values = validate_answers(survey.items, answers)

    response = SurveyResponse(
        survey_id=survey.id,
        user_id=user.id if user else None,
        invitation_id=invitation.id if invitation else None,
        quote_consent=bool(quote_consent),
    )
    response.answers = [
        SurveyAnswer(item_id=item_id, value=value) for item_id, value in values.items()
    ]
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
        return _l(
            "You have already answered this survey: thank you! "
            "Each person answers once, so your first answers stand."
        )
    return _l(
        "This link has already been used to answer the survey: each link works once. Thank you!"
    )


def validate_answers(
    items: list[SurveyItem], answers: Mapping[int, str | list[str] | None]
) -> dict[int, str]:
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
            raise ValueError(
                _l(
                    "At most %(most)d characters, please (you wrote %(length)d).",
                    most=MAX_TEXT_ANSWER,
                    length=len(text),
                )
            )
        return text
    if item.kind == SurveyItemKind.SINGLE:
        if text not in item.option_list:
            raise ValueError(_l("Choose one of the options shown."))
        return text
    scale = LIKERT_VALUES if item.kind == SurveyItemKind.LIKERT else NPS_VALUES
    if not (text.isascii() and text.isdigit()) or int(text) not in scale:
        raise ValueError(
            _l("Choose a value from %(low)d to %(high)d.", low=scale[0], high=scale[-1])
        )
    return str(int(text))
