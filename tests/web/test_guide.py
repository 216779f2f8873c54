"""The requirements guide in the database: import and export, curation, releases, pages."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    Citation,
    ExpertArea,
    GuideRelease,
    GuideRevision,
    GuideSection,
    Role,
    StanceKind,
    Visibility,
)
from forum.services import answers, board, board_stances
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.guide import changes, editing, importing, publishing, tree, versions
from forum.services.guide.editing import GuideEditConflict
from forum.services.guide.markdown import GuideFormatError
from tests.factories import approved_release, ask_question
from tests.fixtures.diffs import deletions, insertions

GUIDE_FILE = Path(__file__).resolve().parents[2] / "docs" / "requirements_guide.md"

SMALL = """# A small guide

An introduction that cites MDR Art. 70.

## Choosing the pathway

Pick the route before anything else [MDR Art. 62].

### Italy

Notify the Ministry of Health.

## Safety reporting

Report serious adverse events.
"""

ANSWER = (
    "Under MDR Art. 74(1), a PMCF study that adds burdensome procedures is notified "
    "at least 30 days before it starts."
)


def _import(text: str = SMALL, actor=None) -> importing.ImportReport:
    return importing.import_guide(text, actor)


def _section(title: str) -> GuideSection:
    return db.session.scalar(select(GuideSection).where(GuideSection.title == title))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _snapshot() -> list[tuple]:
    rows = db.session.execute(
        select(
            GuideSection.id,
            GuideSection.parent_id,
            GuideSection.position,
            GuideSection.title,
            GuideSection.body,
            GuideSection.current_number,
        ).order_by(GuideSection.id)
    ).all()
    return [tuple(row) for row in rows] + [(_count(GuideRevision), _count(AuditEntry))]


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every test runs inside the app (and its clean database), client or not."""
    return app


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Giulia Admin")


@pytest.fixture
def answered(make_user):
    """A public question with an expert's answer."""
    question = ask_question(make_user(name="Anna Asker"))
    return answers.post_answer(question, make_user(Role.EXPERT), ANSWER)


# --- import and export ----------------------------------------------------------


def test_export_after_import_reproduces_the_guide_file_byte_for_byte(app, tmp_path):
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["guide", "import", str(GUIDE_FILE)])
    assert imported.exit_code == 0, imported.output
    assert "71 sections added" in imported.output  # 70 and the title with the introduction
    output = tmp_path / "exported.md"
    exported = runner.invoke(args=["guide", "export", "--output", str(output)])
    assert exported.exit_code == 0, exported.output
    assert "no release exists yet" in exported.output
    assert output.read_bytes() == GUIDE_FILE.read_bytes()


def test_import_and_export_default_to_the_configured_path_and_to_the_latest_release(
    app, tmp_path, admin
):
    app.config["GUIDE_PATH"] = str(tmp_path / "guide.md")
    (tmp_path / "guide.md").write_text(SMALL, encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["guide", "import"]).exit_code == 0
    released = runner.invoke(args=["guide", "release", "1.0", "--notes", "First release"])
    assert released.exit_code == 0 and "version 1.0" in released.output
    editing.edit_section(
        _section("Safety reporting"),
        admin,
        title="Safety reporting",
        body="Report serious adverse events at once.",
        base_number=1,
    )
    (tmp_path / "guide.md").unlink()
    exported = runner.invoke(args=["guide", "export"])
    assert exported.exit_code == 0 and "release 1.0" in exported.output
    assert (tmp_path / "guide.md").read_text(encoding="utf-8") == SMALL  # the release, not the edit
    to_stdout = runner.invoke(args=["guide", "export", "--output", "-"])
    assert to_stdout.stdout == SMALL
    by_version = runner.invoke(
        args=["guide", "export", "--version", "2.0", "-o", str(tmp_path / "x")]
    )
    assert by_version.exit_code != 0 and "no release 2.0" in by_version.output


def test_a_malformed_file_is_reported_with_its_line_and_changes_nothing(app, tmp_path):
    _import()
    before = _snapshot()
    bad = tmp_path / "bad.md"
    bad.write_text("# A small guide\n\nIntro.\n\n### Too early\n\nText.\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["guide", "import", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}, line 5:" in result.output and "after a “##” section" in result.output
    assert _snapshot() == before
    with pytest.raises(GuideFormatError):
        _import("# Guide\n\n## A\n\n```\nnever closed\n")
    assert _snapshot() == before


def test_a_file_that_is_not_utf8_or_missing_is_refused_plainly(app, tmp_path):
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"# Guide\n\n## Caf\xe9\n")
    result = app.test_cli_runner().invoke(args=["guide", "import", str(latin)])
    assert result.exit_code != 0 and "line 3" in result.output and "UTF-8" in result.output
    missing = app.test_cli_runner().invoke(args=["guide", "import", str(tmp_path / "none.md")])
    assert missing.exit_code != 0 and "Cannot read" in missing.output
    assert _count(GuideSection) == 0


def test_import_gives_every_section_revision_1_and_indexes_its_citations():
    report = _import()
    assert (report.added, report.changed, report.removed) == (4, 0, 0)
    assert report.noncanonical_line is None
    root = db.session.scalar(select(GuideSection).where(GuideSection.level == 1))
    assert (root.title, root.body) == ("A small guide", "An introduction that cites MDR Art. 70.")
    italy = _section("Italy")
    assert (italy.level, italy.parent.title, italy.current_number) == (3, "Choosing the pathway", 1)
    assert [r.number for r in italy.revisions] == [1]
    clauses = set(
        db.session.scalars(
            select(Citation.clause).where(
                Citation.subject_type == "guide-section",
                Citation.subject_id == _section("Choosing the pathway").id,
            )
        )
    )
    assert clauses == {"MDR Art. 62"}
    assert _actions() == [AuditAction.GUIDE_IMPORTED.value]


def test_importing_again_matches_sections_by_anchor_and_keeps_their_history():
    _import()
    pathway_id, italy_id = _section("Choosing the pathway").id, _section("Italy").id
    changed = SMALL.replace(
        "Pick the route before anything else", "Choose the route first"
    ).replace(
        "## Safety reporting\n\nReport serious adverse events.\n",
        "## Insurance\n\nCover every site.\n",
    )
    report = _import(changed)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 2)
    pathway = _section("Choosing the pathway")
    assert pathway.id == pathway_id and pathway.current_number == 2
    assert [r.body for r in pathway.revisions] == [
        "Pick the route before anything else [MDR Art. 62].",
        "Choose the route first [MDR Art. 62].",
    ]
    assert _section("Italy").id == italy_id
    assert _section("Safety reporting") is None and _section("Insurance").current_number == 1
    assert tree.export_current() == changed


def test_a_subsection_moved_out_of_a_removed_section_survives_the_import():
    _import()
    italy_id = _section("Italy").id
    moved = "# A small guide\n\n## Safety reporting\n\nReport.\n\n### Italy\n\nNotify the Ministry of Health.\n"
    _import(moved)
    italy = _section("Italy")
    assert italy.id == italy_id and italy.parent.title == "Safety reporting"
    assert _section("Choosing the pathway") is None
    assert tree.export_current() == moved


def test_a_renamed_guide_title_may_hand_its_anchor_to_a_new_section():
    _import()
    renamed = (
        SMALL.replace("# A small guide", "# The guide") + "\n## A small guide\n\nNow a section.\n"
    )
    _import(renamed)
    assert tree.export_current() == renamed


def test_a_noncanonical_file_is_imported_and_the_difference_reported(app, tmp_path):
    sloppy = tmp_path / "sloppy.md"
    sloppy.write_bytes(SMALL.replace("\n", "\r\n").encode())
    result = app.test_cli_runner().invoke(args=["guide", "import", str(sloppy)])
    assert result.exit_code == 0 and "from line 1" in result.output
    assert tree.export_current() == SMALL


# --- the page ---------------------------------------------------------------------


def test_the_guide_page_shows_the_current_text_with_contents_and_review_dates(client):
    importing.import_guide(GUIDE_FILE.read_text(encoding="utf-8"), None)
    page = client.get("/guide").get_data(as_text=True)
    assert "Requirements for a sound clinical investigation of a medical device" in page
    assert 'href="#is-my-study-a-clinical-investigation"' in page
    assert 'id="is-my-study-a-clinical-investigation"' in page
    assert "MDR Art. 62" in page
    assert "Not reviewed since it was loaded." in page
    assert "Not released yet" in page
    section = _section("Is my study a clinical investigation?")
    assert f'href="/guide/sections/{section.id}/history"' in page
    assert "Mark reviewed today" not in page and "/edit" not in page


def test_a_section_marked_reviewed_shows_the_date(client, login, admin):
    _import()
    section = _section("Italy")
    login(admin)
    response = client.post(f"/guide/sections/{section.id}/reviewed")
    assert response.status_code == 302 and response.location.endswith("/guide#italy")
    assert _section("Italy").last_reviewed_on == calendar.today()
    with client.application.test_request_context():
        shown = format_date(calendar.today(), "medium")
    page = client.get("/guide").get_data(as_text=True)
    assert f"Last reviewed {shown}." in page
    assert AuditAction.GUIDE_SECTION_REVIEWED.value in _actions()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_review_dates_are_the_forums_days_not_the_servers(app, admin, zone):
    # Fourteen hours ahead of UTC or twelve behind: at any moment one of the two is not
    # on the server's date, so reading the server's clock fails one of the runs.
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    forum_today = datetime.now(ZoneInfo(zone)).date()
    _import()
    added = editing.add_section(None, None, admin, title="Scope", body="Devices only.")
    assert added.last_reviewed_on == forum_today
    italy = _section("Italy")
    editing.mark_reviewed(italy, admin)
    assert italy.last_reviewed_on == forum_today
    safety = _section("Safety reporting")
    editing.edit_section(
        safety,
        admin,
        title="Safety reporting",
        body="Report them all.",
        base_number=safety.current_number,
    )
    assert _section("Safety reporting").last_reviewed_on == forum_today


def test_without_a_guide_the_page_says_so(client):
    response = client.get("/guide")
    assert response.status_code == 200
    assert "The guide has not been loaded yet." in response.get_data(as_text=True)


def test_the_guide_page_runs_a_fixed_number_of_queries(client, count_queries):
    _import()
    with count_queries() as small:
        assert client.get("/guide").status_code == 200
    importing.import_guide(GUIDE_FILE.read_text(encoding="utf-8"), None)
    publishing.release("1.0", "First release", None)
    with count_queries() as large:
        assert client.get("/guide").status_code == 200
    assert len(large) == len(small) <= 3


# --- editing ----------------------------------------------------------------------


def test_edits_keep_every_revision_with_its_note_and_diff(client, login, admin):
    _import()
    section = _section("Safety reporting")
    login(admin)
    response = client.post(
        f"/guide/sections/{section.id}/edit",
        data={
            "title": "Safety reporting",
            "base_number": "1",
            "note": "Name the deadline",
            "body": "Report serious adverse events within the deadlines of MDR Art. 80.",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/guide#safety-reporting")
    section = _section("Safety reporting")
    assert section.current_number == 2 and section.last_reviewed_on == calendar.today()
    assert [(r.number, r.note, r.editor_id) for r in section.revisions] == [
        (1, "Imported from the guide file", None),
        (2, "Name the deadline", admin.id),
    ]
    history = client.get(f"/guide/sections/{section.id}/history").get_data(as_text=True)
    assert "Name the deadline" in history and "Revision 2" in history
    assert insertions(history)[0] == " within the deadlines of MDR Art. 80."
    assert deletions(history) == ["."]
    assert "@@" not in history
    cited = set(
        db.session.scalars(
            select(Citation.clause).where(
                Citation.subject_type == "guide-section", Citation.subject_id == section.id
            )
        )
    )
    assert cited == {"MDR Art. 80"}
    assert _actions()[-1] == AuditAction.GUIDE_SECTION_EDITED.value


def test_a_stale_save_is_a_conflict_showing_both_texts(client, login, admin):
    _import()
    section = _section("Safety reporting")
    editing.edit_section(
        section, admin, title=section.title, body="First admin's text.", base_number=1
    )
    with pytest.raises(GuideEditConflict) as conflict:
        editing.edit_section(
            _section("Safety reporting"),
            admin,
            title="Safety reporting",
            body="Second admin's text.",
            base_number=1,
        )
    assert (conflict.value.base.number, conflict.value.current.number) == (1, 2)
    login(admin)
    response = client.post(
        f"/guide/sections/{section.id}/edit",
        data={"title": "Safety reporting", "body": "Second admin's text.", "base_number": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The section changed while you were editing" in page
    assert "First admin&#39;s text." in page and "Second admin&#39;s text.</textarea>" in page
    assert 'name="base_number" type="hidden" value="2"' in page
    assert _section("Safety reporting").current_number == 2


def test_a_heading_in_the_text_or_a_taken_title_is_refused_beside_its_field(client, login, admin):
    _import()
    section = _section("Safety reporting")
    login(admin)
    heading = client.post(
        f"/guide/sections/{section.id}/edit",
        data={"title": "Safety reporting", "body": "Intro.\n\n## A new part", "base_number": "1"},
    )
    assert heading.status_code == 422
    page = heading.get_data(as_text=True)
    assert 'id="body-error"' in page and "Line 3:" in page and "## A new part</textarea>" in page
    taken = client.post(
        f"/guide/sections/{section.id}/edit",
        data={"title": "Italy", "body": "Text.", "base_number": "1"},
    )
    assert taken.status_code == 422
    assert 'id="title-error"' in taken.get_data(as_text=True)
    assert "already has this anchor" in taken.get_data(as_text=True)
    assert _section("Safety reporting").current_number == 1


def test_the_title_and_introduction_are_edited_like_a_section(client, login, admin):
    _import()
    root = db.session.scalar(select(GuideSection).where(GuideSection.level == 1))
    login(admin)
    form = client.get(f"/guide/sections/{root.id}/edit").get_data(as_text=True)
    assert "Edit the guide's title and introduction" in form
    assert "An introduction that cites MDR Art. 70.</textarea>" in form
    response = client.post(
        f"/guide/sections/{root.id}/edit",
        data={"title": "A small guide", "body": "A new introduction.", "base_number": "1"},
    )
    assert response.status_code == 302 and response.location.endswith("/guide")
    assert tree.export_current().startswith("# A small guide\n\nA new introduction.\n\n## ")
    history = client.get(f"/guide/sections/{root.id}/history").get_data(as_text=True)
    assert "The guide's title and introduction." in history


def test_curation_pages_without_a_guide_send_the_admin_back_with_a_message(client, login, admin):
    login(admin)
    response = client.get("/guide/sections/new")
    assert response.status_code == 302 and response.location.endswith("/guide")
    assert "There is no guide yet" in client.get("/guide").get_data(as_text=True)
    with pytest.raises(RuleViolation):
        publishing.release("1.0", "Nothing to release", admin)


def test_a_renamed_section_gets_the_anchor_of_its_new_title(admin):
    _import()
    editing.edit_section(
        _section("Italy"),
        admin,
        title="In Italy",
        body="Notify the Ministry of Health.",
        base_number=1,
    )
    assert _section("In Italy").anchor == "in-italy"
    assert "### In Italy\n" in tree.export_current()


def test_new_sections_go_where_the_admin_places_them(client, login, admin):
    _import()
    pathway, italy = _section("Choosing the pathway"), _section("Italy")
    login(admin)
    form = client.get(f"/guide/sections/new?after={pathway.id}").get_data(as_text=True)
    assert f'<option selected value="after-{pathway.id}">' in form
    response = client.post(
        "/guide/sections/new",
        data={
            "placement": f"after-{pathway.id}",
            "title": "Ethics",
            "body": "Ask the CET first.",
            "note": "A gap",
        },
    )
    assert response.status_code == 302
    client.post(
        "/guide/sections/new",
        data={"placement": f"start-{pathway.id}", "title": "Europe", "body": "The MDR applies."},
    )
    client.post(
        "/guide/sections/new",
        data={"placement": f"after-{italy.id}", "title": "Lombardy", "body": "Six CETs."},
    )
    headings = [line for line in tree.export_current().splitlines() if line.startswith("#")]
    assert headings == [
        "# A small guide",
        "## Choosing the pathway",
        "### Europe",
        "### Italy",
        "### Lombardy",
        "## Ethics",
        "## Safety reporting",
    ]
    ethics = _section("Ethics")
    assert [(r.number, r.note) for r in ethics.revisions] == [(1, "A gap")]
    assert AuditAction.GUIDE_SECTION_ADDED.value in _actions()
    refused = client.post(
        "/guide/sections/new",
        data={"placement": "after-999999", "title": "Nowhere", "body": "Text."},
    )
    assert refused.status_code == 422 and "Nowhere" in refused.get_data(as_text=True)
    with pytest.raises(RuleViolation):
        editing.add_section(italy, None, admin, title="Too deep", body="Text.")


# --- proposing from an answer ---------------------------------------------------------


def test_an_admin_proposes_a_new_section_from_an_answer_that_links_back(
    client, login, admin, answered
):
    _import()
    login(admin)
    question_page = client.get(f"/questions/{answered.question_id}").get_data(as_text=True)
    assert f'href="/guide/propose?answer={answered.id}">Propose for the guide' in question_page
    form = client.get(f"/guide/propose?answer={answered.id}")
    assert form.status_code == 200
    assert "The answer, for reference" in form.get_data(as_text=True)
    assert "at least 30 days before it starts" in form.get_data(as_text=True)
    safety = _section("Safety reporting")
    response = client.post(
        f"/guide/propose?answer={answered.id}",
        data={
            "placement": f"after-{safety.id}",
            "title": "PMCF notices",
            "body": "Notify a PMCF study with extra procedures 30 days ahead [MDR Art. 74(1)].",
            "note": "From the forum",
        },
    )
    assert response.status_code == 302
    section = _section("PMCF notices")
    revision = section.revisions[0]
    assert revision.source_answer_id == answered.id and revision.note == "From the forum"
    history = client.get(f"/guide/sections/{section.id}/history").get_data(as_text=True)
    assert f"/questions/{answered.question_id}/" in history and f"#answer-{answered.id}" in history
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert entry.action == AuditAction.GUIDE_SECTION_ADDED.value
    assert entry.question_id == answered.question_id and f"answer {answered.id}" in entry.detail


def test_a_proposal_into_an_existing_section_is_a_new_revision_of_it(
    client, login, admin, answered
):
    _import()
    safety = _section("Safety reporting")
    login(admin)
    form = client.get(f"/guide/propose?answer={answered.id}&section={safety.id}").get_data(
        as_text=True
    )
    assert "Report serious adverse events.</textarea>" in form
    response = client.post(
        f"/guide/propose?answer={answered.id}&section={safety.id}",
        data={
            "title": "Safety reporting",
            "base_number": "1",
            "body": "Report serious adverse events.\n\nPMCF notices: 30 days [MDR Art. 74(1)].",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/guide/sections/{safety.id}/history")
    revisions = _section("Safety reporting").revisions
    assert [(r.number, r.source_answer_id) for r in revisions] == [(1, None), (2, answered.id)]
    assert client.get(f"/guide/propose?answer={answered.id}&section=999999").status_code == 404
    assert client.get("/guide/propose?answer=999999").status_code == 404
    assert client.get("/guide/propose").status_code == 404


def test_only_admins_propose(make_user, answered):
    _import()
    with pytest.raises(PermissionDenied):
        editing.propose_from_answer(
            make_user(Role.EXPERT), answered, section=_section("Italy"), body="Text."
        )
    with pytest.raises(PermissionDenied):
        editing.edit_section(_section("Italy"), make_user(), title="Italy", body="x", base_number=1)
    assert _section("Italy").current_number == 1


def test_a_confidential_source_is_linked_only_for_those_who_see_its_question(
    client, login, admin, make_user
):
    _import()
    author = make_user(name="Anna Asker")
    secret = ask_question(
        author, title="Our confidential class III implant study", visibility=Visibility.CONFIDENTIAL
    )
    answer = answers.post_answer(secret, make_user(Role.EXPERT), ANSWER)
    revision = editing.propose_from_answer(
        admin,
        answer,
        section=_section("Safety reporting"),
        body="Report serious adverse events. PMCF: 30 days.",
    )
    url = f"/guide/sections/{revision.section_id}/history"
    public = client.get(url).get_data(as_text=True)
    assert "Our confidential class III implant study" not in public
    assert f"/questions/{secret.id}" not in public and "Drawn from" not in public
    login(make_user())
    assert "Our confidential class III implant study" not in client.get(url).get_data(as_text=True)
    login(author)
    assert "Our confidential class III implant study" in client.get(url).get_data(as_text=True)


def test_a_published_board_answer_can_be_proposed_and_a_draft_cannot(
    client, login, admin, make_user
):
    _import()
    question = ask_question(make_user())
    chair = make_user(Role.EXPERT, ExpertArea.UNIVERSITY, chair=True)
    research = make_user(Role.EXPERT, ExpertArea.RESEARCH)
    clinical = make_user(Role.EXPERT, ExpertArea.CLINICAL)
    board_answer = board.open_board_answer(question, research, ANSWER)
    login(admin)
    assert client.get(f"/guide/propose?board_answer={board_answer.id}").status_code == 404
    with pytest.raises(RuleViolation):
        editing.propose_from_answer(admin, board_answer, title="PMCF", body="Text.")
    board.submit_for_review(board_answer, research)
    for expert in (chair, research, clinical):
        board_stances.record_stance(board_answer, expert, StanceKind.ENDORSE, revision_number=1)
    board.publish(board_answer, chair)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert f'href="/guide/propose?board_answer={board_answer.id}">Propose for the guide' in page
    response = client.post(
        f"/guide/propose?board_answer={board_answer.id}",
        data={"placement": "start", "title": "PMCF notices", "body": "Notify 30 days ahead."},
    )
    assert response.status_code == 302
    assert _section("PMCF notices").revisions[0].source_board_answer_id == board_answer.id
    history = client.get(f"/guide/sections/{_section('PMCF notices').id}/history").get_data(
        as_text=True
    )
    assert "the board's answer to" in history and "#board-answer" in history


# --- releases ---------------------------------------------------------------------------


def test_a_release_freezes_the_guide_and_refuses_a_duplicate_version(client, login, admin):
    _import()
    login(admin)
    assert client.get("/guide/release").status_code == 200
    response = client.post("/guide/release", data={"version": "1.0", "notes": "First release"})
    assert response.status_code == 302 and response.location.endswith("/guide/releases/1.0")
    frozen = db.session.scalar(select(GuideRelease))
    assert (frozen.version, frozen.markdown, frozen.released_by_id) == ("1.0", SMALL, admin.id)
    editing.edit_section(
        _section("Italy"), admin, title="Italy", body="Notify the Ministry first.", base_number=1
    )
    again = client.post("/guide/release", data={"version": "1.0", "notes": "Again"})
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert 'id="version-error"' in page and "Release 1.0 exists already" in page
    assert 'value="1.0"' in page and "Again</textarea>" in page
    for version, message in (("v2", "two numbers"), ("1.01", "two numbers"), ("0.9", "higher")):
        refused = client.post("/guide/release", data={"version": version, "notes": "x"})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert _count(GuideRelease) == 1
    assert _actions().count(AuditAction.GUIDE_RELEASED.value) == 1


def test_a_release_of_an_unchanged_guide_is_refused(app):
    _import()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["guide", "release", "1.0", "--notes", "First"]).exit_code == 0
    same = runner.invoke(args=["guide", "release", "1.1", "--notes", "Nothing"])
    assert same.exit_code != 0 and "Nothing has changed since release 1.0" in same.output
    duplicate = runner.invoke(args=["guide", "release", "1.0", "--notes", "Again"])
    assert duplicate.exit_code != 0 and "Release 1.0 exists already" in duplicate.output
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.GUIDE_RELEASED.value)
    )
    assert entry.actor_id is None and entry.detail == "version 1.0"


def test_every_release_can_be_read_and_downloaded_as_its_frozen_text(client, admin):
    _import()
    approved_release("1.0", "First release", admin)
    editing.edit_section(
        _section("Italy"), admin, title="Italy", body="Notify the Ministry first.", base_number=1
    )
    page = client.get("/guide/releases/1.0")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Version 1.0, released" in text and 'id="italy"' in text
    assert "Notify the Ministry of Health." in text and "Notify the Ministry first." not in text
    download = client.get("/guide/releases/1.0.md")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert download.data == SMALL.encode("utf-8")
    assert client.get("/guide/releases/9.9").status_code == 404
    assert client.get("/guide/releases/9.9.md").status_code == 404
    listing = client.get("/guide/releases").get_data(as_text=True)
    assert 'href="/guide/releases/1.0"' in listing and 'href="/guide/releases/1.0.md"' in listing


def test_two_releases_compare_section_by_section(client, admin):
    _import()
    approved_release("1.0", "First release", admin)
    editing.edit_section(
        _section("Italy"), admin, title="Italy", body="Notify the Ministry first.", base_number=1
    )
    editing.add_section(None, None, admin, title="Scope", body="Devices only.")
    importing.import_guide(
        tree.export_current().replace(
            "## Safety reporting\n\nReport serious adverse events.\n", ""
        ),
        admin,
    )
    approved_release("1.1", "Italy clarified; scope added; safety moved out", admin)
    comparison = changes.compare_releases("1.0", "1.1")
    assert [(c.kind, c.title) for c in comparison.changes] == [
        ("added", "Scope"),
        ("changed", "Italy"),
        ("removed", "Safety reporting"),
    ]
    page = client.get("/guide/compare?from=1.0&to=1.1").get_data(as_text=True)
    assert "From version 1.0 to version 1.1" in page
    assert "of Health" in deletions(page) and "first" in insertions(page)
    assert "@@" not in page
    assert "1 added, 1 changed, 0 moved, 1 removed." in page
    by_default = client.get("/guide/compare").get_data(as_text=True)
    assert "From version 1.0 to version 1.1" in by_default
    unknown = client.get("/guide/compare?from=0.5&to=1.1")
    assert unknown.status_code == 404
    assert 'id="compare-from-error"' in unknown.get_data(as_text=True)


def test_the_changelog_lists_each_release_with_its_changes_and_notes(client, admin):
    _import()
    approved_release("1.0", "First release", admin)
    editing.edit_section(
        _section("Italy"), admin, title="Italy", body="Notify the Ministry first.", base_number=1
    )
    approved_release("1.1", "Italy clarified", admin)
    entries = changes.changelog()
    assert [(e.release.version, e.previous and e.previous.version) for e in entries] == [
        ("1.1", "1.0"),
        ("1.0", None),
    ]
    assert [(c.kind, c.title) for c in entries[0].changes] == [("changed", "Italy")]
    page = client.get("/guide/changelog").get_data(as_text=True)
    assert page.index("Version 1.1") < page.index("Version 1.0")
    assert "Italy clarified" in page and "First release" in page
    assert "The first release, with 3 sections." in page
    assert 'href="/guide/compare?from=1.0&amp;to=1.1"' in page


def test_the_changelog_runs_a_fixed_number_of_queries(client, admin, count_queries):
    _import()
    approved_release("1.0", "First release", admin)
    with count_queries() as one:
        assert client.get("/guide/changelog").status_code == 200
    for minor in (1, 2, 3):
        editing.add_section(None, None, admin, title=f"Part {minor}", body="Text.")
        approved_release(f"1.{minor}", f"Part {minor}", admin)
    with count_queries() as four:
        assert client.get("/guide/changelog").status_code == 200
    assert len(four) == len(one) <= 2


def test_a_section_history_runs_a_fixed_number_of_queries(
    client, admin, answered, make_user, count_queries
):
    _import()
    section_id = _section("Italy").id
    editing.propose_from_answer(admin, answered, section=_section("Italy"), body="Notify it first.")
    with count_queries() as one:
        assert client.get(f"/guide/sections/{section_id}/history").status_code == 200
    for number in range(3, 6):
        source = answers.post_answer(
            ask_question(make_user(), title=f"Question number {number} here"),
            make_user(Role.EXPERT),
            ANSWER,
        )
        editing.propose_from_answer(
            make_user(Role.ADMIN),
            source,
            section=_section("Italy"),
            body=f"Notify the Ministry of Health, version {number}.",
        )
    with count_queries() as five:
        page = client.get(f"/guide/sections/{section_id}/history")
    assert page.status_code == 200 and "Question number 5 here" in page.get_data(as_text=True)
    assert len(five) == len(one)


# --- permissions and the audit log -----------------------------------------------------------


def _admin_pages(section_id: int, answer_id: int):
    return [
        ("get", f"/guide/sections/{section_id}/edit"),
        ("post", f"/guide/sections/{section_id}/edit"),
        ("get", "/guide/sections/new"),
        ("post", "/guide/sections/new"),
        ("post", f"/guide/sections/{section_id}/reviewed"),
        ("get", f"/guide/propose?answer={answer_id}"),
        ("post", f"/guide/propose?answer={answer_id}"),
        ("get", "/guide/release"),
        ("post", "/guide/release"),
    ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
def test_members_and_experts_get_403_on_every_curation_page(
    client, login, make_user, answered, role
):
    _import()
    section = _section("Italy")
    login(make_user(role))
    for method, url in _admin_pages(section.id, answered.id):
        data = {
            "title": "Italy",
            "body": "Changed.",
            "base_number": "1",
            "version": "1.0",
            "notes": "x",
            "placement": "start",
        }
        response = getattr(client, method)(url, **({"data": data} if method == "post" else {}))
        assert response.status_code == 403, (method, url)
    page = client.get(f"/questions/{answered.question_id}").get_data(as_text=True)
    assert "/guide/propose?" not in page  # the admins' direct curation link
    # Experts propose through the proposals the admins decide on (tests/web/test_guide_features.py).
    expert_link = f'href="/guide/proposals/from-answer?answer={answered.id}"'
    assert (expert_link in page) == (role == Role.EXPERT)
    assert _section("Italy").current_number == 1 and _count(GuideRelease) == 0


def test_visitors_are_sent_to_log_in_from_every_curation_page(client, answered):
    _import()
    section = _section("Italy")
    for method, url in _admin_pages(section.id, answered.id):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response.location, (method, url)


def test_unknown_sections_are_404_for_admins_and_readers(client, login, admin):
    _import()
    assert client.get("/guide/sections/999999/history").status_code == 404
    login(admin)
    assert client.get("/guide/sections/999999/edit").status_code == 404
    assert client.post("/guide/sections/999999/reviewed").status_code == 404


def test_every_curation_action_is_in_the_audit_log(client, login, admin, answered):
    _import(actor=admin)
    editing.edit_section(_section("Italy"), admin, title="Italy", body="Changed.", base_number=1)
    editing.add_section(None, None, admin, title="Scope", body="Devices only.")
    editing.mark_reviewed(_section("Scope"), admin)
    editing.propose_from_answer(
        admin, answered, section=_section("Scope"), body="Devices and more."
    )
    publishing.release("1.0", "First release", admin)
    entries = db.session.execute(
        select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.subject_type).order_by(
            AuditEntry.id
        )
    ).all()
    assert [tuple(entry) for entry in entries] == [
        (AuditAction.GUIDE_IMPORTED.value, admin.id, "GuideSection"),
        (AuditAction.GUIDE_SECTION_EDITED.value, admin.id, "GuideSection"),
        (AuditAction.GUIDE_SECTION_ADDED.value, admin.id, "GuideSection"),
        (AuditAction.GUIDE_SECTION_REVIEWED.value, admin.id, "GuideSection"),
        (AuditAction.GUIDE_SECTION_EDITED.value, admin.id, "GuideSection"),
        (AuditAction.GUIDE_RELEASED.value, admin.id, "GuideRelease"),
    ]
    login(admin)
    log = client.get("/admin/audit?action=guide-section-edited")
    assert log.status_code == 200
    page = log.get_data(as_text=True)
    assert page.count("<td>Guide section edited</td>") == 2
    assert f"drawn from answer {answered.id}" in page


def test_the_demo_loads_the_guide_and_releases_it(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert "Requirements for a sound clinical investigation" in client.get("/guide").get_data(
        as_text=True
    )
    changelog = client.get("/guide/changelog").get_data(as_text=True)
    assert "Version 1.0" in changelog and "First release" in changelog
    assert versions.export_release("1.0").encode("utf-8") == GUIDE_FILE.read_bytes()
    sections = db.session.scalars(select(GuideSection)).all()
    assert sections and all(section.last_reviewed_on is not None for section in sections)
    assert "Not reviewed since it was loaded" not in client.get("/guide").get_data(as_text=True)
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert _count(GuideRelease) == 1


def test_every_deadline_of_the_guide_has_its_row_in_the_fact_register():
    """docs/fact-register.md records, for each step of the guide's timeline, the primary
    source and the day it was checked; a step added to the guide without its row fails."""
    from forum.services.guide import markdown

    register = (GUIDE_FILE.parent / "fact-register.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line for line in register.splitlines() if line.startswith("| ")
    }
    document = markdown.parse(GUIDE_FILE.read_text(encoding="utf-8"))
    timeline = next(s for s in document.walk() if s.anchor == "timeline-of-the-main-deadlines")
    steps = [
        line.split("|")[1].strip()
        for line in timeline.body.splitlines()
        if line.startswith("| ") and not line.startswith("| Step |")
    ]
    assert len(steps) >= 20
    for step in steps:
        assert step in rows, f"the fact register has no row for {step!r}"
        assert re.search(r"\| \d{4}-\d{2}-\d{2}", rows[step]), f"{step!r} has no date checked"


def test_every_source_key_the_guide_uses_is_listed_with_a_link_to_its_text():
    """Each rule's key ([L1], [IT2]...) names an entry under Sources, and each entry gives
    where to read the text; no entry is left that nothing cites."""
    text = GUIDE_FILE.read_text(encoding="utf-8")
    body, sources = text.split("\n## Sources\n")
    used = set(re.findall(r"\[([A-Z][A-Z0-9]*)\]", body)) - {"CTR"}  # [CTR] is a clause
    entries = dict(re.findall(r"^- \[([A-Z][A-Z0-9]*)\] (.+)$", sources, re.MULTILINE))
    assert used and used == set(entries)
    for key, entry in entries.items():
        assert "https://" in entry or "same" in entry, f"[{key}] gives no link: {entry}"
