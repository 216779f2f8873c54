"""The admins' matchmaking rounds: /admin/network/rounds (the list, with introductions
counted by state), opening one on some themes, a round's page (its suggested pairs to
accept or set aside, its introductions), closing and reopening it, its XLSX export, and an
introduction's page (its steps, and the form to record the next one)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.content_language import reader_language
from forum.network_access import can_manage_network
from forum.services import network_introductions, network_round_export, network_rounds
from forum.services.errors import RuleViolation
from forum.web.access import refusal
from forum.web.forms import attach_error
from forum.web.lookups import bounded_id_or_404
from forum.web.matchmaking.forms import PairForm, RoundForm, StepForm

bp = Blueprint("matchmaking_admin", __name__, url_prefix="/admin/network")

# A round of a few hundred organisations may suggest thousands of pairs: the page shows the
# best ones (the export has them all); those accepted or set aside make room for the next.
SUGGESTIONS_SHOWN = 50


@bp.before_request
def managers_only():
    return refusal(can_manage_network)


def _round_or_404(round_id: int):
    found = network_rounds.get_round(bounded_id_or_404(round_id))
    if found is None:
        abort(404)
    return found


@bp.get("/rounds")
def rounds():
    return render_template("matchmaking/rounds.html", listings=network_rounds.list_rounds())


@bp.route("/rounds/new", methods=["GET", "POST"])
def new_round():
    form = RoundForm()
    form.set_theme_choices(network_rounds.theme_choices(), reader_language())
    if form.validate_on_submit():
        try:
            opened = network_rounds.open_round(current_user, form.title.data, form.themes.data)
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "title"), error.message)
        else:
            flash(_("The round is open: review its suggested pairs."), "success")
            return redirect(url_for(".round_page", round_id=opened.id))
    status = 422 if request.method == "POST" else 200
    return render_template("matchmaking/new_round.html", form=form), status


@bp.get("/rounds/<int:round_id>")
def round_page(round_id: int):
    page = network_rounds.load_round_page(bounded_id_or_404(round_id), SUGGESTIONS_SHOWN)
    if page is None:
        abort(404)
    return render_template("matchmaking/round.html", page=page, round=page.matchmaking_round)


def _on_pair(round_id: int, act, done_message: str):
    """Accept or set aside the pair the form names; refusals come back as a message."""
    matchmaking_round = _round_or_404(round_id)
    form = PairForm()
    if not form.validate_on_submit():
        flash(_("Choose the pair from the suggestions."), "error")
        return redirect(url_for(".round_page", round_id=matchmaking_round.id)), 303
    try:
        act(matchmaking_round, current_user, form.first_id.data, form.second_id.data)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(done_message, "success")
    return redirect(url_for(".round_page", round_id=matchmaking_round.id)), 303


@bp.post("/rounds/<int:round_id>/accept")
def accept_pair(round_id: int):
    return _on_pair(
        round_id,
        network_rounds.accept_pair,
        _("The pair is accepted: its introduction is proposed."),
    )


@bp.post("/rounds/<int:round_id>/set-aside")
def dismiss_pair(round_id: int):
    return _on_pair(
        round_id,
        network_rounds.dismiss_pair,
        _("The pair is set aside: it is not suggested again in this round."),
    )


@bp.post("/rounds/<int:round_id>/close")
def close_round(round_id: int):
    matchmaking_round = _round_or_404(round_id)
    try:
        network_rounds.close_round(matchmaking_round, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(_("The round is closed. Its introductions can still move on."), "success")
    return redirect(url_for(".round_page", round_id=matchmaking_round.id)), 303


@bp.post("/rounds/<int:round_id>/reopen")
def reopen_round(round_id: int):
    matchmaking_round = _round_or_404(round_id)
    try:
        network_rounds.reopen_round(matchmaking_round, current_user)
    except RuleViolation as error:
        flash(str(error.message), "error")
    else:
        flash(_("The round is open again."), "success")
    return redirect(url_for(".round_page", round_id=matchmaking_round.id)), 303


@bp.get("/rounds/<int:round_id>/export.xlsx")
def export_round(round_id: int):
    matchmaking_round = _round_or_404(round_id)
    workbook = network_round_export.round_workbook(matchmaking_round, reader_language())
    file_name = network_round_export.file_name(matchmaking_round)
    return Response(
        workbook,
        mimetype=network_round_export.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


def _introduction_or_404(introduction_id: int):
    found = network_introductions.get_introduction(bounded_id_or_404(introduction_id))
    if found is None:
        abort(404)
    return found


@bp.route("/introductions/<int:introduction_id>", methods=["GET", "POST"])
def introduction(introduction_id: int):
    found = _introduction_or_404(introduction_id)
    form = StepForm(
        formdata=None if request.method == "GET" else request.form,
        data={"state": network_introductions.next_state(found.state)}
        if request.method == "GET"
        else None,
    )
    if form.validate_on_submit():
        try:
            network_introductions.record_step(found, current_user, form.draft())
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "state"), error.message)
        else:
            flash(_("The step is recorded."), "success")
            return redirect(url_for(".introduction", introduction_id=found.id)), 303
    status = 422 if request.method == "POST" else 200
    return render_template("matchmaking/introduction.html", introduction=found, form=form), status
