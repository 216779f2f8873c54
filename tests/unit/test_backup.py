"""``flask --app forum backup PATH`` and ``restore PATH``: a backup restored into an empty
database holds every row of every table, on SQLite and on PostgreSQL, and search still
finds what it found before."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import create_engine, func, inspect, literal_column, select, table, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.demo.board import ETHICS_BEFORE_MINISTRY
from forum.demo.seed import seed_demo
from forum.extensions import db
from forum.models import (
    Attachment,
    Capability,
    DismissedPair,
    FeasibilityNote,
    Introduction,
    IntroductionState,
    IntroductionStep,
    MatchmakingRound,
    NetworkRegion,
    NotificationKind,
    Question,
    Specialisation,
    StanceKind,
    StudyVisit,
    VisitInterest,
    VisitKind,
)
from forum.services import law_changes, visits
from forum.services.accounts import api_tokens, credentials
from forum.services.citations import clause_slug
from forum.services.guide import proposals, publishing, tree
from forum.services.mail import notifications
from forum.services.search import finder
from tests.conftest import _test_settings
from tests.factories import ask_question, make_network_profile
from tests.fixtures import files

VISITOR = AnonymousUserMixin()


def fill_every_table() -> None:
    """The demo centre, through the services, and then what the demo leaves empty."""
    seed_demo()
    member = credentials.find_user_by_email("anna.colombo@brianza-medtech.example")
    api_tokens.create(member, "Nightly export")
    notifications.set_email_opt_outs(member, [NotificationKind.NEW_COMMENT])
    counter = visits.VisitCounter()  # today's salt and a visitor's mark
    counter.record(visits.section_for_path("/questions"), "192.0.2.1", "Mozilla/5.0 (X11)")
    counter.flush()
    # The guide's workflow past the demo's approved release: an expert's proposal,
    # accepted, a draft release of it with a stance, and a change of a cited document.
    admin = credentials.find_user_by_email("admin@ctcc.example")
    expert = credentials.find_user_by_email("chiara.marino@ctcc.example")
    section = tree.load_current_guide().sections[0].section
    proposal = proposals.propose(
        expert, section, title=section.title, body=section.body + "\n\nSee also the fact register."
    )
    proposals.accept(proposal, admin)
    draft = publishing.release("1.1", "The fact register linked", admin)
    publishing.record_stance(draft, expert, StanceKind.ENDORSE)
    law_changes.record_change(
        admin, clause_slug("MDCG 2021-6"), "MDCG 2021-6 Rev.2 published", date(2026, 11, 20)
    )
    question = db.session.scalars(select(Question).order_by(Question.id)).first()
    files.attach(question, member, files.MINIMAL_PDF, "synopsis.pdf")
    _fill_network(admin, member)


def _fill_network(admin, member) -> None:
    """A row in each of the Lombardy-Limburg network's tables (issue 29), written straight
    to them: two profiles with their terms, a round with a theme, an introduction with a
    step and a pair set aside, a visit with a participant and an interest, a feasibility
    note."""
    theme = db.session.scalars(select(Specialisation).order_by(Specialisation.id)).first()
    capability = db.session.scalars(select(Capability).order_by(Capability.id)).first()
    lab, campus, third = (
        make_network_profile(name, region, specialisations=(theme.slug,))
        for name, region in (
            ("Backup Lab S.r.l.", NetworkRegion.LOMBARDY),
            ("Backup Campus B.V.", NetworkRegion.LIMBURG),
            ("Backup Third B.V.", NetworkRegion.LIMBURG),
        )
    )
    lab.offers, campus.needs = [capability], [capability]
    round_ = MatchmakingRound(title="Backup round", themes=[theme], created_by_id=admin.id)
    db.session.add(round_)
    db.session.flush()
    introduction = Introduction(
        round_id=round_.id, first_profile_id=lab.id, second_profile_id=campus.id
    )
    db.session.add(introduction)
    db.session.flush()
    db.session.add_all(
        [
            IntroductionStep(introduction_id=introduction.id, state=IntroductionState.AGREED),
            DismissedPair(round_id=round_.id, first_profile_id=lab.id, second_profile_id=third.id),
            FeasibilityNote(
                specialisation_id=theme.id,
                decision="Link the labs first.",
                decided_on=date(2026, 3, 1),
                decided_by="Steering group",
            ),
        ]
    )
    visit = StudyVisit(
        kind=VisitKind.STUDY_VISIT,
        title="Backup delegation",
        starts_on=date(2026, 5, 4),
        place="Maastricht",
        participants=[lab, campus],
    )
    db.session.add(visit)
    db.session.flush()
    db.session.add(VisitInterest(visit_id=visit.id, user_id=member.id, note="Count me in."))
    db.session.commit()


def every_row(url: str) -> dict[str, list[tuple]]:
    """Each table's rows, in a stable order, read through a connection of its own: every
    table the database holds (on SQLite the full-text index's too), not only the models'."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            names |= {table.name for table in db.metadata.sorted_tables}
            rows = {
                name: sorted(
                    (
                        tuple(row)
                        for row in connection.execute(
                            select(literal_column("*")).select_from(table(name))
                        )
                    ),
                    key=repr,
                )
                for name in sorted(names)
            }
    finally:
        engine.dispose()
    return rows


def found_by_search(app, query: str) -> list[tuple[str, int]]:
    """What a visitor's search for ``query`` finds in ``app``'s database."""
    with app.app_context():
        hits = [(hit.kind, hit.object_id) for hit in finder.search(VISITOR, query).hits]
        db.session.remove()
        db.engine.dispose()
    return hits


@contextmanager
def empty_database(database_url: str, tmp_path) -> Iterator[str]:
    """A new, empty database beside the test one: a new SQLite file, or on PostgreSQL
    ``<test database>_restore``, created here and dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    scratch = f"{url.database}_restore"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        server.dispose()


def app_on(url: str, files_dir=None):
    # Its own attachments' folder: never the project's instance folder.
    files_dir = files_dir or tempfile.mkdtemp(prefix="restored-files-")
    return create_app({**_test_settings(url), "ATTACHMENTS_DIR": str(files_dir)})


def run(app, *args: str):
    """A command against ``app`` (the CLI uses the current app, which would be the fixture's)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.engine.dispose()
    return result


def test_a_backup_restored_into_an_empty_database_holds_every_row(app, database_url, tmp_path):
    fill_every_table()
    original = every_row(database_url)
    empty = [
        name
        for name in [table.name for table in db.metadata.sorted_tables] + ["alembic_version"]
        if not original[name]
    ]
    # A table added later without data here would go untested: give it some above.
    assert empty == [], f"tables without rows before the backup: {empty}"
    ethics = db.session.scalar(select(Question.id).where(Question.title == ETHICS_BEFORE_MINISTRY))
    query = "ethics committee opinion Ministry of Health"
    assert ("question", ethics) in found_by_search(app, query)
    backup_file = tmp_path / "forum.backup"

    made = app.test_cli_runner().invoke(args=["backup", str(backup_file)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and backup_file.stat().st_size > 0
    # The demo's protocol synopsis and the file attached above.
    attachment_count = db.session.scalar(select(func.count()).select_from(Attachment))
    assert attachment_count == 2
    assert f"Backed up {attachment_count} attachment files" in made.output
    assert (tmp_path / "forum.backup.files.tar").is_file()

    with empty_database(database_url, tmp_path) as target_url:
        target = app_on(target_url, tmp_path / "restored-files")
        restored = run(target, "restore", str(backup_file))
        assert restored.exit_code == 0, restored.output
        assert "Restored" in restored.output and "schema revision" in restored.output
        assert f"Restored {attachment_count} attachment files" in restored.output
        for key in db.session.scalars(select(Attachment.storage_key)):
            assert (tmp_path / "restored-files" / key[:2] / key).is_file(), key
        key = db.session.scalar(
            select(Attachment.storage_key).where(Attachment.name == "synopsis.pdf")
        )
        restored_file = tmp_path / "restored-files" / key[:2] / key
        assert restored_file.read_bytes() == files.MINIMAL_PDF

        copy = every_row(target_url)
        assert set(copy) == set(original)
        for name, rows in original.items():
            assert copy[name] == rows, f"table {name} differs"
        assert ("question", ethics) in found_by_search(target, query)

        # Once it holds data, the target is only replaced on purpose.
        again = run(target, "restore", str(backup_file))
        assert again.exit_code != 0 and "already holds data" in again.output
        forced = run(target, "restore", "--force", str(backup_file))
        assert forced.exit_code == 0, forced.output
        assert every_row(target_url) == original


def test_restore_refuses_a_database_that_holds_data(app, make_user, tmp_path):
    ask_question(make_user())
    backup_file = tmp_path / "forum.backup"
    app.test_cli_runner().invoke(args=["backup", str(backup_file)])
    result = app.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert result.exit_code != 0
    assert "already holds data" in result.output and "--force" in result.output


def test_restore_accepts_a_freshly_migrated_empty_database(app, database_url, make_user, tmp_path):
    ask_question(make_user())
    backup_file = tmp_path / "forum.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(backup_file)]).exit_code == 0

    with empty_database(database_url, tmp_path) as target_url:
        target = app_on(target_url)
        # A new deployment: migrated, nothing written yet (SQLite's full-text index
        # already has rows of its own, which are not data).
        migrated = run(target, "db", "upgrade")
        assert migrated.exit_code == 0, migrated.output
        restored = run(target, "restore", str(backup_file))
        assert restored.exit_code == 0, restored.output
        assert every_row(target_url)["question"] == every_row(database_url)["question"]


def test_restore_refuses_a_missing_or_foreign_file(app, database_url, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("these are not the rows you are looking for\n" * 50)
    with empty_database(database_url, tmp_path) as target_url:
        target = app_on(target_url)
        missing = run(target, "restore", str(tmp_path / "nothing-here"))
        foreign = run(target, "restore", str(not_a_backup))
    assert missing.exit_code != 0 and "does not exist" in missing.output
    assert foreign.exit_code != 0 and "Error" in foreign.output


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "mysql://u@h/db"])
def test_unsupported_databases_are_refused_with_a_reason(url, tmp_path):
    from forum.backup import BackupError, backup

    with pytest.raises(BackupError):
        backup(tmp_path / "x.backup", url)
