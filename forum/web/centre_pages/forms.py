"""Editing a centre page, and accepting the privacy notice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from forum.services.centre_pages import MAX_BODY_LENGTH, MAX_NOTE_LENGTH, MAX_TITLE_LENGTH
from forum.web.forms import RenderableMarkdown
from forum.web.markdown_preview import PreviewableForm


class PageForm(PreviewableForm):
    # Lengths are checked by the service, whose messages name the limit; these bounds
    # only stop absurd bodies early.
    title_en = StringField(_l("Title in English"), validators=[Length(max=MAX_TITLE_LENGTH * 2)])
    body_en = TextAreaField(
        _l("Text in English (Markdown)"),
        description=_l("Headings start with ###; links as [text](https://...)."),
        validators=[Length(max=MAX_BODY_LENGTH * 2), RenderableMarkdown()],
        render_kw={"rows": 18},
    )
    title_it = StringField(_l("Title in Italian"), validators=[Length(max=MAX_TITLE_LENGTH * 2)])
    body_it = TextAreaField(
        _l("Text in Italian (Markdown)"),
        description=_l(
            "Leave both Italian fields empty while the translation is not "
            "written: Italian readers then get the English text, with a notice."
        ),
        validators=[Length(max=MAX_BODY_LENGTH * 2), RenderableMarkdown()],
        render_kw={"rows": 18},
    )
    italian_checked = BooleanField(
        _l("The Italian says what the English says"),
        description=_l(
            "Tick after checking an Italian text marked outdated that needs no "
            "change: the mark goes. Editing the Italian clears it too."
        ),
    )
    note = StringField(
        _l("What changed (shown in the history)"), validators=[Length(max=MAX_NOTE_LENGTH * 2)]
    )
    new_privacy_version = BooleanField(
        _l(
            "This is a new version of the privacy notice: everyone accepts it again at "
            "their next login"
        ),
        description=_l(
            "Leave unticked for corrections that change nothing for the "
            "people it concerns (a typo, a translation, a clearer sentence)."
        ),
    )
    base_number = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class AcceptPrivacyForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
