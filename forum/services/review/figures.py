"""The six-month review: the centre's figures for a date range, as tables.

Every figure is an aggregate: no names, e-mail addresses or question text
ever enter a table, so the tables can go to the regional review meeting as
they are (see export.py). Survey free text is included only where the
respondent agreed to be quoted, and with e-mail addresses and phone numbers
replaced by a placeholder (``scrub_contact_details``).

Days are calendar days in the forum's time zone (FORUM_TIMEZONE); a period
includes both its first and its last day.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.labels import (
    FACILITATION_STATUS_LABELS,
    LIKERT_LABELS,
    ORGANISATION_KIND_LABELS,
    VISIT_SECTION_LABELS,
)
from forum.models import (
    Answer,
    BoardAnswer,
    FaqEntry,
    GuideRelease,
    GuideRevision,
    Organisation,
    Question,
    Role,
    SurveyItemKind,
    Topic,
    User,
    Visibility,
    question_topic,
)
from forum.services import facilitation_figures, survey_results, visit_figures
from forum.services.review import network as review_network
from forum.services.review import report as review_report
from forum.services.review import summary as review_summary
from forum.services.review.period import Period, Review, Table, aware


def build_review(period: Period) -> Review:
    """All the review's tables for the period, in the order the page shows them: the
    summary the Region reads first (summary.py, with the targets admins
    set for the period), then the detailed tables, then the Lombardy–Limburg network's
    section (network.py)."""
    targets = review_report.report_for(period.start, period.end).targets
    return Review(
        period,
        review_summary.summary_tables(period, targets)
        + [builder(period) for builder in TABLE_BUILDERS]
        + review_network.network_tables(period),
    )


# --- the tables that come from the forum's own content --------------------------


def users_table(period: Period) -> Table:
    """Accounts by role: registered during the period, and in all at its end."""
    start, end = period.bounds()
    new = Counter(
        dict(
            db.session.execute(
                select(User.role, func.count())
                .where(User.created_at >= start, User.created_at < end)
                .group_by(User.role)
            ).all()
        )
    )
    total = Counter(
        dict(
            db.session.execute(
                select(User.role, func.count()).where(User.created_at < end).group_by(User.role)
            ).all()
        )
    )
    labels = {Role.MEMBER: _l("Members"), Role.EXPERT: _l("Experts"), Role.ADMIN: _l("Admins")}
    return Table(
        "users_by_role",
        str(_l("Registered users by role")),
        [str(_l("Role")), str(_l("Registered in the period")), str(_l("Total at the end"))],
        [[str(labels[role]), new[role], total[role]] for role in Role],
    )


def organisations_table(period: Period) -> Table:
    """Accounts registered in the period, by the kind of organisation they belong to."""

    start, end = period.bounds()
    rows = db.session.execute(
        select(Organisation.kind, func.count(User.id))
        .join(User, User.organisation_id == Organisation.id)
        .where(User.created_at >= start, User.created_at < end)
        .group_by(Organisation.kind)
    ).all()
    counts = Counter(dict(rows))
    return Table(
        "users_by_organisation_kind",
        str(_l("Registered users by organisation kind")),
        [str(_l("Organisation kind")), str(_l("Registered in the period"))],
        [[str(label), counts[kind]] for kind, label in ORGANISATION_KIND_LABELS.items()],
    )


def _asked_in(start, end) -> tuple:
    """Questions asked in the period that count: not hidden nor removed by the
    moderators (spam is not demand for the centre's advice)."""
    return (
        Question.created_at >= start,
        Question.created_at < end,
        Question.moderation_state.is_(None),
    )


def questions_by_topic_table(period: Period) -> Table:
    """Questions asked in the period per topic (a question with two topics counts in both)."""
    start, end = period.bounds()
    counts = dict(
        db.session.execute(
            select(question_topic.c.topic_id, func.count())
            .join(Question, Question.id == question_topic.c.question_id)
            .where(*_asked_in(start, end))
            .group_by(question_topic.c.topic_id)
        ).all()
    )
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.id))
    return Table(
        "questions_by_topic",
        str(_l("Questions by topic")),
        [str(_l("Topic")), str(_l("Questions"))],
        [[topic.name, counts.get(topic.id, 0)] for topic in topics],
    )


def questions_by_visibility_table(period: Period) -> Table:
    start, end = period.bounds()
    counts = Counter(
        dict(
            db.session.execute(
                select(Question.visibility, func.count())
                .where(*_asked_in(start, end))
                .group_by(Question.visibility)
            ).all()
        )
    )
    labels = {Visibility.PUBLIC: _l("Public"), Visibility.CONFIDENTIAL: _l("Confidential")}
    return Table(
        "questions_by_visibility",
        str(_l("Questions by visibility")),
        [str(_l("Visibility")), str(_l("Questions"))],
        [[str(labels[visibility]), counts[visibility]] for visibility in Visibility],
    )


def answering_table(period: Period) -> Table:
    """Of the questions asked in the period: how many were answered, and how fast.

    A question counts as answered by its first expert answer or its board
    answer's publication, whichever came first, at any time up to the end of
    the period. Times are in hours; the 90th percentile is the nearest-rank one.
    """
    start, end = period.bounds()
    asked = dict(
        db.session.execute(
            select(Question.id, Question.created_at).where(*_asked_in(start, end))
        ).all()
    )
    first_answer = dict(
        db.session.execute(
            select(Answer.question_id, func.min(Answer.created_at))
            .where(
                Answer.question_id.in_(select(Question.id).where(*_asked_in(start, end))),
                Answer.created_at < end,
                Answer.moderation_state.is_(None),
            )
            .group_by(Answer.question_id)
        ).all()
    )
    first_board = dict(
        db.session.execute(
            select(BoardAnswer.question_id, func.min(BoardAnswer.published_at))
            .where(
                BoardAnswer.published_at.is_not(None),
                BoardAnswer.published_at < end,
                BoardAnswer.question_id.in_(select(Question.id).where(*_asked_in(start, end))),
            )
            .group_by(BoardAnswer.question_id)
        ).all()
    )
    waits = []
    for question_id, asked_at in asked.items():
        candidates = [
            moment
            for moment in (first_answer.get(question_id), first_board.get(question_id))
            if moment
        ]
        if candidates:
            waits.append((aware(min(candidates)) - aware(asked_at)).total_seconds() / 3600)
    answered = len(waits)
    share = round(100 * answered / len(asked), 1) if asked else 0.0
    median = round(statistics.median(waits), 1) if waits else ""
    p90 = round(sorted(waits)[math.ceil(0.9 * len(waits)) - 1], 1) if waits else ""
    return Table(
        "answering",
        str(_l("Questions answered")),
        [str(_l("Figure")), str(_l("Value"))],
        [
            [str(_l("Questions asked")), len(asked)],
            [str(_l("Questions answered")), answered],
            [str(_l("Share answered (%)")), share],
            [str(_l("Median hours to the first expert answer")), median],
            [str(_l("90th percentile hours to the first expert answer")), p90],
        ],
    )


def curation_table(period: Period) -> Table:
    """Board answers published, FAQ entries created, guide revisions and releases in the period."""
    start, end = period.bounds()

    def count(column, *conditions) -> int:
        return (
            db.session.scalar(
                select(func.count())
                .select_from(column.table)
                .where(column >= start, column < end, *conditions)
            )
            or 0
        )

    releases = db.session.scalars(
        select(GuideRelease.version)
        .where(
            GuideRelease.released_at >= start,
            GuideRelease.released_at < end,
            GuideRelease.published_at.is_not(None),
        )  # a draft is not a release yet
        .order_by(GuideRelease.released_at)
    ).all()
    return Table(
        "knowledge",
        str(_l("Board answers, FAQ and guide")),
        [str(_l("Figure")), str(_l("Value"))],
        [
            [str(_l("Board answers published")), count(BoardAnswer.published_at)],
            [str(_l("FAQ entries added")), count(FaqEntry.created_at)],
            [str(_l("Guide revisions saved")), count(GuideRevision.created_at)],
            [str(_l("Guide releases")), len(releases)],
            [str(_l("Guide versions released")), ", ".join(releases)],
        ],
    )


# --- the tables that come from the centre's other activities -------------------------


def visits_by_month_table(period: Period) -> Table:
    """The whole site's views and unique visitors per month: a visitor counts once a day,
    however many sections they read, and a month adds up its days."""
    rows = visit_figures.visits_by_month(period.start, period.end)
    return Table(
        "visits_by_month",
        str(_l("Visits per month")),
        [str(_l("Month")), str(_l("Page views")), str(_l("Unique visitors (sum of the days)"))],
        [[row.label, row.views, row.unique_visitors] for row in rows],
        note=str(
            _l(
                "A visitor counts once a day, however many sections they read. "
                "A month's unique visitors are the sum of its days': visitors "
                "cannot be linked from one day to the next, by design, so "
                "someone who came on three days counts three times."
            )
        ),
    )


def visits_by_section_table(period: Period) -> Table:
    """Each section's views and unique visitors; someone who read several sections counts
    in each, so the sections' visitors add up to more than the site's."""
    rows = visit_figures.visits_by_section(period.start, period.end)
    return Table(
        "visits_by_section",
        str(_l("Visits per section")),
        [str(_l("Section")), str(_l("Page views")), str(_l("Unique visitors (sum of the days)"))],
        [
            [str(VISIT_SECTION_LABELS.get(row.label, row.label)), row.views, row.unique_visitors]
            for row in rows
        ],
        note=str(
            _l(
                "Someone who read several sections on a day counts once in each, "
                "so the sections' unique visitors add up to more than the whole "
                "site's."
            )
        ),
    )


def facilitations_table(period: Period) -> Table:
    """Referrals made in the period by their status now, and the trials started in it."""

    by_status = facilitation_figures.facilitations_by_status(period.start, period.end)
    rows = [[str(FACILITATION_STATUS_LABELS[status]), count] for status, count in by_status.items()]
    return Table(
        "facilitations_by_status",
        str(_l("Referrals to clinics made in the period, by status")),
        [str(_l("Status")), str(_l("Referrals"))],
        rows,
    )


def trials_table(period: Period) -> Table:
    """The headline figure counts confirmed starts only; an expert's word alone is shown
    on its own row, apart from it."""
    return Table(
        "trials_facilitated",
        str(_l("Clinical trials facilitated")),
        [str(_l("Figure")), str(_l("Value"))],
        [
            [
                str(
                    _l(
                        "Trials started in the period after a referral by the board, "
                        "confirmed by the company or the clinic or verified by an admin"
                    )
                ),
                facilitation_figures.trials_facilitated(period.start, period.end),
            ],
            [
                str(_l("Not counted above: starts recorded by an expert, not yet confirmed")),
                facilitation_figures.trials_started_unconfirmed(period.start, period.end),
            ],
        ],
        note=str(
            _l(
                "A start counts as a trial facilitated only once the company "
                "or the clinic confirms it, or an admin verifies it with a note."
            )
        ),
    )


def trials_by_month_table(period: Period) -> Table:
    """The trials facilitated in the period by the month they started, every month listed."""
    by_month = facilitation_figures.trials_facilitated_by_month(period.start, period.end)
    return Table(
        "trials_by_month",
        str(_l("Trials started per month (confirmed)")),
        [str(_l("Month")), str(_l("Trials started"))],
        [[month, by_month.get(month, 0)] for month in period.months()],
    )


def _survey_results(period: Period):
    """(survey title, item result) for every item of every survey answered in the period,
    over the period's responses; free text only from those who agreed to be quoted."""
    start, end = period.bounds()
    for answered_survey in survey_results.surveys_answered_between(start, end):
        results = survey_results.results(
            answered_survey, quotable_only=True, since=start, until=end
        )
        for result in results.items:
            yield answered_survey.title, result


def survey_table(period: Period) -> Table:
    """Each survey item's figures, over the responses submitted in the period."""
    rows = [
        [title, result.item.prompt, result.item.kind.value, result.answered, _summary_of(result)]
        for title, result in _survey_results(period)
    ]
    return Table(
        "survey",
        str(_l("User survey")),
        [
            str(_l("Survey")),
            str(_l("Item")),
            str(_l("Kind")),
            str(_l("Answers")),
            str(_l("Result")),
        ],
        rows,
    )


def survey_answers_table(period: Period) -> Table:
    """How many responses in the period gave each answer of each choice, agreement and
    recommendation item (free text has none): the figures behind the survey's charts."""
    rows = [
        [title, result.item.prompt, _answer_label(result.item.kind, value), count]
        for title, result in _survey_results(period)
        for value, count in result.counts
    ]
    return Table(
        "survey_answers",
        str(_l("Survey answers by choice")),
        [str(_l("Survey")), str(_l("Item")), str(_l("Answer")), str(_l("Responses"))],
        rows,
    )


def _answer_label(kind: SurveyItemKind, value: str) -> str:
    if kind == SurveyItemKind.LIKERT and value in LIKERT_LABELS:
        return str(_l("%(value)s: %(label)s", value=value, label=LIKERT_LABELS[value]))
    return value


def survey_quotes_table(period: Period) -> Table:
    """Free-text answers whose respondents agreed to be quoted; nothing else of theirs, and
    no contact details even of their own (``scrub_contact_details``)."""
    rows = [
        [title, result.item.prompt, scrub_contact_details(text.text)]
        for title, result in _survey_results(period)
        for text in result.texts
    ]
    return Table(
        "survey_quotes",
        str(_l("Survey answers quoted with consent")),
        [str(_l("Survey")), str(_l("Item")), str(_l("Answer"))],
        rows,
    )


# Generous on purpose: anything shaped like an address goes, since a quote that loses
# a stray "x@y" costs nothing and one that keeps an address leaks it. The at may be
# full-width (＠, ﹫) or spelled out in brackets, as people do to dodge harvesters:
# "name(at)x.it", "name [at] x [dot] it", "nome [chiocciola] x [punto] it".
_SPELLED = r"\s*[(\[{{<]\s*(?:{words})\s*[)\]}}>]\s*"
_AT = rf"(?:[@＠﹫]|{_SPELLED.format(words='at|chiocciola')})"
_DOT = rf"(?:[.．]|{_SPELLED.format(words='dot|punto')})"
_EMAIL = re.compile(rf"[\w.!#$%&'*+/=?^`{{|}}~-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*", re.IGNORECASE)
# A run of 9 to 15 digits (E.164's longest), optionally after "+" or "(", joined by at
# most two of space, dot, slash, hyphen and brackets, perhaps with an extension
# ("x", "x123", "ext. 12", "int. 12"): phone numbers as people write them. Only a whole
# run counts (the look-arounds refuse to start or stop inside one), so neither a date
# (2026-05-31 and 31/05/2026 have eight digits, two of them side by side sixteen), a
# year, a regulation's number (2017/745), an article (Art. 70(7)) nor ISO 14155:2020 is
# taken for one.
_SEPARATOR = r"[ .()/-]"
_PHONE = re.compile(
    rf"(?<![\w+(])(?<!\d{_SEPARATOR})(?<!\d{_SEPARATOR}{{2}})"
    rf"[+(]{{0,2}}\d(?:{_SEPARATOR}{{0,2}}\d){{8,14}}(?!{_SEPARATOR}{{0,2}}\d)"
    r"(?:\s?(?:x|ext\.?|int\.?)\s?\d{0,6})?(?!\w)",
    re.IGNORECASE,
)


def scrub_contact_details(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a placeholder.

    For quoted survey answers: a respondent who agreed to be quoted did not agree
    to publish the address or number they wrote in passing.
    """
    text = _EMAIL.sub(str(_l("[e-mail removed]")), text)
    return _PHONE.sub(str(_l("[phone number removed]")), text)


def _summary_of(result) -> str:
    if result.mean is not None:
        return str(_l("mean %(mean)s of 5", mean=format_decimal(result.mean, "0.0")))
    if result.nps is not None:
        return str(_l("NPS %(score)s", score=format_decimal(result.nps, "+0;-0")))
    if result.counts:
        return "; ".join(f"{value}: {count}" for value, count in result.counts)
    return str(_l("free text"))


TABLE_BUILDERS = [
    visits_by_month_table,
    visits_by_section_table,
    users_table,
    organisations_table,
    questions_by_topic_table,
    questions_by_visibility_table,
    answering_table,
    curation_table,
    facilitations_table,
    trials_table,
    trials_by_month_table,
    survey_table,
    survey_answers_table,
    survey_quotes_table,
]
