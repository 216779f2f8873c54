"""The guide's translations: the admins' overview and side-by-side editor, each
translation's history (public, as the sections' histories are), and the
releases' downloads in each language."""

from __future__ import annotations

import os

from flask import Response, abort, current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.locales import NATIVE_NAMES
from forum.models import GuideSection
from forum.permissions import can_curate
from forum.services.guide import publishing, translated, tree
from forum.web.access import requires
from forum.web.translation_editing import (
    EditorPage,
    edit_page,
    history_page,
    translation_language_or_404,
)

from .release_routes import release_markdown_response, visible_release_or_404
from .routes import bp, section_url


def _section_name(section: GuideSection) -> str:
    return (
        _("the title and introduction") if section.level == tree.DOCUMENT_LEVEL else section.title
    )


@bp.get("/translations/<language>")
@requires(can_curate)
def translations(language: str):
    translation_language_or_404(language)
    current = tree.load_current_guide(with_latest_release=False)
    shown = translated.shown_guide(current, language) if current else None
    return render_template(
        "guide/translations.html",
        shown=shown,
        language=language,
        language_name=NATIVE_NAMES.get(language, language),
    )


@bp.route("/sections/<int:section_id>/translations/<language>", methods=["GET", "POST"])
@requires(can_curate)
def translate(section_id: int, language: str):
    translation_language_or_404(language)
    section = db.get_or_404(GuideSection, section_id)
    editing = translated.editing(section, language)
    page = EditorPage(
        heading=_("Translate “%(title)s”", title=_section_name(section)),
        title_label=_("Title"),
        body_label=_("Text"),
        back_url=url_for(".translations", language=language, _anchor=f"section-{section.id}"),
        history_url=url_for(".translation_history", section_id=section.id, language=language),
        save=lambda **text: translated.edit_translation(section, current_user, language, **text),
        done_url=section_url(section),
    )
    return edit_page(editing, language, page)


@bp.get("/sections/<int:section_id>/translations/<language>/history")
def translation_history(section_id: int, language: str):
    translation_language_or_404(language)
    section = db.get_or_404(GuideSection, section_id)
    return history_page(
        translated.history(section.id, language),
        language,
        heading=_("History of the translation of “%(title)s”", title=_section_name(section)),
        back_url=section_url(section),
        edit_url=(
            url_for(".translate", section_id=section.id, language=language)
            if can_curate(current_user)
            else None
        ),
    )


@bp.get("/releases/<version>/<language>.md")
def release_translation_markdown(version: str, language: str):
    translation_language_or_404(language)
    found = visible_release_or_404(version)
    text = translated.release_markdown(found, language)
    if text is None:  # released before translations were frozen with the guide
        abort(404)
    return release_markdown_response(found, text=text, language=language)


@bp.get("/releases/<version>/<language>.pdf")
def release_translation_pdf(version: str, language: str):
    translation_language_or_404(language)
    found = visible_release_or_404(version)
    if translated.release_markdown(found, language) is None:
        abort(404)
    stylesheet = os.path.join(current_app.static_folder, "css", "forum.css")
    with force_locale(language):  # the page's own words in the text's language too
        pdf = publishing.release_pdf(found, stylesheet, language)
    response = Response(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="requirements-guide-{found.version}.{language}.pdf"'
    )
    return response
