"""The demo's Lombardy-Limburg network: the sample spreadsheet of forty fictional
organisations (docs/network_directory_sample.csv), imported through the admins' importer,
so the demo shows what an import builds. Some of them are the demo's own organisations,
whose members then edit their profile."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import NetworkProfile, User
from forum.resources import network_sample_path
from forum.services import network_import


def seed_network_directory(admin: User) -> int:
    """Import the sample file when the directory is empty; the number of profiles made."""
    if db.session.scalar(select(func.count(NetworkProfile.id))):
        return 0
    path = network_sample_path()
    report = network_import.import_csv(path.read_bytes(), admin, source=path.name)
    for row in report.rejected:  # the sample is checked by its test; a rejection is a bug
        current_app.logger.warning("%s, line %d: %s", path.name, row.line, "; ".join(row.reasons))
    return len(report.created)
