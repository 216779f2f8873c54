"""Operator commands: ``flask --app forum <command>``."""
from __future__ import annotations

import sys

import click
from flask import Flask

from forum.models import ExpertArea, Role
from forum.services import accounts
from forum.services.errors import RuleViolation


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)


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
