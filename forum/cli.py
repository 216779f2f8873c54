"""Operator commands: ``flask --app forum <command>``."""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from forum import backup, calendar
from forum.extensions import db
from forum.models import EmailFrequency, ExpertArea, Role
from forum.services import citations, network_import, rendered_markdown
from forum.services.accounts import creation
from forum.services.errors import RuleViolation
from forum.services.guide import (
    importing,
    markdown,
    publishing,
    translated,
    tree,
    versions,
)
from forum.services.mail import digests, outbox
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import period as review_period
from forum.services.search import finder
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(outbox_group)
    app.cli.add_command(send_digests_command)
    app.cli.add_command(citations_group)
    app.cli.add_command(search_group)
    app.cli.add_command(markdown_group)
    app.cli.add_command(guide_group)
    app.cli.add_command(review_group)
    app.cli.add_command(visits_group)
    app.cli.add_command(network_group)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option(
    "--area",
    type=click.Choice([area.value for area in ExpertArea]),
    help="The expert's area (experts only).",
)
@click.option("--chair", is_flag=True, help="Make the expert a chair of the board.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (never from the command line).",
)
def create_user_command(email, display_name, role, area, chair, password_stdin):
    """Create an account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = creation.create_user(
            email=email,
            display_name=display_name,
            password=password,
            role=Role(role),
            area=ExpertArea(area) if area else None,
            is_chair=chair,
        )
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo centre (idempotent) and print the demo accounts."""
    from forum.demo.seed import seed_demo

    report = seed_demo()
    click.echo(report.summary())
    click.echo("")
    click.echo("Demo accounts (e-mail / password / role):")
    for account in report.accounts:
        click.echo(f"  {account.email:<32} {account.password:<22} {account.description}")


outbox_group = AppGroup("outbox", help="The e-mail outbox.")


@outbox_group.command("send")
@click.option("--loop", is_flag=True, help="Keep sending until interrupted (Ctrl-C).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="With --loop, the pause between passes.",
)
def outbox_send_command(loop, interval):
    """Deliver the due e-mails over SMTP: one pass, or passes until interrupted."""
    stop = threading.Event()
    with _stop_on_interrupt(stop):
        while True:
            report = outbox.deliver_due()
            click.echo(report.summary())
            db.session.remove()  # no connection held while waiting for the next pass
            if not report.configured or not loop:
                return
            if stop.wait(interval):
                click.echo("Stopped.")
                return


@click.command("send-digests")
@click.option(
    "--frequency",
    type=click.Choice(["due", "daily", "weekly"]),
    default="due",
    show_default=True,
    help="due: the daily digests, and the weekly ones on Mondays; or only one kind.",
)
def send_digests_command(frequency):
    """Queue the e-mail digests of the notifications that wait for them (run daily from cron).

    Safe to run twice: what one run gathered is marked and never sent again.
    The digests go through the outbox; `outbox send` delivers them.
    """
    chosen = None if frequency == "due" else {EmailFrequency(frequency)}
    report = digests.send_digests(chosen)
    click.echo(
        f"Queued {report.emails} digest e-mail(s) carrying {report.notifications} "
        f"notification(s); {report.left_out} left out (no longer visible to their "
        f"recipient, or the account is deactivated)."
    )


citations_group = AppGroup("citations", help="The index of regulation clauses cited by the texts.")


@citations_group.command("reindex")
def citations_reindex_command():
    """Rebuild the citations from answers, published board answers, FAQ entries and the guide."""
    click.echo(citations.reindex_all().summary())


search_group = AppGroup("search", help="The search index.")


@search_group.command("reindex")
def search_reindex_command():
    """Rebuild the search index from questions, answers, published board answers, FAQ and guide."""
    click.echo(f"Search index rebuilt: {finder.reindex_all()} documents.")


markdown_group = AppGroup("markdown", help="The stored renderings of members' Markdown.")


@markdown_group.command("rerender")
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=rendered_markdown.BATCH_SIZE,
    show_default=True,
    help="Rows rendered per transaction.",
)
def markdown_rerender_command(batch_size):
    """Render again the texts stored by an older renderer (run after an upgrade that says so)."""
    counts = rendered_markdown.rerender_stale(batch_size)
    for model, count in counts.items():
        click.echo(f"{model}: {count} re-rendered")
    click.echo(f"Markdown re-rendered: {sum(counts.values())} rows.")


@contextmanager
def _stop_on_interrupt(stop: threading.Event):
    """Let Ctrl-C (or SIGTERM) finish the current pass instead of cutting a send short.

    A second Ctrl-C interrupts at once, as usual.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request_stop(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except KeyboardInterrupt:
        click.echo("Interrupted.")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


guide_group = AppGroup("guide", help="The requirements guide: import, export, release.")


@guide_group.command("import")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def guide_import_command(path):
    """Load the guide from PATH (default: GUIDE_PATH), replacing the current text, and its
    Italian translation from the file beside it (requirements_guide.it.md), if present.

    Sections are matched by their anchor, so their history is kept. A malformed
    file, or a translation whose structure is not the English one, is reported
    and changes nothing. Without the Italian file the translations stay as they are.
    """
    path = path or Path(current_app.config["GUIDE_PATH"])
    text = _read_guide_file(path)
    translated_files = {}
    for language in TRANSLATION_LANGUAGES:
        other = translated.translated_path(path, language)
        if other.is_file():
            translated_files[language] = (other, _read_guide_file(other))
    try:
        english = markdown.parse(text)
        for other, other_text in translated_files.values():
            try:
                translated.check_same_structure(english, markdown.parse(other_text))
            except markdown.GuideFormatError as error:
                raise click.ClickException(f"{other}, line {error.line}: {error.message}") from None
            except RuleViolation as error:
                raise click.ClickException(f"{other}: {error.message}") from None
        report = importing.import_guide(text, actor=None, note=f"Imported from {path.name}")
    except markdown.GuideFormatError as error:
        raise click.ClickException(f"{path}, line {error.line}: {error.message}") from None
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Imported {path}: {report.summary()}")
    if report.noncanonical_line is not None:
        click.echo(
            f"Note: from line {report.noncanonical_line} the file departs from the "
            "canonical form; an export will write it normalised.",
            err=True,
        )
    for language in TRANSLATION_LANGUAGES:
        if language not in translated_files:
            click.echo(
                f"No {translated.translated_path(path, language)}: the "
                f"translations into {language} are unchanged.",
                err=True,
            )
            continue
        other, other_text = translated_files[language]
        try:
            done = translated.import_translation(
                other_text, language, actor=None, note=f"Imported from {other.name}"
            )
        except RuleViolation as error:
            raise click.ClickException(f"{other}: {error.message}") from None
        click.echo(f"Imported {other}: {done.summary()}")
        if markdown.first_difference(other_text) is not None:
            click.echo(
                f"Note: {other} departs from the canonical form; an export will write "
                "it normalised.",
                err=True,
            )


def _read_guide_file(path: Path) -> str:
    try:
        return markdown.decode(path.read_bytes())
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror or error}") from None
    except markdown.GuideFormatError as error:
        raise click.ClickException(f"{path}, line {error.line}: {error.message}") from None


@guide_group.command("export")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write the English Markdown (default: GUIDE_PATH; - for standard "
    "output); each translation goes beside it (requirements_guide.it.md).",
)
@click.option(
    "--version",
    "version",
    metavar="VERSION",
    help="The release to export (default: the latest release).",
)
@click.option(
    "--language",
    type=click.Choice(["all", SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES]),
    default="all",
    show_default=True,
    help="The language to write (standard output: English unless given).",
)
def guide_export_command(output, version, language):
    """Write a released guide as Markdown (default: the latest release), in English and Italian.

    Without any release, the current text is written, and the command says so.
    """
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and language == "all":
        language = SOURCE_LANGUAGE  # standard output takes one file: the English by default
    try:
        if version is not None:
            versions.export_release(version)  # refuses an unknown or draft version
            release = versions.get_release(version)
        else:
            release = versions.latest_release()
        texts = {}
        for wanted in (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES):
            if language not in ("all", wanted):
                continue
            if release is None:
                texts[wanted] = (
                    tree.export_current()
                    if wanted == SOURCE_LANGUAGE
                    else translated.export_current(wanted)
                )
            else:
                texts[wanted] = translated.release_markdown(release, wanted)
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from None
    source = (
        f"release {release.version}"
        if release is not None
        else "the current text (no release exists yet)"
    )
    if to_stdout:
        text = texts[language]
        if text is None:
            raise click.ClickException(f"{source} was not frozen in {language}.")
        click.echo(text, nl=False)
        return
    output = output or Path(current_app.config["GUIDE_PATH"])
    for wanted, text in texts.items():
        target = output if wanted == SOURCE_LANGUAGE else translated.translated_path(output, wanted)
        if text is None:
            click.echo(
                f"{source} was made before translations were frozen with releases: "
                f"{target} is not written.",
                err=True,
            )
            continue
        try:
            target.write_bytes(text.encode("utf-8"))  # bytes: no newline translation anywhere
        except OSError as error:
            raise click.ClickException(
                f"Cannot write {target}: {error.strerror or error}"
            ) from None
        click.echo(f"Exported {source} to {target}.", err=True)


@guide_group.command("release")
@click.argument("version")
@click.option("--notes", required=True, help="What the release changes (for the changelog).")
def guide_release_command(version, notes):
    """Freeze the current guide as release VERSION (such as 1.0, 1.1, 2.0)."""
    try:
        frozen = publishing.release(version, notes, actor=None)
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Released the guide as version {frozen.version}.")


review_group = AppGroup("review", help="The six-month review.")


@review_group.command("export")
@click.option("--from", "start", help="First day, YYYY-MM-DD (default: six months before --to).")
@click.option("--to", "end", help="Last day, YYYY-MM-DD (default: today).")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["xlsx", "csv", "json"]),
    default="xlsx",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (a zip for csv).",
)
def review_export_command(start, end, export_format, output):
    """Write the review's figures for a period as XLSX, a zip of CSV files, or JSON."""
    try:
        period = review_period.parse_period(start, end, today=calendar.today())
    except RuleViolation as error:
        raise click.ClickException(str(error.message)) from None
    figures = review.build_review(period)
    output.write_bytes(review_export.export(figures, review_export.ExportFormat(export_format)))
    click.echo(f"Wrote the review from {period.start} to {period.end} to {output}.")


visits_group = AppGroup("visits", help="The page-view counts.")


@visits_group.command("flush")
def visits_flush_command():
    """Write this process's buffered counts and forget the salts of past days.

    Workers flush by themselves; a command's own buffer is empty, so this mostly
    deletes past days' salts and visitor marks. Run it daily (e.g. from cron) so
    a day's salt is forgotten even when no worker flushes after midnight.
    """
    counter = current_app.extensions["visit_counter"]
    click.echo(counter.flush().summary())


network_group = AppGroup("network", help="The Lombardy-Limburg network's directory.")


@network_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
def network_import_command(path, dry_run):
    """Import organisations' profiles from the CSV file at PATH (the desk research's
    spreadsheet): each good row creates or updates its organisation and profile, each
    bad row is reported with its line and reasons and changes nothing."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror or error}") from None
    try:
        report = network_import.import_csv(data, None, dry_run=dry_run, source=path.name)
    except network_import.ImportFileError as error:
        raise click.ClickException(f"{path}: {error.message}") from None
    for row in report.rejected:
        click.echo(f"{path}, line {row.line}: {'; '.join(row.reasons)}", err=True)
    if report.ignored_columns:
        click.echo(f"Columns ignored: {', '.join(report.ignored_columns)}", err=True)
    click.echo(f"Imported {path}: {report.summary()}")
    if report.rejected:
        sys.exit(1)
