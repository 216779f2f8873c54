"""The Italian text of a survey: its title, introduction, items and options.

The English is the source; the Italian is written beside it on one page. A survey's
questions never change once it is open, but its Italian may be written or corrected
until it closes (the meaning asked stays the English's, which is what answers are
stored against: a choice is stored as its English option, so results never split by
the language people answered in). When the English of a draft changes after its
translation, the translation is marked outdated with the date, until an admin saves
the Italian again or confirms it still matches; Italian readers see the dated notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from forum.content_language import Localized, localized, localized_lines
from forum.extensions import db
from forum.models import AuditAction, Survey, SurveyItem, SurveyStatus, User
from forum.permissions import can_manage_surveys
from forum.services import audit
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.survey import CHOICE_KINDS, MAX_DESCRIPTION, MAX_OPTION, MAX_PROMPT, MAX_TITLE


@dataclass(frozen=True)
class ItemTranslation:
    prompt_it: str = ""
    options_it: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyTranslation:
    """What an admin typed on the translation page."""

    title_it: str = ""
    description_it: str = ""
    items: Mapping[int, ItemTranslation] | None = None
    # The admin checked that every Italian text still says what the English says.
    confirm_current: bool = False


def translate(survey: Survey, admin: User, draft: SurveyTranslation) -> None:
    """Save the survey's Italian. A text whose Italian changed is no longer outdated;
    with ``confirm_current`` none is. Audited.

    Raises PermissionDenied for non-admins; RuleViolation for a closed survey, a text
    over its length (field ``title_it``, ``description_it``, ``prompt_it-<item id>`` or
    ``options_it-<item id>``) or options that do not match the English one for one.
    """
    if not can_manage_surveys(admin):
        raise PermissionDenied(_l("Only the centre's admins manage surveys."))
    if survey.status == SurveyStatus.CLOSED:
        raise RuleViolation(_l("The survey is closed: its text no longer changes."))
    title_it = " ".join(draft.title_it.split())
    description_it = draft.description_it.strip()
    _limit(title_it, MAX_TITLE, "title_it")
    _limit(description_it, MAX_DESCRIPTION, "description_it")
    cleaned = {
        item.id: _clean_item(item, (draft.items or {}).get(item.id, ItemTranslation()))
        for item in survey.items
    }
    changed = _assign(
        survey, title_it=title_it, description_it=description_it, confirm=draft.confirm_current
    )
    for item in survey.items:
        prompt_it, options_it = cleaned[item.id]
        changed |= _assign(
            item,
            prompt_it=prompt_it,
            options_it="\n".join(options_it),
            confirm=draft.confirm_current,
        )
    if changed or draft.confirm_current:
        audit.record(admin, AuditAction.SURVEY_TRANSLATED, survey, detail=survey.title)
        db.session.commit()


def _assign(row, *, confirm: bool, **texts: str) -> bool:
    changed = any(getattr(row, name) != value for name, value in texts.items())
    for name, value in texts.items():
        setattr(row, name, value)
    if changed or confirm:
        row.italian_outdated_since = None
    return changed


def _limit(text: str, most: int, field: str) -> None:
    if len(text) > most:
        raise RuleViolation(_l("At most %(most)d characters.", most=most), field=field)


def _clean_item(item: SurveyItem, typed: ItemTranslation) -> tuple[str, list[str]]:
    prompt_it = " ".join(typed.prompt_it.split())
    _limit(prompt_it, MAX_PROMPT, f"prompt_it-{item.id}")
    if item.kind not in CHOICE_KINDS:
        return prompt_it, []
    options_it = [" ".join(option.split()) for option in typed.options_it if option.strip()]
    if options_it and len(options_it) != len(item.option_list):
        raise RuleViolation(
            _l(
                "Give one Italian option per English option, in the same order "
                "(%(count)d lines), or none.",
                count=len(item.option_list),
            ),
            field=f"options_it-{item.id}",
        )
    if any(len(option) > MAX_OPTION for option in options_it):
        raise RuleViolation(
            _l("Each option has at most %(most)d characters.", most=MAX_OPTION),
            field=f"options_it-{item.id}",
        )
    return prompt_it, options_it


# --- reading -------------------------------------------------------------------------


def survey_title(survey: Survey) -> Localized:
    return localized(survey.title, survey.title_it, outdated_since=survey.italian_outdated_since)


def survey_description(survey: Survey) -> Localized:
    return localized(
        survey.description, survey.description_it, outdated_since=survey.italian_outdated_since
    )


def item_prompt(item: SurveyItem) -> Localized:
    return localized(item.prompt, item.prompt_it, outdated_since=item.italian_outdated_since)


def item_options(item: SurveyItem) -> list[tuple[str, Localized]]:
    """Each option as (the stored English value, the text the reader reads)."""
    return list(zip(item.option_list, localized_lines(item.option_list, item.option_list_it)))
