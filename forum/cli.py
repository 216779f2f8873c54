"""Operator commands: ``flask --app forum <command>``."""
from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager

import click
from flask import Flask
from flask.cli import AppGroup

from forum.extensions import db
from forum.models import ExpertArea, Role
from forum.services import accounts, outbox
from forum.services.errors import RuleViolation


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(outbox_group)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--area", type=click.Choice([area.value for area in ExpertArea]),
              help="The expert's area (experts only).")
@click.option("--chair", is_flag=True, help="Make the expert a chair of the board.")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
def create_user_command(email, display_name, role, area, chair, password_stdin):
    """Create an account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = accounts.create_user(
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
@click.option("--interval", type=click.FloatRange(min=0), default=30.0, show_default=True,
              metavar="SECONDS", help="With --loop, the pause between passes.")
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
