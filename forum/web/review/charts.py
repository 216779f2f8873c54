"""Which charts show which review table: server-rendered SVG, no external service.

Every chart is drawn from its table's own rows, so the table beside it (which the
page always shows) holds exactly the chart's figures for those who cannot see it.
Each chart comes with its title, which the page and the report print above it.
"""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from forum.services.review.period import Review, Table
from forum.web import charts

# Tables whose rows are (label, number, ...): one bar chart per number column listed.
BAR_TABLES = {
    "organisations_served_by_kind": (1,),
    "expert_workload": (2, 4),
    "trials_by_device_class": (1,),
    "trials_by_stage": (1,),
    "visits_by_section": (1, 2),
    "users_by_role": (1,),
    "users_by_organisation_kind": (1,),
    "questions_by_topic": (1,),
    "questions_by_visibility": (1,),
    "facilitations_by_status": (1,),
    "trials_by_month": (1,),
    "network_introductions": (1,),
}
# The survey's answers table: (survey, item, answer, responses), an item's rows together.
SURVEY_ANSWERS = "survey_answers"
# The action plan's figures: (figure, this period, previous period, target, ...), a chart
# per figure comparing the three.
HEADLINE = "summary"


class Chart(NamedTuple):
    title: str
    svg: Markup


def charts_for(review: Review) -> dict[str, list[Chart]]:
    """The charts of each table that has some, keyed by the table's key, in page order."""
    drawn: dict[str, list[Chart]] = {}
    for table in review.tables:
        if table.key in BAR_TABLES:
            drawn[table.key] = [_bars(table, column) for column in BAR_TABLES[table.key]]
        elif table.key == "visits_by_month" and table.rows:
            drawn[table.key] = [
                _chart(
                    charts.line_chart,
                    table.title,
                    [str(row[0]) for row in table.rows],
                    {
                        table.columns[1]: [float(row[1]) for row in table.rows],
                        table.columns[2]: [float(row[2]) for row in table.rows],
                    },
                )
            ]
        elif table.key == SURVEY_ANSWERS:
            drawn[table.key] = _survey_items(table)
        elif table.key == HEADLINE:
            drawn[table.key] = _headline(table)
    return drawn


def _chart(draw, title: str, *figures) -> Chart:
    return Chart(str(title), draw(str(title), *figures))


def _bars(table: Table, column: int) -> Chart:
    # A table drawn twice names the column in each chart's title, so the two differ.
    title = (
        table.title
        if len(BAR_TABLES[table.key]) == 1
        else f"{table.title}: {table.columns[column]}"
    )
    return _chart(
        charts.bar_chart,
        title,
        [str(row[0]) for row in table.rows],
        [float(row[column] or 0) for row in table.rows],
    )


def _headline(table: Table) -> list[Chart]:
    """A chart per figure: this period, the previous one, and the target when set."""
    drawn = []
    for label, *figures in table.rows:
        bars = [
            (table.columns[index + 1], value)
            for index, value in enumerate(figures[:3])
            if value != ""
        ]
        drawn.append(
            _chart(
                charts.bar_chart,
                str(label),
                [name for name, _ in bars],
                [float(value) for _, value in bars],
            )
        )
    return drawn


def _survey_items(table: Table) -> list[Chart]:
    """A bar chart per survey item, its answers as bars (as on the survey's results page)."""
    items: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for survey_title, prompt, answer, count in table.rows:
        items.setdefault((str(survey_title), str(prompt)), []).append((str(answer), float(count)))
    return [
        _chart(
            charts.bar_chart,
            f"{survey_title}: {prompt}",
            [answer for answer, _ in answers],
            [count for _, count in answers],
        )
        for (survey_title, prompt), answers in items.items()
    ]
