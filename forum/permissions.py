"""Who may do what: pure functions of (user, object).

Views, services, templates and later the API and exports all ask here, so a
rule is written once. ``user`` may be Flask-Login's anonymous user.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from forum.models import Answer, Question, Role, Visibility


def _is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def sees_all_confidential(user) -> bool:
    """Experts and admins read every confidential question."""
    return _is_authenticated(user) and user.role in (Role.EXPERT, Role.ADMIN)


def can_see_question(user, question: Question) -> bool:
    if question.visibility == Visibility.PUBLIC:
        return True
    return sees_all_confidential(user) or (
        _is_authenticated(user) and question.author_id == user.id
    )


def visible_questions_clause(user) -> ColumnElement[bool]:
    """The same rule as ``can_see_question``, as a SQL condition for lists and counts."""
    if sees_all_confidential(user):
        return true()
    public = Question.visibility == Visibility.PUBLIC
    if _is_authenticated(user):
        return or_(public, Question.author_id == user.id)
    return public


def can_ask(user) -> bool:
    return _is_authenticated(user)


def can_edit_question(user, question: Question) -> bool:
    return _is_authenticated(user) and (
        question.author_id == user.id or user.role == Role.ADMIN
    )


def can_answer(user, question: Question) -> bool:
    """Only the board's experts answer; members clarify with comments."""
    return (
        _is_authenticated(user)
        and user.role == Role.EXPERT
        and can_see_question(user, question)
    )


def can_edit_answer(user, answer: Answer) -> bool:
    return _is_authenticated(user) and answer.author_id == user.id


def can_comment(user, question: Question) -> bool:
    """Clarifications are between the asker and the experts (and admins who moderate)."""
    if not _is_authenticated(user) or not can_see_question(user, question):
        return False
    return question.author_id == user.id or user.role in (Role.EXPERT, Role.ADMIN)


def can_accept_answer(user, question: Question) -> bool:
    return _is_authenticated(user) and question.author_id == user.id


def can_mark_helpful(user, answer: Answer) -> bool:
    return (
        _is_authenticated(user)
        and answer.author_id != user.id
        and can_see_question(user, answer.question)
    )
