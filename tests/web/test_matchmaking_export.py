"""A matchmaking round's XLSX (issue 29): the theme organisations by theme, and the pairs with
their states, read back with openpyxl; texts that a spreadsheet would run are neutralised."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.models import FundingProgramme, IntroductionState, OrganisationKind, Specialisation
from forum.services import network_introductions, network_rounds
from forum.services.network_introductions import StepDraft
from tests.factories import make_network_profile as profile_of


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _round_with_an_introduction(admin):
    brianza = profile_of(
        "Brianza Imaging S.r.l.",
        "lombardy",
        specialisations=("imaging", "diagnostics"),
        offers=("prototyping",),
        needs=("clinical-validation",),
    )
    maastricht = profile_of(
        "Maastricht Clinical Centre",
        "limburg",
        specialisations=("imaging",),
        offers=("clinical-validation",),
        kind=OrganisationKind.HOSPITAL,
    )
    formula = profile_of('=HYPERLINK("http://x")', "limburg", specialisations=("diagnostics",))
    profile_of("Heerlen Rehab", "limburg", specialisations=("rehabilitation",))
    themes = list(
        db.session.scalars(
            select(Specialisation.id).where(Specialisation.slug.in_(("imaging", "diagnostics")))
        )
    )
    opened = network_rounds.open_round(admin, "Imaging and diagnostics", themes)
    introduction = network_rounds.accept_pair(opened, admin, brianza.id, maastricht.id, "Fits.")
    for draft in (
        StepDraft(IntroductionState.AGREED, "Both agreed."),
        StepDraft(
            IntroductionState.PROPOSAL_SUBMITTED,
            "+44 sent, with a note that starts like a formula",
            project_title="Earlier diagnosis",
            programme=FundingProgramme.HORIZON_EUROPE,
            call_reference="HORIZON-HLTH-2027-TEST-01",
        ),
    ):
        network_introductions.record_step(introduction, admin, draft)
    network_rounds.dismiss_pair(opened, admin, formula.id, brianza.id)
    return opened


def test_the_rounds_workbook_has_its_themes_matrix_and_its_pairs(client, people, login):
    opened = _round_with_an_introduction(people.admin)
    login(people.admin)
    response = client.get(f"/admin/network/rounds/{opened.id}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Themes", "Pairs"]

    themes = _rows(workbook["Themes"])
    assert themes[0] == ("Organisation", "Region", "Kind", "Medical imaging", "Diagnostics")
    by_name = {row[0]: row for row in themes[1:]}
    assert by_name["Brianza Imaging S.r.l."] == (
        "Brianza Imaging S.r.l.",
        "Lombardy",
        "SME",
        "x",
        "x",
    )
    assert by_name["Maastricht Clinical Centre"] == (
        "Maastricht Clinical Centre",
        "Limburg",
        "Hospital",
        "x",
        None,
    )
    assert '\'=HYPERLINK("http://x")' in by_name  # neutralised, not a formula
    assert "Heerlen Rehab" not in by_name  # not of the round's themes

    pairs = _rows(workbook["Pairs"])
    header = pairs[0]
    assert header[:7] == (
        "First organisation",
        "Its region",
        "Second organisation",
        "Its region",
        "Score",
        "Reasons",
        "State",
    )
    introduced = dict(zip(header, pairs[1], strict=False))
    assert introduced["First organisation"] == "Brianza Imaging S.r.l."
    assert introduced["Second organisation"] == "Maastricht Clinical Centre"
    assert introduced["Score"] == 1 + 2
    assert introduced["Reasons"] == (
        "Both work in Medical imaging. Maastricht Clinical Centre offers Clinical validation "
        "site, which Brianza Imaging S.r.l. seeks."
    )
    assert introduced["State"] == "Joint proposal submitted"
    assert introduced["Project title"] == "Earlier diagnosis"
    assert introduced["Programme"] == "Horizon Europe"
    assert introduced["Call"] == "HORIZON-HLTH-2027-TEST-01"
    assert introduced["Last note"] == "'+44 sent, with a note that starts like a formula"
    assert introduced["Accepted on"].date() == calendar.today()
    set_aside = [row for row in pairs[1:] if row[6] == "Set aside"]
    assert len(set_aside) == 1 and set_aside[0][0] == "Brianza Imaging S.r.l."
    assert set_aside[0][2] == '\'=HYPERLINK("http://x")'
    for row in pairs[1:]:
        for cell in row:
            assert not (isinstance(cell, str) and cell[:1] in "=+-@"), row


def test_the_export_is_for_admins_only(client, people, login):
    opened = _round_with_an_introduction(people.admin)
    url = f"/admin/network/rounds/{opened.id}/export.xlsx"
    assert client.get(url).status_code == 302
    login(people.expert)
    assert client.get(url).status_code == 403
    login(people.admin)
    assert client.get("/admin/network/rounds/98765/export.xlsx").status_code == 404
