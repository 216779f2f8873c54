"""A matchmaking round as an XLSX workbook, for the network's partners and the review.

Two sheets: "Themes" (the round's theme organisations by region and kind, a mark under each
theme they work in) and "Pairs" (the introductions with their states, then the pairs still
suggested and those set aside, each with its score and reasons in words). Every text cell
goes through the review's ``neutralise``: organisations' names and notes are typed by people,
and a spreadsheet would run one beginning with = + - @ as a formula.
"""

from __future__ import annotations

import io

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.labels import (
    FUNDING_PROGRAMME_LABELS,
    INTRODUCTION_STATE_LABELS,
    NETWORK_REGION_LABELS,
    ORGANISATION_KIND_LABELS,
)
from forum.models import DismissedPair, MatchmakingRound, NetworkProfile
from forum.services import matchmaking, network_rounds
from forum.services.matchmaking import Pair
from forum.services.review.export import MAX_COLUMN_WIDTH, SHEET_NAME_FORBIDDEN, neutralise
from forum.slugs import slugify

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THEME_MARK = "x"
SHEET_NAME_LIMIT = 31


def file_name(matchmaking_round: MatchmakingRound) -> str:
    return f"matchmaking-round-{matchmaking_round.id}-{slugify(matchmaking_round.title)[:60]}.xlsx"


def _text(value) -> str | None:
    """A cell of text: None (an empty cell) for nothing, else the text neutralised."""
    if value is None or value == "":
        return None
    return neutralise(str(value))


def _theme_rows(matchmaking_round: MatchmakingRound, locale: str) -> list[list]:
    themes = matchmaking_round.themes
    header = [str(_l("Organisation")), str(_l("Region")), str(_l("Kind"))]
    rows = [[_text(name) for name in header] + [_text(theme.name(locale)) for theme in themes]]
    profiles = sorted(
        network_rounds.theme_profiles(matchmaking_round),
        key=lambda profile: (profile.region.value, profile.organisation.name.casefold()),
    )
    for profile in profiles:
        theirs = {specialisation.id for specialisation in profile.specialisations}
        rows.append(
            [
                _text(profile.organisation.name),
                _text(NETWORK_REGION_LABELS[profile.region]),
                _text(ORGANISATION_KIND_LABELS[profile.organisation.kind]),
                *(THEME_MARK if theme.id in theirs else None for theme in themes),
            ]
        )
    return rows


def _pair_cells(pair: Pair, locale: str) -> list:
    return [
        _text(pair.first.organisation.name),
        _text(NETWORK_REGION_LABELS[pair.first.region]),
        _text(pair.second.organisation.name),
        _text(NETWORK_REGION_LABELS[pair.second.region]),
        pair.score,
        _text(" ".join(matchmaking.reasons_in_words(pair, locale))),
    ]


def _dismissed_pairs(matchmaking_round: MatchmakingRound) -> list[tuple[DismissedPair, Pair]]:
    dismissed = list(
        db.session.scalars(
            select(DismissedPair)
            .where(DismissedPair.round_id == matchmaking_round.id)
            .order_by(DismissedPair.dismissed_at, DismissedPair.first_profile_id)
        )
    )
    ids = {row.first_profile_id for row in dismissed} | {row.second_profile_id for row in dismissed}
    profiles = {
        profile.id: profile for profile in matchmaking.load_profiles(NetworkProfile.id.in_(ids))
    }
    pairs = []
    for row in dismissed:
        first, second = profiles[row.first_profile_id], profiles[row.second_profile_id]
        pairs.append((row, Pair(first, second, matchmaking.compare(first, second))))
    return pairs


def _pair_rows(matchmaking_round: MatchmakingRound, locale: str) -> list[list]:
    header = [
        _l("First organisation"),
        _l("Its region"),
        _l("Second organisation"),
        _l("Its region"),
        _l("Score"),
        _l("Reasons"),
        _l("State"),
        _l("Project title"),
        _l("Programme"),
        _l("Call"),
        _l("Last note"),
        _l("Accepted on"),
        _l("Last step on"),
    ]
    rows = [[_text(name) for name in header]]
    page = network_rounds.load_round_page(matchmaking_round.id)
    for introduction, pair in page.introductions:
        steps = introduction.steps
        notes = [step.note for step in steps if step.note]
        rows.append(
            [
                *_pair_cells(pair, locale),
                _text(INTRODUCTION_STATE_LABELS[introduction.state]),
                _text(introduction.project_title),
                _text(FUNDING_PROGRAMME_LABELS[introduction.programme])
                if introduction.programme
                else None,
                _text(introduction.call_reference),
                _text(notes[-1] if notes else ""),
                calendar.day_of(introduction.created_at),
                calendar.day_of(steps[-1].recorded_at) if steps else None,
            ]
        )
    for pair in page.suggestions:
        rows.append(
            [*_pair_cells(pair, locale), _text(lazy_pgettext("matchmaking pair", "Suggested"))]
        )
    for dismissal, pair in _dismissed_pairs(matchmaking_round):
        rows.append(
            [
                *_pair_cells(pair, locale),
                _text(lazy_pgettext("matchmaking pair", "Set aside")),
                *([None] * 5),
                calendar.day_of(dismissal.dismissed_at),
            ]
        )
    return rows


def _sheet_name(label) -> str:
    return str(label).translate(SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_LIMIT]


def round_workbook(matchmaking_round: MatchmakingRound, locale: str) -> bytes:
    """The round's workbook, its words in ``locale``, as the bytes of one XLSX file."""
    # Imported here, as the review's export does: openpyxl is some 7 MB of every worker
    # that imports it, and only an admin's download needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    themes = workbook.active
    themes.title = _sheet_name(_l("Themes"))
    pairs = workbook.create_sheet(_sheet_name(_l("Pairs")))
    for sheet, rows in (
        (themes, _theme_rows(matchmaking_round, locale)),
        (pairs, _pair_rows(matchmaking_round, locale)),
    ):
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        _fit_widths(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fit_widths(sheet) -> None:
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                widths[cell.column_letter] = max(
                    widths.get(cell.column_letter, 0), len(str(cell.value))
                )
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)
