"""Question pages: list, ask, read, edit, answer, comment, accept, helpful, history."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.extensions import db
from forum.models import Answer, DevelopmentStage, DeviceClass, QuestionStatus
from forum.permissions import (
    can_answer,
    can_comment,
    can_edit_answer,
    can_edit_question,
    can_see_question,
    can_see_text,
)
from forum.services import (
    answers,
    attachments,
    faq_sources,
    law_changes,
    projects,
    questions,
    revisions,
)
from forum.services.errors import RuleViolation
from forum.services.questions import QuestionDraft, QuestionFilters, QuestionSort
from forum.web.attachments.forms import set_removal_choices
from forum.web.forms import ConfirmForm, attach_error
from forum.web.infra import rate_limits
from forum.web.infra.body_limit import accepts_uploads
from forum.web.infra.page_cache import cached_page
from forum.web.lookups import question_url, visible_question_or_404
from forum.web.notifications.opening import render_marking_read
from forum.web.paging import requested_choice, requested_page
from forum.web.questions.forms import (
    AnswerForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    QuestionForm,
)

bp = Blueprint("questions", __name__, url_prefix="/questions")


def _draft_from(form: QuestionForm) -> QuestionDraft:
    return QuestionDraft(
        title=form.title.data,
        body=form.body.data,
        topic_ids=form.topics.data,
        device_class=form.device_class.data,
        stage=form.stage.data,
        visibility=form.visibility.data,
        project_id=form.project.data,
        language=form.language.data,
    )


def _visible_answer_or_404(answer_id: int) -> Answer:
    answer = db.session.get(Answer, answer_id)
    if (
        answer is None
        or not can_see_text(current_user, answer)
        or not can_see_question(current_user, answer.question)
    ):
        abort(404)
    return answer


# The list's orders as the sort menu names them; the first is the default.
SORT_LABELS = {
    QuestionSort.NEWEST: _l("Newest"),
    QuestionSort.ACTIVE: _l("Recently active"),
    QuestionSort.UNANSWERED: _l("Unanswered first"),
}


@bp.get("")
@cached_page(areas=("questions",))
def index():
    filters = QuestionFilters(
        topic_slug=request.args.get("topic") or None,
        status=requested_choice(QuestionStatus, "status"),
        unanswered=request.args.get("unanswered") == "1",
        mine=request.args.get("mine") == "1" and current_user.is_authenticated,
        device_class=requested_choice(DeviceClass, "device_class"),
        stage=requested_choice(DevelopmentStage, "stage"),
        sort=requested_choice(QuestionSort, "sort", QuestionSort.NEWEST),
    )
    page = requested_page()
    pagination = questions.question_list_page(
        current_user, filters, page=page, per_page=current_app.config["QUESTIONS_PER_PAGE"]
    )
    return render_template(
        "questions/index.html",
        pagination=pagination,
        filters=filters,
        topics=questions.all_topics(),
        statuses=list(QuestionStatus),
        device_classes=list(DeviceClass),
        stages=list(DevelopmentStage),
        sorts=SORT_LABELS,
    )


@bp.route("/ask", methods=["GET", "POST"])
@accepts_uploads
@login_required
@rate_limits.posting
def ask():
    form = QuestionForm()
    form.set_topic_choices(questions.all_topics())
    form.set_project_choices(projects.projects_of_organisation(current_user.organisation_id))
    if form.validate_on_submit():
        try:
            question = questions.ask(
                current_user, _draft_from(form), uploads=form.attachments.uploads
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "title"), error.message)
        else:
            if question.is_hidden:
                flash(
                    _(
                        "Your question is posted and waits for a moderator's approval: "
                        "until then only you and the moderators see it."
                    ),
                    "info",
                )
            else:
                flash(_("Your question is posted."), "success")
            return redirect(question_url(question))
    status = 422 if request.method == "POST" else 200
    return render_template("questions/ask.html", form=form), status


def _render_question_page(
    question_id: int, *, answer_form=None, comment_form=None, comment_target=None, status: int = 200
):
    page = questions.load_question_page(current_user, question_id)
    if page is None:
        abort(404)
    question = page.question
    signed_in = current_user.is_authenticated
    return render_marking_read(
        lambda: render_template(
            "questions/show.html",
            question=question,
            helpful_ids=page.helpful_answer_ids,
            # Forms put a CSRF token in the session: a visitor gets none, so the page
            # sets no cookie and can be served from the page cache.
            answer_form=answer_form or (AnswerForm(formdata=None) if signed_in else None),
            comment_form=comment_form,
            comment_target=comment_target,
            confirm_form=ConfirmForm() if signed_in else None,
            canonical_url=question_url(question),
            # One query: the changes of the law its answers are being reviewed for.
            law_notices=law_changes.question_notices(question.id),
            # One query: the FAQ entries drawn from its answers ("In the FAQ", promote once).
            faq_marks=faq_sources.promoted_from_question(question),
            files=page.files,
        ),
        question_id=question.id,
    ), status


@bp.get("/<int:question_id>")
@bp.get("/<int:question_id>/<slug>")
# One thread's page: kept under its own thread's generation; its FAQ marks, its referrals.
@cached_page(areas=("faq", "clinics"), thread="question_id")
def show(question_id: int, slug: str | None = None):
    return _render_question_page(question_id)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@accepts_uploads
@login_required
@rate_limits.posting
def edit(question_id: int):
    question = visible_question_or_404(question_id)
    if not can_edit_question(current_user, question):
        abort(403)
    form = EditQuestionForm(obj=question if request.method == "GET" else None)
    set_removal_choices(form.remove_attachments, attachments.of_owner(question))
    form.set_topic_choices(questions.all_topics())
    form.set_project_choices(projects.choices_for_question(question))
    if request.method == "GET":
        form.topics.data = [topic.id for topic in question.topics]
        form.project.data = question.project_id
    if form.validate_on_submit():
        try:
            questions.edit(
                question,
                current_user,
                _draft_from(form),
                note=form.note.data or "",
                uploads=form.attachments.uploads,
                removed_ids=form.remove_attachments.data or (),
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "title"), error.message)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(question_url(question))
    status = 422 if request.method == "POST" else 200
    return render_template("questions/edit.html", form=form, question=question), status


@bp.get("/<int:question_id>/revisions")
def question_history(question_id: int):
    question = visible_question_or_404(question_id)
    return _render_history(question, question)


@bp.get("/answers/<int:answer_id>/revisions")
def answer_history(answer_id: int):
    answer = _visible_answer_or_404(answer_id)
    return _render_history(answer, answer.question)


def _render_history(subject, question):
    return render_template(
        "questions/history.html",
        subject=subject,
        question=question,
        entries=revisions.history_with_diffs(subject),
        is_answer=isinstance(subject, Answer),
        question_url=question_url(question),
    )


def _refuse_locked(question):
    """A form sent to a locked question (from a page opened before the lock): the
    page again, with the lock's message; nothing is posted."""
    try:
        answers.refuse_if_locked(question)
    except RuleViolation as error:
        flash(error.message, "error")
    return redirect(question_url(question), code=303)


@bp.post("/<int:question_id>/answers")
@accepts_uploads
@login_required
@rate_limits.posting
def post_answer(question_id: int):
    question = visible_question_or_404(question_id)
    if question.is_locked:
        return _refuse_locked(question)
    if not can_answer(current_user, question):
        abort(403)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            answer = answers.post_answer(
                question,
                current_user,
                form.body.data,
                language=form.language.data,
                uploads=form.attachments.uploads,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "body"), error.message)
        else:
            flash(_("Your answer is posted."), "success")
            return redirect(question_url(question, _anchor=f"answer-{answer.id}"))
    return _render_question_page(question_id, answer_form=form, status=422)


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@accepts_uploads
@login_required
@rate_limits.posting
def edit_answer(answer_id: int):
    answer = _visible_answer_or_404(answer_id)
    if not can_edit_answer(current_user, answer):
        abort(403)
    form = EditAnswerForm(obj=answer if request.method == "GET" else None)
    set_removal_choices(form.remove_attachments, attachments.of_owner(answer))
    if request.method == "GET":
        form.note.data = ""
    if form.validate_on_submit():
        try:
            answers.edit_answer(
                answer,
                current_user,
                form.body.data,
                note=form.note.data or "",
                language=form.language.data,
                uploads=form.attachments.uploads,
                removed_ids=form.remove_attachments.data or (),
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "body"), error.message)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(question_url(answer.question, _anchor=f"answer-{answer.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template("questions/edit_answer.html", form=form, answer=answer), status


@bp.post("/<int:question_id>/comments")
@login_required
@rate_limits.posting
def post_comment(question_id: int):
    question = visible_question_or_404(question_id)
    if question.is_locked:
        return _refuse_locked(question)
    if not can_comment(current_user, question):
        abort(403)
    form = CommentForm()
    target = None
    if form.answer_id.data:
        if not form.answer_id.data.isdigit():
            abort(400)
        target = db.session.get(Answer, int(form.answer_id.data))
        if (
            target is None
            or target.question_id != question.id
            or not can_see_text(current_user, target)
        ):
            abort(404)
    if form.validate_on_submit():
        try:
            comment = answers.post_comment(
                question, current_user, form.body.data, answer=target, language=form.language.data
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form.body, error.message)
        else:
            if comment.is_hidden:
                flash(
                    _(
                        "Your comment is posted and waits for a moderator's approval: "
                        "until then only you and the moderators see it."
                    ),
                    "info",
                )
            else:
                flash(_("Your comment is posted."), "success")
            return redirect(question_url(question, _anchor=f"comment-{comment.id}"))
    return _render_question_page(
        question_id,
        comment_form=form,
        comment_target=target.id if target else "question",
        status=422,
    )


@bp.post("/<int:question_id>/accept/<int:answer_id>")
@login_required
@rate_limits.posting
def accept(question_id: int, answer_id: int):
    question = visible_question_or_404(question_id)
    answer = _visible_answer_or_404(answer_id)
    try:
        answers.accept_answer(question, answer, current_user)
    except RuleViolation:
        abort(404)
    flash(_("You accepted this answer. The question is closed."), "success")
    return redirect(question_url(question, _anchor=f"answer-{answer.id}"))


@bp.post("/<int:question_id>/unaccept")
@login_required
@rate_limits.posting
def unaccept(question_id: int):
    question = visible_question_or_404(question_id)
    answers.unaccept_answer(question, current_user)
    flash(_("The question is open to further answers again."), "info")
    return redirect(question_url(question))


@bp.post("/answers/<int:answer_id>/helpful")
@login_required
@rate_limits.posting
def helpful(answer_id: int):
    answer = _visible_answer_or_404(answer_id)
    helpful = request.form.get("helpful") == "1"
    changed = answers.set_helpful(answer, current_user, helpful=helpful)
    if not changed:  # a second click, or a page older than the click that changed it
        flash(
            _("You had already marked this answer as helpful.")
            if helpful
            else _("Your helpful mark had already been taken back."),
            "info",
        )
    return redirect(question_url(answer.question, _anchor=f"answer-{answer.id}"))
