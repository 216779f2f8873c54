"""Which charts show which review table: server-rendered SVG, no external service.

Every chart is drawn from its table's own rows, so the table beside it (which the
page always shows) holds exactly the chart's figures for those who cannot see it.
"""
from __future__ import annotations

from markupsafe import Markup

from forum.services.review import Review, Table
from forum.web import charts

# Tables whose rows are (label, number, ...): one bar chart per number column listed.
BAR_TABLES = {
    "visits_by_section": (1, 2),
    "users_by_role": (1,),
    "users_by_organisation_kind": (1,),
    "questions_by_topic": (1,),
    "questions_by_visibility": (1,),
    "facilitations_by_status": (1,),
    "trials_by_month": (1,),
}
# The survey's answers table: (survey, item, answer, responses), an item's rows together.
SURVEY_ANSWERS = "survey_answers"


def charts_for(review: Review) -> dict[str, list[Markup]]:
    """The charts of each table that has some, keyed by the table's key, in page order."""
    drawn: dict[str, list[Markup]] = {}
    for table in review.tables:
        if table.key in BAR_TABLES:
            drawn[table.key] = [_bars(table, column) for column in BAR_TABLES[table.key]]
        elif table.key == "visits_by_month" and table.rows:
            drawn[table.key] = [charts.line_chart(
                table.title, [str(row[0]) for row in table.rows],
                {table.columns[1]: [float(row[1]) for row in table.rows],
                 table.columns[2]: [float(row[2]) for row in table.rows]})]
        elif table.key == SURVEY_ANSWERS:
            drawn[table.key] = _survey_items(table)
    return drawn


def _bars(table: Table, column: int) -> Markup:
    # A table drawn twice names the column in each chart's title, so the two differ.
    title = (table.title if len(BAR_TABLES[table.key]) == 1
             else f"{table.title}: {table.columns[column]}")
    return charts.bar_chart(title, [str(row[0]) for row in table.rows],
                            [float(row[column] or 0) for row in table.rows])


def _survey_items(table: Table) -> list[Markup]:
    """A bar chart per survey item, its answers as bars (as on the survey's results page)."""
    items: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for survey_title, prompt, answer, count in table.rows:
        items.setdefault((str(survey_title), str(prompt)), []).append((str(answer), float(count)))
    return [charts.bar_chart(f"{survey_title}: {prompt}", [answer for answer, _ in answers],
                             [count for _, count in answers])
            for (survey_title, prompt), answers in items.items()]
