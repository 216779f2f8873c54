"""The user survey's results: counts, the Likert mean, the NPS and the free texts.

Read by the admins' results page and exports, and by the six-month review
(services/review.py), which also asks which surveys were answered in its period.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Survey, SurveyAnswer, SurveyItem, SurveyItemKind, SurveyResponse
from forum.services.survey import CHOICE_KINDS, LIKERT_VALUES, NPS_VALUES


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


def results(
    survey: Survey,
    *,
    quotable_only: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SurveyResults:
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
    responses = (
        db.session.scalar(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id, *period)
        )
        or 0
    )

    by_item = {item.id: ItemResult(item) for item in survey.items}
    grouped = Counter()
    for item_id, value, count in db.session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(
            SurveyResponse.survey_id == survey.id, SurveyItem.kind != SurveyItemKind.TEXT, *period
        )
        .group_by(SurveyAnswer.item_id, SurveyAnswer.value)
    ):
        if item_id in by_item:
            by_item[item_id].answered += count
            for part in value.split("\n"):  # a multiple choice's ticks, one per line
                grouped[(item_id, part)] += count

    text_query = (
        select(
            SurveyAnswer.item_id,
            SurveyAnswer.value,
            SurveyResponse.quote_consent,
            SurveyResponse.submitted_at,
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(
            SurveyResponse.survey_id == survey.id, SurveyItem.kind == SurveyItemKind.TEXT, *period
        )
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
        values = [
            str(value)
            for value in (LIKERT_VALUES if item.kind == SurveyItemKind.LIKERT else NPS_VALUES)
        ]
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
    answered = select(SurveyResponse.survey_id).where(
        SurveyResponse.submitted_at >= since, SurveyResponse.submitted_at < until
    )
    return list(
        db.session.scalars(
            select(Survey).where(Survey.id.in_(answered)).order_by(Survey.created_at, Survey.id)
        )
    )
