"""Experts propose new text for a section of the guide; admins accept or decline it.

Proposing is for the board's experts (admins edit the guide directly); the
list shows an expert their own proposals and the admins everyone's; a
proposal's page is for its proposer and the admins. Visitors are sent to log
in, other signed-in people get 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.models import Answer, GuideSection, ProposalStatus
from forum.permissions import (
    can_curate,
    can_propose_guide_text,
    can_see_guide_proposals,
    can_see_question,
)
from forum.services import attachments
from forum.services.errors import RuleViolation
from forum.services.guide import proposals, translated, tree
from forum.services.translations import SOURCE_LANGUAGE
from forum.web import drawn_from
from forum.web.access import requires
from forum.web.forms import attach_error
from forum.web.guide.forms import DecisionForm, ProposalForm
from forum.web.infra.body_limit import accepts_uploads
from forum.web.lookups import question_url
from forum.web.notifications.opening import render_marking_read
from forum.web.translation_editing import translation_language_or_404

bp = Blueprint("guide_proposals", __name__, url_prefix="/guide")


@bp.route("/sections/<int:section_id>/propose", methods=["GET", "POST"])
@accepts_uploads
@requires(can_propose_guide_text)
def new(section_id: int):
    section = db.get_or_404(GuideSection, section_id)
    drawn = drawn_from.named_in_query()
    source, source_text = (drawn.subject, drawn.text) if drawn is not None else (None, None)
    # ?language=it: a translation of the section (the form then carries the language).
    language = request.values.get("language", SOURCE_LANGUAGE)
    if language != SOURCE_LANGUAGE:
        translation_language_or_404(language)
    current_title, current_body = translated.current_text(section, language)
    if request.method == "GET":
        form = ProposalForm(
            formdata=None,
            title=current_title,
            language=language,
            body=source_text if source is not None else current_body,
        )
    else:
        form = ProposalForm()
    if language != SOURCE_LANGUAGE:
        for field in (form.title, form.body):
            field.render_kw = {**(field.render_kw or {}), "lang": language}
    if form.validate_on_submit():
        try:
            proposal = proposals.propose(
                current_user,
                section,
                title=form.title.data,
                body=form.body.data or "",
                note=form.note.data or "",
                source=source,
                language=form.language.data,
                uploads=form.attachments.uploads,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "body", form.body), error.message)
        else:
            flash(
                _("Your proposal is sent to the admins; you will hear what they decide."), "success"
            )
            return redirect(url_for(".show", proposal_id=proposal.id))
    return render_template(
        "guide_proposals/new.html",
        form=form,
        section=section,
        source=source,
        language=language,
        current_title=current_title,
        current_body=current_body,
        source_text=source_text,
        source_url=_answer_url(source) if source is not None else None,
    ), 422 if request.method == "POST" else 200


@bp.get("/proposals/from-answer")
@requires(can_propose_guide_text)
def choose():
    """An expert drawing guide text from an answer first picks the section it goes into."""
    source = drawn_from.named_in_query_or_404().subject
    current = tree.load_current_guide(with_latest_release=False)
    if current is None:
        abort(404)
    argument = {"answer": source.id} if isinstance(source, Answer) else {"board_answer": source.id}
    return render_template(
        "guide_proposals/choose.html",
        guide=current,
        source=source,
        argument=argument,
        source_url=_answer_url(source),
    )


@bp.get("/proposals")
@requires(can_see_guide_proposals)
def index():
    curator = can_curate(current_user)
    status = request.args.get("status", "open")
    chosen = None if status == "all" or not curator else _status_or_404(status)
    return render_template(
        "guide_proposals/index.html",
        proposals=proposals.listing(current_user, chosen),
        curator=curator,
        status=status if curator else "all",
    )


@bp.get("/proposals/<int:proposal_id>")
@login_required
def show(proposal_id: int):
    proposal = _readable_or_403(proposal_id)
    return render_marking_read(
        lambda: _render_show(proposal, DecisionForm(formdata=None)), guide_proposal_id=proposal.id
    )


@bp.post("/proposals/<int:proposal_id>/accept")
@requires(can_curate)
def accept(proposal_id: int):
    return _decide(proposal_id, accepting=True)


@bp.post("/proposals/<int:proposal_id>/decline")
@requires(can_curate)
def decline(proposal_id: int):
    return _decide(proposal_id, accepting=False)


# --- helpers ---------------------------------------------------------------------------------


def _decide(proposal_id: int, *, accepting: bool):
    proposal = proposals.load(proposal_id)
    if proposal is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if accepting:
                revision = proposals.accept(proposal, current_user, form.note.data or "")
                flash(
                    _(
                        "Accepted: revision %(number)d of “%(title)s” credits %(name)s.",
                        number=revision.number,
                        title=revision.title,
                        name=proposal.proposer.display_name if proposal.proposer else "—",
                    ),
                    "success",
                )
                return redirect(url_for("guide.history", section_id=proposal.section_id))
            proposals.decline(proposal, current_user, form.note.data or "")
            flash(_("Declined; the expert is told, with your note."), "success")
            return redirect(url_for(".index"))
        except RuleViolation as error:
            attach_error(form.note, error.message)
    return _render_show(proposals.load(proposal_id), form), 422


def _render_show(proposal, form):
    return render_template(
        "guide_proposals/show.html",
        proposal=proposal,
        view=proposals.view(proposal),
        form=form,
        curator=can_curate(current_user),
        source_url=_source_url(proposal),
        files=attachments.of_owner(proposal),
    )


def _source_url(proposal) -> str | None:
    source = proposal.source_answer or proposal.source_board_answer
    if source is None or not can_see_question(current_user, source.question):
        return None
    return _answer_url(source)


def _answer_url(source) -> str:
    if isinstance(source, Answer):
        return question_url(source.question, _anchor=f"answer-{source.id}")
    return question_url(source.question, _anchor="board-answer")


def _readable_or_403(proposal_id: int):
    proposal = proposals.load(proposal_id)
    if proposal is None:
        abort(404)
    if not proposals.can_read(current_user, proposal):
        abort(403)
    return proposal


def _status_or_404(value: str) -> ProposalStatus:
    try:
        return ProposalStatus(value)
    except ValueError:
        abort(404)
