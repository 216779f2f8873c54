"""The requirements guide: the current text, section histories, releases, and its curation.

Reading is open to everyone; curating (editing, adding, reviewing, proposing
from an answer) is for admins: visitors are sent to log in and everyone else
gets 403. Releases have their views in ``release_routes``, experts' proposals
theirs in ``forum.web.guide_proposals``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.models import BoardAnswer, GuideSection
from forum.permissions import can_curate, can_propose_guide_text
from forum.services.diffs import diff_texts
from forum.services.errors import RuleViolation
from forum.services.guide import changes, editing, translated, tree, versions
from forum.services.guide.editing import GuideEditConflict
from forum.services.guide.history import (  # by name: ``history`` is a view here
    revision_text,
    section_history,
)
from forum.services.guide.tree import CurrentGuide
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES
from forum.web import drawn_from
from forum.web.access import requires
from forum.web.forms import ConfirmForm, attach_error
from forum.web.guide.reading import rendered_document
from forum.web.infra.page_cache import cached_page
from forum.web.lookups import question_url
from forum.web.translation_editing import reader_language

from .forms import (
    NewSectionForm,
    SectionForm,
    default_placement,
    placement_choices,
    resolve_placement,
)

bp = Blueprint("guide", __name__, url_prefix="/guide")


def section_url(section: GuideSection) -> str:
    if section.level == tree.DOCUMENT_LEVEL:
        return url_for(".index")
    return url_for(".index", _anchor=section.anchor)


def _current_guide_or_redirect() -> CurrentGuide | Response:
    current = tree.load_current_guide(with_latest_release=False)
    if current is None:
        flash(_("There is no guide yet: load it with “flask --app forum guide import”."), "error")
        return redirect(url_for(".index"))
    return current


# --- reading --------------------------------------------------------------------


@bp.get("")
@cached_page(areas=("guide",))
def index():
    current = tree.load_current_guide()
    curator = can_curate(current_user)
    # ?text=en: the English original under a translated interface (the notices link it).
    english = request.args.get("text") == SOURCE_LANGUAGE
    language = SOURCE_LANGUAGE if english else reader_language()
    document = translated.shown_guide(current, language) if current else None
    translation_language = (
        reader_language()
        if reader_language() in TRANSLATION_LANGUAGES
        else (TRANSLATION_LANGUAGES[0] if curator else None)
    )
    proposer = can_propose_guide_text(current_user)
    # Only curators get the forms (and with them a CSRF token in the session).
    return render_template(
        "guide/index.html",
        guide=current,
        document=document,
        reading=rendered_document(
            current,
            document,
            proposer=proposer,
            curator=curator,
            translation_language=translation_language,
        )
        if current
        else None,
        reading_original=english and reader_language() != SOURCE_LANGUAGE,
        translation_language=translation_language,
        curator=curator,
        confirm_form=ConfirmForm() if curator else None,
        proposer=proposer,
    )


@bp.get("/sections/<int:section_id>/history")
def history(section_id: int):
    found = section_history(current_user, section_id)
    if found is None:
        abort(404)
    return render_template(
        "guide/history.html",
        history=found,
        section_url=section_url(found.section),
        curator=can_curate(current_user),
    )


@bp.get("/compare")
def compare():
    all_releases = versions.releases()
    numbers = [item.version for item in all_releases]
    old_version = request.args.get("from") or (numbers[1] if len(numbers) > 1 else None)
    new_version = request.args.get("to") or (numbers[0] if numbers else None)
    comparison, errors, status = None, {}, 200
    if old_version and new_version:
        try:
            comparison = changes.compare_releases(
                old_version, new_version, document_of=translated.document_reader(reader_language())
            )
        except RuleViolation as error:
            errors[error.field] = error.message
            status = 404
    return render_template(
        "guide/compare.html",
        versions=numbers,
        old_version=old_version,
        new_version=new_version,
        comparison=comparison,
        errors=errors,
    ), status


@bp.get("/changelog")
def changelog():
    return render_template(
        "guide/changelog.html",
        entries=changes.changelog(document_of=translated.document_reader(reader_language())),
    )


# --- curating ---------------------------------------------------------------------


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@requires(can_curate)
def edit(section_id: int):
    section = db.get_or_404(GuideSection, section_id)
    if request.method == "GET":
        form = SectionForm(
            formdata=None,
            title=section.title,
            body=section.body,
            base_number=section.current_number,
        )
    else:
        form = SectionForm()
    conflict = None
    if form.validate_on_submit():
        try:
            revision = editing.edit_section(
                section,
                current_user,
                title=form.title.data,
                body=form.body.data or "",
                note=form.note.data or "",
                base_number=form.base_number.data or section.current_number,
            )
        except GuideEditConflict as error:
            conflict = _keep_for_conflict(form, error)
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "body", form.body), error.message)
        else:
            if revision is None:
                flash(_("Nothing changed: the text is the same as the current revision."), "info")
            else:
                flash(
                    _("Revision %(number)d of the section is saved.", number=revision.number),
                    "success",
                )
            return redirect(section_url(section))
    return _render_editor("guide/edit.html", form, conflict, section=section)


@bp.route("/sections/new", methods=["GET", "POST"])
@requires(can_curate)
def new():
    current = _current_guide_or_redirect()
    if isinstance(current, Response):
        return current
    form = NewSectionForm()
    form.set_placements(current)
    if request.method == "GET":
        form.placement.data = _requested_placement(current)
    if form.validate_on_submit():
        placement = resolve_placement(current, form.placement.data)
        if placement is None:
            attach_error(form.placement, _("Choose where the new section goes."))
        else:
            parent, after = placement
            try:
                section = editing.add_section(
                    parent,
                    after,
                    current_user,
                    title=form.title.data,
                    body=form.body.data or "",
                    note=form.note.data or "",
                )
            except RuleViolation as error:
                attach_error(getattr(form, error.field or "body", form.body), error.message)
            else:
                flash(_("The section “%(title)s” is added.", title=section.title), "success")
                return redirect(section_url(section))
    return _render_editor("guide/new.html", form, None)


@bp.post("/sections/<int:section_id>/reviewed")
@requires(can_curate)
def reviewed(section_id: int):
    section = db.get_or_404(GuideSection, section_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    editing.mark_reviewed(section, current_user)
    flash(_("“%(title)s” is marked as reviewed today.", title=section.title), "success")
    return redirect(section_url(section))


@bp.route("/propose", methods=["GET", "POST"])
@requires(can_curate)
def propose():
    drawn = drawn_from.named_in_query_or_404()
    source, question, source_text = drawn.subject, drawn.question, drawn.text
    current = _current_guide_or_redirect()
    if isinstance(current, Response):
        return current
    section = _proposal_target_or_404(current)
    if section is not None:
        if request.method == "GET":
            form = SectionForm(
                formdata=None,
                title=section.title,
                body=section.body,
                base_number=section.current_number,
            )
        else:
            form = SectionForm()
    else:
        form = NewSectionForm()
        form.set_placements(current)
        if request.method == "GET":
            form.placement.data = default_placement(current)
            form.body.data = source_text
    conflict = None
    if form.validate_on_submit():
        if section is None:
            placement = resolve_placement(current, form.placement.data)
            if placement is None:
                attach_error(form.placement, _("Choose where the new section goes."))
                return _render_propose(form, None, current, source, question, source_text)
            target = {"parent": placement[0], "after": placement[1]}
        else:
            target = {
                "section": section,
                "base_number": form.base_number.data or section.current_number,
            }
        try:
            revision = editing.propose_from_answer(
                current_user,
                source,
                title=form.title.data,
                body=form.body.data or "",
                note=form.note.data or "",
                **target,
            )
        except GuideEditConflict as error:
            conflict = _keep_for_conflict(form, error)
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "body", form.body), error.message)
        else:
            flash(
                _(
                    "Revision %(number)d of “%(title)s” is saved, drawn from the answer.",
                    number=revision.number,
                    title=revision.title,
                ),
                "success",
            )
            return redirect(url_for(".history", section_id=revision.section_id))
    return _render_propose(form, conflict, current, source, question, source_text, section)


# --- helpers ------------------------------------------------------------------------


def _requested_placement(current: CurrentGuide) -> str:
    """The place asked for in the link (?after=<id> or ?parent=<id>), else the end."""
    keys = {key for key, _label in placement_choices(current)}
    for argument, prefix in (("after", "after"), ("parent", "start")):
        value = request.args.get(argument, type=int)
        if value is not None and f"{prefix}-{value}" in keys:
            return f"{prefix}-{value}"
    return default_placement(current)


def _keep_for_conflict(form, error: GuideEditConflict) -> GuideEditConflict:
    attach_error(form.body, error.message)
    # Saving again is a deliberate choice over the newer text. The hidden
    # field renders its submitted raw value, so that is replaced too.
    form.base_number.data = error.current.number
    form.base_number.raw_data = [str(error.current.number)]
    return error


def _conflict_diff(conflict: GuideEditConflict | None):
    if conflict is None:
        return None
    before = revision_text(conflict.base) if conflict.base else ""
    return diff_texts(before, revision_text(conflict.current))


def _status(conflict) -> int:
    if conflict is not None:
        return 409
    return 422 if request.method == "POST" else 200


def _render_editor(template: str, form, conflict, **context):
    return render_template(
        template, form=form, conflict=conflict, conflict_diff=_conflict_diff(conflict), **context
    ), _status(conflict)


def _proposal_target_or_404(current: CurrentGuide) -> GuideSection | None:
    """The section chosen (?section=<id>), or None for a new section."""
    value = request.args.get("section") or "new"
    if value == "new":
        return None
    sections = {node.section.id: node.section for node in current.walk()}
    sections[current.root.id] = current.root
    if not value.isdigit() or int(value) not in sections:
        abort(404)
    return sections[int(value)]


def _render_propose(form, conflict, current, source, question, source_text, section=None):
    return render_template(
        "guide/propose.html",
        form=form,
        conflict=conflict,
        conflict_diff=_conflict_diff(conflict),
        guide=current,
        section=section,
        source=source,
        is_board_answer=isinstance(source, BoardAnswer),
        question=question,
        question_url=question_url(question),
        source_text=source_text,
    ), _status(conflict)
