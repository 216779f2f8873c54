"""Issue 29's matchmaking round, end to end in a real browser.

An admin opens a round on two themes, accepts three of its suggested pairs (each shown with
its reasons), records one introduction through "both agreed", "met" and "project idea" to
"joint proposal submitted" with its programme and call, and downloads the round's XLSX,
which opens in a spreadsheet library with the pair in its final state.

The directory's profiles are made with the models (the directory's pages are another
branch's); everything the journey names is done through the pages.
"""

from __future__ import annotations

import io

import openpyxl

from tests.browser.chromium import local_context, log_in
from tests.factories import make_network_profile as profile_of
from tests.fixtures.people import PASSWORD

CALL = "HORIZON-HLTH-2027-TEST-02"


def _directory() -> None:
    profile_of(
        "Brianza Imaging S.r.l.",
        "lombardy",
        specialisations=("imaging", "diagnostics"),
        offers=("prototyping",),
        needs=("clinical-validation",),
    )
    profile_of("Bergamo Diagnostics S.r.l.", "lombardy", specialisations=("diagnostics",))
    profile_of("Pavia Scans S.p.A.", "lombardy", specialisations=("imaging",))
    profile_of(
        "Maastricht Clinical Centre",
        "limburg",
        specialisations=("imaging", "diagnostics"),
        offers=("clinical-validation",),
        needs=("prototyping",),
    )
    profile_of("Heerlen Diagnostics B.V.", "limburg", specialisations=("diagnostics",))
    profile_of("Sittard Rehab", "limburg", specialisations=("rehabilitation",))


def _record(page, state: str, note: str, **fields: str) -> None:
    page.get_by_label("New state").select_option(label=state)
    page.get_by_label("What happened").fill(note)
    for label, value in fields.items():
        if label == "Programme":
            page.get_by_label(label).select_option(label=value)
        else:
            page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Record the step").click()
    page.wait_for_load_state()
    assert page.get_by_text("The step is recorded.").is_visible()
    assert page.locator("dd.introduction-state").inner_text() == state


def test_an_admin_runs_a_round_from_suggestions_to_a_joint_proposal_and_exports_it(
    app,
    chromium,
    live_server,
    people,  # noqa: F811  (fixtures)
):
    _directory()
    context = local_context(chromium, live_server, accept_downloads=True)
    page = context.new_page()
    try:
        log_in(page, live_server, people.admin.email, PASSWORD)
        page.goto(live_server.url("/admin/network/rounds"))
        page.get_by_role("link", name="Open a round").first.click()
        page.get_by_label("Title of the round").fill("Imaging and diagnostics, spring")
        page.get_by_label("Medical imaging").check()
        page.get_by_label("Diagnostics", exact=True).check()
        page.get_by_role("button", name="Open the round").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Imaging and diagnostics, spring").is_visible()

        # The best pair first, with its reasons in words; never two of one region.
        first = page.locator("li.suggested-pair").first
        assert "Brianza Imaging S.r.l." in first.inner_text()
        assert "Maastricht Clinical Centre" in first.inner_text()
        assert first.get_by_text("Both work in Medical imaging and Diagnostics.").is_visible()
        suggested = page.locator("li.suggested-pair h3").all_inner_texts()
        assert not any("Sittard" in pair for pair in suggested)
        assert not any("Brianza" in pair and "Pavia" in pair for pair in suggested)

        for _pair in range(3):
            page.locator("li.suggested-pair").first.get_by_role("button", name="Accept").click()
            page.wait_for_load_state()
            assert page.get_by_text(
                "The pair is accepted: its introduction is proposed."
            ).is_visible()
        introductions = page.locator("table.introductions tbody tr")
        assert introductions.count() == 3

        page.get_by_role("link", name="Brianza Imaging S.r.l. – Maastricht Clinical Centre").click()
        page.wait_for_load_state()
        _record(page, "Both agreed to meet", "Both said yes by e-mail.")
        _record(page, "Met", "A video call of an hour.")
        _record(
            page,
            "Project idea",
            "A joint validation study.",
            **{"Project's working title": "Earlier diagnosis across borders"},
        )
        # The proposal without its call is refused beside the field, the rest kept.
        page.get_by_label("New state").select_option(label="Joint proposal submitted")
        page.get_by_label("Programme").select_option(label="Horizon Europe")
        page.get_by_label("What happened").fill("Submitted as a consortium of four.")
        page.get_by_role("button", name="Record the step").click()
        page.wait_for_load_state()
        assert page.get_by_text(
            "Give the call's reference, as the programme writes it."
        ).is_visible()
        assert (
            page.get_by_label("What happened").input_value() == "Submitted as a consortium of four."
        )
        _record(
            page,
            "Joint proposal submitted",
            "Submitted as a consortium of four.",
            Programme="Horizon Europe",
            **{"Call's reference": CALL},
        )
        steps = page.locator("ol.introduction-steps h3").all_inner_texts()
        assert steps == [
            "Introduction proposed",
            "Both agreed to meet",
            "Met",
            "Project idea",
            "Joint proposal submitted",
        ]

        page.get_by_role("link", name="Imaging and diagnostics, spring").click()
        page.wait_for_load_state()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the round (XLSX)").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    finally:
        context.close()

    assert workbook.sheetnames == ["Themes", "Pairs"]
    themes = list(workbook["Themes"].iter_rows(values_only=True))
    assert themes[0][3:] == ("Medical imaging", "Diagnostics")
    pairs = list(workbook["Pairs"].iter_rows(values_only=True))
    header = pairs[0]
    rows = [dict(zip(header, row, strict=False)) for row in pairs[1:]]
    submitted = [row for row in rows if row["State"] == "Joint proposal submitted"]
    assert len(submitted) == 1
    assert submitted[0]["First organisation"] == "Brianza Imaging S.r.l."
    assert submitted[0]["Programme"] == "Horizon Europe" and submitted[0]["Call"] == CALL
    assert submitted[0]["Project title"] == "Earlier diagnosis across borders"
    assert sum(row["State"] == "Introduction proposed" for row in rows) == 2
