"""The FAQ: the public page, and its curation by the admins.

Curation pages answer visitors with the login page and everyone but admins
with 403. An entry's revision history is for admins only: an earlier revision
may hold the text that the anonymisation of a confidential source removed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from forum import calendar
from forum.extensions import db
from forum.models import FaqEntry, Topic
from forum.permissions import can_curate
from forum.services import (
    faq,
    faq_candidates,
    faq_reading,
    faq_sources,
    faq_translations,
    law_changes,
    questions,
)
from forum.services.errors import RuleViolation
from forum.services.translations import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES
from forum.web import drawn_from
from forum.web.access import requires
from forum.web.forms import MAX_ID, ConfirmForm, attach_error
from forum.web.infra.page_cache import cached_page
from forum.web.lookups import bounded_id_or_404, question_url
from forum.web.paging import requested_page
from forum.web.translation_editing import (
    EditorPage,
    edit_page,
    history_page,
    reader_language,
    translation_language_or_404,
)

from .forms import EditEntryForm, MoveForm, PromoteForm

bp = Blueprint("faq", __name__, url_prefix="/faq")


def _entry_or_404(entry_id: int) -> FaqEntry:
    entry = faq.load_entry(bounded_id_or_404(entry_id))
    if entry is None:
        abort(404)
    return entry


def _admin_url(entry: FaqEntry | None = None) -> str:
    return url_for(".admin", _anchor=f"entry-{entry.id}" if entry is not None else None)


def _chosen_topic(topic_counts) -> Topic | None:
    """The topic ``?topic=`` names (404 for a slug that is no topic), or None for all."""
    slug = request.args.get("topic")
    if not slug:
        return None
    for topic, _count in topic_counts:
        if topic.slug == slug:
            return topic
    # A topic whose entries were all unpublished since the link was made: shown empty.
    topic = faq.topic_by_slug(slug)
    if topic is None:
        abort(404)
    return topic


@bp.get("")
@cached_page(areas=("faq", "question_headers"))  # each entry's source discussion
def index():
    topic_counts = faq.published_topic_counts()
    chosen = _chosen_topic(topic_counts)
    # ?entry=<id> (the "In the FAQ" links, search, feeds, clause pages) opens that entry,
    # on the page that holds it, without script.
    opened_id = request.args.get("entry", type=int)
    place = None
    if opened_id is not None and 0 < opened_id <= MAX_ID:
        place = faq_reading.place_of_entry(opened_id, topic_counts)
    if place is not None and chosen is not None and chosen.id != place.topic_id:
        chosen = None  # a topic named beside an entry of another: the entry wins
    if chosen is not None:
        total = next((count for topic, count in topic_counts if topic.id == chosen.id), 0)
    else:
        total = sum(count for _topic, count in topic_counts)
    number = place.page(whole_faq=chosen is None) if place is not None else requested_page()
    shown_page = faq_reading.published_page(
        total, number, chosen.id if chosen is not None else None
    )
    # ?text=en: the English original under a translated interface (the notices link it).
    english = request.args.get("text") == SOURCE_LANGUAGE
    language = SOURCE_LANGUAGE if english else reader_language()
    keep = {"text": SOURCE_LANGUAGE} if english else {}
    return render_template(
        "faq/index.html",
        faq_page=shown_page,
        groups=shown_page.groups,
        topic_counts=topic_counts,
        total=sum(count for _topic, count in topic_counts),
        chosen_topic=chosen,
        opened_id=opened_id,
        keep=keep,
        # The page's own links (other pages of this list) keep its topic and language.
        page_args=dict(keep, topic=chosen.slug) if chosen is not None else keep,
        source_of=faq.source_of,
        clauses_of=faq_reading.cited_clauses,
        shown=faq_translations.shown_entries(
            (entry for group in shown_page.groups for entry in group.entries), language
        ),
        reading_original=english and reader_language() != SOURCE_LANGUAGE,
        law_notices=law_changes.open_notices("faq-entry"),
    )


@bp.get("/admin")
@requires(can_curate)
def admin():
    today = calendar.today()
    groups = faq.admin_list()
    return render_template(
        "faq/admin.html",
        groups=groups,
        due=faq.entries_due_for_review(today),
        today=today,
        source_of=faq.source_of,
        confirm_form=ConfirmForm(),
        law_due=law_changes.open_count(current_user),
        translation_language=TRANSLATION_LANGUAGES[0],
        translation_states=faq_translations.states(
            (entry for group in groups for entry in group.entries), TRANSLATION_LANGUAGES[0]
        ),
        law_notices=law_changes.open_notices("faq-entry"),
    )


# --- promoting ------------------------------------------------------------------------


@bp.route("/promote", methods=["GET", "POST"])
@requires(can_curate)
def promote():
    source = drawn_from.named_in_query_or_404()
    promoted = faq_sources.entry_drawn_from(source.answer, source.board_answer)
    if promoted is not None:
        # Offered once: a stale page or a second tab lands on the entry already made.
        return _already_in_faq(promoted.id)
    topics = questions.all_topics()
    if request.method == "POST":
        form = PromoteForm()
    else:
        first_topic = source.question.topics[0] if source.question.topics else topics[0]
        form = PromoteForm(
            data={
                "question_text": source.question.title,
                "answer_text": source.text,
                "topic": first_topic.id,
            }
        )
    form.set_topic_choices(topics)
    if form.validate_on_submit():
        topic = db.session.get(Topic, form.topic.data)
        arguments = dict(
            question_text=form.question_text.data, answer_text=form.answer_text.data, topic=topic
        )
        try:
            if source.answer is not None:
                entry = faq.promote_answer(current_user, source.answer, **arguments)
            else:
                entry = faq.promote_board_answer(current_user, source.board_answer, **arguments)
        except faq_sources.AlreadyInFaq as error:
            # The same promotion sent twice at once: the other request made the entry.
            db.session.rollback()
            return _already_in_faq(error.entry_id)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "answer_text"), error.message)
        else:
            flash(_("The answer is in the FAQ."), "success")
            return redirect(_admin_url(entry))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "faq/promote.html",
        form=form,
        source=source,
        question_url=question_url(source.question, _anchor=source.anchor),
    ), status


def _already_in_faq(entry_id: int | None):
    flash(_("This answer is already in the FAQ: here is its entry."), "error")
    return redirect(url_for(".admin", _anchor=f"entry-{entry_id}" if entry_id else None), code=303)


@bp.get("/candidates")
@requires(can_curate)
def candidates():
    pagination, page_candidates = faq_candidates.list_candidates(requested_page())
    return render_template(
        "faq/candidates.html",
        pagination=pagination,
        candidates=page_candidates,
        threshold=faq_candidates.HELPFUL_THRESHOLD,
    )


# --- curating ---------------------------------------------------------------------------


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@requires(can_curate)
def edit(entry_id: int):
    entry = _entry_or_404(entry_id)
    if request.method == "POST":
        form = EditEntryForm()
    else:
        form = EditEntryForm(
            data={
                "question_text": entry.question_text,
                "answer_text": entry.answer_text,
                "topic": entry.topic_id,
            }
        )
    form.set_topic_choices(questions.all_topics())
    if form.validate_on_submit():
        try:
            faq.edit_entry(
                entry,
                current_user,
                form.question_text.data,
                form.answer_text.data,
                db.session.get(Topic, form.topic.data),
                note=form.note.data or "",
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(getattr(form, error.field or "answer_text"), error.message)
        else:
            flash(_("The FAQ entry is saved."), "success")
            return redirect(_admin_url(entry))
    status = 422 if request.method == "POST" else 200
    return render_template("faq/edit.html", form=form, entry=entry), status


@bp.get("/entries/<int:entry_id>/history")
@requires(can_curate)
def history(entry_id: int):
    entry = _entry_or_404(entry_id)
    return render_template("faq/history.html", entry=entry, entries=faq.history_with_diffs(entry))


@bp.post("/entries/<int:entry_id>/reviewed")
@requires(can_curate)
def reviewed(entry_id: int):
    entry = _confirmed_entry(entry_id)
    faq.mark_reviewed(entry, current_user)
    flash(
        _(
            "Marked as reviewed today; the next review is due on %(date)s.",
            date=format_date(entry.review_due_on, "medium"),
        ),
        "success",
    )
    return redirect(_admin_url(entry))


@bp.post("/entries/<int:entry_id>/move")
@requires(can_curate)
def move(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    return _act(entry, lambda: faq.move(entry, current_user, form.direction.data), None)


@bp.post("/entries/<int:entry_id>/unpublish")
@requires(can_curate)
def unpublish(entry_id: int):
    entry = _confirmed_entry(entry_id)
    return _act(
        entry,
        lambda: faq.unpublish(entry, current_user),
        _("The entry is no longer on the FAQ page; it is kept here with its history."),
    )


@bp.post("/entries/<int:entry_id>/republish")
@requires(can_curate)
def republish(entry_id: int):
    entry = _confirmed_entry(entry_id)
    return _act(
        entry, lambda: faq.republish(entry, current_user), _("The entry is on the FAQ page again.")
    )


def _confirmed_entry(entry_id: int) -> FaqEntry:
    entry = _entry_or_404(entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return entry


def _act(entry: FaqEntry, action, success: str | None):
    try:
        action()
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        if success:
            flash(success, "success")
    return redirect(_admin_url(entry))


# --- translating --------------------------------------------------------------------------


@bp.route("/entries/<int:entry_id>/translations/<language>", methods=["GET", "POST"])
@requires(can_curate)
def translate(entry_id: int, language: str):
    translation_language_or_404(language)
    entry = _entry_or_404(entry_id)
    page = EditorPage(
        heading=_("Translate the FAQ entry"),
        title_label=_("Question"),
        body_label=_("Answer"),
        back_url=_admin_url(entry),
        history_url=url_for(".translation_history", entry_id=entry.id, language=language),
        save=lambda **text: faq_translations.edit_translation(
            entry, current_user, language, **text
        ),
        done_url=_admin_url(entry),
    )
    return edit_page(faq_translations.editing(entry, language), language, page)


@bp.get("/entries/<int:entry_id>/translations/<language>/history")
@requires(can_curate)
def translation_history(entry_id: int, language: str):
    # Admins only, as the entry's own history: an early text may name what was anonymised.
    translation_language_or_404(language)
    entry = _entry_or_404(entry_id)
    return history_page(
        faq_translations.history(entry.id, language),
        language,
        heading=_("History of the FAQ entry's translation"),
        back_url=_admin_url(entry),
        edit_url=url_for(".translate", entry_id=entry.id, language=language),
    )
