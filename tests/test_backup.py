"""``flask --app forum backup PATH`` and ``restore PATH``: a backup restored into an empty
database holds every row of every table, on SQLite and on PostgreSQL."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.extensions import db
from forum.models import ApiToken, NotificationKind, SurveyItemKind
from forum.services import answers, experts, notifications, survey
from forum.services.survey import ItemDraft
from tests.conftest import _test_settings
from tests.factories import ask_question, published_board_answer, topic_id


def build_centre(people) -> None:
    """A little of everything, through the services."""
    experts.update_profile(people.expert, "Biostatistician.", "None.",
                           [topic_id("regulatory-pathway")])
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.clinical, "Start from MDR Annex XV.")
    answers.post_comment(question, people.asker, "Which class, exactly?", answer=answer)
    answers.set_helpful(answer, people.other, True)
    published_board_answer(question, people.board, "The board's answer, cites MDR Art. 62.")
    notifications.set_email_opt_outs(people.asker, [NotificationKind.NEW_COMMENT])
    poll = survey.create_survey(people.admin, "How useful is the forum?")
    item = survey.add_item(poll, people.admin, ItemDraft(SurveyItemKind.NPS, "Recommend us?"))
    survey.open_survey(poll, people.admin)
    survey.submit_response(poll, {item.id: "9"}, user=people.asker)
    db.session.add(ApiToken(user_id=people.asker.id, name="Script", prefix="ctcc_abc",
                            token_hash=hashlib.sha256(b"x").hexdigest()))
    db.session.commit()


def every_row(url: str) -> dict[str, list[tuple]]:
    """Each table's rows, in a stable order, read through a connection of its own."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = {table.name: sorted((tuple(row) for row in connection.execute(select(table))),
                                       key=repr)
                    for table in db.metadata.sorted_tables}
            rows["alembic_version"] = list(connection.execute(
                text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()
    return rows


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


def app_on(url: str):
    return create_app({**_test_settings(url)})


def run(app, *args: str):
    """A command against ``app`` (the CLI uses the current app, which would be the fixture's)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.engine.dispose()
    return result


def test_a_backup_restored_into_an_empty_database_holds_every_row(app, people, database_url,
                                                                   tmp_path):
    build_centre(people)
    backup_file = tmp_path / "forum.backup"

    made = app.test_cli_runner().invoke(args=["backup", str(backup_file)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and backup_file.stat().st_size > 0

    with empty_database(database_url, tmp_path) as target_url:
        target = app_on(target_url)
        restored = run(target, "restore", str(backup_file))
        assert restored.exit_code == 0, restored.output
        assert "Restored" in restored.output and "schema revision" in restored.output

        original, copy = every_row(database_url), every_row(target_url)
        assert set(copy) == set(original)
        for name, rows in original.items():
            assert copy[name] == rows, f"table {name} differs"
        assert len(original["user"]) == 6 and original["board_answer"] and original["stance"]

        # Once it holds data, the target is only replaced on purpose.
        again = run(target, "restore", str(backup_file))
        assert again.exit_code != 0 and "already holds data" in again.output
        forced = run(target, "restore", "--force", str(backup_file))
        assert forced.exit_code == 0, forced.output
        assert every_row(target_url) == original


def test_restore_refuses_a_database_that_holds_data(app, people, tmp_path):
    build_centre(people)
    backup_file = tmp_path / "forum.backup"
    app.test_cli_runner().invoke(args=["backup", str(backup_file)])
    result = app.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert result.exit_code != 0
    assert "already holds data" in result.output and "--force" in result.output


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
