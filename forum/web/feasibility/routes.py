"""The feasibility study's notes per theme: /network/themes for the network's members,
and the admins' pages to add and correct a note. Not cached: few readers, and a page of
signed-in members only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum import calendar
from forum.content_language import reader_language
from forum.extensions import db
from forum.network_access import can_manage_network, can_read_feasibility_notes
from forum.services import feasibility
from forum.services.errors import RuleViolation
from forum.web.access import requires
from forum.web.feasibility.forms import NoteForm
from forum.web.forms import attach_error
from forum.web.lookups import bounded_id_or_404

bp = Blueprint("feasibility", __name__)


@bp.get("/network/themes")
@requires(can_read_feasibility_notes)
def themes():
    return render_template(
        "feasibility/themes.html",
        themes=feasibility.themes(),
        language=reader_language(),
        may_manage=can_manage_network(current_user),
    )


def _themes_url(specialisation) -> str:
    return url_for(".themes", _anchor=f"theme-{specialisation.slug}")


def _save(form: NoteForm, save, specialisation, note):
    """Validate and save through ``save``; the form again (422) on bad input."""
    if form.validate_on_submit():
        try:
            save(form.draft())
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "decision"), error.message)
        else:
            flash(_("The feasibility note is saved."), "success")
            return redirect(_themes_url(specialisation), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "feasibility/edit.html",
        form=form,
        specialisation=specialisation,
        note=note,
        language=reader_language(),
        themes_url=_themes_url(specialisation),
    ), status


@bp.route("/admin/network/themes/<int:specialisation_id>/notes/new", methods=["GET", "POST"])
@requires(can_manage_network)
def new_note(specialisation_id: int):
    specialisation = feasibility.get_specialisation(bounded_id_or_404(specialisation_id))
    if specialisation is None:
        abort(404)
    form = NoteForm(data={"decided_on": calendar.today()} if request.method == "GET" else None)
    return _save(
        form,
        lambda draft: feasibility.add_note(current_user, specialisation, draft),
        specialisation,
        None,
    )


@bp.route("/admin/network/feasibility/<int:note_id>/edit", methods=["GET", "POST"])
@requires(can_manage_network)
def edit_note(note_id: int):
    note = feasibility.get_note(bounded_id_or_404(note_id))
    if note is None:
        abort(404)
    form = NoteForm(obj=note if request.method == "GET" else None)
    specialisation = note.specialisation
    return _save(
        form,
        lambda draft: feasibility.edit_note(current_user, note, draft),
        specialisation,
        note,
    )
