"""Translating curated texts on the pages: the reader's language, the side-by-side editor.

The guide's sections and the FAQ's entries share the editor (``edit_page``) and
the history page; each blueprint supplies its service and its links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from forum.locales import NATIVE_NAMES
from forum.services import translations
from forum.services.errors import RuleViolation
from forum.services.translations import TranslationConflict
from forum.web.forms import MAX_BODY_LENGTH, RenderableMarkdown, attach_error, edit_note_field
from forum.web.markdown_preview import PreviewableForm

MAX_TITLE_LENGTH = 300  # the translation's column


def reader_language() -> str:
    """The language the reader's interface is in (``forum/locales.py``): their texts' language."""
    return str(get_locale().language)


def translation_language_or_404(language: str) -> str:
    if not translations.is_translation_language(language):
        abort(404)
    return language


class TranslationForm(PreviewableForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE_LENGTH)])
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "Markdown, as in the English. Keep the citations in brackets, such as "
            "[MDR Art. 70], and the addresses unchanged."
        ),
        validators=[Optional(), Length(max=MAX_BODY_LENGTH), RenderableMarkdown()],
        render_kw={"rows": 18},
    )
    note = edit_note_field()
    # The translation's revision the editor started from (0: none yet), and the English
    # revision they translated: the translation is current for that one.
    base_number = IntegerField(widget=HiddenInput(), validators=[NumberRange(min=0)])
    source_number = IntegerField(widget=HiddenInput(), validators=[NumberRange(min=1)])

    def mark_language(self, language: str) -> None:
        for field in (self.title, self.body):
            field.render_kw = {**(field.render_kw or {}), "lang": language}


@dataclass(frozen=True)
class EditorPage:
    """What differs between the guide's and the FAQ's editors."""

    heading: str
    title_label: str
    body_label: str
    back_url: str
    history_url: str
    # Saves the form's text (keyword arguments of the services' ``edit_translation``).
    save: Callable[..., object]
    done_url: str


def edit_page(editing, language: str, page: EditorPage):
    """The side-by-side editor: GET shows it, POST saves and redirects, or shows it again
    with the message beside the field (422) or both texts after a conflict (409)."""
    translation = editing.translation
    if request.method == "GET":
        form = TranslationForm(
            formdata=None,
            title=translation.title if translation else editing.source.title,
            body=translation.body if translation else editing.source.body,
            base_number=translation.current_number if translation else 0,
            source_number=editing.source.number,
        )
    else:
        form = TranslationForm()
    form.title.label.text, form.body.label.text = page.title_label, page.body_label
    form.mark_language(language)
    conflict = None
    if form.validate_on_submit():
        try:
            revision = page.save(
                title=form.title.data,
                body=form.body.data or "",
                note=form.note.data or "",
                source_number=form.source_number.data,
                base_number=form.base_number.data,
            )
        except TranslationConflict as error:
            conflict = error
            attach_error(form.body, error.message)
            number = error.current.current_number if error.current is not None else 0
            form.base_number.data, form.base_number.raw_data = number, [str(number)]
        except RuleViolation as error:
            attach_error(getattr(form, error.field or "body", form.body), error.message)
        else:
            if revision is None:
                flash(
                    _("Nothing changed: the translation is the same as its current revision."),
                    "info",
                )
            else:
                flash(
                    _("Revision %(number)d of the translation is saved.", number=revision.number),
                    "success",
                )
            return redirect(page.done_url)
    status = 409 if conflict else (422 if request.method == "POST" else 200)
    return render_template(
        "translations/edit.html",
        page=page,
        editing=editing,
        form=form,
        conflict=conflict,
        language=language,
        language_name=NATIVE_NAMES.get(language, language),
    ), status


def history_page(entries, language: str, *, heading: str, back_url: str, edit_url: str | None):
    return render_template(
        "translations/history.html",
        entries=entries,
        language=language,
        heading=heading,
        back_url=back_url,
        edit_url=edit_url,
    )
