"""Which chart shows which review table: server-rendered SVG, no external service."""
from __future__ import annotations

from markupsafe import Markup

from forum.services.review import Review
from forum.web import charts

# Tables whose rows are (label, number): drawn as bars of their number column.
BAR_TABLES = {
    "users_by_role": 1,
    "users_by_organisation_kind": 1,
    "questions_by_topic": 1,
    "questions_by_visibility": 1,
    "facilitations_by_status": 1,
}


def charts_for(review: Review) -> dict[str, Markup]:
    """A chart per table that has one, keyed by the table's key."""
    drawn: dict[str, Markup] = {}
    for table in review.tables:
        if table.key in BAR_TABLES:
            column = BAR_TABLES[table.key]
            drawn[table.key] = charts.bar_chart(
                table.title, [str(row[0]) for row in table.rows],
                [float(row[column] or 0) for row in table.rows])
        elif table.key == "visits_by_month" and table.rows:
            drawn[table.key] = charts.line_chart(
                table.title, [str(row[0]) for row in table.rows],
                {table.columns[1]: [float(row[1]) for row in table.rows],
                 table.columns[2]: [float(row[2]) for row in table.rows]})
    return drawn
