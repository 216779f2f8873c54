"""Board answer pages: open, workspace, edit, stances, chair actions, history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.models import BoardAnswer, BoardAnswerStatus, Stance
from forum.permissions import (
    can_chair,
    can_edit_board_answer,
    can_open_board_answer,
    can_see_board_index,
    can_see_board_workspace,
    can_see_question,
    can_take_stance,
)
from forum.services import board, board_index, board_reading, board_stances
from forum.services.board import EditConflict
from forum.services.diffs import diff_texts
from forum.services.errors import RuleViolation
from forum.web.access import requires
from forum.web.forms import ConfirmForm, attach_error
from forum.web.infra import rate_limits
from forum.web.lookups import question_url, visible_question_or_404
from forum.web.notifications.opening import render_marking_read
from forum.web.paging import requested_choice, requested_page

from .forms import BoardAnswerForm, ReasonForm, StanceForm

bp = Blueprint("board", __name__, url_prefix="/board")


@bp.app_template_global("board_quorum")
def board_quorum(board_answer: BoardAnswer, number: int | None = None):
    """Where a revision of a board answer stands against the quorum (by default the current
    one), from its loaded stances: for the lists that show the quorum in words."""
    return board_stances.quorum_state(board_answer, number)


def _workspace_or_error(board_answer_id: int) -> BoardAnswer:
    """The board answer for its workspace: 404 if its question is hidden, 403 for non-board users."""
    board_answer = board_reading.load_board_answer(current_user, board_answer_id)
    if board_answer is not None:
        return board_answer
    found = db.session.get(BoardAnswer, board_answer_id)
    if found is None or not can_see_question(current_user, found.question):
        abort(404)
    abort(403)


def _workspace_url(board_answer: BoardAnswer, **anchor) -> str:
    return url_for("board.workspace", board_answer_id=board_answer.id, **anchor)


def _render_workspace(
    board_answer: BoardAnswer,
    *,
    status: int = 200,
    stance_form=None,
    override_form=None,
    override_target=None,
    withdraw_form=None,
    refusal: str | None = None,
):
    my_stance = next(
        (
            stance
            for stance in board_answer.stances_on(board_answer.current_number)
            if stance.expert_id == current_user.id
        ),
        None,
    )
    if stance_form is None:
        stance_form = StanceForm(formdata=None, revision_number=board_answer.current_number)
    return render_template(
        "board/workspace.html",
        board_answer=board_answer,
        question=board_answer.question,
        question_url=question_url(board_answer.question),
        quorum=board_stances.quorum_state(board_answer),
        my_stance=my_stance,
        stance_form=stance_form,
        override_form=override_form or ReasonForm(formdata=None),
        override_target=override_target,
        withdraw_form=withdraw_form or ReasonForm(formdata=None),
        publish_blockers=board.publish_blockers(board_answer),
        confirm_form=ConfirmForm(),
        refusal=refusal,
    ), status


@bp.get("")
@requires(can_see_board_index)
def index():
    # An unknown ?state= lists every state rather than failing: it is only a filter.
    chosen = requested_choice(BoardAnswerStatus, "state")
    return render_template(
        "board/index.html",
        state=chosen,
        states=board_index.STATES,
        counts=board_index.counts_by_state(current_user),
        pagination=board_index.board_answers(current_user, chosen, page=requested_page()),
    )


@bp.route("/questions/<int:question_id>/new", methods=["GET", "POST"])
@login_required
@rate_limits.posting
def new(question_id: int):
    question = visible_question_or_404(question_id)
    if not can_open_board_answer(current_user, question):
        abort(403)
    form = BoardAnswerForm()
    if form.validate_on_submit():
        try:
            board_answer = board.open_board_answer(
                question,
                current_user,
                form.body.data,
                note=form.note.data or "",
                language=form.language.data,
            )
        except RuleViolation as error:
            attach_error(form.body, error.message)
        else:
            flash(
                _(
                    "The board answer is opened as a draft. Experts can now edit it; "
                    "submit it for review when it is ready."
                ),
                "success",
            )
            return redirect(_workspace_url(board_answer))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "board/new.html", form=form, question=question, question_url=question_url(question)
    ), status


@bp.get("/answers/<int:board_answer_id>")
@login_required
def workspace(board_answer_id: int):
    board_answer = _workspace_or_error(board_answer_id)
    # A request for a stance links here: the question's news is read once the board's is.
    return render_marking_read(
        lambda: _render_workspace(board_answer), question_id=board_answer.question_id
    )


@bp.route("/answers/<int:board_answer_id>/edit", methods=["GET", "POST"])
@login_required
@rate_limits.posting
def edit(board_answer_id: int):
    board_answer = _workspace_or_error(board_answer_id)
    if not can_edit_board_answer(current_user, board_answer):
        abort(403)
    if request.method == "GET":
        form = BoardAnswerForm(
            formdata=None,
            body=board_answer.body,
            base_number=board_answer.current_number,
            language=board_answer.language.value,
        )
    else:
        form = BoardAnswerForm()
    conflict = None
    if form.validate_on_submit():
        base_number = form.base_number.data or board_answer.current_number
        try:
            revision = board.revise(
                board_answer,
                current_user,
                form.body.data,
                base_number=base_number,
                note=form.note.data or "",
                language=form.language.data,
            )
        except EditConflict as error:
            conflict = error
            attach_error(form.body, error.message)
            # Saving again is a deliberate choice over the newer text. The hidden
            # field renders its submitted raw value, so that is replaced too.
            form.base_number.data = error.current.number
            form.base_number.raw_data = [str(error.current.number)]
        else:
            if revision is None:
                flash(_("Nothing changed: the text is the same as the current revision."), "info")
            else:
                flash(_("Revision %(number)d is saved.", number=revision.number), "success")
            return redirect(_workspace_url(board_answer))
    if conflict is not None:
        status = 409
    else:
        status = 422 if request.method == "POST" else 200
    return render_template(
        "board/edit.html",
        form=form,
        board_answer=board_answer,
        question=board_answer.question,
        conflict=conflict,
        conflict_diff=diff_texts(conflict.base.body if conflict.base else "", conflict.current.body)
        if conflict
        else None,
    ), status


@bp.post("/answers/<int:board_answer_id>/submit")
@login_required
@rate_limits.posting
def submit(board_answer_id: int):
    board_answer = _workspace_or_error(board_answer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        board.submit_for_review(board_answer, current_user)
    except RuleViolation as error:
        return _render_workspace(board_answer, status=409, refusal=error.message)
    flash(_("The draft is in review: the experts are asked for their stance."), "success")
    return redirect(_workspace_url(board_answer))


@bp.post("/answers/<int:board_answer_id>/stance")
@login_required
@rate_limits.posting
def stance(board_answer_id: int):
    board_answer = _workspace_or_error(board_answer_id)
    if not can_take_stance(current_user, board_answer):
        abort(403)
    form = StanceForm()
    if form.validate_on_submit():
        try:
            board_stances.record_stance(
                board_answer,
                current_user,
                form.kind.data,
                revision_number=form.revision_number.data,
                reason=form.reason.data or "",
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "kind"), error.message)
        else:
            flash(_("Your stance is recorded."), "success")
            return redirect(_workspace_url(board_answer, _anchor="stances"))
    board_answer = board_reading.load_board_answer(current_user, board_answer_id)
    return _render_workspace(board_answer, status=422, stance_form=form)


@bp.post("/stances/<int:stance_id>/override")
@login_required
@rate_limits.posting
def override(stance_id: int):
    found = db.session.get(Stance, stance_id)
    if found is None:
        abort(404)
    board_answer = _workspace_or_error(found.board_answer_id)
    if not can_chair(current_user, board_answer):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            board_stances.override_dissent(found, current_user, form.reason.data)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form.reason, error.message)
        else:
            flash(_("The dissent is overridden; your reason is recorded and published."), "success")
            return redirect(_workspace_url(board_answer, _anchor="stances"))
    board_answer = board_reading.load_board_answer(current_user, board_answer.id)
    return _render_workspace(
        board_answer, status=422, override_form=form, override_target=stance_id
    )


@bp.post("/answers/<int:board_answer_id>/publish")
@login_required
@rate_limits.posting
def publish(board_answer_id: int):
    board_answer = _workspace_or_error(board_answer_id)
    if not can_chair(current_user, board_answer):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        board.publish(board_answer, current_user)
    except RuleViolation as error:
        return _render_workspace(board_answer, status=409, refusal=error.message)
    flash(_("The board answer is published."), "success")
    return redirect(question_url(board_answer.question, _anchor="board-answer"))


@bp.post("/answers/<int:board_answer_id>/withdraw")
@login_required
@rate_limits.posting
def withdraw(board_answer_id: int):
    board_answer = _workspace_or_error(board_answer_id)
    if not can_chair(current_user, board_answer):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            board.withdraw(board_answer, current_user, form.reason.data)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form.reason, error.message)
        else:
            if board_answer.published_number is not None:
                flash(_("The board answer is withdrawn; readers see your reason."), "success")
            else:
                flash(_("The draft is withdrawn; the board sees your reason."), "success")
            return redirect(question_url(board_answer.question))
    return _render_workspace(board_answer, status=422, withdraw_form=form)


@bp.get("/answers/<int:board_answer_id>/revisions")
def history(board_answer_id: int):
    board_answer = board_reading.load_board_answer_history(current_user, board_answer_id)
    if board_answer is None:
        abort(404)
    revisions = board_reading.visible_revisions(current_user, board_answer)
    numbers = [revision.number for revision in revisions]
    # By default, what changed in the newest revision the viewer may read.
    to_number = request.args.get("to", type=int) or (numbers[-1] if numbers else None)
    from_number = request.args.get("from", type=int) or (
        to_number - 1 if to_number and to_number - 1 in numbers else to_number
    )
    comparison, refusal = [], None
    if numbers:
        try:
            comparison = board_reading.compare(revisions, from_number, to_number)
        except RuleViolation as error:
            refusal = error.message
    return render_template(
        "board/history.html",
        board_answer=board_answer,
        question=board_answer.question,
        question_url=question_url(board_answer.question),
        revisions=list(reversed(revisions)),
        from_number=from_number,
        to_number=to_number,
        comparison=comparison,
        refusal=refusal,
        is_board=can_see_board_workspace(current_user, board_answer.question),
    ), (400 if refusal else 200)
