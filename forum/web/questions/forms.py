"""Forms for asking, answering, commenting and editing."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from forum.content_language import topic_name
from forum.labels import device_class_choices, stage_choices, visibility_choices
from forum.models import DevelopmentStage, DeviceClass, Visibility
from forum.services.answers import (
    ANSWER_MAX_LENGTH,
    ANSWER_MIN_LENGTH,
    COMMENT_MAX_LENGTH,
    COMMENT_MIN_LENGTH,
)
from forum.services.questions import (
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
)
from forum.web.attachments.forms import AttachmentsField, removal_field
from forum.web.forms import (
    CheckboxListField,
    RenderableMarkdown,
    edit_note_field,
    project_field,
    set_project_choices,
    written_language_field,
)
from forum.web.markdown_preview import PreviewableForm


def _choose_first(choices: list) -> list:
    return [("", _("Choose…")), *choices]


def _or_none(enumeration):
    """The chosen member, or None for the "Choose…" prompt (DataRequired then asks)."""
    return lambda value: enumeration(value) if value not in (None, "", "None") else None


class QuestionForm(PreviewableForm):
    title = StringField(
        _l("Title"),
        description=_l("One sentence: what do you need to know?"),
        validators=[DataRequired(), Length(min=TITLE_MIN_LENGTH, max=TITLE_MAX_LENGTH)],
    )
    body = TextAreaField(
        _l("Your question"),
        description=_l(
            "Describe the device, its stage and what you have tried. Markdown is allowed."
        ),
        validators=[
            DataRequired(),
            Length(min=BODY_MIN_LENGTH, max=BODY_MAX_LENGTH),
            RenderableMarkdown(),
        ],
    )
    topics = CheckboxListField(
        _l("Topics"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one topic."))],
    )
    # Both start on "Choose…", so an asker who skips them is asked, rather than sending
    # the first class and stage of the list as their device's.
    device_class = SelectField(
        _l("Device class"),
        choices=lambda: _choose_first(device_class_choices()),
        coerce=_or_none(DeviceClass),
        validators=[DataRequired(message=_l("Choose the device's class."))],
    )
    stage = SelectField(
        _l("Development stage"),
        choices=lambda: _choose_first(stage_choices()),
        coerce=_or_none(DevelopmentStage),
        validators=[DataRequired(message=_l("Choose the device's stage of development."))],
    )
    visibility = RadioField(
        _l("Visibility"),
        choices=visibility_choices,
        coerce=Visibility,
        default=Visibility.PUBLIC.value,
        validators=[DataRequired()],
    )
    project = project_field(
        _l(
            "If the question is for one of your organisation's funded "
            "projects: the project's page lists it for its team and "
            "the board."
        )
    )
    language = written_language_field()
    attachments = AttachmentsField()

    def set_topic_choices(self, topics) -> None:
        self.topics.choices = [(topic.id, topic_name(topic).text) for topic in topics]

    def set_project_choices(self, projects) -> None:
        set_project_choices(self.project, projects)


class EditQuestionForm(QuestionForm):
    remove_attachments = removal_field()
    note = edit_note_field()


class AnswerForm(PreviewableForm):
    body = TextAreaField(
        _l("Your answer"),
        description=_l(
            "Cite the rule that applies (for example MDR Art. 70). Markdown is allowed."
        ),
        validators=[
            DataRequired(),
            Length(min=ANSWER_MIN_LENGTH, max=ANSWER_MAX_LENGTH),
            RenderableMarkdown(),
        ],
    )
    language = written_language_field()
    attachments = AttachmentsField()


class EditAnswerForm(AnswerForm):
    remove_attachments = removal_field()
    note = edit_note_field()


class CommentForm(PreviewableForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[
            DataRequired(),
            Length(min=COMMENT_MIN_LENGTH, max=COMMENT_MAX_LENGTH),
            RenderableMarkdown(),
        ],
    )
    language = written_language_field()
    answer_id = HiddenField()
